// Constant evaluation: the values sema must know at compile time.
//
// Two evaluators, for two different needs:
//  - foldRational: the exponent of `x ** n` when x has a dimension. The dimension of the result
//    must be exact (V**(1/3) * V**(2/3) is V), so the exponent is folded in exact rational
//    arithmetic over numbers, + - * / and parentheses only.
//  - evaluateConstant: SI values of parameters, lets, population sizes, run times, list
//    literals. It runs after type checking and reads the names' resolutions from the side
//    tables, so it never resolves a name itself; parameters are asked of the caller, which is
//    how a population's overrides reach parameters that depend on them.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/sema/checked_program.h"
#include "compiler/units/rational.h"
#include "compiler/units/unit.h"

namespace snn::sema {

// The exact value of a number as written (`0.5` is 1/2, `1e-3` is 1/1000); std::nullopt if
// it does not fit in 64-bit numerator and denominator.
std::optional<units::Rational> parseRational(std::string_view text);

// numbers (without units), unary + -, binary + - * /; std::nullopt otherwise.
std::optional<units::Rational> foldRational(const ast::Expr& e);

// The unit as written (`uF/cm^2`), without diagnostics; std::nullopt for an unknown name or
// an overflow.
std::optional<units::Unit> unitOf(const ast::UnitExpr& unit);

struct ConstValue {
  bool is_list = false;
  std::vector<double> values;  // one value unless is_list

  static ConstValue scalar(double v) { return ConstValue{false, {v}}; }
  double value() const { return values.empty() ? 0.0 : values.front(); }
};

// The value of a parameter reference (Resolution kind Parameter), or std::nullopt.
using ParameterValues = std::function<std::optional<double>(const Resolution&)>;

// The SI value of a type-checked constant expression; std::nullopt when some part is not
// constant (a state, rand(), ...) or had an error. Booleans are 1 and 0.
std::optional<ConstValue> evaluateConstant(const ast::Expr& e, const ExprTables& tables,
                                           const ParameterValues& parameters = {});

}  // namespace snn::sema
