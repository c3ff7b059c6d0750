// What sema knows about one expression: its type (a quantity of some dimension, a condition,
// or an error already reported) and, for names, what the name refers to. Later stages read
// these instead of resolving names again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/sema/builtins.h"
#include "compiler/units/dimension.h"

namespace snn::sema {

enum class TypeKind : std::uint8_t {
  Quantity,  // a number with a dimension (dimensionless included)
  Boolean,   // a condition: comparisons, and/or/not, true/false
  Error,     // an error was reported inside; checks involving it stay silent
};

struct Type {
  TypeKind kind = TypeKind::Error;
  units::Dimension dim;  // Quantity only
  bool is_list = false;  // `[1, 2, 3] * ms`: a list of quantities of dimension dim

  static Type quantity(const units::Dimension& d) { return Type{TypeKind::Quantity, d, false}; }
  static Type dimensionless() { return quantity(units::Dimension::dimensionless()); }
  static Type list(const units::Dimension& d) { return Type{TypeKind::Quantity, d, true}; }
  static Type boolean() { return Type{TypeKind::Boolean, {}, false}; }
  static Type error() { return Type{}; }

  bool isQuantity() const { return kind == TypeKind::Quantity; }
  bool isBoolean() const { return kind == TypeKind::Boolean; }
  bool isError() const { return kind == TypeKind::Error; }
  // "volt", "1", "a condition", "a list of volt".
  std::string describe() const;
  friend bool operator==(const Type&, const Type&) = default;
};

struct CheckedModel;
struct CheckedLet;

// What a name (NameExpr, MemberExpr, the callee of a CallExpr, the target of an assignment)
// refers to.
enum class SymbolKind : std::uint8_t {
  Parameter,        // index into model->parameters
  State,            // index into model->states
  SubExpression,    // index into model->subexpressions
  Builtin,          // builtin_variable (t, dt, i, j, N, lastspike, pi, ...); value for constants
  Noise,            // `xi`, `xi_1`: name tells the source apart
  Unit,             // a unit used as a value (`/ms`); value is its SI scale
  PreVariable,      // `pre.X`: member_kind/index into model (the source population's model)
  PostVariable,     // `post.X`, or a bare name in an inline `on pre` that falls to the target
  Let,              // a `let` constant: value (index into the file or experiment lets)
  TimedArray,       // a `let NAME = timed(...)` called as NAME(t)
  Function,         // a builtin function: builtin_function
  Population,       // index into experiment populations
  Connection,       // index into experiment connects (`connect S = ...`)
  SynapseVariable,  // an inline synapse's own variable: index into connect.inline_variables
};

const char* spelling(SymbolKind kind);  // "parameter", "state variable", ...

struct Resolution {
  SymbolKind kind = SymbolKind::Builtin;
  std::string name;
  std::size_t index = 0;
  // The model the name belongs to: Parameter/State/SubExpression (the model being checked, or
  // the population's model in experiments), Pre/PostVariable when the neuron model is known
  // (connect rules, inline synapses; null inside a synapse model, which is checked once for
  // all its uses: see CheckedConnect::pre_variables).
  const CheckedModel* model = nullptr;
  // For Pre/PostVariable with a model: what X is in that model (Parameter, State,
  // SubExpression, or Builtin for `lastspike`), and index as above.
  SymbolKind member_kind = SymbolKind::State;
  BuiltinVariable builtin_variable = BuiltinVariable::T;
  BuiltinFunction builtin_function = BuiltinFunction::Exp;
  const CheckedLet* let = nullptr;  // Let, TimedArray
  double value = 0;  // SI value of Unit, Let (constants), Builtin constants (pi, e, inf)
  // Whether `value` holds the value (constants): Unit, constant Let, pi/e/inf/true/false.
  bool has_value = false;
};

}  // namespace snn::sema
