// The symbolic form: built from checked source, printed, compared, simplified, differentiated
// (against hand-derived results and against central finite differences), and evaluated.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <unordered_set>

#include "tests/unit/equations/equations_helpers.h"

namespace snn {
namespace {

using equations::Expr;
using equations::Op;
using equations::Simplify;
using testing::checkText;
using testing::odeRhs;
using testing::stateLeaf;

// A neuron whose equation for x is `dx/dt = (BODY) / ms`, with dimensionless x and y.
std::string functionModel(const std::string& body) {
  return "neuron F {\n    parameters { k = 1.5 }\n    state { x : 1;  y : 1 }\n"
         "    equations {\n        dx/dt = (" +
         body + ") / ms\n        dy/dt = -y / ms\n    }\n}\n";
}

// The `(BODY)` part of functionModel's equation: the rhs is Div(BODY, 1 ms).
Expr functionBody(const testing::Checked& c) {
  Expr rhs = odeRhs(c, "F", "x");
  REQUIRE(rhs->op == Op::Div);
  return rhs->args[0];
}

TEST_CASE("numbers with units become SI constants; names become variables") {
  auto c = checkText(
      "neuron N {\n    parameters { tau = 20 ms;  V_rest = -70 mV }\n"
      "    state { V : volt;  I_ext : volt }\n"
      "    equations { dV/dt = (V_rest - V + I_ext + 2 mV) / tau }\n}\n");
  CHECK_CLEAN(c);
  Expr rhs = odeRhs(*c, "N", "V");
  CHECK(equations::print(rhs) == "(V_rest - V + I_ext + 0.002) / tau");
  REQUIRE(rhs->op == Op::Div);
  CHECK(rhs->args[1]->op == Op::Parameter);
  CHECK(rhs->args[1]->index == 0);
  // Each node made from the source remembers where it was written.
  REQUIRE(rhs->origin != nullptr);
  CHECK(c->text(rhs->origin->range) == "(V_rest - V + I_ext + 2 mV) / tau");
  CHECK(c->text(rhs->args[1]->origin->range) == "tau");
}

TEST_CASE("units, lets and built-in constants are numbers; built-ins and pre/post are leaves") {
  auto c = checkText(
      "let gain = 3\n"
      "synapse S {\n    state { g : 1 }\n"
      "    equations { dg/dt = (gain * pi - g) / ms + post.V / volt / second + t / second**2 }\n"
      "    on pre { g += 1 }\n}\n");
  CHECK_CLEAN(c);
  Expr rhs = odeRhs(*c, "S", "g");
  CHECK(equations::print(rhs) ==
        "(3 * 3.141592653589793 - g) / 0.001 + post.V / 1 / 1 + t / 1 ** 2");
  Expr post =
      equations::findNode(rhs, [](const equations::Node& n) { return n.op == Op::Neighbour; });
  REQUIRE(post);
  CHECK(post->index == 1);
  CHECK(post->name == "V");
  CHECK(equations::dependsOn(rhs, equations::builtinRef(sema::BuiltinVariable::T)));
}

TEST_CASE("sub-expressions are inlined, once: both uses are the same node") {
  auto c = checkText(
      "neuron N {\n    state { V : volt }\n"
      "    equations {\n        dV/dt = (a + a) / ms\n        a = b * 2 : volt\n        b = -V : "
      "volt\n"
      "    }\n}\n");
  CHECK_CLEAN(c);
  Expr rhs = odeRhs(*c, "N", "V");
  CHECK(equations::print(rhs) == "(-V * 2 + -V * 2) / 0.001");
  REQUIRE(rhs->args[0]->op == Op::Add);
  CHECK(rhs->args[0]->args[0].get() == rhs->args[0]->args[1].get());
  // The inlined nodes point into the sub-expression's definition.
  CHECK(c->text(rhs->args[0]->args[0]->origin->range) == "b * 2");
}

TEST_CASE("timed arrays and random numbers") {
  auto c = checkText(
      "let drive = timed([0, 1, 2] * mV, dt = 1 ms)\n"
      "neuron N {\n    state { V : volt }\n"
      "    equations { dV/dt = (drive(t) - V + rand() * mV + rand() * mV) / ms }\n}\n");
  CHECK_CLEAN(c);
  Expr rhs = odeRhs(*c, "N", "V");
  CHECK(equations::print(rhs) == "(drive(t) - V + rand() * 0.001 + rand() * 0.001) / 0.001");
  Expr timed =
      equations::findNode(rhs, [](const equations::Node& n) { return n.op == Op::TimedArray; });
  REQUIRE(timed);
  REQUIRE(timed->let != nullptr);
  CHECK(timed->let->values.size() == 3);
  // Two calls of rand() are two different numbers: never equal, never merged.
  std::vector<Expr> draws;
  equations::forEachNode(rhs, [&](const Expr& n) {
    if (n->isRandom()) draws.push_back(n);
  });
  REQUIRE(draws.size() == 2);
  CHECK_FALSE(draws[0] == draws[1]);
}

TEST_CASE("structural equality and hashing ignore where a node came from") {
  Expr v = equations::stateRef(0, "V");
  Expr a = v + equations::constant(1);
  Expr b = equations::stateRef(0, "V") + equations::constant(1);
  CHECK(a == b);
  CHECK(a.hash() == b.hash());
  CHECK_FALSE(a == equations::constant(1) + v);
  CHECK_FALSE(a == v + equations::constant(2));
  CHECK_FALSE(equations::stateRef(0, "V") == equations::stateRef(1, "V"));
  CHECK_FALSE(equations::stateRef(0, "V") == equations::parameterRef(0, "V"));
  // -0 and +0 are different doubles.
  CHECK_FALSE(equations::constant(0.0) == equations::constant(-0.0));
  CHECK(equations::noiseRef("xi_1") == equations::noiseRef("xi_1"));
  CHECK_FALSE(equations::noiseRef("xi_1") == equations::noiseRef("xi_2"));
  CHECK_FALSE(equations::neighbourRef(true, "V") == equations::neighbourRef(false, "V"));
  std::unordered_set<Expr, equations::ExprHash> set{a, b, v};
  CHECK(set.size() == 2);
}

TEST_CASE("printing puts parentheses only where precedence needs them") {
  Expr x = equations::stateRef(0, "x"), y = equations::stateRef(1, "y");
  auto c = [](double v) { return equations::constant(v); };
  CHECK(equations::print(x - (y - x)) == "x - (y - x)");
  CHECK(equations::print((x - y) - x) == "x - y - x");
  CHECK(equations::print(x / (y * x)) == "x / (y * x)");
  CHECK(equations::print(-(x * y)) == "-(x * y)");
  CHECK(equations::print(-equations::pow(x, c(2))) == "-x ** 2");
  CHECK(equations::print(equations::pow(-x, c(2))) == "(-x) ** 2");
  CHECK(equations::print(equations::pow(equations::pow(x, y), c(2))) == "(x ** y) ** 2");
  CHECK(equations::print(equations::pow(x, equations::pow(y, c(2)))) == "x ** y ** 2");
  CHECK(equations::print(equations::pow(x, c(-1))) == "x ** -1");
  CHECK(equations::print(-(-x)) == "-(-x)");
  CHECK(equations::print(x * c(-2)) == "x * -2");
  CHECK(equations::print(c(-2) * x) == "-2 * x");
  CHECK(equations::print(equations::binary(Op::Lt, x + y, c(1))) == "x + y < 1");
  CHECK(equations::print(c(std::numeric_limits<double>::infinity())) == "inf");
}

TEST_CASE(
    "exact simplification folds constants and keeps every identity that could change a double") {
  Expr x = equations::stateRef(0, "x");
  auto c = [](double v) { return equations::constant(v); };
  CHECK(equations::print(equations::simplify(c(2) * c(3) + x)) == "6 + x");
  CHECK(equations::simplify(x * c(1)) == x);
  CHECK(equations::simplify(c(1) * x) == x);
  CHECK(equations::simplify(x / c(1)) == x);
  CHECK(equations::simplify(x - c(0)) == x);
  CHECK(equations::simplify(equations::pow(x, c(1))) == x);
  CHECK(equations::simplify(-(-x)) == x);
  CHECK(equations::simplify(equations::call(sema::BuiltinFunction::Exp, {c(0)})) == c(1));
  // Not applied: x + 0 is +0 for x = -0; x * 0 is NaN for x = inf.
  CHECK(equations::print(equations::simplify(x + c(0))) == "x + 0");
  CHECK(equations::print(equations::simplify(x * c(0))) == "x * 0");
  CHECK(equations::print(equations::simplify(c(0) - x)) == "0 - x");
  // ... and so evaluating the simplified form gives the same double as the original.
  const double inf = std::numeric_limits<double>::infinity();
  auto at = [](double v) {
    return [v](const equations::Node&, std::span<const double>) { return v; };
  };
  CHECK(std::isnan(equations::evaluate(equations::simplify(x * c(0)), at(inf))));
  CHECK(std::signbit(equations::evaluate(equations::simplify(x - c(0)), at(-0.0))));
  // rand() is never folded.
  Expr r = equations::call(sema::BuiltinFunction::Rand, {}, nullptr, 1);
  CHECK(equations::simplify(r * c(1)) == r);
}

TEST_CASE("algebraic simplification applies the identities of real numbers") {
  Expr x = equations::stateRef(0, "x"), y = equations::stateRef(1, "y");
  auto c = [](double v) { return equations::constant(v); };
  auto alg = [](const Expr& e) {
    return equations::print(equations::simplify(e, Simplify::Algebraic));
  };
  CHECK(alg(x + c(0)) == "x");
  CHECK(alg(c(0) + x) == "x");
  CHECK(alg(x * c(0) + y) == "y");
  CHECK(alg(c(0) - x) == "-x");
  CHECK(alg(x - x) == "0");
  CHECK(alg(x / x) == "1");
  CHECK(alg(c(0) / x) == "0");
  CHECK(alg(x * c(2) * c(3)) == "6 * x");
  CHECK(alg(c(2) * (c(3) * x)) == "6 * x");
  CHECK(alg(x + -y) == "x - y");
  CHECK(alg(x - -y) == "x + y");
  CHECK(alg(-x * y) == "-(x * y)");
  CHECK(alg((c(2) * x) / y) == "2 * (x / y)");
  CHECK(alg(equations::pow(equations::pow(x, c(2)), c(3))) == "x ** 6");
  CHECK(alg(equations::pow(x, c(0))) == "1");
}

TEST_CASE("derivatives against hand-derived results") {
  auto c = checkText(
      "neuron N {\n    parameters { tau = 20 ms;  V_rest = -70 mV;  V_T = -50 mV;  D = 2 mV }\n"
      "    state { V : volt;  w : volt }\n"
      "    equations {\n"
      "        dV/dt = (V_rest - V + D * exp((V - V_T) / D) - w) / tau\n"
      "        dw/dt = (V * V / mV - w) / tau\n"
      "    }\n}\n");
  CHECK_CLEAN(c);
  Expr V = stateLeaf(*c, "N", "V"), w = stateLeaf(*c, "N", "w");
  Expr dv = odeRhs(*c, "N", "V");
  CHECK(equations::print(equations::differentiate(dv, w)) == "-1 / tau");
  CHECK(equations::print(equations::differentiate(dv, V)) ==
        "(-1 + D * (exp((V - V_T) / D) * (1 / D))) / tau");
  Expr dw = odeRhs(*c, "N", "w");
  CHECK(equations::print(equations::differentiate(dw, V)) == "2000 * (V / tau)");
  CHECK(equations::print(equations::differentiate(dw, w)) == "-1 / tau");
  // Not depending on the variable: 0.
  CHECK(equations::differentiate(dw, equations::parameterRef(1, "V_rest")) ==
        equations::constant(0));
  CHECK(equations::dependsOn(dv, V));
  CHECK_FALSE(equations::dependsOn(dw, equations::parameterRef(1, "V_rest")));

  Expr x = equations::stateRef(0, "x");
  auto k = [](double v) { return equations::constant(v); };
  CHECK(equations::print(equations::differentiate(equations::pow(x, k(3)), x)) == "3 * x ** 2");
  CHECK(equations::print(equations::differentiate(
            equations::call(sema::BuiltinFunction::Exp, {k(2) * x}), x)) == "2 * exp(2 * x)");
  CHECK(equations::print(equations::differentiate(equations::call(sema::BuiltinFunction::Sin, {x}),
                                                  x)) == "cos(x)");
  CHECK(equations::print(equations::differentiate(equations::call(sema::BuiltinFunction::Log, {x}),
                                                  x)) == "1 / x");
}

TEST_CASE("derivatives against central finite differences at random points") {
  const std::vector<std::string> bodies = {
      "x**3 - 2 * x * y + k * y",
      "exp(-x * y) * sin(x) + cos(x**2)",
      "log(1 + x**2) + sqrt(2 + x) + tan(x / 3)",
      "sinh(x) - cosh(y * x) + tanh(x)",
      "arcsin(x / 4) + arccos(x / 5) + arctan(x)",
      "exprel(x) + exprel(-2 * x)",
      "abs(x - 0.3) + min(x, y) + max(x, 2 * y) + clip(x, 0.2, 0.6) + clip(2, x, 3)",
      "(2 + x) ** (y + x)",
      "log10(3 + x) + x ** -1.5 + x**0.5",
      "x % 0.7 + y % x",
      "floor(3 * x) + ceil(x) + sign(x - 0.5) + int(4 * x)",
      "x / (1 + y**2 + x**2) - (x - y) / (x + y)",
      "-(x * k) ** 2 / x",
  };
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> unit(0.05, 0.95);
  for (const auto& body : bodies) {
    CAPTURE(body);
    auto c = checkText(functionModel(body));
    CHECK_CLEAN(c);
    Expr f = functionBody(*c);
    Expr x = stateLeaf(*c, "F", "x");
    Expr y = stateLeaf(*c, "F", "y");
    Expr dfdx = equations::differentiate(f, x);
    Expr dfdy = equations::differentiate(f, y);
    CAPTURE(equations::print(dfdx));
    CAPTURE(equations::print(dfdy));
    testing::Values values{&c->checkedModel("F"), {}};
    for (int trial = 0; trial < 20; ++trial) {
      const double px = unit(rng), py = unit(rng), h = 1e-6;
      auto at = [&](double vx, double vy) {
        values.named = {{"x", vx}, {"y", vy}};
        return testing::eval(f, values);
      };
      const double fd_x = (at(px + h, py) - at(px - h, py)) / (2 * h);
      const double fd_y = (at(px, py + h) - at(px, py - h)) / (2 * h);
      values.named = {{"x", px}, {"y", py}};
      const double sym_x = testing::eval(dfdx, values);
      const double sym_y = testing::eval(dfdy, values);
      CAPTURE(px);
      CAPTURE(py);
      CHECK(sym_x == doctest::Approx(fd_x).epsilon(1e-5));
      CHECK(sym_y == doctest::Approx(fd_y).epsilon(1e-5));
    }
  }
}

TEST_CASE("substitution and evaluation") {
  auto c = checkText(functionModel("x * y + exp(x)"));
  CHECK_CLEAN(c);
  Expr f = functionBody(*c);
  Expr x = stateLeaf(*c, "F", "x");
  Expr g = equations::substitute(f, x, equations::constant(0));
  CHECK(equations::print(g) == "0 * y + exp(0)");
  CHECK(equations::print(equations::simplify(g, Simplify::Algebraic)) == "1");
  testing::Values values{&c->checkedModel("F"), {{"x", 0.5}, {"y", 2.0}}};
  CHECK(testing::eval(f, values) == doctest::Approx(1.0 + std::exp(0.5)));
}

TEST_CASE("scalar semantics follow the IR: Python's modulo, NaN through min and max") {
  using equations::applyOperator;
  CHECK(applyOperator(Op::Mod, -1, 3) == 2);
  CHECK(applyOperator(Op::Mod, 1, -3) == -2);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double args[] = {nan, 1.0};
  CHECK(std::isnan(equations::applyFunction(sema::BuiltinFunction::Min, args)));
  const double zero[] = {0.0};
  CHECK(equations::applyFunction(sema::BuiltinFunction::Exprel, zero) == 1.0);
  const double small[] = {1e-10};
  CHECK(equations::applyFunction(sema::BuiltinFunction::Exprel, small) ==
        doctest::Approx(1.0 + 5e-11));
}

}  // namespace
}  // namespace snn
