// The exact method: closed forms for uncoupled rows and the matrix exponential for coupled
// ones; see exact.h. Eigen stays inside this file so that the stage's headers do not carry it.
#include "compiler/equations/exact.h"

#include <cmath>

#include <fmt/format.h>
#include <Eigen/Dense>
#include <unsupported/Eigen/MatrixFunctions>

namespace snn::equations {
namespace {

bool isZero(const Expr& e) {
  return e->isConstant(0.0);
}

bool isDt(const Node& n) {
  return n.op == Op::Builtin && n.builtin == sema::BuiltinVariable::Dt;
}

ExactFailure failAt(std::string reason, const Obstacle& o) {
  return ExactFailure{std::move(reason), o.term, o.ode};
}

// What rules exact out for a set whatever the numbers are.
std::optional<ExactFailure> whyNotExact(const SystemAnalysis& system) {
  if (system.incomplete) return ExactFailure{"the equations could not be analysed", {}, {}};
  if (!system.nonlinear_noise.empty()) {
    const Obstacle& o = system.nonlinear_noise.front();
    return failAt(o.reason, o);
  }
  if (system.noise != NoiseKind::None) {
    const std::string why = system.first_noise ? system.first_noise->reason : "it has white noise";
    ExactFailure f{why + "; exact is deterministic: use `euler_maruyama` or `heun`", {}, {}};
    if (system.first_noise) {
      f.term = system.first_noise->term;
      f.ode = system.first_noise->ode;
    }
    return f;
  }
  if (!system.linear) {
    if (system.not_linear) return failAt(system.not_linear->reason, *system.not_linear);
    return ExactFailure{"the equations are not linear with constant coefficients", {}, {}};
  }
  return std::nullopt;
}

// Row k's first variable other than its own, if it has one.
std::optional<std::size_t> firstCoupling(const LinearSystem& linear, std::size_t k) {
  for (std::size_t j = 0; j < linear.A[k].size(); ++j)
    if (j != k && !isZero(linear.A[k][j])) return j;
  return std::nullopt;
}

// Where row k uses variable j as written (the node keeps its place in the source).
Expr useOfVariable(const SystemAnalysis& system, std::size_t k, std::size_t j) {
  const std::size_t state = system.odes[j].state;
  const Expr& drift = system.odes[k].drift ? system.odes[k].drift : system.odes[k].rhs;
  if (!drift) return Expr();
  return findNode(drift, [&](const Node& n) { return n.op == Op::State && n.index == state; });
}

// X(t + h) = X exp(a h) + b h exprel(a h), without the terms that vanish.
Expr closedForm(const Expr& x, const Expr& a, const Expr& b, const Expr& h) {
  if (isZero(a)) return isZero(b) ? x : x + b * h;
  const Expr ah = a * h;
  Expr out = x * call(sema::BuiltinFunction::Exp, {ah});
  if (!isZero(b)) out = out + b * h * call(sema::BuiltinFunction::Exprel, {ah});
  return out;
}

StateUpdate update(const OdeAnalysis& a, const Expr& value) {
  return StateUpdate{a.ode, a.state, a.name, simplify(value)};
}

// reaches[k][j]: variable j influences row k through A (j == k always does).
std::vector<std::vector<bool>> influence(const LinearSystem& linear) {
  const std::size_t n = linear.A.size();
  std::vector<std::vector<bool>> reaches(n, std::vector<bool>(n, false));
  for (std::size_t k = 0; k < n; ++k) {
    std::vector<std::size_t> stack{k};
    reaches[k][k] = true;
    while (!stack.empty()) {
      const std::size_t r = stack.back();
      stack.pop_back();
      for (std::size_t j = 0; j < n; ++j) {
        if (!reaches[k][j] && !isZero(linear.A[r][j])) {
          reaches[k][j] = true;
          stack.push_back(j);
        }
      }
    }
  }
  return reaches;
}

// The value of a coefficient of a coupled set, or why it has none.
std::variant<double, ExactFailure> coefficientValue(const Expr& entry, std::size_t ode,
                                                    const ParameterValues& values, double dt) {
  auto unknown = [&](const Node& n) {
    if (n.op == Op::TimedArray || n.isRandom()) return true;
    if (!n.isLeaf() || n.isConstant() || isDt(n)) return false;
    return !values || !values(n).has_value();
  };
  if (Expr leaf = findNode(entry, unknown)) {
    return ExactFailure{fmt::format("the coupling coefficient `{}` changes from neuron to neuron; "
                                    "exact needs constant coefficients — use rk4 or "
                                    "exponential_euler",
                                    termText(entry)),
                        leaf, ode};
  }
  const double v = evaluate(entry, [&](const Node& n, std::span<const double>) {
    if (isDt(n)) return dt;
    return values(n).value_or(NAN);
  });
  if (!std::isfinite(v)) {
    return ExactFailure{
        fmt::format("the coupling coefficient `{}` is {}, not a finite number", termText(entry), v),
        entry, ode};
  }
  return v;
}

}  // namespace

Propagator exactPropagator(std::span<const double> a, std::size_t n, double dt) {
  // expm([[A, I], [0, 0]] dt) = [[Phi, Psi], [0, I]]: one exponential gives both, and Psi
  // does not need A to be invertible.
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(2 * n, 2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) m(i, j) = a[i * n + j] * dt;
    m(i, n + i) = dt;
  }
  const Eigen::MatrixXd e = m.exp();
  Propagator p;
  p.n = n;
  p.phi.resize(n * n);
  p.psi.resize(n * n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      p.phi[i * n + j] = e(i, j);
      p.psi[i * n + j] = e(i, n + j);
    }
  }
  return p;
}

std::variant<IntegrationStep, ExactFailure> integrateExact(const SystemAnalysis& system,
                                                           const ParameterValues& values,
                                                           double dt) {
  if (!(dt > 0) || !std::isfinite(dt)) {
    return ExactFailure{fmt::format("the time step {} s is not a positive number", dt), {}, {}};
  }
  IntegrationStep step;
  step.method = Method::Exact;
  if (system.empty()) return step;
  if (auto f = whyNotExact(system)) return *f;
  const LinearSystem& linear = *system.linear;
  const std::size_t n = system.odes.size();

  // The set S of the matrix method: coupled rows and whatever influences them.
  const auto reaches = influence(linear);
  std::vector<bool> coupled(n, false), in_set(n, false);
  for (std::size_t k = 0; k < n; ++k) {
    coupled[k] = firstCoupling(linear, k).has_value();
    if (!coupled[k]) continue;
    for (std::size_t j = 0; j < n; ++j) in_set[j] = in_set[j] || reaches[k][j];
  }
  std::vector<std::size_t> set;      // S in model order
  std::vector<std::size_t> slot(n);  // position in S
  for (std::size_t k = 0; k < n; ++k) {
    if (!in_set[k]) continue;
    slot[k] = set.size();
    set.push_back(k);
  }

  Propagator p;
  if (!set.empty()) {
    std::vector<double> a(set.size() * set.size(), 0.0);
    for (std::size_t r = 0; r < set.size(); ++r) {
      for (std::size_t c = 0; c < set.size(); ++c) {
        const Expr& entry = linear.A[set[r]][set[c]];
        if (isZero(entry)) continue;
        auto v = coefficientValue(entry, system.odes[set[r]].ode, values, dt);
        if (auto* f = std::get_if<ExactFailure>(&v)) return std::move(*f);
        a[r * set.size() + c] = std::get<double>(v);
      }
    }
    p = exactPropagator(a, set.size(), dt);
    for (std::size_t r = 0; r < set.size(); ++r) {
      for (std::size_t c = 0; c < set.size(); ++c) {
        if (std::isfinite(p.phiAt(r, c)) && std::isfinite(p.psiAt(r, c))) continue;
        return ExactFailure{
            fmt::format("the solution of the coupled equations overflows over one step of {} s; "
                        "their coefficients grow too fast for exact — use rk4",
                        dt),
            Expr(), system.odes[set[r]].ode};
      }
    }
  }

  const Expr h = constant(dt);
  for (std::size_t k = 0; k < n; ++k) {
    const OdeAnalysis& ode = system.odes[k];
    const Expr x = stateRef(ode.state, ode.name);
    if (!coupled[k]) {
      step.updates.push_back(update(ode, closedForm(x, linear.A[k][k], linear.b[k], h)));
      continue;
    }
    Expr value;
    auto add = [&](const Expr& term) { value = value ? value + term : term; };
    for (std::size_t j : set) {
      if (!reaches[k][j]) continue;
      const double phi = p.phiAt(slot[k], slot[j]);
      if (phi != 0) add(constant(phi) * stateRef(system.odes[j].state, system.odes[j].name));
    }
    for (std::size_t j : set) {
      if (!reaches[k][j] || isZero(linear.b[j])) continue;
      const double psi = p.psiAt(slot[k], slot[j]);
      if (psi != 0) add(constant(psi) * linear.b[j]);
    }
    step.updates.push_back(update(ode, value ? value : constant(0.0)));
  }
  return step;
}

std::variant<IntegrationStep, ExactFailure> advanceEventDriven(const SystemAnalysis& system,
                                                               const Expr& delta) {
  IntegrationStep step;
  step.method = Method::Exact;
  if (system.empty()) return step;
  if (auto f = whyNotExact(system)) return *f;
  const LinearSystem& linear = *system.linear;
  for (std::size_t k = 0; k < system.odes.size(); ++k) {
    if (auto j = firstCoupling(linear, k)) {
      return ExactFailure{
          "coupled event-driven equations cannot be advanced in closed form yet; make them "
          "clock-driven (remove (event-driven))",
          useOfVariable(system, k, *j), system.odes[k].ode};
    }
  }
  for (std::size_t k = 0; k < system.odes.size(); ++k) {
    const OdeAnalysis& ode = system.odes[k];
    const Expr x = stateRef(ode.state, ode.name);
    step.updates.push_back(update(ode, closedForm(x, linear.A[k][k], linear.b[k], delta)));
  }
  return step;
}

}  // namespace snn::equations
