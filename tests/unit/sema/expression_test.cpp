// The expression rules: names, units, dimensions, conditions, builtins. Each test asserts the
// kind of the diagnostic and the exact place it points at.
#include <doctest/doctest.h>

#include "tests/unit/sema/sema_helpers.h"

namespace snn {
namespace {

using testing::checkText;

// A neuron whose equations are `body`; the common declarations sit on lines 2 to 4.
std::string neuron(const std::string& body) {
  return "neuron M {\n"
         "    parameters { tau = 10 ms;  V_rest = -70 mV;  g = 10 nS;  n = 3 }\n"
         "    state { V : volt;  I : amp;  m : 1 }\n"
         "    equations {\n" +
         body +
         "\n"
         "    }\n"
         "}\n";
}

TEST_CASE("an undefined name is reported with the closest names in scope") {
  auto c = checkText(neuron("        dV/dt = (V_rset - V) / tua"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 2);
  const auto& first = c->diags.all()[0];
  CHECK(first.kind == DiagnosticKind::UndefinedName);
  CHECK(c->at(first.range) == "5:18");
  CHECK(c->text(first.range) == "V_rset");
  CHECK(c->hasNote(first, "did you mean `V_rest`?"));
  const auto& second = c->diags.all()[1];
  CHECK(c->text(second.range) == "tua");
  CHECK(c->hasNote(second, "`tau`"));
}

TEST_CASE("an unknown function is reported with a suggestion") {
  auto c = checkText(neuron("        dV/dt = -V / tau * expp(m)"));
  CHECK_ONLY_DIAGNOSTIC(c, UndefinedFunction, "5:28", "expp");
  CHECK(c->hasNote(c->diags.all()[0], "did you mean `exp`?"));
}

TEST_CASE("calling a variable names what it is") {
  auto c = checkText(neuron("        dV/dt = -V / tau(1)"));
  CHECK_ONLY_DIAGNOSTIC(c, UndefinedFunction, "5:22", "tau");
  CHECK(c->hasNote(c->diags.all()[0], "`tau` is a parameter, not a function"));
}

TEST_CASE("an unknown unit in a declaration is reported with unit suggestions") {
  auto c = checkText("neuron M {\n    state { V : volts;  W : mV/msec }\n}\n");
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 2);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::UnknownUnit);
  CHECK(c->at(c->diags.all()[0].range) == "2:17");
  CHECK(c->text(c->diags.all()[0].range) == "volts");
  CHECK(c->hasNote(c->diags.all()[0], "`volt`"));
  CHECK(c->text(c->diags.all()[1].range) == "msec");
}

TEST_CASE("a unit that continues with a variable's name is ambiguous") {
  auto c = checkText(neuron("        dV/dt = -(V - 5 mV * m) / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, AmbiguousUnit, "5:30", "m");
  const auto& d = c->diags.all()[0];
  CHECK(d.message ==
        "`m` after a number is read as the unit `metre`, but it is also a variable here");
  CHECK(c->hasNote(d, "write `(5 mV) * m` to multiply by the variable"));
}

TEST_CASE("a unit that continues with a built-in variable's name is ambiguous too") {
  auto c = checkText(neuron("        dV/dt = -(V - 5 mV / N) / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, AmbiguousUnit, "5:30", "N");
  CHECK(c->hasNote(c->diags.all()[0], "write `(5 mV) / N` to divide by the variable"));
}

TEST_CASE("a name right after a number is a unit even when a variable has its name") {
  // `2 m` is two metres; `m` the variable is not involved, so this is a dimension error.
  auto c = checkText(neuron("        dm/dt = (2 m - m) / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, DimensionMismatch, "5:22", "-");
}

TEST_CASE("adding quantities of different dimensions points at the operator, with declarations") {
  auto c = checkText(neuron("        dV/dt = (V_rest - V + I) / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, DimensionMismatch, "5:29", "+");
  const auto& d = c->diags.all()[0];
  CHECK(d.message ==
        "cannot add these: the left side has dimension `volt` but the right side has dimension "
        "`amp`");
  CHECK(c->hasNote(d, "`V` declared here with unit `volt`"));
  CHECK(c->hasNote(d, "`I` declared here with unit `amp`"));
}

TEST_CASE("comparing a voltage with a bare number suggests a unit") {
  auto c =
      checkText(neuron("        dV/dt = -V / tau\n    }\n    threshold V > 0\n    equations {"));
  CHECK_ONLY_DIAGNOSTIC(c, DimensionMismatch, "7:17", ">");
  CHECK(c->hasNote(c->diags.all()[0], "write the unit after the number: `0 volt`"));
}

TEST_CASE("functions of dimensionless arguments reject dimensions") {
  auto c = checkText(neuron("        dm/dt = exp(V) / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, NotDimensionless, "5:21", "V");
  CHECK(c->diags.all()[0].message == "argument of `exp` must be dimensionless, found `volt`");
}

TEST_CASE("clip needs arguments of one dimension") {
  auto c = checkText(neuron("        dV/dt = clip(V, V_rest, 1 nA) / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, DimensionMismatch, "5:33", "1 nA");
}

TEST_CASE("a builtin called with the wrong number of arguments") {
  auto c = checkText(neuron("        dV/dt = clip(V, V_rest) / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, WrongArgumentCount, "5:17", "clip(V, V_rest)");
  CHECK(c->diags.all()[0].message == "`clip` takes 3 argument(s), 2 given");
}

TEST_CASE("min and max with two arguments are elementwise in model code") {
  auto c = checkText(neuron("        dV/dt = (max(V, V_rest) - min(V, -80 mV)) / tau"));
  CHECK_CLEAN(c);
}

TEST_CASE("a named argument to a model function is unknown") {
  auto c = checkText(neuron("        dV/dt = -V / tau * exp(x = m)"));
  CHECK_ONLY_DIAGNOSTIC(c, UnknownArgument, "5:32", "x");
}

TEST_CASE("sqrt halves exponents; sign is dimensionless; abs keeps the dimension") {
  auto c =
      checkText(neuron("        dV/dt = (sqrt(V * V) * sign(I) + abs(V_rest) - floor(V)) / tau"));
  CHECK_CLEAN(c);
}

TEST_CASE("a quantity with a dimension needs a constant exponent") {
  auto c = checkText(neuron("        dV/dt = V ** n / (tau * V ** 2)"));
  CHECK_ONLY_DIAGNOSTIC(c, NonConstantExponent, "5:22", "n");
}

TEST_CASE("a dimensionless base takes any dimensionless exponent") {
  auto c = checkText(neuron("        dm/dt = (m ** n + 2 ** (V / V_rest)) / tau"));
  CHECK_CLEAN(c);
}

TEST_CASE("an exponent with a dimension is an error") {
  auto c = checkText(neuron("        dm/dt = m ** V / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, NotDimensionless, "5:22", "V");
}

TEST_CASE("a condition in arithmetic") {
  auto c = checkText(neuron("        dV/dt = (V > V_rest) * V / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, BooleanInArithmetic, "5:18", "V > V_rest");
}

TEST_CASE("and/or/not take conditions") {
  auto c = checkText(
      neuron("        dV/dt = -V / tau\n    }\n    threshold V > V_rest and m\n    equations {"));
  CHECK_ONLY_DIAGNOSTIC(c, ConditionNotBoolean, "7:30", "m");
  CHECK(c->diags.all()[0].message ==
        "the right operand of `and` must be a condition (a comparison), found a value of dimension "
        "`1`");
}

TEST_CASE("an erroneous sub-expression silences the errors that follow from it") {
  // `undefined` is reported; the sum with V, the division and the derivative check are not.
  auto c = checkText(neuron("        dV/dt = (undefined + V + I) / tau / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, UndefinedName, "5:18", "undefined");
}

TEST_CASE("independent errors are all reported in one run") {
  auto c = checkText(
      neuron("        dV/dt = (a + V) / tau\n        dm/dt = exp(V) / tau\n        x = b"));
  INFO(c->all());
  CHECK(c->count(DiagnosticKind::UndefinedName) == 2);
  CHECK(c->count(DiagnosticKind::NotDimensionless) == 1);
}

TEST_CASE("white noise outside differential equations") {
  auto c = checkText(neuron("        dV/dt = -V / tau\n        s = xi * sqrt(ms)"));
  CHECK_ONLY_DIAGNOSTIC(c, NoiseNotAllowed, "6:13", "xi");
}

TEST_CASE("j is not available in a neuron model") {
  auto c = checkText(neuron("        dm/dt = j / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, NotAvailableHere, "5:17", "j");
  CHECK(c->diags.all()[0].message == "`j` cannot be used in a neuron model");
}

TEST_CASE("recordings and analyses are not numbers in model code") {
  auto c = checkText(neuron("        dm/dt = spikes(m) / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, NotAvailableHere, "5:17", "spikes");
  CHECK(c->diags.all()[0].message == "`spikes()` cannot be used in a neuron model");
}

TEST_CASE("i, N, t, dt and lastspike are available in neuron models") {
  auto c = checkText(neuron("        dm/dt = (i / N + (t - lastspike) / dt) / tau"));
  CHECK_CLEAN(c);
}

TEST_CASE("pre. and post. outside a synapse") {
  auto c = checkText(neuron("        dV/dt = (post.V - V) / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, PrePostOutsideSynapse, "5:18", "post");
}

TEST_CASE("a dotted name other than pre./post. in a model") {
  auto c = checkText(neuron("        dV/dt = (E.V - V) / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, UndefinedName, "5:18", "E.V");
}

TEST_CASE("a list in model code") {
  auto c = checkText(neuron("        dV/dt = [1, 2] * mV / tau"));
  CHECK_ONLY_DIAGNOSTIC(c, InvalidValue, "5:17", "[1, 2]");
}

TEST_CASE("booleans compare with == and !=") {
  auto c = checkText(neuron(
      "        dV/dt = -V / tau\n    }\n    threshold (V > V_rest) == (m > 0.5)\n    equations {"));
  CHECK_CLEAN(c);
}

}  // namespace
}  // namespace snn
