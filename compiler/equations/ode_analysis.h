// What kind of differential equations a model has, which decides how they can be integrated
// (method_choice.h). For each set of ODEs of a model (a neuron's; a synapse's clock-driven and
// its event-driven ones, which are integrated separately) it finds out:
//
//  - noise: each ODE must be `dX/dt = f + g_1 xi_1 + g_2 xi_2 + ...` with f and the factors g
//    free of noise (as Brian2 requires). The noise is additive when no factor depends on a
//    variable of the set or on time, multiplicative otherwise.
//  - linear with constant coefficients: the noise-free parts f form dX/dt = A X + b, where the
//    entries of A and b may use parameters, constants, built-ins that do not change within a
//    step, and inputs that are held over a step (states without an equation, such as I_ext or
//    a summed I_in, and `pre.`/`post.` variables), but not `t`, timed arrays, rand()/randn(),
//    nor the set's own variables. Coupled systems count (alpha synapses).
//  - conditionally linear, per ODE: f = a X + b with a and b free of X (they may use anything
//    else), the condition of exponential Euler (Brian2's get_conditionally_linear_system).
//
// Where a property does not hold, an Obstacle says why in a user's words and holds the term at
// fault, so that a diagnostic can point at it.
//
// The decomposition is structural, not a computer algebra system: products of two factors that
// both depend on the variables, divisions by them, powers other than 1 and function calls of
// them are not linear, even where an identity would cancel them (`V * V - V * V`).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "compiler/equations/symbolic.h"
#include "compiler/sema/checked_program.h"

namespace snn::equations {

// ------------------------------------------------------------------ affine decomposition

// e = sum_k coefficients[k] * variables[k] + rest, the coefficients and rest free of the
// variables (leaves, compared by structure). Simplified algebraically.
struct Affine {
  std::vector<Expr> coefficients;
  Expr rest;
};

// Where e stops being affine: `term` is a node of e; `variable` (an index into variables)
// appears in it; `other` is the second variable for a product of two different ones.
struct NonLinearity {
  Expr term;
  std::size_t variable = 0;
  std::optional<std::size_t> other;
};

std::variant<Affine, NonLinearity> decomposeAffine(const Expr& e, std::span<const Expr> variables);

// The source text of a term (its origin as written; printed symbolically for derived nodes),
// shortened to about 80 characters.
std::string termText(const Expr& term);

// ------------------------------------------------------------------ the analysis

struct Obstacle {
  std::size_t ode = 0;  // index into model.odes
  Expr term;            // the term at fault; term->origin says where it is written
  std::string reason;   // "`V` appears in `exp((V - V_T) / Delta_T)`, which is not linear in `V`"
};

struct NoiseTerm {
  std::string source;  // "xi", "xi_1", ...
  Expr noise;          // the noise leaf as written (the first use)
  Expr factor;         // g in g * xi
};

enum class NoiseKind : std::uint8_t { None, Additive, Multiplicative };

// dX/dt = a * X + b.
struct ConditionallyLinear {
  Expr a;
  Expr b;
};

struct OdeAnalysis {
  std::size_t ode = 0;    // index into model.odes
  std::size_t state = 0;  // index into model.states
  std::string name;       // the state's name
  Expr rhs;               // as written, sub-expressions inlined; empty if it could not be built
  Expr drift;             // rhs without its noise terms (f); empty when the noise is not linear
  std::vector<NoiseTerm> noise;
  std::optional<ConditionallyLinear> conditionally_linear;
  std::optional<Obstacle> not_conditionally_linear;
  // Why this ODE's row of dX/dt = A X + b is not linear with constant coefficients.
  std::optional<Obstacle> not_linear;
  std::optional<Obstacle> first_noise;     // its first noise term
  std::optional<Obstacle> multiplicative;  // its first factor of xi that depends on a variable
};

// dX/dt = A X + b over the set's variables, in the order of SystemAnalysis::odes.
struct LinearSystem {
  std::vector<std::vector<Expr>> A;
  std::vector<Expr> b;
};

struct SystemAnalysis {
  bool event_driven = false;
  std::vector<OdeAnalysis> odes;  // in model order
  // A right-hand side that could not be represented (sema reported an error in it): nothing
  // below is meaningful then.
  bool incomplete = false;
  // Noise that does not enter linearly: an error (`xi * xi`, `exp(xi)`).
  std::vector<Obstacle> nonlinear_noise;

  // The per-ODE obstacles are in `odes`; these are the first of them, for short reasons.
  NoiseKind noise = NoiseKind::None;
  std::optional<Obstacle> first_noise;     // the first noise term
  std::optional<Obstacle> multiplicative;  // the first factor of xi that makes it multiplicative

  std::optional<LinearSystem> linear;                // when linear with constant coefficients
  std::optional<Obstacle> not_linear;                // otherwise, the first reason
  bool conditionally_linear = false;                 // every ODE of the set is
  std::optional<Obstacle> not_conditionally_linear;  // the first ODE that is not

  bool empty() const { return odes.empty(); }
  std::vector<std::size_t> states() const;  // the state indices, in order
};

struct ModelAnalysis {
  const sema::CheckedModel* model = nullptr;
  SystemAnalysis clock_driven;  // a neuron's ODEs all go here
  SystemAnalysis event_driven;
};

ModelAnalysis analyzeModel(const sema::CheckedProgram& program, const sema::CheckedModel& model);

}  // namespace snn::equations
