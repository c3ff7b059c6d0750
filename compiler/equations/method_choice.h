// The integration method of each set of a model's ODEs: the declared `method`, checked against
// what the equations are (ode_analysis.h), or the default.
//
// One method per set, as in Brian2: a neuron's ODEs, a synapse's clock-driven ODEs. A
// synapse's event-driven ODEs are always solved exactly between events (the declared method
// applies to its clock-driven ones), so they must be linear with constant coefficients.
//
// The default (docs/language.md, section 7): with noise, euler_maruyama for additive noise and
// heun for multiplicative noise; else exact when the equations are linear with constant
// coefficients; else exponential_euler when each is conditionally linear; else rk4.
//
// A declared method that does not apply is an error (MethodNotApplicable) that says why and
// points at the term: exact on a nonlinear or time-dependent system, exponential_euler on an
// equation that is not linear in its own variable, a deterministic method (exact, euler, rk2,
// rk4, exponential_euler) on equations with `xi`, euler_maruyama with multiplicative noise.
// Noise that does not enter an equation linearly is an error for every method (NoiseNotLinear).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostics/diagnostics.h"
#include "compiler/equations/ode_analysis.h"
#include "compiler/sema/checked_program.h"

namespace snn::equations {

enum class Method : std::uint8_t { Exact, Euler, Rk2, Rk4, ExponentialEuler, Heun, EulerMaruyama };

std::optional<Method> parseMethod(std::string_view name);  // "rk4" -> Rk4
std::string_view spelling(Method method);                  // Rk4 -> "rk4"
bool isStochastic(Method method);                          // heun, euler_maruyama

struct MethodChoice {
  Method method = Method::Rk4;
  bool declared = false;
  // Why: "linear with constant coefficients", "conditionally linear in V, m, h, n",
  // "`V` appears in `exp(...)`, which is not linear in `V`", "declared", ...
  std::string reason;
  // For `snnc check -v`: "exact (linear with constant coefficients)".
  std::string describe() const;
};

// What the compiler picks for a set of equations without a `method`, and why. For an
// event-driven set: exact.
MethodChoice defaultMethod(const SystemAnalysis& system);

// Why `method` cannot integrate the set (one obstacle per ODE that prevents it), with a hint
// of what can; std::nullopt when it can (or when the set could not be analysed).
struct Inapplicable {
  std::vector<Obstacle> obstacles;
  std::string hint;  // "use `heun`, which handles multiplicative noise"
};
std::optional<Inapplicable> whyNotApplicable(Method method, const SystemAnalysis& system);

struct ModelMethods {
  std::optional<MethodChoice> clock_driven;  // absent: no such ODEs, or an error in them
  std::optional<MethodChoice> event_driven;
};

// Checks the model's declared method, chooses the others, and reports what does not apply.
ModelMethods chooseMethods(const sema::CheckedProgram& program, const sema::CheckedModel& model,
                           const ModelAnalysis& analysis, Diagnostics& diags);

}  // namespace snn::equations
