// An indented dump of every field of an AST, without source ranges: what `snnc emit ast` shows,
// and what the parser's round-trip test compares (parse -> print -> parse must give the same
// dump). Deterministic: the same tree always gives the same text.
#pragma once

#include <string>

#include "compiler/ast/ast.h"

namespace snn::ast {

std::string dumpTree(const Module& module);
std::string dumpExpr(const Expr& expr);

}  // namespace snn::ast
