// `print "Mean E rate: {mean_rate(E):.1f} Hz"`: the line a print statement prints, computed from
// the simulation as it stands when the protocol reaches the print.
//
// An expression in braces is what sema accepts in a print (compiler/sema/experiment_scope.cpp):
// numbers with units, lets, `t`, `pi`, arithmetic and the math functions, `P.param`, one
// element `E.V[k]` / `S.w[k]` of a variable, and the analysis functions `spike_count`,
// `mean_rate`, `cv_isi`, `peak_frequency(rate(P))`, `mean`/`std`/`min`/`max` of a variable or of
// a recorded rate. Everything is evaluated in SI doubles with the IR's scalar semantics
// (compiler/ir/scalar_semantics.h), so `a % b` or `sign(x)` in a print means what it means in a
// model. Sub-expressions of a model (`E.I_total[0]`) are evaluated here from the current state.
//
// Formatting (docs/language.md, section "print"):
//  - `{expr:SPEC}` formats the SI value with fmt's SPEC (`.1f`, `.3g`, `>8.2e`); a frequency is
//    therefore a number of hertz, a time a number of seconds; divide by a unit for another one:
//    `{x / ms:.2f}`.
//  - `{expr}` prints a quantity with a readable unit and 6 significant digits ("14.7032 ms",
//    "-65 mV"); a dimensionless whole number (a count) prints whole ("1234567"), another
//    dimensionless number with 6 significant digits.
//  - a condition prints `true` or `false` (with a SPEC: 1 or 0, formatted).
#pragma once

#include <string>
#include <variant>

#include "compiler/ast/ast.h"
#include "compiler/run/run_view.h"
#include "compiler/units/dimension.h"

namespace snn::run {

struct PrintValue {
  double value = 0;           // SI; a condition is 1 or 0
  bool is_condition = false;  // from sema's type of the expression
};

// One `{...}` expression of a print in `view.experiment`, evaluated now.
std::variant<PrintValue, RunTimeError> evaluatePrintExpression(const RunView& view,
                                                               const ast::Expr& expr);

// The whole line (without a newline) of a print statement of `view.experiment`.
std::variant<std::string, RunTimeError> formatPrint(const RunView& view,
                                                    const sema::CheckedPrint& print);

// `{expr}` without a spec: "14.7032 ms", "500 pA", "12", "0.333333", "nan Hz".
std::string formatReadable(double si_value, const units::Dimension& dim);

}  // namespace snn::run
