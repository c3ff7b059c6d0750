// Well-typed programs check without diagnostics, and the CheckedProgram says what lowering
// needs: dimensions, SI values, resolutions, the protocol in order. The first test is the
// example of LANGUAGE.md section 1.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "compiler/sema/summary.h"
#include "tests/unit/sema/sema_helpers.h"
#include "tests/unit/support/design_example.h"

namespace snn {
namespace {

using testing::checkText;
using units::BaseDimension;
using units::Dimension;

Dimension volt() {
  return units::lookupUnit("volt")->dim;
}
Dimension second() {
  return Dimension::base(BaseDimension::Time);
}

using testing::kDesignExample;

TEST_CASE("the LANGUAGE.md example checks without diagnostics") {
  auto c = checkText(kDesignExample);
  CHECK_CLEAN(c);
  const auto& lif = c->checkedModel("LIF");
  REQUIRE(lif.parameters.size() == 4);
  CHECK(lif.parameters[0].name == "tau");
  CHECK(lif.parameters[0].dim == second());
  CHECK(lif.parameters[0].value == doctest::Approx(0.02));
  CHECK(lif.parameters[1].dim == volt());
  CHECK(lif.parameters[1].value == doctest::Approx(-0.07));
  REQUIRE(lif.states.size() == 3);
  CHECK(lif.states[0].dim == volt());
  CHECK(lif.states[0].has_ode);
  CHECK_FALSE(lif.states[1].has_ode);
  REQUIRE(lif.odes.size() == 1);
  CHECK(lif.odes[0].unless_refractory);
  CHECK_FALSE(lif.odes[0].has_noise);
  CHECK(lif.method == "euler");
  CHECK(lif.refractory_kind == sema::RefractoryKind::Time);
  REQUIRE(lif.refractory_time.has_value());
  CHECK(*lif.refractory_time == doctest::Approx(0.002));
  REQUIRE(lif.threshold != nullptr);
  CHECK(c->program.typeOf(lif.threshold)->isBoolean());
  // The right-hand side of dV/dt is volt per second.
  const sema::Type* rhs = c->program.typeOf(lif.odes[0].rhs);
  REQUIRE(rhs != nullptr);
  CHECK(rhs->dim == *(volt() / second()));
}

TEST_CASE("the LANGUAGE.md example: names resolve to what they mean") {
  auto c = checkText(kDesignExample);
  const auto& lif = c->checkedModel("LIF");
  // dV/dt = (-(V - V_rest) + I_ext + I_syn) / tau: find `tau` and `V`.
  const auto& div = static_cast<const ast::BinaryExpr&>(*lif.odes[0].rhs);
  const sema::Resolution* tau = c->program.resolutionOf(div.rhs.get());
  REQUIRE(tau != nullptr);
  CHECK(tau->kind == sema::SymbolKind::Parameter);
  CHECK(tau->name == "tau");
  CHECK(tau->index == 0);
  CHECK(tau->model == &lif);
  // The reset's target is the state V.
  const auto& assign = std::get<ast::AssignStmt>((*lif.reset)[0]->node);
  const sema::Resolution* target = c->program.tables.targetOf(&assign.target);
  REQUIRE(target != nullptr);
  CHECK(target->kind == sema::SymbolKind::State);
  CHECK(target->index == 0);
}

TEST_CASE("the LANGUAGE.md example: the protocol in order, with SI values") {
  auto c = checkText(kDesignExample);
  REQUIRE(c->program.experiments.size() == 1);
  const auto& e = c->program.experiments[0];
  CHECK(e.dt == doctest::Approx(1e-4));
  CHECK(e.dt_set);
  REQUIRE(e.seed.has_value());
  CHECK(*e.seed == 42);
  REQUIRE(e.populations.size() == 2);
  CHECK(e.populations[0].size == 400);
  CHECK(e.populations[0].model == c->program.findModel("LIF"));
  CHECK(e.populations[0].parameter_values[0] == doctest::Approx(0.02));
  CHECK(e.populations[1].parameter_values[0] == doctest::Approx(0.01));  // tau = 10 ms
  REQUIRE(e.populations[1].overrides.size() == 1);
  CHECK(e.populations[0].initialisers.size() == 2);
  REQUIRE(e.connects.size() == 3);
  CHECK(e.connects[0].rule == sema::ConnectRule::Probability);
  CHECK(e.connects[0].condition != nullptr);  // if i != j
  CHECK(e.connects[1].condition == nullptr);
  REQUIRE(e.connects[0].delay_time.has_value());
  CHECK(*e.connects[0].delay_time == doctest::Approx(1e-3));
  CHECK(e.connects[0].handlers.size() == 1);
  CHECK(e.connects[0].synapse == nullptr);
  REQUIRE(e.recordings.size() == 3);
  CHECK(e.recordings[2].kind == sema::CheckedRecording::Kind::Rate);
  // population, population, 3 connects, 3 records, run, print, 2 plots.
  REQUIRE(e.steps.size() == 12);
  CHECK(std::holds_alternative<sema::CheckedExperiment::PopulationStep>(e.steps[0]));
  CHECK(std::holds_alternative<sema::CheckedExperiment::ConnectStep>(e.steps[2]));
  REQUIRE(std::holds_alternative<sema::CheckedRun>(e.steps[8]));
  CHECK(std::get<sema::CheckedRun>(e.steps[8]).duration == doctest::Approx(0.5));
  CHECK(std::holds_alternative<sema::CheckedPrint>(e.steps[9]));
  REQUIRE(std::holds_alternative<sema::CheckedPlot>(e.steps[11]));
  const auto& plot = std::get<sema::CheckedPlot>(e.steps[11]);
  CHECK(plot.kind == sema::CheckedPlot::Kind::Rate);
  CHECK(plot.smooth_width == doctest::Approx(0.02));
  CHECK(plot.path == "ei_rate.svg");
}

TEST_CASE("the summary of `snnc check -v` shows values and units") {
  auto c = checkText(kDesignExample);
  std::ostringstream out;
  sema::printModelSummary(c->program, out);
  const std::string text = out.str();
  INFO(text);
  CHECK(text.find("neuron LIF\n") == 0);
  CHECK(text.find("    tau = 20 ms\n") != std::string::npos);
  CHECK(text.find("    V_rest = -70 mV\n") != std::string::npos);
  CHECK(text.find("    V : volt\n") != std::string::npos);
  CHECK(text.find("(unless refractory), method euler (declared)") != std::string::npos);
  CHECK(text.find("refractory: 2 ms") != std::string::npos);
  std::ostringstream hooked;
  sema::printModelSummary(
      c->program, hooked,
      [](const sema::CheckedModel&, const sema::CheckedOde&) { return std::string("exact"); });
  CHECK(hooked.str().find(", method exact\n") != std::string::npos);
}

TEST_CASE("Hodgkin-Huxley: sub-expressions in any order come out in dependency order") {
  auto c = checkText(R"snn(
neuron HH {
    parameters {
        C_m = 1 uF/cm^2
        g_Na = 120 msiemens/cm**2
        g_K = 36 msiemens/cm**2
        g_L = 0.3 msiemens/cm**2
        E_Na = 50 mV
        E_K = -77 mV
        E_L = -54.4 mV
    }
    state {
        V : volt = -65 mV
        m : 1 = alpha_m / (alpha_m + beta_m)
        h : 1 = 0.6
        n : 1 = 0.32
        I_ext : amp / metre**2
    }
    equations {
        dV/dt = (I_ext - I_Na - g_K * n**4 * (V - E_K) - g_L * (V - E_L)) / C_m
        I_Na = g_Na * m**3 * h * (V - E_Na) : amp/meter**2
        dm/dt = alpha_m * (1 - m) - beta_m * m
        dh/dt = 0.07/ms * exp(-(V + 65 mV) / (20 mV)) * (1 - h) - h / (1 + exp(-(V + 35 mV) / (10 mV))) / ms
        dn/dt = alpha_n * (1 - n) - beta_n * n
        alpha_m = 0.1/mV * 10 mV / exprel(-(V + 40 mV) / (10 mV)) / ms : Hz
        beta_m = 4 * exp(-(V + 65 mV) / (18 mV)) / ms : Hz
        alpha_n = rate_scale * 0.01/mV * 10 mV / exprel(-(V + 55 mV) / (10 mV))
        beta_n = 0.125 * exp(-(V + 65 mV) / (80 mV)) * rate_scale
        rate_scale = 1 / ms
    }
    threshold V > -20 mV
    refractory V > -20 mV
}
)snn");
  CHECK_CLEAN(c);
  const auto& hh = c->checkedModel("HH");
  REQUIRE(hh.subexpressions.size() == 6);
  auto position = [&](std::string_view name) {
    for (std::size_t k = 0; k < hh.subexpressions.size(); ++k)
      if (hh.subexpressions[k].name == name) return k;
    return hh.subexpressions.size();
  };
  CHECK(position("rate_scale") < position("alpha_n"));
  CHECK(position("rate_scale") < position("beta_n"));
  const auto hertz = *(Dimension() / second());
  CHECK(hh.subexpressions[position("alpha_n")].type.dim == hertz);  // inferred
  CHECK(hh.subexpressions[position("I_Na")].type.dim.toUnitString() == "metre^-2 * amp");
  CHECK(hh.refractory_kind == sema::RefractoryKind::Condition);
  CHECK(hh.parameters[0].value == doctest::Approx(0.01));  // 1 uF/cm^2 in F/m^2
  // `m` starts at its steady state, so it is initialised after nothing else but it uses V.
  REQUIRE(hh.state_init_order.size() == 5);
  auto init_position = [&](std::size_t state) {
    for (std::size_t k = 0; k < hh.state_init_order.size(); ++k)
      if (hh.state_init_order[k] == state) return k;
    return hh.state_init_order.size();
  };
  CHECK(init_position(0) < init_position(1));  // V before m
  // A sub-expression resolves to its place in dependency order.
  const auto& alpha_n = hh.subexpressions[position("alpha_n")];
  const auto& product = static_cast<const ast::BinaryExpr&>(*alpha_n.expr);
  // alpha_n = ((rate_scale * 0.01/mV) * 10 mV) / exprel(...): find rate_scale, the leftmost leaf.
  const ast::Expr* leaf = &product;
  while (leaf->kind == ast::ExprKind::Binary)
    leaf = static_cast<const ast::BinaryExpr*>(leaf)->lhs.get();
  const sema::Resolution* r = c->program.resolutionOf(leaf);
  REQUIRE(r != nullptr);
  CHECK(r->kind == sema::SymbolKind::SubExpression);
  CHECK(r->index == position("rate_scale"));
}

TEST_CASE("a unit on its own is a value when no variable has its name") {
  auto c = checkText(R"snn(
neuron N1 {
    parameters { rate = 5 / ms;  scale = 2 * mV }
    state { V : volt;  m : 1 }
    equations {
        dV/dt = -V * rate + scale / ms
        dm/dt = (1 - m) / ms * m
    }
}
)snn");
  CHECK_CLEAN(c);
  const auto& m = c->checkedModel("N1");
  CHECK(m.parameters[0].value == doctest::Approx(5000.0));
  CHECK(m.parameters[1].value == doctest::Approx(0.002));
  const auto& rate_value = static_cast<const ast::BinaryExpr&>(*m.parameters[0].decl->value);
  const sema::Resolution* ms = c->program.resolutionOf(rate_value.rhs.get());
  REQUIRE(ms != nullptr);
  CHECK(ms->kind == sema::SymbolKind::Unit);
  CHECK(ms->value == doctest::Approx(1e-3));
}

TEST_CASE("a stochastic equation has noise of dimension second^-1/2") {
  auto c = checkText(R"snn(
neuron Noisy {
    parameters { tau = 10 ms;  sigma = 2 mV }
    state { V : volt }
    equations { dV/dt = -V / tau + sigma * sqrt(2 / tau) * xi + sigma * xi_2 / sqrt(tau) }
}
)snn");
  CHECK_CLEAN(c);
  const auto& m = c->checkedModel("Noisy");
  REQUIRE(m.odes.size() == 1);
  CHECK(m.odes[0].has_noise);
  REQUIRE(m.odes[0].noise_sources.size() == 2);
  CHECK(m.odes[0].noise_sources[0] == "xi");
  CHECK(m.odes[0].noise_sources[1] == "xi_2");
}

TEST_CASE("x ** n: rational exponents give exact dimensions") {
  auto c = checkText(R"snn(
neuron P {
    parameters { a = 4 mV**2;  b = a ** 0.5;  c = (a ** (1/3)) ** 3;  d = 2 ** 0.3 }
    state { V : volt }
    equations { dV/dt = (sqrt(a) + b + c ** (1/2) - V) / (d * ms) }
}
)snn");
  CHECK_CLEAN(c);
  const auto& m = c->checkedModel("P");
  CHECK(m.parameters[1].dim == volt());
  CHECK(m.parameters[1].value == doctest::Approx(2e-3));
  CHECK(m.parameters[2].dim == *volt().pow(units::Rational(2)));
  CHECK(m.parameters[3].dim.isDimensionless());
}

TEST_CASE("lets: constants and timed arrays, file-wide and in experiments") {
  auto c = checkText(R"snn(
let amplitude = 2 nA
let stim = timed([0, 1, 0.5] * amplitude, dt = 100 ms)
let delays = [1, 2, 3] * ms
neuron Driven {
    parameters { R = 10 Mohm }
    state { V : volt;  I : amp }
    equations { dV/dt = (R * (stim(t) + I) - V) / (10 ms) }
}
experiment e {
    let n = 2 * 5
    population D = Driven[n]
    population G = spikes[n](indices = [0, 1, 2], times = delays)
    population P = poisson[n](rate = 5 Hz * (1 + i / N))
    connect G -> D { one_to_one; on pre { I += amplitude / 10 } }
    run 300 ms
}
)snn");
  CHECK_CLEAN(c);
  const auto* stim = c->program.findLet("stim");
  REQUIRE(stim != nullptr);
  CHECK(stim->is_timed);
  REQUIRE(stim->values.size() == 3);
  CHECK(stim->values[1] == doctest::Approx(2e-9));
  CHECK(stim->dt == doctest::Approx(0.1));
  CHECK(stim->type.dim == units::lookupUnit("amp")->dim);
  const auto& e = c->program.experiments[0];
  CHECK(e.populations[0].size == 10);
  CHECK(e.populations[1].kind == sema::PopulationKind::SpikeGenerator);
  REQUIRE(e.populations[1].spike_times.size() == 3);
  CHECK(e.populations[1].spike_times[2] == doctest::Approx(3e-3));
  CHECK(e.populations[1].spike_indices[2] == 2);
  CHECK(e.populations[2].kind == sema::PopulationKind::Poisson);
  CHECK(e.populations[2].rate != nullptr);
  CHECK(e.connects[0].rule == sema::ConnectRule::OneToOne);
  REQUIRE(e.connects[0].synapse_count.has_value());
  CHECK(*e.connects[0].synapse_count == 10);
  // stim(t) resolves to the timed array.
  const auto& driven = c->checkedModel("Driven");
  bool found = false;
  for (const auto& [expr, r] : c->program.tables.resolutions) {
    if (r.kind == sema::SymbolKind::TimedArray && r.let == stim) found = true;
  }
  CHECK(found);
  (void)driven;
}

TEST_CASE("population overrides recompute the parameters that depend on them") {
  auto c = checkText(R"snn(
neuron L {
    parameters { tau = 10 ms;  tau2 = 2 * tau;  rate = 1 / tau2 }
    state { V : volt }
    equations { dV/dt = -V * rate }
}
experiment e {
    population A = L[1]
    population B = L[1](tau = 50 ms)
    run 1 ms
}
)snn");
  CHECK_CLEAN(c);
  const auto& e = c->program.experiments[0];
  CHECK(e.populations[0].parameter_values[2] == doctest::Approx(50.0));
  CHECK(e.populations[1].parameter_values[1] == doctest::Approx(0.1));
  CHECK(e.populations[1].parameter_values[2] == doctest::Approx(10.0));
  // The model's own defaults are unchanged.
  CHECK(c->checkedModel("L").parameters[2].value == doctest::Approx(50.0));
}

TEST_CASE("models are found across modules, imports first") {
  auto c = testing::checkModules({
      "neuron Lib { parameters { tau = 5 ms } state { V : volt } equations { dV/dt = -V / tau } }",
      "experiment e { population P = Lib[3](tau = 1 ms)\n run 1 ms }",
  });
  CHECK_CLEAN(c);
  CHECK(c->program.experiments[0].populations[0].model == c->program.findModel("Lib"));
}

}  // namespace
}  // namespace snn
