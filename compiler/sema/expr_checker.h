// The expression checker: the type and dimension rules of LANGUAGE.md section 4, applied to one
// expression at a time. It knows the builtins and units; user names come from a NameResolver.
// Every node gets a Type in the side table; names get a Resolution. An erroneous
// sub-expression has the Error type, and every rule that meets an Error stays silent, so one
// mistake gives one diagnostic.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/sema/builtins.h"
#include "compiler/sema/scope.h"

namespace snn::sema {

struct ExprContext {
  Where where = kWhereNeuron;
  // Constant expressions: only numbers, units, constants and parameters; anything else is
  // reported once as NotConstant with `what` ("the value of parameter `tau`").
  bool constant = false;
  std::string what;
  bool allow_noise = false;      // the right-hand side of a (clock-driven) ODE
  bool in_event_driven = false;  // for the note on NoiseNotAllowed
  bool allow_lists = false;      // spike times, timed values, lets
};

class ExprChecker {
 public:
  ExprChecker(SemaState& state, NameResolver& resolver, ExprContext context);

  // Checks e and records its type (and those of its sub-expressions).
  Type check(const ast::Expr& e);

  // Records what a name refers to (resolvers use it for the forms they check themselves).
  void recordResolution(const ast::Expr& e, Resolution r);
  void recordType(const ast::Expr& e, Type t);
  // Remembers where a name used in e was declared, for notes on later mismatches.
  void rememberDeclaration(const ast::Expr& e, std::string name, SourceRange declared_at,
                           Type type);

  // Adds "`V` declared here with unit `volt`" notes for the names used in e (at most a few).
  void addDeclarationNotes(Builder& b, const ast::Expr& e) const;

  // UndefinedName with "did you mean" over the resolver's names, builtins and units.
  void reportUndefined(const std::string& name, SourceRange range);
  // Reports NotConstant (once per checker) at `range` when the context is constant.
  void reportNotConstant(SourceRange range);

  // For the common checks of callers: a quantity of exactly `dim`, or report
  // DimensionExpected(what, dim, found). Error types pass silently (returns false).
  bool expectDimension(const ast::Expr& e, const Type& t, const units::Dimension& dim,
                       const std::string& what);
  // A condition, or report ConditionNotBoolean(what, found).
  bool expectCondition(const ast::Expr& e, const Type& t, const std::string& what);
  // A quantity (not a condition, not a list), or report.
  bool expectNumber(const ast::Expr& e, const Type& t);

  // DimensionMismatch(context, left_what, left, right_what, right) at range, with declaration
  // notes for the names in either side and a hint when a side is a bare number (`V > 0`).
  Builder reportMismatch(SourceRange range, const std::string& context,
                         const std::string& left_what, const Type& left, const ast::Expr* left_expr,
                         const std::string& right_what, const Type& right,
                         const ast::Expr* right_expr);

  SemaState& state() { return state_; }
  Reporter& diags() { return state_.diags; }
  NameResolver& resolver() { return resolver_; }
  const ExprContext& context() const { return context_; }
  // White-noise names used, in order of first use.
  const std::vector<std::string>& noiseSources() const { return noise_sources_; }
  bool failedConstant() const { return not_constant_reported_; }

 private:
  Type checkNumber(const ast::NumberExpr& n);
  Type checkName(const ast::NameExpr& n);
  Type checkMember(const ast::MemberExpr& m);
  Type checkCall(const ast::CallExpr& c);
  Type checkBuiltinCall(const ast::CallExpr& c, const BuiltinFunctionInfo& f);
  Type checkTimedCall(const ast::CallExpr& c, const NameBinding& binding);
  Type checkUnary(const ast::UnaryExpr& u);
  Type checkBinary(const ast::BinaryExpr& b);
  Type checkList(const ast::ListExpr& l);
  Type useBinding(const ast::Expr& e, const std::string& name, const NameBinding& b);
  Type useBuiltinVariable(const ast::Expr& e, const BuiltinVariableInfo& v);

  SemaState& state_;
  NameResolver& resolver_;
  ExprContext context_;
  bool not_constant_reported_ = false;
  std::vector<std::string> noise_sources_;
  struct Declaration {
    std::string name;
    SourceRange declared_at;
    Type type;
  };
  std::unordered_map<const ast::Expr*, Declaration> declarations_;
};

// Binary operator spelling for messages ("+", "**", "and").
const char* opSpelling(ast::BinaryOp op);

}  // namespace snn::sema
