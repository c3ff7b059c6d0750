// Lowering, checked end to end in process: source text -> sema -> equations -> IR kernels ->
// bytecode -> engine, with results compared to what the semantics (docs/language.md) say they
// must be, worked out independently in the test.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "compiler/driver/backend.h"
#include "compiler/equations/equations.h"
#include "compiler/lower/lower.h"
#include "tests/unit/sema/sema_helpers.h"
#include "vm/engine/simulation.h"

namespace snn::testing {
namespace {

struct Lowered {
  std::unique_ptr<Checked> checked;
  std::unique_ptr<equations::EquationsProgram> equations;
  std::optional<lower::LoweredExperiment> experiment;
};

Lowered lowerText(const std::string& text, const lower::KernelFactory& factory) {
  Lowered l;
  l.checked = checkText(text);
  INFO(l.checked->all());
  REQUIRE_FALSE(l.checked->diags.hasErrors());
  l.equations = std::make_unique<equations::EquationsProgram>(
      equations::analyzeEquations(l.checked->program, l.checked->diags));
  REQUIRE(l.checked->program.experiments.size() == 1);
  l.experiment =
      lower::lowerExperiment(l.checked->program, *l.equations,
                             l.checked->program.experiments.front(), {}, factory, l.checked->diags);
  INFO(l.checked->all());
  REQUIRE(l.experiment);
  return l;
}

const char* kLif = R"(
neuron LIF {
    parameters {
        tau = 20 ms
        V_rest = -70 mV
        V_th = -50 mV
        V_reset = -60 mV
        t_ref = 2 ms
    }
    state {
        V : volt = V_rest
        I : volt = 25 mV
    }
    equations { dV/dt = (V_rest - V + I) / tau  (unless refractory) }
    threshold V > V_th
    reset { V = V_reset }
    refractory t_ref
}
)";

TEST_CASE("LIF with a constant drive fires at the analytic interval, to the time step") {
  auto l = lowerText(std::string(kLif) + R"(
experiment e {
    dt = 0.1 ms
    population P = LIF[1]
    record spikes(P)
    run 300 ms
})",
                     driver::bytecodeFactory());
  engine::Simulation sim(std::move(l.experiment->plan));
  sim.recordSpikes(0);
  sim.run(3000);
  const auto& steps = sim.spikeRecordings().at(0).steps;
  REQUIRE(steps.size() >= 3);

  // Exact integration: V(t) = V_rest + I (1 - e^{-t/tau}) from V_rest, and from V_reset after a
  // spike. A spike is stamped at the start of the step during which V crosses; the reset value
  // then holds at the end of that step, refractoriness freezes V for the next R - 1 steps (R =
  // t_ref / dt), and integration resumes in step s + R.
  const double dt = 1e-4, tau = 0.02, I = 0.025, gap = 0.020, reset_gap = 0.010;
  const double first = tau * std::log(I / (I - gap));
  const double later = tau * std::log((I - reset_gap) / (I - gap));
  const long R = 20;
  CHECK(steps[0] == static_cast<long>(std::ceil(first / dt)) - 1);
  const long isi = R + static_cast<long>(std::ceil(later / dt)) - 1;
  for (std::size_t k = 1; k < steps.size(); ++k) CHECK(steps[k] - steps[k - 1] == isi);
}

TEST_CASE("random initial values depend on the seed and the population, not on what follows") {
  std::string model = std::string(kLif);
  auto initial = [&](const std::string& experiment) {
    auto l = lowerText(model + experiment, driver::bytecodeFactory());
    engine::Simulation sim(std::move(l.experiment->plan));
    auto v = sim.groupVariable(0, "V");
    return std::vector<double>(v.begin(), v.end());
  };
  auto a = initial(
      "experiment e { seed = 3\n population P = LIF[50] { V = V_rest + rand() * 10 mV }\n run 1 ms "
      "}");
  auto b = initial(
      "experiment e { seed = 3\n population P = LIF[50] { V = V_rest + rand() * 10 mV }\n"
      " population Q = LIF[5] { V = V_rest + rand() * 10 mV }\n run 1 ms }");
  auto c = initial(
      "experiment e { seed = 4\n population P = LIF[50] { V = V_rest + rand() * 10 mV }\n run 1 ms "
      "}");
  CHECK(a == b);
  CHECK(a != c);
  for (double v : a) {
    CHECK(v >= -0.070);
    CHECK(v < -0.060);
  }
}

TEST_CASE("each piece of model code becomes a verified, optimised kernel") {
  std::vector<ir::Kernel> kernels;
  auto l = lowerText(std::string(kLif) + R"(
experiment e {
    population P = LIF[10]
    connect P -> P { p = 0.1 if i != j;  delay = 1 ms;  on pre { V += 0.5 mV } }
    run 1 ms
    P.I = 30 mV
    run 1 ms
})",
                     driver::collectingFactory(kernels));
  std::vector<std::string> names;
  for (const auto& k : kernels) names.push_back(k.name);
  // The threshold is fused into the update (one pass over the neurons): no P.threshold.
  CHECK(std::find(names.begin(), names.end(), "P.threshold") == names.end());
  for (const char* expected : {"P.init", "P.update", "P.reset", "P->P.condition", "P->P.on_pre"}) {
    CHECK(std::find(names.begin(), names.end(), expected) != names.end());
  }
  // The constant probability stays a number: geometric skipping, not a kernel per pair.
  const auto& connection = l.experiment->plan.connections.at(0);
  CHECK(connection.rule == engine::ConnectionRule::Probability);
  CHECK(connection.probability == 0.1);
  CHECK(connection.delay == 1e-3);
  CHECK(l.experiment->assignments.size() == 1);
  // dt and the parameters are constants of the kernel: exp(-dt/tau) of the exact step is a
  // number, so the update kernel computes no exponential.
  bool found = false;
  for (const auto& k : kernels) {
    if (k.name != "P.update") continue;
    found = true;
    for (const auto& inst : k.body) CHECK(inst.op != ir::Opcode::Exp);
  }
  CHECK(found);
}

TEST_CASE("a zero delay acts in the step of the spike; a delay of d in round(d/dt) steps") {
  auto run = [&](const char* delay) {
    auto l = lowerText(std::string(R"(
neuron Target { state { x : volt } }
experiment e {
    dt = 0.1 ms
    population G = spikes[1](indices = [0], times = [1 ms])
    population T = Target[1]
    connect G -> T { all;  delay = )") +
                           delay + R"(;  on pre { x += 1 mV } }
    record T.x[0]
    run 3 ms
})",
                       driver::bytecodeFactory());
    engine::Simulation sim(std::move(l.experiment->plan));
    sim.recordState(false, 1, "x", {0}, 1);
    sim.run(30);
    const auto& r = sim.stateRecordings().at(0);
    // The monitor records at the start of each step: the first row showing the increment is
    // the step after the one in which it arrived.
    for (std::size_t k = 0; k < r.values.size(); ++k) {
      if (r.values[k] > 0) return r.steps[k] - 1;
    }
    return engine::Step{-1};
  };
  CHECK(run("0 ms") == 10);
  CHECK(run("1 ms") == 20);
  CHECK(run("0.25 ms") == 13);  // round(2.5) = 3 steps, half away from zero
}

TEST_CASE("while refractory, variables coupled to a held one see it held (as Brian2)") {
  // Brian2 multiplies (unless refractory) derivatives by not_refractory inside the integration,
  // so during refractoriness w relaxes towards a (V_reset - V_rest) with V exactly constant.
  auto l = lowerText(R"(
neuron AdaptiveLIF {
    parameters {
        tau = 20 ms
        tau_w = 100 ms
        a = 0.5
        V_rest = -70 mV
        V_th = -50 mV
        V_reset = -60 mV
        t_ref = 5 ms
    }
    state {
        V : volt = V_rest
        w : volt
        I : volt = 40 mV
    }
    equations {
        dV/dt = (V_rest - V + I - w) / tau   (unless refractory)
        dw/dt = (a * (V - V_rest) - w) / tau_w
    }
    threshold V > V_th
    reset { V = V_reset }
    refractory t_ref
    method exact
}
experiment e {
    population P = AdaptiveLIF[1]
    run 100 ms
})",
                     driver::bytecodeFactory());
  engine::Simulation sim(std::move(l.experiment->plan));
  sim.recordSpikes(0);
  sim.recordState(false, 0, "w", {0}, 1);
  sim.recordState(false, 0, "V", {0}, 1);
  sim.run(1000);
  const auto& spikes = sim.spikeRecordings().at(0).steps;
  REQUIRE(!spikes.empty());
  const auto& w = sim.stateRecordings().at(0).values;
  const auto& V = sim.stateRecordings().at(1).values;
  const std::size_t s = static_cast<std::size_t>(spikes[0]);
  const std::size_t R = 50;  // t_ref / dt
  const double decay = std::exp(-1e-4 / 0.1), w_inf = 0.5 * (-0.060 + 0.070);
  for (std::size_t k = s + 1; k + 1 < s + R; ++k) {
    CHECK(V[k] == -0.060);
    const double expected = w_inf + (w[k] - w_inf) * decay;
    CHECK(std::abs(w[k + 1] - expected) <= 1e-12 * std::abs(expected));
  }
  // And outside refractoriness V moves again.
  CHECK(V[s + R + 1] != -0.060);
}

}  // namespace
}  // namespace snn::testing
