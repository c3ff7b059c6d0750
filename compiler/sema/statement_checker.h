// Statements: resets, `on pre`/`on post` bodies, `at` blocks and experiment assignments.
// The rules are the same everywhere (a target must be assignable, `=`, `+=`, `-=` keep the
// target's dimension, `*=` and `/=` take dimensionless factors, `if` takes a condition); what
// differs is which names are targets, and that is the resolver's business.
#pragma once

#include <functional>

#include "compiler/sema/expr_checker.h"

namespace snn::sema {

class StatementChecker {
 public:
  explicit StatementChecker(ExprChecker& checker) : checker_(checker) {}

  void checkBlock(const ast::Block& block);
  // Called for every assignment whose target resolved, after it was checked.
  std::function<void(const ast::AssignStmt&, const NameBinding& target)> on_assign;

  void checkAssign(const ast::AssignStmt& s);

 private:
  void checkIf(const ast::IfStmt& s);

  ExprChecker& checker_;
};

// "V", "post.I_syn", "E.I_ext" for messages.
std::string targetText(const ast::LValue& target);

}  // namespace snn::sema
