// The integration schemes as symbolic update expressions; see integrators.h.
#include "compiler/equations/integrators.h"

namespace snn::equations {
namespace {

using Vector = std::vector<Expr>;
using Replacements = std::unordered_map<Expr, Expr, ExprHash>;

class Scheme {
 public:
  Scheme(const SystemAnalysis& system, const IntegratorOptions& options)
      : system_(system), options_(options) {
    for (const auto& a : system.odes) {
      x_.push_back(stateRef(a.state, a.name));
      for (const auto& term : a.noise) {
        bool known = false;
        for (const auto& s : sources_) known = known || s == term.source;
        if (!known) sources_.push_back(term.source);
      }
    }
  }

  // f(X, time): the drifts with the variables and `t` replaced.
  Vector drift(const Vector& x, const Expr& time) const {
    Vector out;
    for (const auto& a : system_.odes) out.push_back(at(a.drift, x, time));
    return out;
  }

  // g_k(X, time) for one noise source: 0 where an equation does not use it.
  Vector diffusion(const std::string& source, const Vector& x, const Expr& time) const {
    Vector out;
    for (const auto& a : system_.odes) {
      Expr g = constant(0.0);
      for (const auto& term : a.noise)
        if (term.source == source) g = at(term.factor, x, time);
      out.push_back(g);
    }
    return out;
  }

  Expr t(double fraction_of_dt) const {
    if (options_.hold_time || fraction_of_dt == 0) return t_;
    return t_ + constant(fraction_of_dt) * dt_;
  }

  const Vector& x() const { return x_; }
  const Expr& dt() const { return dt_; }
  const std::vector<std::string>& sources() const { return sources_; }
  Expr dW(const std::string& source) const {
    return noiseRef(source) * call(sema::BuiltinFunction::Sqrt, {dt_});
  }

 private:
  Expr at(const Expr& e, const Vector& x, const Expr& time) const {
    Replacements r;
    for (std::size_t i = 0; i < x_.size(); ++i)
      if (!(x[i] == x_[i])) r.emplace(x_[i], x[i]);
    if (!(time == t_)) r.emplace(t_, time);
    return r.empty() ? e : substitute(e, r);
  }

  const SystemAnalysis& system_;
  const IntegratorOptions& options_;
  Vector x_;
  std::vector<std::string> sources_;
  Expr dt_ = builtinRef(sema::BuiltinVariable::Dt);
  Expr t_ = builtinRef(sema::BuiltinVariable::T);
};

Vector axpy(const Vector& x, double a, const Vector& k) {  // x + a k
  Vector out;
  for (std::size_t i = 0; i < x.size(); ++i) out.push_back(x[i] + constant(a) * k[i]);
  return out;
}

Vector scaled(const Expr& s, const Vector& v) {
  Vector out;
  for (const auto& e : v) out.push_back(s * e);
  return out;
}

Vector explicitStep(const Scheme& s, Method method) {
  const Vector& x = s.x();
  const Expr& dt = s.dt();
  Vector out;
  switch (method) {
    case Method::Rk2: {
      const Vector k = scaled(dt, s.drift(x, s.t(0)));
      const Vector f = s.drift(axpy(x, 0.5, k), s.t(0.5));
      for (std::size_t i = 0; i < x.size(); ++i) out.push_back(x[i] + dt * f[i]);
      return out;
    }
    case Method::Rk4: {
      const Vector k1 = scaled(dt, s.drift(x, s.t(0)));
      const Vector k2 = scaled(dt, s.drift(axpy(x, 0.5, k1), s.t(0.5)));
      const Vector k3 = scaled(dt, s.drift(axpy(x, 0.5, k2), s.t(0.5)));
      const Vector k4 = scaled(dt, s.drift(axpy(x, 1.0, k3), s.t(1)));
      for (std::size_t i = 0; i < x.size(); ++i) {
        out.push_back(x[i] +
                      (k1[i] + constant(2) * k2[i] + constant(2) * k3[i] + k4[i]) / constant(6));
      }
      return out;
    }
    case Method::Heun: {
      const Vector f = s.drift(x, s.t(0));
      for (std::size_t i = 0; i < x.size(); ++i) out.push_back(x[i] + dt * f[i]);
      for (const auto& source : s.sources()) {
        const Expr dW = s.dW(source);
        const Vector g = s.diffusion(source, x, s.t(0));
        const Vector support = axpy(x, 1.0, scaled(dW, g));
        const Vector g_support = s.diffusion(source, support, s.t(1));
        for (std::size_t i = 0; i < x.size(); ++i) {
          out[i] = out[i] + constant(0.5) * dW * (g[i] + g_support[i]);
        }
      }
      return out;
    }
    default: {  // Euler, EulerMaruyama
      const Vector f = s.drift(x, s.t(0));
      for (std::size_t i = 0; i < x.size(); ++i) out.push_back(x[i] + dt * f[i]);
      for (const auto& source : s.sources()) {
        const Expr dW = s.dW(source);
        const Vector g = s.diffusion(source, x, s.t(0));
        for (std::size_t i = 0; i < x.size(); ++i) out[i] = out[i] + g[i] * dW;
      }
      return out;
    }
  }
}

}  // namespace

std::optional<IntegrationStep> integrate(const SystemAnalysis& system, Method method,
                                         const IntegratorOptions& options) {
  if (system.empty() || system.incomplete || !system.nonlinear_noise.empty()) return std::nullopt;
  if (method == Method::Exact || whyNotApplicable(method, system)) return std::nullopt;
  Scheme scheme(system, options);
  Vector values;
  if (method == Method::ExponentialEuler) {
    const Expr& dt = scheme.dt();
    for (std::size_t i = 0; i < system.odes.size(); ++i) {
      const auto& cl = system.odes[i].conditionally_linear;
      if (!cl) return std::nullopt;
      const Expr& x = scheme.x()[i];
      if (cl->a->isConstant(0.0)) {
        values.push_back(x + dt * cl->b);
      } else {
        values.push_back(x + (cl->a * x + cl->b) * dt *
                                 call(sema::BuiltinFunction::Exprel, {cl->a * dt}));
      }
    }
  } else {
    values = explicitStep(scheme, method);
  }
  IntegrationStep step;
  step.method = method;
  for (std::size_t i = 0; i < system.odes.size(); ++i) {
    const auto& a = system.odes[i];
    step.updates.push_back(StateUpdate{a.ode, a.state, a.name, simplify(values[i])});
  }
  return step;
}

}  // namespace snn::equations
