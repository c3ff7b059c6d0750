// Name resolution: the interface between the expression checker, which knows the language's
// built-in names and the rules of dimensions, and the places expressions are written (a neuron
// model, a synapse bound to a connect, a population initialiser, a print string), which know
// the user's names. Each place implements NameResolver; the expression checker asks it first,
// then tries builtins, then unit names (`/ms`), and only then reports an undefined name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/sema/checked_program.h"
#include "compiler/sema/reporter.h"

namespace snn::sema {

class ExprChecker;

struct NameBinding {
  Resolution resolution;
  Type type;
  SourceRange declared_at;   // for "declared here" notes; invalid for builtins
  bool is_constant = false;  // may appear in constant expressions (parameters, lets)
};

class NameResolver {
 public:
  virtual ~NameResolver() = default;

  // A bare name; std::nullopt if this place does not know it (no report).
  virtual std::optional<NameBinding> resolveName(std::string_view name, SourceRange use) = 0;
  // Whether resolveName would find the name, without side effects (AmbiguousUnit asks).
  virtual bool hasName(std::string_view name) const = 0;
  // `a.b`. Reports its own errors and returns std::nullopt for them. The default accepts no
  // member access at all.
  virtual std::optional<NameBinding> resolveMember(const ast::MemberExpr& e, ExprChecker& checker);
  // Experiment-only forms (`E.V[0]`, `mean_rate(E)`); std::nullopt: not handled here, the
  // checker applies its general rules.
  virtual std::optional<Type> checkIndex(const ast::IndexExpr& e, ExprChecker& checker);
  virtual std::optional<Type> checkCall(const ast::CallExpr& e, ExprChecker& checker);
  // The target of an assignment. Reports its own errors and returns std::nullopt for them.
  virtual std::optional<NameBinding> resolveTarget(const ast::LValue& target, ExprChecker& checker);
  // Names in scope, for "did you mean" (scope names first).
  virtual void addCandidates(std::vector<std::string>& out) const = 0;
};

// State shared by all checkers of one program.
struct SemaState {
  SemaState(Reporter& d, CheckedProgram& p) : diags(d), program(p), tables(&p.tables) {}

  Reporter& diags;
  CheckedProgram& program;
  // Where expression types and resolutions are recorded. A synapse re-checked for a connect
  // records into a scratch table (see model_checker.h).
  ExprTables* tables;
  // File-level lets by name: index into program.lets, and whether it checked (not on a cycle).
  std::unordered_map<std::string, std::size_t> file_lets;
  std::vector<bool> file_let_ok;
  // Declared models by name (the first declaration wins).
  std::unordered_map<std::string, const ast::ModelDecl*> model_decls;

  std::optional<NameBinding> lookupFileLet(std::string_view name) const;
  void addFileLetCandidates(std::vector<std::string>& out) const;
};

// The binding of a checked let (constant or timed array).
NameBinding bindLet(const CheckedLet& let, std::size_t index, bool ok);

}  // namespace snn::sema
