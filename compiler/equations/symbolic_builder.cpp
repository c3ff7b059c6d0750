// Building the symbolic form from checked AST expressions; see symbolic_builder.h.
#include "compiler/equations/symbolic_builder.h"

#include "compiler/sema/const_eval.h"

namespace snn::equations {

using sema::Resolution;
using sema::SymbolKind;

SymbolicBuilder::SymbolicBuilder(const sema::CheckedProgram& program,
                                 const sema::CheckedModel& model)
    : program_(program),
      model_(model),
      subexpressions_(model.subexpressions.size()),
      building_(model.subexpressions.size(), false) {}

Expr SymbolicBuilder::state(std::size_t k) const {
  return stateRef(k, k < model_.states.size() ? model_.states[k].name : "?");
}

Expr SymbolicBuilder::parameter(std::size_t k) const {
  return parameterRef(k, k < model_.parameters.size() ? model_.parameters[k].name : "?");
}

Expr SymbolicBuilder::subExpression(std::size_t k) {
  if (k >= subexpressions_.size()) return Expr();
  if (subexpressions_[k]) return *subexpressions_[k];
  if (building_[k] || !model_.subexpressions[k].expr) return Expr();  // a cycle: reported by sema
  building_[k] = true;
  Expr e = build(*model_.subexpressions[k].expr);
  building_[k] = false;
  subexpressions_[k] = e;
  return e;
}

Expr SymbolicBuilder::buildName(const ast::Expr& e, const Resolution& r) {
  if (name_hook_) {
    if (Expr hooked = name_hook_(e, r)) return hooked;
  }
  switch (r.kind) {
    case SymbolKind::Parameter:
      if (r.index >= model_.parameters.size()) return Expr();
      return parameterRef(r.index, model_.parameters[r.index].name, &e);
    case SymbolKind::State:
      if (r.index >= model_.states.size()) return Expr();
      return stateRef(r.index, model_.states[r.index].name, &e);
    case SymbolKind::SubExpression:
      return subExpression(r.index);
    case SymbolKind::Builtin:
      if (r.has_value) return constant(r.value, &e);  // pi, e, inf, true, false
      return builtinRef(r.builtin_variable, &e);
    case SymbolKind::Noise:
      return noiseRef(r.name, &e);
    case SymbolKind::Unit:
    case SymbolKind::Let:
      if (!r.has_value) return Expr();  // a list
      return constant(r.value, &e);
    case SymbolKind::PreVariable:
    case SymbolKind::PostVariable:
      return neighbourRef(r.kind == SymbolKind::PostVariable, r.name, &e);
    default:
      return Expr();
  }
}

Expr SymbolicBuilder::buildCall(const ast::CallExpr& c) {
  const Resolution* r = program_.resolutionOf(&c);
  if (!r) return Expr();
  std::vector<Expr> args;
  for (const auto& a : c.args) {
    if (!a.value || !a.name.empty()) return Expr();
    Expr x = build(*a.value);
    if (!x) return Expr();
    args.push_back(std::move(x));
  }
  if (r->kind == SymbolKind::TimedArray) {
    if (args.size() != 1) return Expr();
    return timedArray(r->let, c.callee, std::move(args[0]), &c);
  }
  if (r->kind != SymbolKind::Function) return Expr();
  const auto& f = sema::info(r->builtin_function);
  if (static_cast<int>(args.size()) < f.min_args ||
      (f.max_args >= 0 && static_cast<int>(args.size()) > f.max_args)) {
    return Expr();
  }
  switch (f.result) {
    case sema::ResultRule::Dimensionless:
    case sema::ResultRule::SameAsArgument:
    case sema::ResultRule::SqrtOfArgument:
      break;
    default:
      return Expr();  // experiment functions are not values of model code
  }
  return call(r->builtin_function, std::move(args), &c, ++draws_);
}

Expr SymbolicBuilder::build(const ast::Expr& e) {
  // Types are not required: inside a synapse model, anything that uses `pre.`/`post.` has
  // no type until a connect binds it. Names are resolved either way.
  const sema::Type* type = program_.typeOf(&e);
  if (type && type->is_list) return Expr();
  switch (e.kind) {
    case ast::ExprKind::Number: {
      const auto& n = static_cast<const ast::NumberExpr&>(e);
      double v = n.value;
      if (n.unit) {
        auto u = sema::unitOf(*n.unit);
        if (!u) return Expr();
        v *= u->scale;
      }
      return constant(v, &e);
    }
    case ast::ExprKind::Name:
    case ast::ExprKind::Member: {
      const Resolution* r = program_.resolutionOf(&e);
      if (!r) return Expr();
      return buildName(e, *r);
    }
    case ast::ExprKind::Call:
      return buildCall(static_cast<const ast::CallExpr&>(e));
    case ast::ExprKind::Unary: {
      const auto& u = static_cast<const ast::UnaryExpr&>(e);
      if (!u.operand) return Expr();
      Expr x = build(*u.operand);
      if (!x) return Expr();
      switch (u.op) {
        case ast::UnaryOp::Plus:
          return x;
        case ast::UnaryOp::Negate:
          return unary(Op::Neg, std::move(x), &e);
        case ast::UnaryOp::Not:
          return unary(Op::Not, std::move(x), &e);
      }
      return Expr();
    }
    case ast::ExprKind::Binary: {
      const auto& b = static_cast<const ast::BinaryExpr&>(e);
      if (!b.lhs || !b.rhs) return Expr();
      Expr l = build(*b.lhs);
      if (!l) return Expr();
      Expr r = build(*b.rhs);
      if (!r) return Expr();
      Op op = Op::Add;
      switch (b.op) {
        case ast::BinaryOp::Add:
          op = Op::Add;
          break;
        case ast::BinaryOp::Sub:
          op = Op::Sub;
          break;
        case ast::BinaryOp::Mul:
          op = Op::Mul;
          break;
        case ast::BinaryOp::Div:
          op = Op::Div;
          break;
        case ast::BinaryOp::Mod:
          op = Op::Mod;
          break;
        case ast::BinaryOp::Pow:
          op = Op::Pow;
          break;
        case ast::BinaryOp::Eq:
          op = Op::Eq;
          break;
        case ast::BinaryOp::Ne:
          op = Op::Ne;
          break;
        case ast::BinaryOp::Lt:
          op = Op::Lt;
          break;
        case ast::BinaryOp::Le:
          op = Op::Le;
          break;
        case ast::BinaryOp::Gt:
          op = Op::Gt;
          break;
        case ast::BinaryOp::Ge:
          op = Op::Ge;
          break;
        case ast::BinaryOp::And:
          op = Op::And;
          break;
        case ast::BinaryOp::Or:
          op = Op::Or;
          break;
      }
      return binary(op, std::move(l), std::move(r), &e);
    }
    case ast::ExprKind::String:
    case ast::ExprKind::Index:
    case ast::ExprKind::List:
      return Expr();
  }
  return Expr();
}

}  // namespace snn::equations
