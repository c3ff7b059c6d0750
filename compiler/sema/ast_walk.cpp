// Expression walks; see ast_walk.h.
#include "compiler/sema/ast_walk.h"

namespace snn::sema {

void forEachExpr(const ast::Expr& e, const std::function<void(const ast::Expr&)>& f) {
  f(e);
  switch (e.kind) {
    case ast::ExprKind::Number:
    case ast::ExprKind::String:
    case ast::ExprKind::Name:
      return;
    case ast::ExprKind::Member: {
      const auto& m = static_cast<const ast::MemberExpr&>(e);
      if (m.object) forEachExpr(*m.object, f);
      return;
    }
    case ast::ExprKind::Index: {
      const auto& x = static_cast<const ast::IndexExpr&>(e);
      for (const ast::Expr* child : {x.object.get(), x.index.get(), x.lo.get(), x.hi.get()})
        if (child) forEachExpr(*child, f);
      return;
    }
    case ast::ExprKind::Call: {
      const auto& c = static_cast<const ast::CallExpr&>(e);
      for (const auto& a : c.args)
        if (a.value) forEachExpr(*a.value, f);
      return;
    }
    case ast::ExprKind::Unary: {
      const auto& u = static_cast<const ast::UnaryExpr&>(e);
      if (u.operand) forEachExpr(*u.operand, f);
      return;
    }
    case ast::ExprKind::Binary: {
      const auto& b = static_cast<const ast::BinaryExpr&>(e);
      if (b.lhs) forEachExpr(*b.lhs, f);
      if (b.rhs) forEachExpr(*b.rhs, f);
      return;
    }
    case ast::ExprKind::List: {
      const auto& l = static_cast<const ast::ListExpr&>(e);
      for (const auto& el : l.elements)
        if (el) forEachExpr(*el, f);
      return;
    }
  }
}

void forEachName(const ast::Expr& e, const std::function<void(const ast::NameExpr&)>& f) {
  switch (e.kind) {
    case ast::ExprKind::Name:
      f(static_cast<const ast::NameExpr&>(e));
      return;
    case ast::ExprKind::Member:
      return;  // `pre.V`, `E.V`: not a plain name
    case ast::ExprKind::Number:
    case ast::ExprKind::String:
      return;
    case ast::ExprKind::Index: {
      const auto& x = static_cast<const ast::IndexExpr&>(e);
      for (const ast::Expr* child : {x.object.get(), x.index.get(), x.lo.get(), x.hi.get()})
        if (child) forEachName(*child, f);
      return;
    }
    case ast::ExprKind::Call: {
      const auto& c = static_cast<const ast::CallExpr&>(e);
      for (const auto& a : c.args)
        if (a.value) forEachName(*a.value, f);
      return;
    }
    case ast::ExprKind::Unary: {
      const auto& u = static_cast<const ast::UnaryExpr&>(e);
      if (u.operand) forEachName(*u.operand, f);
      return;
    }
    case ast::ExprKind::Binary: {
      const auto& b = static_cast<const ast::BinaryExpr&>(e);
      if (b.lhs) forEachName(*b.lhs, f);
      if (b.rhs) forEachName(*b.rhs, f);
      return;
    }
    case ast::ExprKind::List: {
      const auto& l = static_cast<const ast::ListExpr&>(e);
      for (const auto& el : l.elements)
        if (el) forEachName(*el, f);
      return;
    }
  }
}

void forEachExprInBlock(const ast::Block& block, const std::function<void(const ast::Expr&)>& f) {
  for (const auto& stmt : block) {
    if (!stmt) continue;
    if (const auto* a = std::get_if<ast::AssignStmt>(&stmt->node)) {
      for (const ast::Expr* sub :
           {a->target.index.get(), a->target.lo.get(), a->target.hi.get(), a->value.get()})
        if (sub) forEachExpr(*sub, f);
    } else if (const auto* i = std::get_if<ast::IfStmt>(&stmt->node)) {
      if (i->condition) forEachExpr(*i->condition, f);
      forEachExprInBlock(i->then_body, f);
      forEachExprInBlock(i->else_body, f);
    }
  }
}

}  // namespace snn::sema
