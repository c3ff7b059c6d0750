// One integration step as symbolic expressions: for each variable X of a set of ODEs, the
// value X(t + dt) in terms of the values at t. Lowering to the IR turns these into the
// state-update kernel; every update reads only old values (no variable sees another's new
// value within a step).
//
// The schemes are Brian2's (brian2/stateupdaters), for dX/dt = f(X, t) + sum_k g_k(X, t) xi_k:
//
//   euler, euler_maruyama   X + dt f(X, t) + sum_k g_k(X, t) dW_k
//   rk2 (midpoint)          k = dt f(X, t);  X + dt f(X + k/2, t + dt/2)
//   rk4                     k1 = dt f(X, t), k2 = dt f(X + k1/2, t + dt/2),
//                           k3 = dt f(X + k2/2, t + dt/2), k4 = dt f(X + k3, t + dt);
//                           X + (k1 + 2 k2 + 2 k3 + k4)/6
//   exponential_euler       with f = a X + b (a, b at the old values):
//                           X + (a X + b) dt exprel(a dt), which is Brian2's
//                           (X + b/a) exp(a dt) - b/a written without its 0/0 at a = 0
//   heun (Stratonovich)     for each source k: X_k = X + g_k(X, t) dW_k,
//                           G_k = g_k(X_k, t + dt);
//                           X + dt f(X, t) + sum_k dW_k (g_k(X, t) + G_k) / 2
//
// dt and t are the built-in leaves `dt` and `t`; dW_k = xi_k sqrt(dt), where in an update
// expression the noise leaf xi_k stands for one standard normal number per element and step
// (the same number in every stage, as Brian2's dW). `exact` needs the numbers in A (the matrix
// exponential) and is built by exact.h's integrateExact.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/equations/method_choice.h"
#include "compiler/equations/ode_analysis.h"
#include "compiler/equations/symbolic.h"

namespace snn::equations {

struct IntegratorOptions {
  // Brian2 evaluates the stages of rk2 and rk4 at t + dt/2 and t + dt, and heun's support at
  // t + dt. With hold_time, `t` keeps its value at the start of the step in every stage
  // (docs/language.md section 7 describes inputs taken at the start of the step); the schemes
  // are then only first order in an explicit time dependence.
  bool hold_time = false;
};

struct StateUpdate {
  std::size_t ode = 0;    // index into model.odes
  std::size_t state = 0;  // index into model.states
  std::string name;
  Expr value;  // X(t + dt), from the values at t; simplified exactly (simplify(Exact))
};

struct IntegrationStep {
  Method method = Method::Euler;
  std::vector<StateUpdate> updates;  // in the order of SystemAnalysis::odes
};

// The step of `method` for a set of ODEs; std::nullopt for `exact` (see exact.h), for a set
// that could not be analysed, and for a method that does not apply (whyNotApplicable).
std::optional<IntegrationStep> integrate(const SystemAnalysis& system, Method method,
                                         const IntegratorOptions& options = {});

}  // namespace snn::equations
