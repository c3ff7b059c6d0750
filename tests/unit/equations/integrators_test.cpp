// The integration schemes, evaluated numerically: their order of convergence on nonlinear,
// coupled and time-dependent ODEs, exponential Euler's exactness on linear equations, the
// stochastic schemes' formulas and Heun's strong convergence on geometric Brownian motion.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "compiler/equations/integrators.h"
#include "tests/unit/equations/equations_helpers.h"

namespace snn {
namespace {

using equations::IntegrationStep;
using equations::Method;
using testing::checkText;

struct Problem {
  std::unique_ptr<testing::Checked> c;
  equations::ModelAnalysis analysis;
};

Problem problem(const std::string& text) {
  Problem p;
  p.c = checkText(text);
  INFO(p.c->all());
  REQUIRE(p.c->diags.all().empty());
  p.analysis = equations::analyzeModel(p.c->program, *p.c->program.models.front());
  return p;
}

IntegrationStep step(const Problem& p, Method m, equations::IntegratorOptions options = {}) {
  auto s = equations::integrate(p.analysis.clock_driven, m, options);
  REQUIRE(s);
  return *s;
}

// Runs `steps` steps of dt from t = 0 with the given initial values; `noise` gives the
// standard normal number of each noise source at each step.
std::map<std::string, double> simulate(
    const Problem& p, const IntegrationStep& s, std::map<std::string, double> values, double T,
    int steps, const std::function<double(const std::string&, int)>& noise = nullptr) {
  const double dt = T / steps;
  testing::Values env{p.c->program.models.front().get(), {}};
  for (int n = 0; n < steps; ++n) {
    env.named = values;
    env.named["t"] = n * dt;
    env.named["dt"] = dt;
    if (noise) {
      for (const char* source : {"xi", "xi_1", "xi_2"}) env.named[source] = noise(source, n);
    }
    std::vector<double> next;
    for (const auto& u : s.updates) next.push_back(testing::eval(u.value, env));
    for (std::size_t i = 0; i < s.updates.size(); ++i) values[s.updates[i].name] = next[i];
  }
  return values;
}

// The observed order: log2 of the ratio of errors when the step is halved, at the finest pair.
double observedOrder(const std::function<double(int)>& error, int coarse) {
  return std::log2(error(coarse) / error(2 * coarse));
}

TEST_CASE("convergence order on dx/dt = -x^2: euler 1, rk2 2, rk4 4") {
  auto p =
      problem("neuron N {\n    state { x : 1 = 1 }\n    equations { dx/dt = -x**2 / ms }\n}\n");
  const double T = 1e-3, exact = 0.5;  // x(t) = 1 / (1 + t/ms)
  for (auto [method, order] :
       {std::pair{Method::Euler, 1.0}, std::pair{Method::Rk2, 2.0}, std::pair{Method::Rk4, 4.0}}) {
    CAPTURE(equations::spelling(method));
    IntegrationStep s = step(p, method);
    auto error = [&](int n) { return std::fabs(simulate(p, s, {{"x", 1.0}}, T, n)["x"] - exact); };
    CHECK(observedOrder(error, 20) == doctest::Approx(order).epsilon(0.1));
    CHECK(error(40) < 0.01);
  }
  // Exponential Euler needs an equation linear in x.
  CHECK_FALSE(equations::integrate(p.analysis.clock_driven, Method::ExponentialEuler));
  // exact lives in exact.h, not in integrate().
  CHECK_FALSE(equations::integrate(p.analysis.clock_driven, Method::Exact));
}

TEST_CASE("a coupled system: every variable is updated from the old values") {
  // Rotation: x = cos(t/ms), y = sin(t/ms).
  auto p = problem(
      "neuron R {\n    state { x : 1 = 1;  y : 1 }\n"
      "    equations {\n        dx/dt = -y / ms\n        dy/dt = x / ms\n    }\n}\n");
  const double T = 1e-3;
  IntegrationStep euler = step(p, Method::Euler);
  CHECK(equations::print(euler.updates[0].value) == "x + dt * (-y / 0.001)");
  CHECK(equations::print(euler.updates[1].value) == "y + dt * (x / 0.001)");
  for (auto [method, order] :
       {std::pair{Method::Euler, 1.0}, std::pair{Method::Rk2, 2.0}, std::pair{Method::Rk4, 4.0}}) {
    CAPTURE(equations::spelling(method));
    IntegrationStep s = step(p, method);
    auto error = [&](int n) {
      auto v = simulate(p, s, {{"x", 1.0}, {"y", 0.0}}, T, n);
      return std::hypot(v["x"] - std::cos(1.0), v["y"] - std::sin(1.0));
    };
    CHECK(observedOrder(error, 20) == doctest::Approx(order).epsilon(0.1));
  }
}

TEST_CASE("explicit time dependence: stages at t + dt/2 and t + dt, as Brian2") {
  auto p =
      problem("neuron T {\n    state { x : 1 }\n    equations { dx/dt = cos(t / ms) / ms }\n}\n");
  const double T = 1e-3, exact = std::sin(1.0);
  auto order = [&](Method m, equations::IntegratorOptions o) {
    IntegrationStep s = step(p, m, o);
    auto error = [&](int n) { return std::fabs(simulate(p, s, {{"x", 0.0}}, T, n)["x"] - exact); };
    return observedOrder(error, 20);
  };
  CHECK(order(Method::Rk4, {}) == doctest::Approx(4.0).epsilon(0.1));
  CHECK(order(Method::Rk2, {}) == doctest::Approx(2.0).epsilon(0.1));
  // Holding t at the start of the step makes them first order in t.
  equations::IntegratorOptions hold;
  hold.hold_time = true;
  CHECK(order(Method::Rk4, hold) == doctest::Approx(1.0).epsilon(0.1));
  IntegrationStep held = step(p, Method::Rk2, hold);
  CHECK_FALSE(equations::dependsOn(held.updates[0].value, [](const equations::Node& n) {
    return n.op == equations::Op::Add && n.args[0]->op == equations::Op::Builtin;
  }));
}

TEST_CASE("exponential Euler: exact for linear equations, first order otherwise") {
  auto linear =
      problem("neuron L {\n    state { x : 1 }\n    equations { dx/dt = (2 - x) / ms }\n}\n");
  IntegrationStep s = step(linear, Method::ExponentialEuler);
  for (int n : {1, 3, 7}) {
    CAPTURE(n);
    CHECK(simulate(linear, s, {{"x", 0.0}}, 1e-3, n)["x"] ==
          doctest::Approx(2 * (1 - std::exp(-1.0))).epsilon(1e-13));
  }
  // A time-dependent rate: x = exp(-(t/ms + 1 - cos(t/ms))).
  auto varying = problem(
      "neuron V {\n    state { x : 1 }\n"
      "    equations { dx/dt = -x * (1 + sin(t / ms)) / ms }\n}\n");
  IntegrationStep v = step(varying, Method::ExponentialEuler);
  const double exact = std::exp(-(1 + 1 - std::cos(1.0)));
  auto error = [&](int n) {
    return std::fabs(simulate(varying, v, {{"x", 1.0}}, 1e-3, n)["x"] - exact);
  };
  CHECK(observedOrder(error, 40) == doctest::Approx(1.0).epsilon(0.1));
  // Without a term in x: a plain Euler step of the rest, no exprel.
  auto free = problem("neuron F {\n    state { x : 1 }\n    equations { dx/dt = 3 / ms }\n}\n");
  IntegrationStep f = step(free, Method::ExponentialEuler);
  CHECK(equations::print(f.updates[0].value) == "x + dt * 3000");
}

TEST_CASE("exponential Euler on HH's gating: m_inf + (m - m_inf) exp(-dt / tau_m)") {
  auto c = checkText(testing::readSourceFile("stdlib/neurons.snn"));
  const auto& hh = c->checkedModel("HH");
  auto analysis = equations::analyzeModel(c->program, hh);
  auto s = equations::integrate(analysis.clock_driven, Method::ExponentialEuler);
  REQUIRE(s);
  REQUIRE(s->updates[1].name == "m");
  const double V = -0.060, v = -60, m = 0.1, dt = 1e-5;
  auto exprel = [](double x) { return std::expm1(x) / x; };
  const double alpha = 1e3 / exprel(-(v + 40) / 10), beta = 1e3 * 4 * std::exp(-(v + 65) / 18);
  const double tau = 1 / (alpha + beta), m_inf = alpha * tau;
  testing::Values values{&hh,
                         {{"V", V},
                          {"m", m},
                          {"h", 0.6},
                          {"n", 0.3},
                          {"I_ext", 0},
                          {"I_syn", 0},
                          {"dt", dt},
                          {"t", 0}}};
  CHECK(testing::eval(s->updates[1].value, values) ==
        doctest::Approx(m_inf + (m - m_inf) * std::exp(-dt / tau)).epsilon(1e-12));
}

TEST_CASE("euler_maruyama and heun: the formulas with a fixed noise sample") {
  const double dt = 1e-4, x = 0.8, z = 1.3, s = 0.5 / std::sqrt(1e-3);
  const double dW = z * std::sqrt(dt);
  auto additive = problem(
      "neuron A {\n    parameters { sigma = 0.5 }\n    state { x : 1 }\n"
      "    equations { dx/dt = -x / ms + sigma * xi / sqrt(ms) }\n}\n");
  testing::Values env{additive.c->program.models.front().get(),
                      {{"x", x}, {"xi", z}, {"dt", dt}, {"t", 0}}};
  IntegrationStep em = step(additive, Method::EulerMaruyama);
  CHECK(testing::eval(em.updates[0].value, env) ==
        doctest::Approx(x - dt * x / 1e-3 + s * dW).epsilon(1e-14));
  // Heun with additive noise is Euler-Maruyama.
  IntegrationStep heun_additive = step(additive, Method::Heun);
  CHECK(testing::eval(heun_additive.updates[0].value, env) ==
        doctest::Approx(x - dt * x / 1e-3 + s * dW).epsilon(1e-14));

  auto multiplicative = problem(
      "neuron M {\n    parameters { sigma = 0.5 }\n    state { x : 1 }\n"
      "    equations { dx/dt = -x / ms + sigma * x * xi / sqrt(ms) }\n}\n");
  env.model = multiplicative.c->program.models.front().get();
  IntegrationStep heun = step(multiplicative, Method::Heun);
  const double support = x + s * x * dW;
  CHECK(testing::eval(heun.updates[0].value, env) ==
        doctest::Approx(x - dt * x / 1e-3 + 0.5 * dW * (s * x + s * support)).epsilon(1e-14));
  // euler_maruyama does not apply to multiplicative noise; deterministic methods to any noise.
  CHECK_FALSE(equations::integrate(multiplicative.analysis.clock_driven, Method::EulerMaruyama));
  CHECK_FALSE(equations::integrate(additive.analysis.clock_driven, Method::Rk4));
}

TEST_CASE("two noise sources: one increment each, one Heun support each") {
  auto p = problem(
      "neuron Two {\n    state { x : 1;  y : 1 }\n    equations {\n"
      "        dx/dt = -x / ms + (x * xi_1 + 0.5 * xi_2) / sqrt(ms)\n"
      "        dy/dt = y * xi_2 / sqrt(ms)\n    }\n}\n");
  const double dt = 1e-4, x = 0.8, y = 0.3, z1 = 1.3, z2 = -0.7, r = 1 / std::sqrt(1e-3);
  const double dW1 = z1 * std::sqrt(dt), dW2 = z2 * std::sqrt(dt);
  testing::Values env{p.c->program.models.front().get(),
                      {{"x", x}, {"y", y}, {"xi_1", z1}, {"xi_2", z2}, {"dt", dt}, {"t", 0}}};
  IntegrationStep heun = step(p, Method::Heun);
  // Source 1 moves x only: support x1 = x + r x dW1; source 2 moves y only (x's factor for it
  // is constant): support y2 = y + r y dW2.
  const double x1 = x + r * x * dW1, y2 = y + r * y * dW2;
  const double x_new = x - dt * x / 1e-3 + 0.5 * dW1 * (r * x + r * x1) + 0.5 * dW2 * (2 * 0.5 * r);
  const double y_new = y + 0.5 * dW2 * (r * y + r * y2);
  CHECK(testing::eval(heun.updates[0].value, env) == doctest::Approx(x_new).epsilon(1e-14));
  CHECK(testing::eval(heun.updates[1].value, env) == doctest::Approx(y_new).epsilon(1e-14));
}

TEST_CASE("heun converges strongly with order 1 on geometric Brownian motion (Stratonovich)") {
  // dx = x dt/ms + b x o dW: x(T) = x0 exp(T/ms + b W(T)/sqrt(ms)).
  auto p = problem(
      "neuron G {\n    state { x : 1 = 1 }\n"
      "    equations { dx/dt = x / ms + 0.8 * x * xi / sqrt(ms) }\n}\n");
  IntegrationStep heun = step(p, Method::Heun);
  const double T = 1e-3, b = 0.8;
  const int finest = 256, paths = 200;
  std::mt19937_64 rng(2024);
  std::normal_distribution<double> normal;
  std::map<int, double> total_error;
  for (int path = 0; path < paths; ++path) {
    std::vector<double> dW(finest);
    double W = 0;
    for (auto& w : dW) {
      w = normal(rng) * std::sqrt(T / finest);
      W += w;
    }
    const double exact = std::exp(T / 1e-3 + b * W / std::sqrt(1e-3));
    for (int n : {16, 32, 64}) {
      const int block = finest / n;
      auto noise = [&](const std::string&, int step) {
        double sum = 0;
        for (int k = 0; k < block; ++k) sum += dW[step * block + k];
        return sum / std::sqrt(T / n);  // the standard normal number of this step
      };
      total_error[n] += std::fabs(simulate(p, heun, {{"x", 1.0}}, T, n, noise)["x"] - exact);
    }
  }
  const double order = std::log2(total_error[16] / total_error[64]) / 2;
  CHECK(order == doctest::Approx(1.0).epsilon(0.25));
}

}  // namespace
}  // namespace snn
