// The exact method, evaluated numerically against solutions worked out independently: closed
// forms (LIF with input, a decaying trace, dX/dt = b), analytic solutions of coupled systems
// (alpha synapse, rotation, a nilpotent system), a 3x3 system through Eigen's eigen-
// decomposition, the lazy advance of event-driven traces against stepping, and the reasons
// exact gives when it cannot be built.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>
#include <complex>
#include <numbers>
#include <random>

#include "compiler/equations/exact.h"
#include "tests/unit/equations/equations_helpers.h"

namespace snn {
namespace {

using equations::ExactFailure;
using equations::IntegrationStep;
using equations::Node;
using equations::Op;
using testing::checkText;

struct Model {
  std::unique_ptr<testing::Checked> c;
  const sema::CheckedModel* model = nullptr;
  equations::ModelAnalysis analysis;
};

Model load(std::unique_ptr<testing::Checked> c, std::string_view name) {
  Model m;
  m.c = std::move(c);
  INFO(m.c->all());
  REQUIRE(m.c->diags.all().empty());
  m.model = &m.c->checkedModel(name);
  m.analysis = equations::analyzeModel(m.c->program, *m.model);
  return m;
}

Model model(const std::string& text) {
  auto c = checkText(text);
  const std::string name = c->program.models.front()->name;
  return load(std::move(c), name);
}

// A population with the model's parameter values, except those in `overrides`; every other
// leaf is per element.
equations::ParameterValues parameterValues(const Model& m,
                                           std::map<std::string, double> overrides = {}) {
  const sema::CheckedModel* model = m.model;
  return [model, overrides](const Node& n) -> std::optional<double> {
    if (n.op != Op::Parameter || n.index >= model->parameters.size()) return std::nullopt;
    auto it = overrides.find(n.name);
    return it != overrides.end() ? it->second : model->parameters[n.index].value;
  };
}

IntegrationStep stepOf(const std::variant<IntegrationStep, ExactFailure>& r) {
  if (const auto* f = std::get_if<ExactFailure>(&r)) FAIL("exact failed: " << f->reason);
  return std::get<IntegrationStep>(r);
}

ExactFailure failureOf(const std::variant<IntegrationStep, ExactFailure>& r) {
  REQUIRE(std::holds_alternative<ExactFailure>(r));
  return std::get<ExactFailure>(r);
}

IntegrationStep exactStep(const Model& m, double dt,
                          const std::map<std::string, double>& overrides = {}) {
  return stepOf(
      equations::integrateExact(m.analysis.clock_driven, parameterValues(m, overrides), dt));
}

const equations::StateUpdate& updateOf(const IntegrationStep& s, std::string_view name) {
  for (const auto& u : s.updates)
    if (u.name == name) return u;
  FAIL("no update of " << name);
  return s.updates.front();
}

// `steps` applications of a step; `held` are inputs and overridden parameters, by name.
std::map<std::string, double> run(const Model& m, const IntegrationStep& s,
                                  std::map<std::string, double> values, int steps,
                                  const std::map<std::string, double>& held = {}) {
  testing::Values env{m.model, {}};
  for (int n = 0; n < steps; ++n) {
    env.named = values;
    for (const auto& [k, v] : held) env.named[k] = v;
    std::vector<double> next;
    for (const auto& u : s.updates) next.push_back(testing::eval(u.value, env));
    for (std::size_t i = 0; i < s.updates.size(); ++i) values[s.updates[i].name] = next[i];
  }
  return values;
}

double relative(double got, double want) {
  return std::fabs(got - want) / std::fabs(want);
}

bool usesParameter(const equations::Expr& e, std::string_view name) {
  return equations::dependsOn(
      e, [&](const Node& n) { return n.op == Op::Parameter && n.name == name; });
}
bool usesState(const equations::Expr& e, std::string_view name) {
  return equations::dependsOn(e,
                              [&](const Node& n) { return n.op == Op::State && n.name == name; });
}
bool usesFunction(const equations::Expr& e, sema::BuiltinFunction f) {
  return equations::dependsOn(e,
                              [&](const Node& n) { return n.op == Op::Call && n.function == f; });
}

TEST_CASE("LIF with input: the closed form, symbolic in tau, exact over one and 1000 steps") {
  auto m = model(
      "neuron LIF {\n"
      "    parameters { tau = 20 ms;  V_rest = -70 mV;  R = 100 Mohm }\n"
      "    state { V : volt = V_rest;  I : amp }\n"
      "    equations { dV/dt = (V_rest - V + R * I) / tau }\n"
      "}\n");
  const double dt = 1e-4, tau = 0.02, V0 = -0.065, I = 0.2e-9, V_inf = -0.07 + 1e8 * I;
  IntegrationStep s = exactStep(m, dt);
  CHECK(s.method == equations::Method::Exact);
  REQUIRE(s.updates.size() == 1);
  CHECK(equations::print(s.updates[0].value) ==
        "V * exp(-1 / tau * 0.0001) + (V_rest + R * I) / tau * 0.0001 * exprel(-1 / tau * 0.0001)");
  const auto& V = s.updates[0].value;
  // Closed form: tau stays a parameter (a population may override it), the input a state.
  CHECK(usesParameter(V, "tau"));
  CHECK(usesState(V, "I"));
  CHECK(usesFunction(V, sema::BuiltinFunction::Exp));
  CHECK(usesFunction(V, sema::BuiltinFunction::Exprel));
  auto analytic = [&](double t) { return V_inf + (V0 - V_inf) * std::exp(-t / tau); };
  CHECK(relative(run(m, s, {{"V", V0}}, 1, {{"I", I}})["V"], analytic(dt)) < 1e-14);
  CHECK(relative(run(m, s, {{"V", V0}}, 1000, {{"I", I}})["V"], analytic(1000 * dt)) < 1e-12);
  // Without input it relaxes to V_rest.
  CHECK(relative(run(m, s, {{"V", V0}}, 1000, {{"I", 0}})["V"],
                 -0.07 + (V0 + 0.07) * std::exp(-0.1 / tau)) < 1e-12);
}

TEST_CASE("alpha synapse: coupled, g(t) = (g0 + s0 t / tau) exp(-t / tau)") {
  auto m = model(
      "neuron Alpha {\n"
      "    parameters { tau = 5 ms }\n"
      "    state { g : 1;  s : 1 }\n"
      "    equations {\n"
      "        dg/dt = (s - g) / tau\n"
      "        ds/dt = -s / tau\n"
      "    }\n"
      "}\n");
  const double dt = 1e-4, tau = 5e-3, g0 = 0.3, s0 = 1.0;
  IntegrationStep step = exactStep(m, dt);
  const auto& g = updateOf(step, "g").value;
  const auto& s = updateOf(step, "s").value;
  // g is coupled to s: numbers from the matrix exponential. s is not: its closed form.
  CHECK_FALSE(usesParameter(g, "tau"));
  CHECK(usesState(g, "s"));
  CHECK(usesState(g, "g"));
  CHECK(equations::print(s) == "s * exp(-1 / tau * 0.0001)");
  auto check = [&](int n, double tolerance) {
    CAPTURE(n);
    const double t = n * dt;
    auto v = run(m, step, {{"g", g0}, {"s", s0}}, n);
    CHECK(relative(v["g"], (g0 + s0 * t / tau) * std::exp(-t / tau)) < tolerance);
    CHECK(relative(v["s"], s0 * std::exp(-t / tau)) < tolerance);
  };
  check(1, 1e-14);
  check(1000, 1e-12);

  // A population's value of tau is what the matrix is built with.
  IntegrationStep fast = exactStep(m, dt, {{"tau", 2e-3}});
  auto v = run(m, fast, {{"g", g0}, {"s", s0}}, 100, {{"tau", 2e-3}});
  CHECK(relative(v["g"], (g0 + s0 * 0.01 / 2e-3) * std::exp(-0.01 / 2e-3)) < 1e-12);
  CHECK(relative(v["s"], s0 * std::exp(-0.01 / 2e-3)) < 1e-12);
}

TEST_CASE("alpha synapse driven by a per-element input: b enters through Psi") {
  auto m = model(
      "neuron Driven {\n"
      "    parameters { tau = 5 ms }\n"
      "    state { g : 1;  s : 1;  I : 1 }\n"
      "    equations {\n"
      "        dg/dt = (s - g) / tau\n"
      "        ds/dt = (I - s) / tau\n"
      "    }\n"
      "}\n");
  const double dt = 1e-4, tau = 5e-3, g0 = 0.3, s0 = 1.0;
  IntegrationStep step = exactStep(m, dt);
  CHECK(usesState(updateOf(step, "g").value, "I"));
  // With u = g - I, w = s - I: u(t) = (u0 + w0 t / tau) exp(-t / tau), w(t) = w0 exp(-t / tau).
  for (double I : {0.0, 2.5, -0.7}) {
    CAPTURE(I);
    for (int n : {1, 1000}) {
      CAPTURE(n);
      const double t = n * dt, e = std::exp(-t / tau);
      auto v = run(m, step, {{"g", g0}, {"s", s0}}, n, {{"I", I}});
      const double g = I + (g0 - I + (s0 - I) * t / tau) * e, s = I + (s0 - I) * e;
      CHECK(relative(v["g"], g) < (n == 1 ? 1e-14 : 1e-12));
      CHECK(relative(v["s"], s) < (n == 1 ? 1e-14 : 1e-12));
    }
  }
}

TEST_CASE("rotation: the propagator is a rotation, 1000 steps stay on the circle") {
  auto m = model(
      "neuron Rotation {\n"
      "    parameters { w = 2 * pi * 50 Hz }\n"
      "    state { x : 1 = 1;  y : 1 }\n"
      "    equations {\n"
      "        dx/dt = -w * y\n"
      "        dy/dt = w * x\n"
      "    }\n"
      "}\n");
  const double w = 2 * std::numbers::pi * 50, dt = 1e-4;
  // Phi = [[cos, -sin], [sin, cos]], Psi = int_0^dt Phi(s) ds.
  const double a[] = {0, -w, w, 0};
  auto p = equations::exactPropagator(a, 2, dt);
  const double c = std::cos(w * dt), sn = std::sin(w * dt);
  CHECK(p.phiAt(0, 0) == doctest::Approx(c).epsilon(1e-15));
  CHECK(p.phiAt(0, 1) == doctest::Approx(-sn).epsilon(1e-14));
  CHECK(p.phiAt(1, 0) == doctest::Approx(sn).epsilon(1e-14));
  CHECK(p.phiAt(1, 1) == doctest::Approx(c).epsilon(1e-15));
  CHECK(p.psiAt(0, 0) == doctest::Approx(sn / w).epsilon(1e-14));
  CHECK(p.psiAt(0, 1) == doctest::Approx((c - 1) / w).epsilon(1e-12));
  CHECK(p.psiAt(1, 0) == doctest::Approx((1 - c) / w).epsilon(1e-12));
  CHECK(p.psiAt(1, 1) == doctest::Approx(sn / w).epsilon(1e-14));

  IntegrationStep step = exactStep(m, dt);
  for (int n : {1, 7, 1000}) {
    CAPTURE(n);
    auto v = run(m, step, {{"x", 1.0}, {"y", 0.0}}, n);
    const double t = n * dt;
    CHECK(std::fabs(v["x"] - std::cos(w * t)) < (n == 1 ? 1e-15 : 1e-12));
    CHECK(std::fabs(v["y"] - std::sin(w * t)) < (n == 1 ? 1e-15 : 1e-12));
  }
}

TEST_CASE("a 3x3 system with inputs against Eigen's eigen-decomposition") {
  auto m = model(
      "neuron Three {\n"
      "    parameters { tau = 10 ms }\n"
      "    state { x : 1;  y : 1;  z : 1;  u : 1 }\n"
      "    equations {\n"
      "        dx/dt = (-2 * x + y + u) / tau\n"
      "        dy/dt = (x - 3 * y + 2 * z) / tau\n"
      "        dz/dt = (0.5 * x - z + 1) / tau\n"
      "    }\n"
      "}\n");
  const double tau = 0.01, dt = 1e-4, u = 0.4;
  Eigen::Matrix3d A;
  A << -2, 1, 0, 1, -3, 2, 0.5, 0, -1;
  A /= tau;
  const Eigen::Vector3d b(u / tau, 0, 1 / tau), x0(1.0, -0.5, 0.25);
  // X(t) = V exp(L t) V^-1 (X0 - X*) + X*, with X* = -A^-1 b the fixed point.
  Eigen::EigenSolver<Eigen::Matrix3d> eig(A);
  const Eigen::Vector3d fixed = -A.fullPivLu().solve(b);
  auto analytic = [&](double t) {
    const Eigen::Matrix3cd V = eig.eigenvectors();
    Eigen::Vector3cd expl;
    for (int k = 0; k < 3; ++k) expl(k) = std::exp(eig.eigenvalues()(k) * t);
    const Eigen::Vector3cd y =
        V * expl.asDiagonal() * V.inverse() * (x0 - fixed).cast<std::complex<double>>();
    return Eigen::Vector3d(y.real() + fixed);
  };
  IntegrationStep step = exactStep(m, dt);
  // Every row is coupled to every other: numbers times x, y, z, no exponential left to compute.
  for (const auto& upd : step.updates) {
    CAPTURE(upd.name);
    CHECK_FALSE(usesFunction(upd.value, sema::BuiltinFunction::Exp));
    for (const char* var : {"x", "y", "z"}) CHECK(usesState(upd.value, var));
  }
  CHECK(usesState(updateOf(step, "z").value, "u"));  // through x, z's input b_x = u / tau
  for (int n : {1, 1000}) {
    CAPTURE(n);
    auto v = run(m, step, {{"x", x0(0)}, {"y", x0(1)}, {"z", x0(2)}}, n, {{"u", u}});
    const Eigen::Vector3d want = analytic(n * dt);
    const Eigen::Vector3d got(v["x"], v["y"], v["z"]);
    CAPTURE(got.transpose());
    CAPTURE(want.transpose());
    CHECK((got - want).norm() / want.norm() < (n == 1 ? 1e-14 : 1e-12));
  }
}

TEST_CASE("a = 0: dX/dt = b is X + b dt, and a nilpotent coupled system is exact") {
  auto m = model(
      "neuron Ballistic {\n"
      "    parameters { c = 3 }\n"
      "    state { x : 1;  y : 1;  z : 1 }\n"
      "    equations {\n"
      "        dx/dt = y / ms\n"
      "        dy/dt = c / ms\n"
      "        dz/dt = 2 / ms\n"
      "    }\n"
      "}\n");
  const double dt = 1e-4, c = 3, ms = 1e-3;
  IntegrationStep step = exactStep(m, dt);
  // No exponential where nothing decays.
  CHECK_FALSE(usesFunction(updateOf(step, "z").value, sema::BuiltinFunction::Exp));
  CHECK_FALSE(usesFunction(updateOf(step, "y").value, sema::BuiltinFunction::Exprel));
  CHECK(usesParameter(updateOf(step, "y").value, "c"));
  for (int n : {1, 1000}) {
    CAPTURE(n);
    const double t = n * dt, x0 = 0.5, y0 = -2;
    auto v = run(m, step, {{"x", x0}, {"y", y0}, {"z", 1.0}}, n);
    CHECK(relative(v["z"], 1.0 + 2 * t / ms) < 1e-13);
    CHECK(relative(v["y"], y0 + c * t / ms) < 1e-13);
    CHECK(relative(v["x"], x0 + y0 * t / ms + c * t * t / (2 * ms * ms)) < 1e-12);
  }
}

TEST_CASE("per-element coefficient of an uncoupled row: the closed form keeps it symbolic") {
  auto m = model(
      "neuron Leak {\n"
      "    parameters { C = 200 pF }\n"
      "    state { V : volt = -70 mV;  g : nS }\n"
      "    equations { dV/dt = -g * V / C }\n"
      "}\n");
  const double dt = 1e-4, C = 200e-12;
  IntegrationStep step = exactStep(m, dt);
  CHECK(usesState(step.updates[0].value, "g"));
  for (double g : {10e-9, 25e-9}) {
    CAPTURE(g);
    auto v = run(m, step, {{"V", -0.07}}, 1000, {{"g", g}});
    CHECK(relative(v["V"], -0.07 * std::exp(-g * 0.1 / C)) < 1e-12);
  }
}

TEST_CASE("a per-element coefficient in a coupled system: exact cannot be built, says where") {
  const std::string text =
      "neuron Mixed {\n"
      "    parameters { tau = 10 ms }\n"
      "    state { x : 1;  y : 1;  g : 1 }\n"
      "    equations {\n"
      "        dx/dt = (-x + g * y) / tau\n"
      "        dy/dt = -y / tau\n"
      "    }\n"
      "}\n";
  auto m = model(text);
  ExactFailure f =
      failureOf(equations::integrateExact(m.analysis.clock_driven, parameterValues(m), 1e-4));
  CHECK(f.reason ==
        "the coupling coefficient `g / tau` changes from neuron to neuron; exact needs constant "
        "coefficients — use rk4 or exponential_euler");
  REQUIRE(f.term);
  REQUIRE(f.term->origin != nullptr);
  CHECK(m.c->at(f.term->origin->range) == "5:23");
  CHECK(m.c->text(f.term->origin->range) == "g");
  CHECK(f.ode == std::optional<std::size_t>(0));

  // The same with g a parameter: constant, so the matrix method applies.
  auto constant = model(
      "neuron Mixed {\n"
      "    parameters { tau = 10 ms;  g = 0.5 }\n"
      "    state { x : 1;  y : 1 }\n"
      "    equations {\n"
      "        dx/dt = (-x + g * y) / tau\n"
      "        dy/dt = -y / tau\n"
      "    }\n"
      "}\n");
  IntegrationStep step = exactStep(constant, 1e-4);
  // x = (x0 + g y0 t / tau) exp(-t / tau), y = y0 exp(-t / tau).
  auto v = run(constant, step, {{"x", 0.0}, {"y", 1.0}}, 1000);
  CHECK(relative(v["x"], 0.5 * 10 * std::exp(-10.0)) < 1e-12);

  // A per-element rate of a row that a coupled row depends on is in the matrix too.
  auto feeding = model(
      "neuron Feeding {\n"
      "    parameters { tau = 10 ms }\n"
      "    state { x : 1;  y : 1;  g : 1 }\n"
      "    equations {\n"
      "        dx/dt = (y - x) / tau\n"
      "        dy/dt = -g * y / tau\n"
      "    }\n"
      "}\n");
  ExactFailure fed = failureOf(
      equations::integrateExact(feeding.analysis.clock_driven, parameterValues(feeding), 1e-4));
  CHECK(fed.reason.find("changes from neuron to neuron") != std::string::npos);
  REQUIRE(fed.term);
  CHECK(feeding.c->text(fed.term->origin->range) == "g");
  CHECK(fed.ode == std::optional<std::size_t>(1));
}

TEST_CASE("structural zeros: a row never reads variables that cannot influence it") {
  // y is free, x follows y, z follows x: x must not read z, y reads only itself.
  auto m = model(
      "neuron Chain {\n"
      "    parameters { tau = 10 ms }\n"
      "    state { x : 1;  y : 1;  z : 1 }\n"
      "    equations {\n"
      "        dx/dt = (y - x) / tau\n"
      "        dy/dt = -y / tau\n"
      "        dz/dt = (x - z) / (2 * tau)\n"
      "    }\n"
      "}\n");
  IntegrationStep step = exactStep(m, 1e-4);
  const auto& x = updateOf(step, "x").value;
  const auto& z = updateOf(step, "z").value;
  CHECK_FALSE(usesState(x, "z"));
  CHECK(usesState(z, "y"));  // through x
  CHECK_FALSE(usesState(updateOf(step, "y").value, "x"));
  // z(t) for x0 = z0 = 0, y0 = 1 (tau_z = 2 tau): worked out by hand,
  // x = (t/tau) e^{-t/tau}, z = 2 e^{-t/2tau} - 2 e^{-t/tau} - (t/tau) e^{-t/tau}.
  const double t = 1000 * 1e-4, tau = 0.01, r = t / tau;
  auto v = run(m, step, {{"x", 0.0}, {"y", 1.0}, {"z", 0.0}}, 1000);
  CHECK(relative(v["x"], r * std::exp(-r)) < 1e-12);
  CHECK(relative(v["z"], 2 * std::exp(-r / 2) - 2 * std::exp(-r) - r * std::exp(-r)) < 1e-12);
}

TEST_CASE("exact refuses what it cannot integrate, with the analysis's reason") {
  auto nonlinear =
      model("neuron N {\n    state { x : 1 = 1 }\n    equations { dx/dt = -x**2 / ms }\n}\n");
  ExactFailure f = failureOf(
      equations::integrateExact(nonlinear.analysis.clock_driven, parameterValues(nonlinear), 1e-4));
  CHECK(f.reason == nonlinear.analysis.clock_driven.not_linear->reason);
  REQUIRE(f.term);
  CHECK(nonlinear.c->text(f.term->origin->range) == "x**2");

  auto noisy = model(
      "neuron S {\n    state { x : 1 }\n    equations { dx/dt = -x / ms + xi / sqrt(ms) }\n}\n");
  ExactFailure n = failureOf(
      equations::integrateExact(noisy.analysis.clock_driven, parameterValues(noisy), 1e-4));
  CHECK(n.reason ==
        "it has white noise `xi`; exact is deterministic: use `euler_maruyama` or `heun`");
  REQUIRE(n.term);
  CHECK(noisy.c->text(n.term->origin->range) == "xi");

  // A coefficient that is not a number in this population (tau = 0).
  auto alpha = model(
      "neuron Alpha {\n    parameters { tau = 5 ms }\n    state { g : 1;  s : 1 }\n"
      "    equations {\n        dg/dt = (s - g) / tau\n        ds/dt = -s / tau\n    }\n}\n");
  ExactFailure zero = failureOf(equations::integrateExact(
      alpha.analysis.clock_driven, parameterValues(alpha, {{"tau", 0.0}}), 1e-4));
  CHECK(zero.reason.find("not a finite number") != std::string::npos);
  // A time step that is not one.
  CHECK(failureOf(equations::integrateExact(alpha.analysis.clock_driven, parameterValues(alpha), 0))
            .reason.find("not a positive number") != std::string::npos);
}

TEST_CASE("event-driven traces: one lazy advance equals stepping, and the analytic decay") {
  auto m = load(checkText(testing::readSourceFile("stdlib/plasticity.snn")), "STDP");
  const auto& system = m.analysis.event_driven;
  REQUIRE(system.odes.size() == 2);
  // There are no clock-driven equations: an empty step.
  CHECK(stepOf(equations::integrateExact(m.analysis.clock_driven, parameterValues(m), 1e-4))
            .updates.empty());
  // The lowering passes t - lastupdate; here t - lastspike stands in for it.
  const equations::Expr delta = equations::builtinRef(sema::BuiltinVariable::T) -
                                equations::builtinRef(sema::BuiltinVariable::Lastspike);
  IntegrationStep lazy = stepOf(equations::advanceEventDriven(system, delta));
  CHECK(lazy.method == equations::Method::Exact);
  IntegrationStep clocked = stepOf(equations::integrateExact(system, parameterValues(m), 1e-4));
  const double taupre = testing::parameterValue(*m.model, "taupre");
  const double taupost = testing::parameterValue(*m.model, "taupost");
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> steps(0, 800);
  for (int k = 0; k < 40; ++k) {
    const int n = steps(rng);
    CAPTURE(n);
    const double a0 = 0.3 + 0.01 * k, b0 = -0.2;
    const double d = n * 1e-4;
    auto jumped =
        run(m, lazy, {{"Apre", a0}, {"Apost", b0}}, 1, {{"t", 1.5 + d}, {"lastspike", 1.5}});
    auto stepped = run(m, clocked, {{"Apre", a0}, {"Apost", b0}}, n);
    CHECK(relative(jumped["Apre"], stepped["Apre"]) < 1e-12);
    CHECK(relative(jumped["Apost"], stepped["Apost"]) < 1e-12);
    // Only rounding of t - lastspike separates it from the analytic value.
    CHECK(relative(jumped["Apre"], a0 * std::exp(-d / taupre)) < 1e-13);
    CHECK(relative(jumped["Apost"], b0 * std::exp(-d / taupost)) < 1e-13);
  }
}

TEST_CASE("event-driven with inputs and a = 0: lazy advances over random pieces compose") {
  auto m = model(
      "synapse Drift {\n"
      "    parameters { tau = 10 ms;  rate = 5 Hz;  c = 0.8 }\n"
      "    state { x : 1;  z : 1 }\n"
      "    equations {\n"
      "        dx/dt = (c - x) / tau   (event-driven)\n"
      "        dz/dt = rate            (event-driven)\n"
      "    }\n"
      "}\n");
  const equations::Expr delta = equations::builtinRef(sema::BuiltinVariable::T) -
                                equations::builtinRef(sema::BuiltinVariable::Lastspike);
  IntegrationStep lazy = stepOf(equations::advanceEventDriven(m.analysis.event_driven, delta));
  CHECK_FALSE(usesFunction(updateOf(lazy, "z").value, sema::BuiltinFunction::Exp));
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> piece(0, 0.02);
  std::map<std::string, double> v{{"x", -0.4}, {"z", 0.1}};
  double t = 0;
  for (int k = 0; k < 200; ++k) {
    const double d = piece(rng);
    v = run(m, lazy, v, 1, {{"t", t + d}, {"lastspike", t}});
    t += d;
  }
  CHECK(relative(v["x"], 0.8 + (-0.4 - 0.8) * std::exp(-t / 0.01)) < 1e-12);
  CHECK(relative(v["z"], 0.1 + 5 * t) < 1e-13);
}

TEST_CASE("coupled event-driven equations are refused, pointing at the coupling") {
  auto m = model(
      "synapse AlphaTrace {\n"
      "    parameters { tau = 5 ms }\n"
      "    state { g : 1;  s : 1 }\n"
      "    equations {\n"
      "        dg/dt = (s - g) / tau   (event-driven)\n"
      "        ds/dt = -s / tau        (event-driven)\n"
      "    }\n"
      "}\n");
  ExactFailure f = failureOf(equations::advanceEventDriven(
      m.analysis.event_driven, equations::builtinRef(sema::BuiltinVariable::T)));
  CHECK(f.reason ==
        "coupled event-driven equations cannot be advanced in closed form yet; make them "
        "clock-driven (remove (event-driven))");
  REQUIRE(f.term);
  REQUIRE(f.term->origin != nullptr);
  CHECK(m.c->at(f.term->origin->range) == "5:18");
  CHECK(m.c->text(f.term->origin->range) == "s");
  CHECK(f.ode == std::optional<std::size_t>(0));
  // Clock-driven, the same equations are exact by the matrix method.
  CHECK(std::holds_alternative<IntegrationStep>(
      equations::integrateExact(m.analysis.event_driven, parameterValues(m), 1e-4)));
}

}  // namespace
}  // namespace snn
