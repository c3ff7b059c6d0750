// The `exact` integration method: dX/dt = A X + b (ode_analysis.h's LinearSystem) solved in
// closed form over one step, and the lazy advance of event-driven equations over the time
// since a synapse was last touched. integrators.h builds the other methods from the equations
// alone; exact needs the numbers in A (the matrix exponential of a coupled system is computed
// here, at compile time, once per population), so it has its own entry points.
//
// Two forms, chosen per row of A:
//
//  - an uncoupled row (dX_k/dt = a X_k + b, A's row k zero off the diagonal) has the closed
//    form  X_k(t + h) = X_k exp(a h) + b h exprel(a h)  (X_k + b h when a is 0), written
//    symbolically: a and b may be anything the analysis allows (per-element inputs, parameters
//    a population overrides); the IR folds them where they are numbers.
//  - the coupled rows, together with every row they depend on (directly or through others),
//    form a set S whose block A_SS is evaluated numerically; Phi = expm(A_SS dt) and
//    Psi = integral_0^dt expm(A_SS s) ds are the blocks of expm([[A_SS, I], [0, 0]] dt), and
//    X_k(t + dt) = sum_j Phi_kj X_j + sum_j Psi_kj b_j  for a coupled row k, b symbolic (held
//    over the step, as inputs are). Rows of S that are themselves uncoupled (an alpha
//    synapse's `s`) still take the closed form; it is the same number and keeps a symbolic.
//    Terms that are zero are left out: Phi_kj and Psi_kj where j cannot influence k through A
//    (set to zero rather than trusting rounding), where the number is 0, or where b_j is 0.
//
// The coupled form bakes dt into its numbers, so a step is built for one dt; the closed form
// uses the same dt as a constant, so that the whole step is for that dt and the IR can fold
// exp(a dt) once a is known.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "compiler/equations/integrators.h"
#include "compiler/equations/ode_analysis.h"
#include "compiler/equations/symbolic.h"

namespace snn::equations {

// The values the entries of A may take: a parameter's SI value (the population's, overrides
// applied). Other leaves (states without an ODE, pre./post. variables) make an entry
// per-element: std::nullopt, not a number at load time. The built-in `dt` need not be answered:
// it is the step's dt.
using ParameterValues = std::function<std::optional<double>(const Node& leaf)>;

// Why exact cannot be built. `term` is where (a node with an origin where one is known; may be
// empty); `ode` the equation at fault (an index into model.odes) when there is one, so that a
// diagnostic can fall back on the equation when the term has no place in the source.
struct ExactFailure {
  std::string reason;
  Expr term;
  std::optional<std::size_t> ode;
};

// One clock-driven step of `dt` seconds (dt > 0). An empty system gives an empty step.
std::variant<IntegrationStep, ExactFailure> integrateExact(const SystemAnalysis& system,
                                                           const ParameterValues& values,
                                                           double dt);

// X(t0 + delta) from X(t0), with `delta` an expression (the lowering passes t - lastupdate):
// the closed form with h = delta. Only uncoupled rows can be advanced symbolically over a
// duration that changes from synapse to synapse; coupled rows are an ExactFailure. The inputs
// in a and b are taken as constant since the last update, which the caller must make true
// (event-driven equations should depend only on parameters and on variables that change at
// events, as in Brian2).
std::variant<IntegrationStep, ExactFailure> advanceEventDriven(const SystemAnalysis& system,
                                                               const Expr& delta);

// ------------------------------------------------------------------ the numbers

// Phi = expm(A dt) and Psi = integral_0^dt expm(A s) ds for a dense n x n matrix A, all
// row-major. Exposed for tests and for tools that show the propagator.
struct Propagator {
  std::size_t n = 0;
  std::vector<double> phi;
  std::vector<double> psi;
  double phiAt(std::size_t row, std::size_t col) const { return phi[row * n + col]; }
  double psiAt(std::size_t row, std::size_t col) const { return psi[row * n + col]; }
};
Propagator exactPropagator(std::span<const double> a, std::size_t n, double dt);

}  // namespace snn::equations
