// Statement rules; see statement_checker.h.
#include "compiler/sema/statement_checker.h"

namespace snn::sema {

std::string targetText(const ast::LValue& target) {
  return target.object.empty() ? target.name : target.object + "." + target.name;
}

void StatementChecker::checkBlock(const ast::Block& block) {
  for (const auto& stmt : block) {
    if (!stmt) continue;
    if (const auto* a = std::get_if<ast::AssignStmt>(&stmt->node)) {
      checkAssign(*a);
    } else if (const auto* i = std::get_if<ast::IfStmt>(&stmt->node)) {
      checkIf(*i);
    }
  }
}

void StatementChecker::checkAssign(const ast::AssignStmt& s) {
  auto target = checker_.resolver().resolveTarget(s.target, checker_);
  Type value = s.value ? checker_.check(*s.value) : Type::error();
  if (!target) return;
  checker_.state().tables->targets[&s.target] = target->resolution;
  if (target->type.isError() || value.isError() || !s.value) return;
  const std::string name = targetText(s.target);
  if (s.op == ast::AssignOp::Mul || s.op == ast::AssignOp::Div) {
    if (!checker_.expectNumber(*s.value, value)) return;
    if (!value.dim.isDimensionless()) {
      auto b = checker_.diags().report(
          DiagnosticKind::NotDimensionless, s.value->range,
          s.op == ast::AssignOp::Mul ? "*=" : "/=", value.dim.toUnitString());
      checker_.addDeclarationNotes(b, *s.value);
      return;
    }
  } else {
    if (!checker_.expectNumber(*s.value, value)) return;
    if (!(value.dim == target->type.dim)) {
      const char* verb = s.op == ast::AssignOp::Set   ? "cannot assign to `{}`"
                         : s.op == ast::AssignOp::Add ? "cannot add to `{}`"
                                                      : "cannot subtract from `{}`";
      auto b = checker_.reportMismatch(s.value->range, fmt::format(fmt::runtime(verb), name),
                                       fmt::format("`{}`", name), target->type, nullptr,
                                       "the value", value, s.value.get());
      if (target->declared_at.valid()) {
        b.note(target->declared_at, fmt::format("`{}` declared here with unit `{}`", name,
                                                target->type.dim.toUnitString()));
      }
      return;
    }
  }
  if (on_assign) on_assign(s, *target);
}

void StatementChecker::checkIf(const ast::IfStmt& s) {
  if (s.condition) {
    Type c = checker_.check(*s.condition);
    checker_.expectCondition(*s.condition, c, "the condition of `if`");
  }
  checkBlock(s.then_body);
  checkBlock(s.else_body);
}

}  // namespace snn::sema
