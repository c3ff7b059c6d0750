// Walking expressions without a visitor class: the few analyses sema runs over finished trees
// (dependency graphs, declaration notes, event-driven checks) only need "every sub-expression"
// and "every plain name".
#pragma once

#include <functional>

#include "compiler/ast/ast.h"

namespace snn::sema {

// Calls f on e and every sub-expression of e, parents before children.
void forEachExpr(const ast::Expr& e, const std::function<void(const ast::Expr&)>& f);

// Calls f on every NameExpr in e that stands for a variable: not the object of a member
// access (`pre` in `pre.V`), not a callee (callees are not NameExprs).
void forEachName(const ast::Expr& e, const std::function<void(const ast::NameExpr&)>& f);

// The same over statements: every expression in a block (conditions, values, subscripts).
void forEachExprInBlock(const ast::Block& block, const std::function<void(const ast::Expr&)>& f);

}  // namespace snn::sema
