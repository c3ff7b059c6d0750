// Lets; see let_checker.h.
#include "compiler/sema/let_checker.h"

#include <cmath>

#include "compiler/sema/ast_walk.h"
#include "compiler/sema/const_eval.h"
#include "compiler/sema/dependency.h"
#include "compiler/sema/expr_checker.h"

namespace snn::sema {
namespace {

units::Dimension timeDim() {
  return units::Dimension::base(units::BaseDimension::Time);
}

// File-level lets see only other file-level lets.
class FileLetResolver final : public NameResolver {
 public:
  explicit FileLetResolver(SemaState& state) : state_(state) {}
  std::optional<NameBinding> resolveName(std::string_view name, SourceRange) override {
    return state_.lookupFileLet(name);
  }
  bool hasName(std::string_view name) const override {
    return state_.lookupFileLet(name).has_value();
  }
  void addCandidates(std::vector<std::string>& out) const override {
    state_.addFileLetCandidates(out);
  }

 private:
  SemaState& state_;
};

ExprContext letContext(const std::string& what) {
  ExprContext c;
  c.where = kWhereConstant | kWhereLet;
  c.constant = true;
  c.allow_lists = true;
  c.what = what;
  return c;
}

void checkTimed(SemaState& state, const ast::CallExpr& call, NameResolver& resolver,
                CheckedLet& let) {
  let.is_timed = true;
  let.type = Type::error();
  Resolution r;
  r.kind = SymbolKind::Function;
  r.name = "timed";
  r.builtin_function = BuiltinFunction::Timed;
  state.tables->resolutions[&call] = r;

  const ast::Expr* values = nullptr;
  const ast::Expr* dt = nullptr;
  bool ok = true;
  for (const auto& a : call.args) {
    if (a.name.empty()) {
      if (values) {
        state.diags.report(DiagnosticKind::WrongArgumentCount, call.range, "timed", 1, 2);
        ok = false;
      }
      values = a.value.get();
    } else if (a.name == "dt") {
      if (dt) {
        state.diags.report(DiagnosticKind::DuplicateArgument, a.name_range, a.name);
        ok = false;
      }
      dt = a.value.get();
    } else {
      state.diags.report(DiagnosticKind::UnknownArgument, a.name_range, "timed", a.name);
      ok = false;
    }
  }
  if (!values) {
    state.diags.report(DiagnosticKind::MissingArgument, call.range, "timed", "values");
    ok = false;
  }
  if (!dt) {
    state.diags.report(DiagnosticKind::MissingArgument, call.range, "timed", "dt");
    ok = false;
  }
  Type values_type = Type::error();
  if (values) {
    ExprChecker checker(state, resolver, letContext(fmt::format("the values of `{}`", let.name)));
    values_type = checker.check(*values);
    if (values_type.isBoolean() || (values_type.isQuantity() && !values_type.is_list)) {
      state.diags.report(DiagnosticKind::InvalidValue, values->range,
                         "the values of `timed` must be a list, like `[0, 1, 0] * nA`");
      ok = false;
    }
  }
  if (dt) {
    ExprChecker checker(state, resolver, letContext(fmt::format("the `dt` of `{}`", let.name)));
    Type t = checker.check(*dt);
    if (checker.expectDimension(*dt, t, timeDim(), "the `dt` of `timed`")) {
      auto v = evaluateConstant(*dt, *state.tables);
      if (v && !v->is_list) {
        let.dt = v->value();
        if (!(let.dt > 0) || !std::isfinite(let.dt)) {
          state.diags.report(DiagnosticKind::InvalidValue, dt->range,
                             "the `dt` of `timed` must be positive");
          ok = false;
        }
      }
    } else {
      ok = false;
    }
  }
  if (!ok || values_type.isError() || !values_type.is_list) return;
  auto v = evaluateConstant(*values, *state.tables);
  if (v) let.values = v->values;
  if (let.values.empty()) {
    state.diags.report(DiagnosticKind::InvalidValue, values->range,
                       "`timed` needs at least one value");
    return;
  }
  let.type = Type::quantity(values_type.dim);
}

}  // namespace

CheckedLet checkLet(SemaState& state, const ast::LetDecl& decl, NameResolver& resolver) {
  CheckedLet let;
  let.name = decl.name;
  let.decl = &decl;
  if (!decl.value) return let;
  if (decl.value->kind == ast::ExprKind::Call &&
      static_cast<const ast::CallExpr&>(*decl.value).callee == "timed") {
    const auto& call = static_cast<const ast::CallExpr&>(*decl.value);
    checkTimed(state, call, resolver, let);
    state.tables->types[&call] = let.type;
    return let;
  }
  ExprChecker checker(state, resolver, letContext(fmt::format("the value of `{}`", decl.name)));
  let.type = checker.check(*decl.value);
  if (let.type.isError()) return let;
  auto v = evaluateConstant(*decl.value, *state.tables);
  if (!v) {
    let.type = Type::error();
    return let;
  }
  if (v->is_list) {
    let.values = v->values;
  } else {
    let.value = v->value();
  }
  return let;
}

void checkFileLets(SemaState& state, const std::vector<const ast::LetDecl*>& lets) {
  auto& program = state.program;
  program.lets.clear();
  program.lets.reserve(lets.size());
  DependencyGraph graph;
  std::vector<bool> declared(lets.size(), false);
  for (std::size_t k = 0; k < lets.size(); ++k) {
    const ast::LetDecl& decl = *lets[k];
    CheckedLet placeholder;
    placeholder.name = decl.name;
    placeholder.decl = &decl;
    program.lets.push_back(placeholder);
    graph.addNode(decl.name);
    if (isReservedName(decl.name)) {
      state.diags.report(DiagnosticKind::ReservedName, decl.name_range, decl.name);
      continue;
    }
    auto [it, inserted] = state.file_lets.emplace(decl.name, k);
    if (!inserted) {
      state.diags.report(DiagnosticKind::DuplicateDefinition, decl.name_range, decl.name)
          .note(lets[it->second]->name_range, "first defined here");
      continue;
    }
    declared[k] = true;
  }
  state.file_let_ok.assign(lets.size(), false);
  for (std::size_t k = 0; k < lets.size(); ++k) {
    if (!lets[k]->value) continue;
    forEachName(*lets[k]->value, [&](const ast::NameExpr& n) {
      auto it = state.file_lets.find(n.name);
      if (it != state.file_lets.end()) graph.addEdge(k, it->second, n.range);
    });
  }
  std::vector<bool> on_cycle;
  FileLetResolver resolver(state);
  for (std::size_t k : graph.order(state.diags, on_cycle)) {
    CheckedLet checked = checkLet(state, *lets[k], resolver);
    program.lets[k] = std::move(checked);
    state.file_let_ok[k] = declared[k] && !on_cycle[k] && !program.lets[k].type.isError();
  }
}

}  // namespace snn::sema
