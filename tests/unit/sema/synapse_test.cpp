// Synapse models: `pre.X`/`post.X` checked at each connect against the populations' models,
// each problem reported once however many connects use the synapse; summed variables;
// event-driven equations; inline synapses and their scoping rule.
#include <doctest/doctest.h>

#include "tests/unit/sema/sema_helpers.h"

namespace snn {
namespace {

using testing::checkText;

constexpr const char* kNeurons = R"snn(neuron LIF {
    state { V : volt;  I_syn : volt }
    equations { dV/dt = (I_syn - V) / (10 ms) }
    threshold V > 10 mV
}
neuron Cond {
    parameters { E_e = 0 mV }
    state { V : volt;  g_e : 1;  I_in : amp }
    equations { dV/dt = g_e * (E_e - V) / (10 ms);  dg_e/dt = -g_e / (5 ms) }
    threshold V > 10 mV
}
)snn";

TEST_CASE("a synapse model checks against the populations it connects") {
  auto c = checkText(std::string(kNeurons) + R"snn(synapse STDP {
    parameters { taupre = 20 ms;  wmax = 0.01;  dApre = 0.01 * wmax }
    state { w : 1 = 0.5 * wmax;  Apre : 1;  Apost : 1 }
    equations {
        dApre/dt = -Apre / taupre (event-driven)
        dApost/dt = -Apost / taupre (event-driven)
    }
    on pre { post.g_e += w;  Apre += dApre;  w = clip(w + Apost, 0, wmax) }
    on post { Apost -= dApre;  w = clip(w + Apre, 0, wmax) }
    delay 1 ms
}
experiment e {
    population In = poisson[100](rate = 15 Hz)
    population Out = Cond[1]
    connect S = In -> Out using STDP(wmax = 0.1) { all;  w = rand() * wmax }
    record S.w[0:20]
    run 1 second
    print "{mean(S.w):.3f} {max(S.w)}"
    plot histogram(S.w, bins = 20) to "w.svg"
}
)snn");
  CHECK_CLEAN(c);
  const auto& stdp = c->checkedModel("STDP");
  REQUIRE(stdp.pre_post_uses.size() == 1);
  CHECK(stdp.pre_post_uses[0].is_post);
  CHECK(stdp.pre_post_uses[0].name == "g_e");
  CHECK(stdp.pre_post_uses[0].assigned);
  CHECK(stdp.odes[0].event_driven);
  REQUIRE(stdp.delay_time.has_value());
  const auto& e = c->program.experiments[0];
  const auto& con = e.connects[0];
  CHECK(con.synapse == &stdp);
  CHECK(con.synapse_parameter_values[1] == doctest::Approx(0.1));
  CHECK(con.synapse_parameter_values[2] == doctest::Approx(0.001));  // dApre = 0.01 * wmax
  REQUIRE(con.pre_post.size() == 1);
  CHECK(con.pre_post[0].kind == sema::SymbolKind::State);
  CHECK(con.pre_post[0].index == 1);  // g_e of Cond
  REQUIRE(con.synapse_count.has_value());
  CHECK(*con.synapse_count == 100);
  REQUIRE(con.state_inits.size() == 1);
  CHECK(con.delay_time == stdp.delay_time);
}

TEST_CASE("a variable missing from a population names synapse, population, model and variable") {
  auto c = checkText(std::string(kNeurons) + R"snn(synapse Exc {
    state { w : 1 }
    on pre { post.g_e += w }
}
experiment e {
    population E = LIF[10]
    population F = Cond[10]
    connect E -> F using Exc { p = 0.1 }
    connect F -> E using Exc { p = 0.1 }
    run 1 ms
}
)snn");
  CHECK_ONLY_DIAGNOSTIC(c, SynapseVariableMissing, "14:14", "post.g_e");
  const auto& d = c->diags.all()[0];
  CHECK(d.message ==
        "synapse `Exc` uses `post.g_e`, but population `E` (model `LIF`) has no variable `g_e`");
  REQUIRE_FALSE(d.notes.empty());
  CHECK(c->at(d.notes[0].range) == "20:26");
  CHECK(d.notes[0].message == "in `connect F -> E using Exc`");
}

TEST_CASE("a dimension error involving post. is reported once for several connects") {
  auto c = checkText(std::string(kNeurons) + R"snn(synapse Bad {
    parameters { w = 1 nA }
    on pre { post.V += w }
}
experiment e {
    population A = LIF[10]
    population B = LIF[10]
    connect A -> B using Bad { p = 0.1 }
    connect B -> A using Bad { p = 0.1 }
    connect A -> A using Bad { p = 0.1 }
    run 1 ms
}
)snn");
  CHECK_ONLY_DIAGNOSTIC(c, DimensionMismatch, "14:24", "w");
  CHECK(c->diags.all()[0].message ==
        "cannot add to `post.V`: `post.V` has dimension `volt` but the value has dimension `amp`");
}

TEST_CASE("an error inside a synapse that does not involve pre/post is reported once") {
  auto c = checkText(std::string(kNeurons) + R"snn(synapse Bad {
    state { w : 1 }
    on pre { w += 1 mV;  post.I_syn += 1 mV }
}
experiment e {
    population A = LIF[10]
    connect A -> A using Bad { p = 0.1 }
    connect A -> A using Bad { p = 0.2 }
    run 1 ms
}
)snn");
  CHECK_ONLY_DIAGNOSTIC(c, DimensionMismatch, "14:19", "1 mV");
}

TEST_CASE("pre./post. parameters are read-only") {
  auto c = checkText(std::string(kNeurons) + R"snn(synapse S {
    on pre { post.E_e += 1 mV }
}
experiment e {
    population B = Cond[10]
    connect B -> B using S { all }
    run 1 ms
}
)snn");
  CHECK_ONLY_DIAGNOSTIC(c, NotAssignable, "13:14", "post.E_e");
}

TEST_CASE("summed variables: flag, target and dimension") {
  auto c = checkText(std::string(kNeurons) + R"snn(synapse Gap {
    parameters { g = 1 nS }
    equations {
        post.I_in = g * (pre.V - post.V) (summed)
        post.I_syn = g * pre.V (summed)
        post.g_e = 1
    }
}
experiment e {
    population B = Cond[10]
    connect B -> B using Gap { all }
    run 1 ms
}
)snn");
  INFO(c->all());
  REQUIRE(c->count(DiagnosticKind::SummedFlagMissing) == 1);
  CHECK(c->at(c->first(DiagnosticKind::SummedFlagMissing)->range) == "17:9");
  CHECK(c->first(DiagnosticKind::SummedFlagMissing)->message ==
        "`post.g_e` belongs to the postsynaptic neuron; mark this definition `(summed)` to sum it "
        "over the synapses");
  REQUIRE(c->count(DiagnosticKind::SynapseVariableMissing) == 1);  // Cond has no I_syn
  CHECK(c->text(c->first(DiagnosticKind::SynapseVariableMissing)->range) == "post.I_syn");
  CHECK(c->diags.all().size() == 2);
  const auto& gap = c->checkedModel("Gap");
  REQUIRE(gap.summed.size() == 2);
  // Unknown on the synapse's own, the type comes from the connect that binds pre./post.
  const sema::Type* t = c->program.typeOf(gap.summed[0].expr);
  REQUIRE(t != nullptr);
  CHECK(t->dim == units::lookupUnit("amp")->dim);
}

TEST_CASE("a summed variable's dimension must match its target") {
  auto c = checkText(std::string(kNeurons) + R"snn(synapse Gap {
    parameters { g = 1 nS }
    equations { post.I_in = g (summed) }
}
experiment e {
    population B = Cond[10]
    connect B -> B using Gap { all }
    run 1 ms
}
)snn");
  CHECK_ONLY_DIAGNOSTIC(c, DimensionMismatch, "14:29", "g");
}

TEST_CASE("a summed variable cannot target an integrated state") {
  auto c = checkText(std::string(kNeurons) + R"snn(synapse Gap {
    equations { post.g_e = 0.5 (summed) }
}
experiment e {
    population B = Cond[10]
    connect B -> B using Gap { all }
    run 1 ms
}
)snn");
  CHECK_ONLY_DIAGNOSTIC(c, NotAssignable, "13:17", "post.g_e");
}

TEST_CASE("summed and event-driven flags belong to synapses; summed to pre./post. definitions") {
  auto c = checkText(R"snn(synapse S {
    state { w : 1;  x : 1 }
    equations {
        dw/dt = -w / ms (summed)
        dx/dt = -x / ms (event-driven, clock-driven)
    }
}
)snn");
  INFO(c->all());
  REQUIRE(c->count(DiagnosticKind::FlagNotAllowed) == 2);
  CHECK(c->text(c->diags.all()[0].range) == "summed");
  CHECK(c->text(c->diags.all()[1].range) == "clock-driven");
}

TEST_CASE("an event-driven equation may not use what changes between events") {
  auto c = checkText(R"snn(synapse S {
    state { a : 1;  b : 1;  c : 1 }
    equations {
        da/dt = (b - a) / ms (event-driven)
        db/dt = -b / ms (clock-driven)
        dc/dt = (c + xi * sqrt(ms)) / ms (event-driven)
    }
}
)snn");
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 2);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::NoiseNotAllowed);
  CHECK(c->at(c->diags.all()[0].range) == "6:22");
  CHECK(c->hasNote(c->diags.all()[0], "event-driven equations are solved exactly at events"));
  CHECK(c->diags.all()[1].kind == DiagnosticKind::EventDrivenDependency);
  CHECK(c->at(c->diags.all()[1].range) == "4:18");
  CHECK(
      c->diags.all()[1].message ==
      "event-driven equation for `a` cannot use `b`: it is integrated by a clock-driven equation");
}

TEST_CASE("a synapse delay is a time") {
  auto c = checkText("synapse S {\n    state { w : 1 }\n    delay 3 mV\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, DimensionExpected, "3:11", "3 mV");
}

TEST_CASE("inline synapses: own variables first, then the target population's") {
  auto c = checkText(std::string(kNeurons) + R"snn(experiment e {
    population E = LIF[10]
    population F = Cond[10]
    connect E -> F { p = 0.1;  w = 0.5;  d = 1 ms;  delay = 1 ms;  on pre { g_e += w;  w *= 0.9;  post.V += 1 mV } }
    connect S = F -> E { one_to_one;  V = 2 mV;  on pre { I_syn += V;  pre.I_in += 1 nA } }
    record S.V
    run 1 ms
}
)snn");
  CHECK_CLEAN(c);
  const auto& e = c->program.experiments[0];
  REQUIRE(e.connects[0].inline_variables.size() == 2);
  CHECK(e.connects[0].inline_variables[0].type.dim.isDimensionless());
  CHECK(e.connects[0].inline_variables[1].type.dim ==
        units::Dimension::base(units::BaseDimension::Time));
  REQUIRE(e.connects[0].delay_time.has_value());
  CHECK(*e.connects[0].delay_time == doctest::Approx(1e-3));
  // In the second connect `V` is the synapse's own variable (volt), not E's V.
  const auto& on_pre = *e.connects[1].handlers[0].body;
  const auto& assign = std::get<ast::AssignStmt>(on_pre[0]->node);
  const sema::Resolution* v = c->program.resolutionOf(assign.value.get());
  REQUIRE(v != nullptr);
  CHECK(v->kind == sema::SymbolKind::SynapseVariable);
  const sema::Resolution* target = c->program.tables.targetOf(&assign.target);
  REQUIRE(target != nullptr);
  CHECK(target->kind == sema::SymbolKind::PostVariable);
  CHECK(target->model == c->program.findModel("LIF"));
}

TEST_CASE("inline synapses: wrong dimension and unknown names") {
  auto c = checkText(std::string(kNeurons) + R"snn(experiment e {
    population E = LIF[10]
    connect E -> E { p = 0.1;  w = 1 nA;  on pre { I_syn += w;  g_x += 1 } }
    run 1 ms
}
)snn");
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 2);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::DimensionMismatch);
  CHECK(c->at(c->diags.all()[0].range) == "14:61");
  CHECK(c->diags.all()[1].notes.empty());  // no far-fetched unit suggestion
  CHECK(c->diags.all()[1].kind == DiagnosticKind::UndefinedName);
  CHECK(c->text(c->diags.all()[1].range) == "g_x");
}

TEST_CASE("on pre cannot be added to a connect that uses a synapse model") {
  auto c = checkText(std::string(kNeurons) + R"snn(synapse S { state { w : 1 } }
experiment e {
    population E = LIF[10]
    connect E -> E using S { all;  on pre { I_syn += 1 mV } }
    run 1 ms
}
)snn");
  CHECK_ONLY_DIAGNOSTIC(c, InvalidValue, "15:39", "pre");
}

}  // namespace
}  // namespace snn
