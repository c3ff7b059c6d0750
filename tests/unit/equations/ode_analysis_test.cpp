// Linearity, conditional linearity and noise of ODE sets: A and b extracted and evaluated for
// LIF, an alpha synapse and a coupled 3x3 system; HH's gating equations conditionally linear;
// the reasons given when a property does not hold.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "tests/unit/equations/equations_helpers.h"

namespace snn {
namespace {

using equations::analyzeModel;
using equations::Expr;
using equations::NoiseKind;
using testing::checkText;
using testing::eval;
using testing::parameterValue;

// A X + b must equal the drift at any X: the extraction loses nothing.
void checkReassembles(const equations::SystemAnalysis& s, testing::Values values,
                      const std::vector<std::string>& names) {
  REQUIRE(s.linear);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-0.1, 0.1);
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<double> x;
    for (const auto& n : names) {
      x.push_back(u(rng));
      values.named[n] = x.back();
    }
    for (std::size_t i = 0; i < s.odes.size(); ++i) {
      double sum = eval(s.linear->b[i], values);
      for (std::size_t j = 0; j < s.odes.size(); ++j) sum += eval(s.linear->A[i][j], values) * x[j];
      CHECK(sum == doctest::Approx(eval(s.odes[i].drift, values)).epsilon(1e-12));
    }
  }
}

TEST_CASE("LIF: linear with constant coefficients; A and b evaluated") {
  auto c = checkText(testing::readSourceFile("stdlib/neurons.snn"));
  CHECK_CLEAN(c);
  const auto& m = c->checkedModel("LIF");
  auto a = analyzeModel(c->program, m);
  const auto& s = a.clock_driven;
  CHECK(a.event_driven.empty());
  REQUIRE(s.odes.size() == 2);
  CHECK(s.odes[0].name == "V");
  CHECK(s.odes[1].name == "I_syn");
  CHECK(s.noise == NoiseKind::None);
  REQUIRE(s.linear);
  CHECK_FALSE(s.not_linear);
  CHECK(s.conditionally_linear);

  const double tau = parameterValue(m, "tau"), tau_syn = parameterValue(m, "tau_syn");
  const double V_rest = parameterValue(m, "V_rest");
  testing::Values values{&m, {{"I_ext", 0.005}, {"I_in", 0.001}}};
  const auto& A = s.linear->A;
  CHECK(eval(A[0][0], values) == doctest::Approx(-1 / tau));
  CHECK(eval(A[0][1], values) == doctest::Approx(1 / tau));
  CHECK(eval(A[1][0], values) == 0);
  CHECK(eval(A[1][1], values) == doctest::Approx(-1 / tau_syn));
  CHECK(eval(s.linear->b[0], values) == doctest::Approx((V_rest + 0.005 + 0.001) / tau));
  CHECK(eval(s.linear->b[1], values) == 0);
  CHECK(equations::print(A[0][0]) == "-1 / tau");
  CHECK(equations::print(A[1][1]) == "-1 / tau_syn");
  CHECK(equations::print(s.linear->b[0]) == "(V_rest + I_ext + I_in) / tau");
  checkReassembles(s, values, {"V", "I_syn"});
}

TEST_CASE("alpha synapse: a coupled linear system") {
  auto c = checkText(testing::readSourceFile("stdlib/synapses.snn"));
  CHECK_CLEAN(c);
  const auto& m = c->checkedModel("AlphaCurrent");
  auto a = analyzeModel(c->program, m);
  const auto& s = a.clock_driven;
  REQUIRE(s.odes.size() == 2);
  CHECK(s.odes[0].name == "I");
  CHECK(s.odes[1].name == "x");
  REQUIRE(s.linear);
  const double tau = parameterValue(m, "tau");
  testing::Values values{&m, {{"w", 0.0005}}};
  const auto& A = s.linear->A;
  CHECK(eval(A[0][0], values) == doctest::Approx(-1 / tau));
  CHECK(eval(A[0][1], values) == doctest::Approx(1 / tau));
  CHECK(eval(A[1][0], values) == 0);
  CHECK(eval(A[1][1], values) == doctest::Approx(-1 / tau));
  CHECK(eval(s.linear->b[0], values) == 0);
  CHECK(eval(s.linear->b[1], values) == 0);
  checkReassembles(s, values, {"I", "x"});
}

TEST_CASE("a 3x3 coupled system with an input and a constant term") {
  auto c = checkText(
      "neuron C3 {\n"
      "    parameters { a = 2 ms;  b = 5 ms;  c = 3 ms;  k = 0.5 }\n"
      "    state { x : volt;  y : volt;  z : volt;  u : volt }\n"
      "    equations {\n"
      "        dx/dt = (-x + k * y) / a\n"
      "        dy/dt = (x - y - z + u) / b\n"
      "        dz/dt = (2 * x - z) / c + 1 mV/ms\n"
      "    }\n}\n");
  CHECK_CLEAN(c);
  const auto& m = c->checkedModel("C3");
  auto an = analyzeModel(c->program, m);
  const auto& s = an.clock_driven;
  REQUIRE(s.linear);
  const double a = 2e-3, b = 5e-3, cc = 3e-3, k = 0.5, u = 0.004;
  testing::Values values{&m, {{"u", u}}};
  const double expected[3][3] = {{-1 / a, k / a, 0}, {1 / b, -1 / b, -1 / b}, {2 / cc, 0, -1 / cc}};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      CAPTURE(i);
      CAPTURE(j);
      CHECK(eval(s.linear->A[i][j], values) == doctest::Approx(expected[i][j]));
    }
  CHECK(eval(s.linear->b[0], values) == 0);
  CHECK(eval(s.linear->b[1], values) == doctest::Approx(u / b));
  CHECK(eval(s.linear->b[2], values) == doctest::Approx(1.0));  // 1 mV/ms = 1 V/s
  checkReassembles(s, values, {"x", "y", "z"});
}

TEST_CASE("HH: the gating equations are conditionally linear, the system is not linear") {
  auto c = checkText(testing::readSourceFile("stdlib/neurons.snn"));
  CHECK_CLEAN(c);
  const auto& m = c->checkedModel("HH");
  auto a = analyzeModel(c->program, m);
  const auto& s = a.clock_driven;
  REQUIRE(s.odes.size() == 5);
  CHECK_FALSE(s.linear);
  REQUIRE(s.not_linear);
  CHECK(s.not_linear->reason == "`m` appears in `m ** 3`, which is not linear in `m`");
  CHECK(c->text(s.not_linear->term->origin->range) == "m**3");
  CHECK(s.conditionally_linear);

  // dm/dt = alpha_m (1 - m) - beta_m m: a = -(alpha_m + beta_m), b = alpha_m.
  const double V = -0.060;   // -60 mV
  const double v = V * 1e3;  // in mV
  auto exprel = [](double x) { return std::expm1(x) / x; };
  const double alpha_m = 1e3 * 1.0 / exprel(-(v + 40) / 10);
  const double beta_m = 1e3 * 4 * std::exp(-(v + 65) / 18);
  const double alpha_h = 1e3 * 0.07 * std::exp(-(v + 65) / 20);
  const double beta_h = 1e3 / (std::exp(-(v + 35) / 10) + 1);
  testing::Values values{
      &m, {{"V", V}, {"m", 0.1}, {"h", 0.6}, {"n", 0.3}, {"I_ext", 0}, {"I_syn", 0}}};
  REQUIRE(s.odes[1].name == "m");
  REQUIRE(s.odes[1].conditionally_linear);
  CHECK(eval(s.odes[1].conditionally_linear->a, values) == doctest::Approx(-(alpha_m + beta_m)));
  CHECK(eval(s.odes[1].conditionally_linear->b, values) == doctest::Approx(alpha_m));
  REQUIRE(s.odes[2].conditionally_linear);
  CHECK(eval(s.odes[2].conditionally_linear->a, values) == doctest::Approx(-(alpha_h + beta_h)));
  CHECK(eval(s.odes[2].conditionally_linear->b, values) == doctest::Approx(alpha_h));
  // V is linear in V for given gates: a = -(g_L + g_Na m^3 h + g_K n^4) / C_m.
  const double g = parameterValue(m, "g_L") + parameterValue(m, "g_Na") * 0.001 * 0.6 +
                   parameterValue(m, "g_K") * std::pow(0.3, 4);
  REQUIRE(s.odes[0].conditionally_linear);
  CHECK(eval(s.odes[0].conditionally_linear->a, values) ==
        doctest::Approx(-g / parameterValue(m, "C_m")));
  CHECK_FALSE(
      equations::dependsOn(s.odes[0].conditionally_linear->a, testing::stateLeaf(*c, "HH", "V")));
}

TEST_CASE("AdEx and Izhikevich are not conditionally linear; the reason names the term") {
  auto c = checkText(testing::readSourceFile("stdlib/neurons.snn"));
  CHECK_CLEAN(c);
  auto adex = analyzeModel(c->program, c->checkedModel("AdEx"));
  CHECK_FALSE(adex.clock_driven.conditionally_linear);
  REQUIRE(adex.clock_driven.not_conditionally_linear);
  CHECK(adex.clock_driven.not_conditionally_linear->reason ==
        "`V` appears in `exp((V - V_T) / Delta_T)`, which is not linear in `V`");
  CHECK(adex.clock_driven.odes[1].conditionally_linear);  // w
  auto izh = analyzeModel(c->program, c->checkedModel("Izhikevich"));
  REQUIRE(izh.clock_driven.not_conditionally_linear);
  CHECK(izh.clock_driven.not_conditionally_linear->reason ==
        "`v` appears in `v ** 2`, which is not linear in `v`");
}

TEST_CASE("LIFCond: linear in V for given conductances, but a product of two variables") {
  auto c = checkText(testing::readSourceFile("stdlib/neurons.snn"));
  auto a = analyzeModel(c->program, c->checkedModel("LIFCond"));
  REQUIRE(a.clock_driven.not_linear);
  CHECK(a.clock_driven.not_linear->reason ==
        "`g_e * (E_e - V)` multiplies `g_e` by `V`, which is not linear");
  CHECK(a.clock_driven.conditionally_linear);
}

TEST_CASE("what breaks constant coefficients: t, timed arrays, rand()") {
  auto c = checkText(
      "let drive = timed([0, 1] * mV, dt = 1 ms)\n"
      "neuron T { state { V : volt }  equations { dV/dt = -V * (1 + t / second) / ms } }\n"
      "neuron D { state { V : volt }  equations { dV/dt = (drive(t) - V) / ms } }\n"
      "neuron R { state { V : volt }  equations { dV/dt = (rand() * mV - V) / ms } }\n"
      "neuron I { state { V : volt;  I_ext : volt }  equations { dV/dt = (I_ext - V) * i / ms } "
      "}\n");
  CHECK_CLEAN(c);
  auto t = analyzeModel(c->program, c->checkedModel("T"));
  REQUIRE(t.clock_driven.not_linear);
  CHECK(t.clock_driven.not_linear->reason == "it depends on the time `t`");
  CHECK(t.clock_driven.conditionally_linear);
  auto d = analyzeModel(c->program, c->checkedModel("D"));
  REQUIRE(d.clock_driven.not_linear);
  CHECK(d.clock_driven.not_linear->reason == "it depends on `drive(t)`, which changes with time");
  CHECK(c->text(d.clock_driven.not_linear->term->origin->range) == "drive(t)");
  auto r = analyzeModel(c->program, c->checkedModel("R"));
  REQUIRE(r.clock_driven.not_linear);
  CHECK(r.clock_driven.not_linear->reason == "it uses `rand()`, a new random number at every step");
  // States without an equation and built-ins like i are constant over a step.
  auto in = analyzeModel(c->program, c->checkedModel("I"));
  CHECK(in.clock_driven.linear);
}

TEST_CASE("noise: split into drift and factors; additive or multiplicative") {
  auto c = checkText(
      "neuron OU {\n    parameters { tau = 10 ms;  sigma = 2 mV }\n    state { V : volt }\n"
      "    equations { dV/dt = -V / tau + sigma * xi * sqrt(2 / tau) }\n}\n"
      "neuron Two {\n    parameters { tau = 10 ms }\n    state { V : volt;  w : volt }\n"
      "    equations {\n        dV/dt = -V / tau + mV * (xi_1 - 2 * xi_2) / sqrt(tau)\n"
      "        dw/dt = -w / tau + w * xi_2 / sqrt(tau)\n    }\n}\n"
      "neuron Timed {\n    parameters { tau = 10 ms }\n    state { V : volt }\n"
      "    equations { dV/dt = -V / tau + mV * (t / second) * xi / sqrt(tau) }\n}\n"
      "neuron Input {\n    parameters { tau = 10 ms }\n    state { V : volt;  s : volt }\n"
      "    equations { dV/dt = -V / tau + s * xi / sqrt(tau) }\n}\n");
  CHECK_CLEAN(c);
  const auto& ou = c->checkedModel("OU");
  auto a = analyzeModel(c->program, ou);
  const auto& s = a.clock_driven;
  CHECK(s.noise == NoiseKind::Additive);
  REQUIRE(s.odes[0].noise.size() == 1);
  CHECK(s.odes[0].noise[0].source == "xi");
  testing::Values values{&ou, {{"V", 0.01}}};
  CHECK(eval(s.odes[0].noise[0].factor, values) == doctest::Approx(0.002 * std::sqrt(2 / 0.01)));
  CHECK(equations::print(s.odes[0].drift) == "-(V / tau)");
  REQUIRE(s.first_noise);
  CHECK(c->text(s.first_noise->term->origin->range) == "xi");
  CHECK(s.linear);  // the drift is

  auto two = analyzeModel(c->program, c->checkedModel("Two"));
  CHECK(two.clock_driven.noise == NoiseKind::Multiplicative);
  REQUIRE(two.clock_driven.odes[0].noise.size() == 2);
  testing::Values v2{&c->checkedModel("Two"), {}};
  CHECK(eval(two.clock_driven.odes[0].noise[1].factor, v2) == doctest::Approx(-2 * 0.001 / 0.1));
  REQUIRE(two.clock_driven.multiplicative);
  CHECK(two.clock_driven.multiplicative->reason == "the factor of `xi_2` depends on `w`");

  auto timed = analyzeModel(c->program, c->checkedModel("Timed"));
  CHECK(timed.clock_driven.noise == NoiseKind::Multiplicative);
  CHECK(timed.clock_driven.multiplicative->reason == "the factor of `xi` depends on the time `t`");
  // A state without an equation is an input: the noise stays additive.
  auto input = analyzeModel(c->program, c->checkedModel("Input"));
  CHECK(input.clock_driven.noise == NoiseKind::Additive);
}

TEST_CASE("noise that does not enter linearly") {
  auto c = checkText(
      "neuron N {\n    state { V : volt }\n"
      "    equations { dV/dt = -V / ms + mV / ms * (xi * sqrt(ms)) ** 2 }\n}\n");
  CHECK_CLEAN(c);
  auto a = analyzeModel(c->program, c->checkedModel("N"));
  REQUIRE(a.clock_driven.nonlinear_noise.size() == 1);
  CHECK(a.clock_driven.nonlinear_noise[0].reason ==
        "`xi` appears in `(xi * sqrt(ms)) ** 2`, which is not linear in `xi`");
  CHECK(c->text(a.clock_driven.nonlinear_noise[0].term->origin->range) == "(xi * sqrt(ms)) ** 2");
}

TEST_CASE("synapses: clock-driven and event-driven ODEs are separate sets") {
  auto c = checkText(
      "synapse S {\n    parameters { tau = 5 ms }\n    state { g : 1;  A : 1;  w : 1 }\n"
      "    equations {\n        dg/dt = -g / tau + A / tau (clock-driven)\n"
      "        dA/dt = -A / tau (event-driven)\n        post.I_in = g * (post.V - 0 mV) : volt "
      "(summed)\n"
      "    }\n    on pre { g += w;  A += 1 }\n}\n");
  CHECK_CLEAN(c);
  auto a = analyzeModel(c->program, c->checkedModel("S"));
  REQUIRE(a.clock_driven.odes.size() == 1);
  REQUIRE(a.event_driven.odes.size() == 1);
  CHECK(a.clock_driven.odes[0].name == "g");
  CHECK(a.event_driven.odes[0].name == "A");
  // From the clock-driven side, the event-driven A is an input: the set is linear.
  REQUIRE(a.clock_driven.linear);
  CHECK(equations::print(a.clock_driven.linear->b[0]) == "A / tau");
  CHECK(a.event_driven.linear);
}

TEST_CASE("affine decomposition on its own") {
  Expr x = equations::stateRef(0, "x"), y = equations::stateRef(1, "y");
  Expr p = equations::parameterRef(0, "p");
  auto k = [](double v) { return equations::constant(v); };
  const Expr vars[] = {x, y};
  auto r = equations::decomposeAffine((p * (x - k(2) * y) + p) / k(4) - -y, vars);
  REQUIRE(std::holds_alternative<equations::Affine>(r));
  auto& affine = std::get<equations::Affine>(r);
  CHECK(equations::print(affine.coefficients[0]) == "0.25 * p");
  CHECK(equations::print(affine.coefficients[1]) == "-0.5 * p + 1");
  CHECK(equations::print(affine.rest) == "0.25 * p");
  auto bad = equations::decomposeAffine(x * (y + k(1)), vars);
  REQUIRE(std::holds_alternative<equations::NonLinearity>(bad));
  auto& nl = std::get<equations::NonLinearity>(bad);
  CHECK(nl.variable == 0);
  REQUIRE(nl.other);
  CHECK(*nl.other == 1);
  auto pow1 = equations::decomposeAffine(equations::pow(x + y, k(1)), vars);
  CHECK(std::holds_alternative<equations::Affine>(pow1));
  auto div = equations::decomposeAffine(p / (x + k(1)), vars);
  REQUIRE(std::holds_alternative<equations::NonLinearity>(div));
  CHECK(equations::print(std::get<equations::NonLinearity>(div).term) == "p / (x + 1)");
}

}  // namespace
}  // namespace snn
