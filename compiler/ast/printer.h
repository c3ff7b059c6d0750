// Prints an AST back as valid .snn source in one canonical layout (4-space indent, one item
// per line, parentheses only where precedence needs them). Every later stage can show its
// input as source this way, and the parser's tests check that print -> parse is the identity
// on the tree (tests/unit/ast/printer_test.cpp).
#pragma once

#include <string>
#include <string_view>

#include "compiler/ast/ast.h"

namespace snn::ast {

// The whole file: imports, then file-wide `let`s, then models, then experiments.
std::string printModule(const Module& module);

// One expression on one line, e.g. `-(V - V_rest) / tau`.
std::string printExpr(const Expr& expr);

// A unit as written, factors joined so that it parses back to the same factors:
// {uF 1, cm -2} -> `uF/cm^2`, {metre -2, siemens 1} -> `metre^-2*siemens`.
std::string printUnit(const UnitExpr& unit);

// A string literal with its quotes, `"` and `\` and control characters escaped.
std::string quoteString(std::string_view text);

}  // namespace snn::ast
