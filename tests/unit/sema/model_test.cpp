// The rules of neuron declarations: names, parameters, states, sub-expressions, ODEs and their
// flags, threshold, reset, refractoriness, method.
#include <doctest/doctest.h>

#include "tests/unit/sema/sema_helpers.h"

namespace snn {
namespace {

using testing::checkText;

TEST_CASE("a name defined twice in a model") {
  auto c = checkText(
      "neuron M {\n    parameters { tau = 10 ms;  tau = 20 ms }\n    state { V : volt }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, DuplicateDefinition, "2:32", "tau");
  CHECK(c->hasNote(c->diags.all()[0], "first defined here"));
  CHECK(c->at(c->diags.all()[0].notes[0].range) == "2:18");
}

TEST_CASE("a state and a sub-expression cannot share a name") {
  auto c = checkText("neuron M {\n    state { V : volt }\n    equations { V = 3 mV }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, DuplicateDefinition, "3:17", "V");
}

TEST_CASE("two models of one name") {
  auto c = checkText("neuron A { state { V : volt } }\nsynapse A { state { w : 1 } }\n");
  CHECK_ONLY_DIAGNOSTIC(c, DuplicateDefinition, "2:9", "A");
}

TEST_CASE("built-in names cannot be redefined") {
  auto c = checkText(
      "neuron M {\n    parameters { t = 10 ms }\n    state { xi_1 : 1;  exp : 1;  pre : 1 }\n}\n");
  INFO(c->all());
  REQUIRE(c->count(DiagnosticKind::ReservedName) == 4);
  CHECK(c->at(c->diags.all()[0].range) == "2:18");
  CHECK(c->text(c->diags.all()[1].range) == "xi_1");
  CHECK(c->text(c->diags.all()[2].range) == "exp");
  CHECK(c->text(c->diags.all()[3].range) == "pre");
}

TEST_CASE("model names may be anything but the generators'") {
  auto c = checkText("neuron N { state { V : volt } }\nneuron poisson { state { V : volt } }\n");
  CHECK_ONLY_DIAGNOSTIC(c, ReservedName, "2:8", "poisson");
}

TEST_CASE("a parameter must be constant") {
  auto c =
      checkText("neuron M {\n    parameters { tau = 10 ms * rand() }\n    state { V : volt }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, NotConstant, "2:32", "rand()");
  CHECK(c->diags.all()[0].message ==
        "the value of parameter `tau` must be a constant (it may use parameters and numbers only)");
}

TEST_CASE("a parameter cannot use a state") {
  auto c = checkText("neuron M {\n    parameters { V0 = 2 * V }\n    state { V : volt }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, NotConstant, "2:27", "V");
}

TEST_CASE("a parameter cannot use a sub-expression") {
  auto c = checkText(
      "neuron M {\n    parameters { a = 2 * x }\n    state { V : volt }\n    equations { x = 3 "
      "}\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, NotConstant, "2:26", "x");
}

TEST_CASE("a parameter's annotation must match its value") {
  auto c =
      checkText("neuron M {\n    parameters { tau : second = 10 mV }\n    state { V : volt }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, UnitAnnotationMismatch, "2:33", "10 mV");
  CHECK(c->diags.all()[0].message ==
        "`tau` is annotated `second` but its expression has dimension `volt`");
}

TEST_CASE("parameters defined in terms of each other") {
  auto c = checkText(
      "neuron M {\n    parameters { a = b * 2;  b = a / 2 }\n    state { V : volt }\n}\n");
  INFO(c->all());
  REQUIRE(c->count(DiagnosticKind::RecursiveDefinition) == 1);
  const auto* d = c->first(DiagnosticKind::RecursiveDefinition);
  CHECK(d->message == "`a` is defined in terms of itself: a -> b -> a");
  CHECK(c->at(d->range) == "2:34");
  CHECK(c->diags.all().size() == 1);
}

TEST_CASE("sub-expressions defined in terms of each other") {
  auto c = checkText(
      "neuron M {\n    state { V : volt }\n    equations {\n        dV/dt = a / ms\n        a = b "
      "* 2 : volt\n"
      "        b = a / 2 : volt\n    }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, RecursiveDefinition, "6:13", "a");
  CHECK(c->diags.all()[0].message == "`a` is defined in terms of itself: a -> b -> a");
}

TEST_CASE("a sub-expression's annotation must match") {
  auto c = checkText(
      "neuron M {\n    state { V : volt }\n    equations {\n        dV/dt = -V / ms\n"
      "        rate = 5 ms : Hz\n    }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, UnitAnnotationMismatch, "5:16", "5 ms");
  CHECK(c->diags.all()[0].message ==
        "`rate` is annotated `Hz` but its expression has dimension `second`");
}

TEST_CASE("an ODE needs a declared state") {
  auto c = checkText(
      "neuron M {\n    parameters { W = 1 }\n    state { V : volt }\n"
      "    equations { dV/dt = -V / ms;  dW/dt = -W / ms;  dU/dt = 0 / ms }\n}\n");
  INFO(c->all());
  REQUIRE(c->count(DiagnosticKind::NotAState) == 2);
  const auto& w = c->diags.all()[0];
  CHECK(c->text(w.range) == "dW/dt");
  CHECK(c->hasNote(w, "`W` is a parameter"));
  CHECK(c->diags.all()[1].message == "`dU/dt`: `U` is not a state variable; declare it in `state`");
}

TEST_CASE("one equation per state") {
  auto c = checkText(
      "neuron M {\n    state { V : volt }\n    equations {\n        dV/dt = -V / (10 ms)\n"
      "        dV/dt = -V / (20 ms)\n    }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, DuplicateEquation, "5:9", "dV/dt");
  CHECK(c->at(c->diags.all()[0].notes[0].range) == "4:9");
}

TEST_CASE("dX/dt must have the dimension of X per second") {
  auto c = checkText(
      "neuron M {\n    state { V : volt }\n    equations {\n        dV/dt = -V\n    }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, DerivativeDimension, "4:17", "-V");
  CHECK(c->diags.all()[0].message ==
        "`dV/dt` must have dimension `second^-1 * volt`, found `volt`");
}

TEST_CASE("an ODE's unit annotation must be the state's") {
  auto c =
      checkText("neuron M {\n    state { V : volt }\n    equations { dV/dt = -V / ms : amp }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, DimensionMismatch, "3:35", "amp");
}

TEST_CASE("flags are checked against the kind of equation and model") {
  auto c = checkText(
      "neuron M {\n    state { V : volt }\n    equations {\n"
      "        dV/dt = -V / ms (event-driven)\n        x = V (unless refractory)\n    }\n}\n");
  INFO(c->all());
  REQUIRE(c->count(DiagnosticKind::FlagNotAllowed) == 2);
  CHECK(c->at(c->diags.all()[0].range) == "4:26");
  CHECK(c->text(c->diags.all()[0].range) == "event-driven");
  CHECK(c->at(c->diags.all()[1].range) == "5:16");
}

TEST_CASE("unless refractory is for neurons only") {
  auto c = checkText(
      "synapse S {\n    state { w : 1 }\n    equations { dw/dt = -w / ms (unless refractory) "
      "}\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, FlagNotAllowed, "3:34", "unless refractory");
}

TEST_CASE("the threshold is a condition") {
  auto c = checkText("neuron M {\n    state { V : volt }\n    threshold V + 1 mV\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, ConditionNotBoolean, "3:15", "V + 1 mV");
  CHECK(c->diags.all()[0].message ==
        "the threshold must be a condition (a comparison), found a value of dimension `volt`");
}

TEST_CASE("a refractory period is a time, or a condition") {
  auto c = checkText("neuron M {\n    state { V : volt }\n    refractory 5 mV\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, DimensionExpected, "3:16", "5 mV");
  auto ok = checkText(
      "neuron M {\n    parameters { t_ref = 2 ms }\n    state { V : volt }\n    refractory "
      "t_ref\n}\n"
      "neuron C {\n    state { V : volt }\n    refractory V > -20 mV\n}\n");
  CHECK_CLEAN(ok);
  CHECK(*ok->checkedModel("M").refractory_time == doctest::Approx(0.002));
  CHECK(ok->checkedModel("C").refractory_kind == sema::RefractoryKind::Condition);
}

TEST_CASE("reset assigns states only") {
  auto c = checkText(
      "neuron M {\n    parameters { V_th = 10 mV }\n    state { V : volt }\n"
      "    equations { x = 2 * V }\n    reset { V_th = 20 mV;  x = 1 mV;  V = 0 mV;  t = 1 ms "
      "}\n}\n");
  INFO(c->all());
  REQUIRE(c->count(DiagnosticKind::NotAssignable) == 3);
  const auto& param = c->diags.all()[0];
  CHECK(c->at(param.range) == "5:13");
  CHECK(param.message ==
        "`V_th` cannot be assigned: it is a parameter, constant during a run; declare it in "
        "`state` to change it");
  CHECK(c->text(c->diags.all()[1].range) == "x");
  CHECK(c->text(c->diags.all()[2].range) == "t");
}

TEST_CASE("assignments keep the target's dimension; *= and /= take numbers") {
  auto c = checkText(
      "neuron M {\n    state { V : volt;  w : 1 }\n"
      "    reset { V += 1 nA;  V *= 2 mV;  w /= 2;  if V > 0 mV { V = -60 mV } else { w = 1 } "
      "}\n}\n");
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 2);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::DimensionMismatch);
  CHECK(c->text(c->diags.all()[0].range) == "1 nA");
  CHECK(c->diags.all()[0].message ==
        "cannot add to `V`: `V` has dimension `volt` but the value has dimension `amp`");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::NotDimensionless);
  CHECK(c->text(c->diags.all()[1].range) == "2 mV");
}

TEST_CASE("an if condition must be a condition") {
  auto c = checkText("neuron M {\n    state { V : volt }\n    reset { if V { V = 0 mV } }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, ConditionNotBoolean, "3:16", "V");
}

TEST_CASE("white noise in a reset") {
  auto c =
      checkText("neuron M {\n    state { V : volt }\n    reset { V = xi * 1 mV * sqrt(ms) }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, NoiseNotAllowed, "3:17", "xi");
}

TEST_CASE("an unknown integration method suggests the closest") {
  auto c = checkText("neuron M {\n    state { V : volt }\n    method rk5\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, UnknownMethod, "3:12", "rk5");
  CHECK(c->hasNote(c->diags.all()[0], "did you mean `rk2` or `rk4`?"));
}

TEST_CASE("every listed method is accepted") {
  for (const char* method :
       {"exact", "euler", "rk2", "rk4", "exponential_euler", "heun", "euler_maruyama"}) {
    auto c = checkText(std::string("neuron M {\n    state { V : volt }\n    method ") + method +
                       "\n}\n");
    CHECK_CLEAN(c);
    CHECK(c->checkedModel("M").method == method);
  }
}

TEST_CASE("state initial values: dimensions, and an order that respects dependencies") {
  auto c = checkText(
      "neuron M {\n    parameters { V0 = -70 mV }\n"
      "    state { W : volt = V + 1 mV;  V : volt = V0 + rand() * mV;  n : 1 = i / N;  x : amp = V "
      "}\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, DimensionMismatch, "3:91", "V");
  const auto& m = c->checkedModel("M");
  REQUIRE(m.state_init_order.size() == 4);
  std::size_t v_at = 0, w_at = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    if (m.state_init_order[k] == 0) w_at = k;
    if (m.state_init_order[k] == 1) v_at = k;
  }
  CHECK(v_at < w_at);
}

TEST_CASE("initial values that depend on each other") {
  auto c = checkText("neuron M {\n    state { a : 1 = b;  b : 1 = a }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, RecursiveDefinition, "2:33", "a");
}

TEST_CASE("a parameter that evaluates to NaN") {
  auto c = checkText("neuron M {\n    parameters { x = log(-1) }\n    state { V : volt }\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, InvalidValue, "2:22", "log(-1)");
}

}  // namespace
}  // namespace snn
