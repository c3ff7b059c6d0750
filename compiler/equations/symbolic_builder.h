// Turns a model's checked expressions (AST + sema's side tables) into the symbolic form of
// symbolic.h: numbers with units become SI constants, units, lets and built-in constants
// become numbers, sub-expressions are inlined (each built once and shared), and names become
// references to the model's states, parameters and built-ins.
//
// It runs after sema and trusts its tables; anything sema did not resolve (an expression with
// an error, a list, a string) makes build() return an empty Expr instead of guessing.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/equations/symbolic.h"
#include "compiler/sema/checked_program.h"

namespace snn::equations {

class SymbolicBuilder {
 public:
  SymbolicBuilder(const sema::CheckedProgram& program, const sema::CheckedModel& model);

  // The expression, or an empty Expr when part of it cannot be represented.
  Expr build(const ast::Expr& e);
  // Sub-expression k of the model (index into model.subexpressions), built once.
  Expr subExpression(std::size_t k);

  // Consulted first for every name and member: lets lowering map names that are not the model's
  // own (an inline synapse's variables, a neighbour's parameter) to expressions. An empty Expr
  // falls through to the default.
  using NameHook = std::function<Expr(const ast::Expr&, const sema::Resolution&)>;
  void setNameHook(NameHook hook) { name_hook_ = std::move(hook); }

  // The model's own variables as leaves, for analyses and tests.
  Expr state(std::size_t k) const;
  Expr parameter(std::size_t k) const;

 private:
  Expr buildName(const ast::Expr& e, const sema::Resolution& r);
  Expr buildCall(const ast::CallExpr& c);

  const sema::CheckedProgram& program_;
  const sema::CheckedModel& model_;
  std::vector<std::optional<Expr>> subexpressions_;  // built ones (an empty Expr: failed)
  std::vector<bool> building_;                       // guards against a cycle sema reported
  std::size_t draws_ = 0;
  NameHook name_hook_;                            // rand()/randn() calls numbered
};

}  // namespace snn::equations
