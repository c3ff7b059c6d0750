// The names of each place in an experiment, and the lookups and constant checks the protocol
// walker shares between its statements; see experiment_scope.h and experiment_checker.h.
#include "compiler/sema/experiment_scope.h"

#include <cmath>

#include "compiler/sema/suggest.h"

namespace snn::sema::detail {

using units::Dimension;

Dimension timeDim() {
  return Dimension::base(units::BaseDimension::Time);
}
Dimension frequencyDim() {
  return *(Dimension() / timeDim());
}

std::string formatNumber(double v) {
  return fmt::format("{:g}", v);
}

std::string describeExpr(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::Name:
      return static_cast<const ast::NameExpr&>(e).name;
    case ast::ExprKind::Call:
      return static_cast<const ast::CallExpr&>(e).callee + "(...)";
    case ast::ExprKind::Member: {
      const auto& m = static_cast<const ast::MemberExpr&>(e);
      return (m.object ? describeExpr(*m.object) : std::string("?")) + "." + m.member;
    }
    case ast::ExprKind::Index: {
      const auto& x = static_cast<const ast::IndexExpr&>(e);
      return (x.object ? describeExpr(*x.object) : std::string("?")) + "[...]";
    }
    case ast::ExprKind::Number:
      return static_cast<const ast::NumberExpr&>(e).text;
    default:
      return "this expression";
  }
}

// ------------------------------------------------------------------ resolver methods

std::optional<NameBinding> ExperimentResolver::resolveName(std::string_view name, SourceRange) {
  if (inline_vars) {
    for (std::size_t k = 0; k < inline_vars->size(); ++k) {
      const InlineVariable& v = (*inline_vars)[k];
      if (v.name != name) continue;
      NameBinding b;
      b.resolution.kind = SymbolKind::SynapseVariable;
      b.resolution.name = v.name;
      b.resolution.index = k;
      b.type = v.type;
      b.declared_at = v.decl ? v.decl->key_range : SourceRange{};
      return b;
    }
  }
  if (synapse) {
    auto v = synapse->findVariable(name);
    if (v && v->kind != SymbolKind::Builtin) return bindVariable(synapse, *v, name);
  }
  if (population && population->model) {
    auto v = population->model->findVariable(name);
    if (v && v->kind != SymbolKind::Builtin) return bindVariable(population->model, *v, name);
  }
  if (target_fallback && post && post->model) {
    auto v = post->model->findVariable(name);
    if (v && v->kind != SymbolKind::Builtin) {
      auto b = bindVariable(post->model, *v, name);
      b->resolution.kind = SymbolKind::PostVariable;
      b->resolution.member_kind = v->kind;
      b->is_constant = false;
      return b;
    }
  }
  return exp_.lookupLet(name);
}

bool ExperimentResolver::hasName(std::string_view name) const {
  if (inline_vars) {
    for (const auto& v : *inline_vars)
      if (v.name == name) return true;
  }
  if (synapse && synapse->findVariable(name)) return true;
  if (population && population->model && population->model->findVariable(name)) return true;
  if (target_fallback && post && post->model && post->model->findVariable(name)) return true;
  return exp_.lookupLet(name).has_value();
}

void ExperimentResolver::addCandidates(std::vector<std::string>& out) const {
  if (inline_vars)
    for (const auto& v : *inline_vars) out.push_back(v.name);
  auto addModel = [&](const CheckedModel* m) {
    if (!m) return;
    for (const auto& p : m->parameters) out.push_back(p.name);
    for (const auto& s : m->states) out.push_back(s.name);
    for (const auto& s : m->subexpressions) out.push_back(s.name);
  };
  addModel(synapse);
  if (population) addModel(population->model);
  if (target_fallback && post) addModel(post->model);
  exp_.addLetCandidates(out);
}

std::optional<NameBinding> ExperimentResolver::bindPrePost(bool is_post,
                                                           const CheckedPopulation& pop,
                                                           const ast::MemberExpr*,
                                                           const std::string& member,
                                                           SourceRange range, bool assigned) {
  auto v = pop.findVariable(member);
  if (!v) {
    auto b = exp_.diags().report(DiagnosticKind::UnknownMember, range, pop.name, member);
    std::vector<std::string> names;
    if (pop.model) {
      for (const auto& p : pop.model->parameters) names.push_back(p.name);
      for (const auto& s : pop.model->states) names.push_back(s.name);
      for (const auto& s : pop.model->subexpressions) names.push_back(s.name);
    }
    std::string hint = didYouMean(suggestNames(member, names));
    if (!hint.empty()) b.note(hint);
    return std::nullopt;
  }
  if (assigned && v->kind != SymbolKind::State) {
    exp_.diags().report(
        DiagnosticKind::NotAssignable, range, std::string(is_post ? "post." : "pre.") + member,
        v->kind == SymbolKind::Parameter ? "it is a parameter, constant during a run"
                                         : "it is not a state variable");
    return std::nullopt;
  }
  NameBinding b;
  b.resolution.kind = is_post ? SymbolKind::PostVariable : SymbolKind::PreVariable;
  b.resolution.name = member;
  b.resolution.model = pop.model;
  b.resolution.member_kind = v->kind;
  b.resolution.index = v->index;
  b.type = v->type;
  b.declared_at = v->declared_at;
  return b;
}

std::optional<NameBinding> ExperimentResolver::resolveMember(const ast::MemberExpr& e,
                                                             ExprChecker& checker) {
  if (!e.object || e.object->kind != ast::ExprKind::Name)
    return NameResolver::resolveMember(e, checker);
  const std::string& object = static_cast<const ast::NameExpr&>(*e.object).name;
  if ((object == "pre" && pre) || (object == "post" && post)) {
    const bool is_post = object == "post";
    return bindPrePost(is_post, is_post ? *post : *pre, &e, e.member, e.range, false);
  }
  if (print && object != "pre" && object != "post") {
    auto var = exp_.findGroupVariable(object, e.object->range, e.member, e.member_range);
    if (!var) return std::nullopt;
    Resolution owner;
    owner.kind = var->of_connect ? SymbolKind::Connection : SymbolKind::Population;
    owner.name = object;
    owner.index = var->owner;
    checker.recordResolution(*e.object, owner);
    if (var->kind == SymbolKind::Parameter && !var->of_connect) {
      const auto& pop = exp_.out().populations[var->owner];
      NameBinding b;
      b.resolution.kind = SymbolKind::Parameter;
      b.resolution.name = e.member;
      b.resolution.index = var->index;
      b.resolution.model = pop.model;
      if (var->index < pop.parameter_values.size()) {
        b.resolution.value = pop.parameter_values[var->index];
        b.resolution.has_value = true;
      }
      b.type = var->type;
      b.declared_at = var->declared_at;
      b.is_constant = true;
      return b;
    }
    exp_.diags().report(
        DiagnosticKind::InvalidValue, e.range,
        fmt::format("`{}.{}` has one value per {}; write `{}.{}[0]` for one of them, or "
                    "`mean({}.{})`",
                    object, e.member, var->of_connect ? "synapse" : "neuron", object, e.member,
                    object, e.member));
    return std::nullopt;
  }
  return NameResolver::resolveMember(e, checker);
}

std::optional<Type> ExperimentResolver::checkIndex(const ast::IndexExpr& e, ExprChecker& checker) {
  if (!print || !e.object || e.object->kind != ast::ExprKind::Member) return std::nullopt;
  const auto& m = static_cast<const ast::MemberExpr&>(*e.object);
  if (!m.object || m.object->kind != ast::ExprKind::Name) return std::nullopt;
  const std::string& object = static_cast<const ast::NameExpr&>(*m.object).name;
  auto var = exp_.findGroupVariable(object, m.object->range, m.member, m.member_range);
  if (!var) return Type::error();
  Resolution r;
  r.kind = var->kind == SymbolKind::SynapseVariable ? SymbolKind::SynapseVariable : var->kind;
  r.name = var->name;
  r.index = var->index;
  r.model = var->model;
  checker.recordResolution(m, r);
  checker.recordType(m, var->type);
  if (e.is_slice) {
    exp_.diags().report(
        DiagnosticKind::InvalidValue, e.range,
        fmt::format("a slice has several values; print one (`{}.{}[0]`) or a statistic "
                    "(`mean({}.{}[...])`)",
                    object, m.member, object, m.member));
    return Type::error();
  }
  if (!exp_.checkSubscript(false, e.index.get(), nullptr, nullptr, *var, e.range))
    return Type::error();
  return var->type;
}

std::optional<NameBinding> ExperimentResolver::resolveTarget(const ast::LValue& lv,
                                                             ExprChecker& checker) {
  if (preset_target) return preset_target;
  if (!target_fallback) return NameResolver::resolveTarget(lv, checker);
  if (lv.has_subscript) {
    exp_.diags().report(DiagnosticKind::InvalidValue, lv.range,
                        "`[...]` selects neurons in experiment assignments, not in synapse code");
    return std::nullopt;
  }
  if (lv.object == "pre" || lv.object == "post") {
    const bool is_post = lv.object == "post";
    return bindPrePost(is_post, is_post ? *post : *pre, nullptr, lv.name, lv.range, true);
  }
  if (!lv.object.empty()) {
    checker.reportUndefined(lv.object + "." + lv.name, lv.range);
    return std::nullopt;
  }
  if (inline_vars) {
    for (const auto& v : *inline_vars)
      if (v.name == lv.name) return resolveName(lv.name, lv.name_range);
  }
  if (post) {
    if (post->findVariable(lv.name))
      return bindPrePost(true, *post, nullptr, lv.name, lv.name_range, true);
  }
  if (auto let = exp_.lookupLet(lv.name)) {
    exp_.diags().report(DiagnosticKind::NotAssignable, lv.name_range, lv.name,
                        "it is a constant (`let`)");
    return std::nullopt;
  }
  checker.reportUndefined(lv.name, lv.name_range);
  return std::nullopt;
}

std::optional<Type> ExperimentResolver::checkCall(const ast::CallExpr& c, ExprChecker& checker) {
  if (!print) return std::nullopt;
  int positional = 0;
  for (const auto& a : c.args)
    if (a.name.empty()) ++positional;
  for (const auto* f : findBuiltinFunctions(c.callee)) {
    if (!(f->where & kWherePrint)) continue;
    if (f->args != ArgRule::Population && f->args != ArgRule::RateOf && f->args != ArgRule::Values)
      continue;
    if (f->id == BuiltinFunction::Rate) {
      checker.diags()
          .report(DiagnosticKind::NotAvailableHere, c.range, "rate(...)",
                  "as a number in a `print`")
          .note(
              "the population rate is a time series: print `mean(rate(P))` or "
              "`peak_frequency(rate(P))`");
      return Type::error();
    }
    if (positional < f->min_args || (f->max_args >= 0 && positional > f->max_args)) continue;
    return checkAnalysis(c, *f, checker);
  }
  return std::nullopt;
}

std::optional<Type> ExperimentResolver::checkAnalysis(const ast::CallExpr& c,
                                                      const BuiltinFunctionInfo& f,
                                                      ExprChecker& checker) {
  Resolution r;
  r.kind = SymbolKind::Function;
  r.name = std::string(f.name);
  r.builtin_function = f.id;
  checker.recordResolution(c, r);
  const ast::Argument* arg = nullptr;
  for (const auto& a : c.args) {
    if (!a.name.empty()) {
      exp_.diags().report(DiagnosticKind::UnknownArgument, a.name_range, c.callee, a.name);
      return Type::error();
    }
    arg = &a;
  }
  if (!arg || !arg->value) return Type::error();
  const ast::Expr& x = *arg->value;
  switch (f.args) {
    case ArgRule::Population: {
      if (x.kind != ast::ExprKind::Name) {
        exp_.diags().report(
            DiagnosticKind::InvalidValue, x.range,
            fmt::format("`{}` takes a population name: `{}`", c.callee, f.signature));
        return Type::error();
      }
      const auto& n = static_cast<const ast::NameExpr&>(x);
      auto p = exp_.findPopulation(n.name, n.range);
      if (!p) return Type::error();
      Resolution pr;
      pr.kind = SymbolKind::Population;
      pr.name = n.name;
      pr.index = *p;
      checker.recordResolution(n, pr);
      if (!exp_.spikesRecorded(*p)) {
        exp_.reportNotRecorded(c.range, fmt::format("spikes({})", n.name));
        return Type::error();
      }
      return f.result == ResultRule::Frequency ? Type::quantity(frequencyDim())
                                               : Type::dimensionless();
    }
    case ArgRule::RateOf: {
      if (!exp_.checkRateOf(x, checker, nullptr, true)) return Type::error();
      return Type::quantity(frequencyDim());
    }
    case ArgRule::Values: {
      // rate(P): a recorded time series; P.X, P.X[...], S.w: current values.
      if (x.kind == ast::ExprKind::Call && static_cast<const ast::CallExpr&>(x).callee == "rate") {
        if (!exp_.checkRateOf(x, checker, nullptr, true)) return Type::error();
        return Type::quantity(frequencyDim());
      }
      const ast::MemberExpr* m = nullptr;
      const ast::IndexExpr* ix = nullptr;
      if (x.kind == ast::ExprKind::Member) m = static_cast<const ast::MemberExpr*>(&x);
      if (x.kind == ast::ExprKind::Index) {
        ix = static_cast<const ast::IndexExpr*>(&x);
        if (ix->object && ix->object->kind == ast::ExprKind::Member) {
          m = static_cast<const ast::MemberExpr*>(ix->object.get());
        }
      }
      if (!m || !m->object || m->object->kind != ast::ExprKind::Name) {
        exp_.diags().report(
            DiagnosticKind::InvalidValue, x.range,
            fmt::format("`{}` takes `P.X`, `P.X[a:b]`, `S.w` or `rate(P)`", c.callee));
        return Type::error();
      }
      const auto& object = static_cast<const ast::NameExpr&>(*m->object);
      auto var = exp_.findGroupVariable(object.name, object.range, m->member, m->member_range);
      if (!var) return Type::error();
      if (ix && !exp_.checkSubscript(ix->is_slice, ix->index.get(), ix->lo.get(), ix->hi.get(),
                                     *var, ix->range)) {
        return Type::error();
      }
      Resolution vr;
      vr.kind = var->kind;
      vr.name = var->name;
      vr.index = var->index;
      vr.model = var->model;
      checker.recordResolution(*m, vr);
      checker.recordType(*m, var->type);
      if (!var->type.isQuantity()) {
        if (var->type.isBoolean()) {
          exp_.diags().report(DiagnosticKind::BooleanInArithmetic, x.range);
        }
        return Type::error();
      }
      return Type::quantity(var->type.dim);
    }
    default:
      return std::nullopt;
  }
}

// ------------------------------------------------------------------ checker helpers

std::optional<std::size_t> ExperimentChecker::findPopulation(const std::string& name,
                                                             SourceRange range, bool report) {
  auto it = populations_.find(name);
  if (it != populations_.end()) return it->second;
  if (!report) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& p : out_.populations) names.push_back(p.name);
  auto b = diags().report(DiagnosticKind::UnknownPopulation, range, name);
  std::string hint = didYouMean(suggestNames(name, names));
  if (!hint.empty()) b.note(hint);
  if (connects_.count(name)) b.note(fmt::format("`{}` is a connection, not a population", name));
  return std::nullopt;
}

std::optional<GroupVariable> ExperimentChecker::findGroupVariable(const std::string& object,
                                                                  SourceRange object_range,
                                                                  const std::string& name,
                                                                  SourceRange name_range) {
  GroupVariable g;
  g.owner_name = object;
  g.name = name;
  std::vector<std::string> candidates;
  if (auto p = populations_.find(object); p != populations_.end()) {
    const CheckedPopulation& pop = out_.populations[p->second];
    g.owner = p->second;
    g.size = pop.size > 0 ? std::optional<std::int64_t>(pop.size) : std::nullopt;
    g.model = pop.model;
    if (auto v = pop.findVariable(name)) {
      g.kind = v->kind;
      g.index = v->index;
      g.type = v->type;
      g.declared_at = v->declared_at;
      return g;
    }
    if (pop.model) {
      for (const auto& x : pop.model->parameters) candidates.push_back(x.name);
      for (const auto& x : pop.model->states) candidates.push_back(x.name);
      for (const auto& x : pop.model->subexpressions) candidates.push_back(x.name);
    }
  } else if (auto c = connects_.find(object); c != connects_.end()) {
    const CheckedConnect& con = out_.connects[c->second];
    g.of_connect = true;
    g.owner = c->second;
    g.size = con.synapse_count;
    for (std::size_t k = 0; k < con.inline_variables.size(); ++k) {
      if (con.inline_variables[k].name == name) {
        g.kind = SymbolKind::SynapseVariable;
        g.index = k;
        g.type = con.inline_variables[k].type;
        g.declared_at =
            con.inline_variables[k].decl ? con.inline_variables[k].decl->key_range : SourceRange{};
        return g;
      }
      candidates.push_back(con.inline_variables[k].name);
    }
    if (con.synapse) {
      g.model = con.synapse;
      if (auto v = con.synapse->findVariable(name)) {
        g.kind = v->kind;
        g.index = v->index;
        g.type = v->type;
        g.declared_at = v->declared_at;
        return g;
      }
      for (const auto& x : con.synapse->parameters) candidates.push_back(x.name);
      for (const auto& x : con.synapse->states) candidates.push_back(x.name);
    }
  } else {
    std::vector<std::string> names;
    for (const auto& p : out_.populations) names.push_back(p.name);
    for (const auto& [n, k] : connects_) names.push_back(n);
    auto b = diags().report(DiagnosticKind::UnknownPopulation, object_range, object);
    std::string hint = didYouMean(suggestNames(object, names));
    if (!hint.empty()) b.note(hint);
    return std::nullopt;
  }
  auto b = diags().report(DiagnosticKind::UnknownMember, name_range, object, name);
  std::string hint = didYouMean(suggestNames(name, candidates));
  if (!hint.empty()) b.note(hint);
  return std::nullopt;
}

std::optional<double> ExperimentChecker::constant(const ast::Expr& e, const Dimension& dim,
                                                  const std::string& what, bool* is_list) {
  ExperimentResolver resolver(*this);
  ExprContext c;
  c.where = kWhereConstant;
  c.constant = true;
  c.what = what;
  c.allow_lists = is_list != nullptr;
  ExprChecker checker(state_, resolver, c);
  Type t = checker.check(e);
  if (t.isError()) return std::nullopt;
  if (t.isBoolean() || !(t.dim == dim)) {
    diags().report(DiagnosticKind::DimensionExpected, e.range, what, dim.toUnitString(),
                   t.isBoolean() ? "a condition" : t.dim.toUnitString());
    return std::nullopt;
  }
  auto v = evaluateConstant(e, *state_.tables, resolver.parameterValues());
  if (!v) return std::nullopt;
  if (is_list) *is_list = v->is_list;
  if (v->is_list) return std::nullopt;
  return v->value();
}

std::optional<std::int64_t> ExperimentChecker::integerConstant(const ast::Expr& e,
                                                               const std::string& what) {
  auto v = constant(e, Dimension(), what);
  if (!v) return std::nullopt;
  if (!std::isfinite(*v) || std::trunc(*v) != *v || std::fabs(*v) > 9.0e15) {
    diags().report(DiagnosticKind::NotAnInteger, e.range, what, formatNumber(*v));
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*v);
}

std::optional<IndexRange> ExperimentChecker::checkSubscript(bool is_slice, const ast::Expr* index,
                                                            const ast::Expr* lo,
                                                            const ast::Expr* hi,
                                                            const GroupVariable& var,
                                                            SourceRange range) {
  IndexRange r;
  bool ok = true;
  auto bound = [&](const ast::Expr* e, std::int64_t fallback) -> std::int64_t {
    if (!e) return fallback;
    auto v = integerConstant(*e, "an index");
    if (!v) {
      ok = false;
      return fallback;
    }
    return *v;
  };
  std::string text;
  if (!is_slice) {
    r.lo = bound(index, 0);
    r.hi = r.lo + 1;
    text = std::to_string(r.lo);
  } else {
    r.lo = bound(lo, 0);
    r.hi = bound(hi, -1);
    text = (lo ? std::to_string(r.lo) : std::string()) + ":" +
           (hi ? std::to_string(r.hi) : std::string());
  }
  if (!ok) return std::nullopt;
  const bool negative = r.lo < 0 || (hi && r.hi < 0);
  const bool reversed = r.hi >= 0 && r.hi < r.lo;
  const bool beyond = var.size && (r.lo >= *var.size || r.hi > *var.size);
  if (negative || reversed || beyond) {
    diags().report(DiagnosticKind::SliceOutOfRange, range, text, var.owner_name,
                   var.size ? std::to_string(*var.size) : std::string("an unknown number of"));
    return std::nullopt;
  }
  return r;
}

std::optional<std::size_t> ExperimentChecker::checkRateOf(const ast::Expr& e, ExprChecker& checker,
                                                          double* smooth_width,
                                                          bool require_recorded) {
  if (e.kind != ast::ExprKind::Call || static_cast<const ast::CallExpr&>(e).callee != "rate") {
    diags().report(DiagnosticKind::InvalidValue, e.range, "expected a population rate: `rate(P)`");
    return std::nullopt;
  }
  const auto& c = static_cast<const ast::CallExpr&>(e);
  Resolution r;
  r.kind = SymbolKind::Function;
  r.name = "rate";
  r.builtin_function = BuiltinFunction::Rate;
  checker.recordResolution(c, r);
  checker.recordType(c, Type::quantity(frequencyDim()));
  const ast::NameExpr* population = nullptr;
  bool ok = true;
  for (const auto& a : c.args) {
    if (a.name.empty()) {
      if (population || !a.value || a.value->kind != ast::ExprKind::Name) {
        diags().report(DiagnosticKind::InvalidValue, a.value ? a.value->range : c.range,
                       "`rate` takes one population: `rate(P)` or `rate(P, smooth = gaussian(T))`");
        ok = false;
        continue;
      }
      population = static_cast<const ast::NameExpr*>(a.value.get());
    } else if (a.name == "smooth") {
      if (!smooth_width && require_recorded) {
        // In print statistics a smoothed rate is fine too.
      }
      const ast::Expr* k = a.value.get();
      if (!k || k->kind != ast::ExprKind::Call ||
          static_cast<const ast::CallExpr*>(k)->callee != "gaussian") {
        diags().report(DiagnosticKind::InvalidValue, k ? k->range : a.name_range,
                       "`smooth` takes a window: `smooth = gaussian(20 ms)`");
        ok = false;
        continue;
      }
      const auto& g = static_cast<const ast::CallExpr&>(*k);
      Resolution gr;
      gr.kind = SymbolKind::Function;
      gr.name = "gaussian";
      gr.builtin_function = BuiltinFunction::Gaussian;
      checker.recordResolution(g, gr);
      if (g.args.size() != 1 || !g.args[0].name.empty() || !g.args[0].value) {
        diags().report(DiagnosticKind::WrongArgumentCount, g.range, "gaussian", "1", g.args.size());
        ok = false;
        continue;
      }
      auto width = constant(*g.args[0].value, timeDim(), "the width of `gaussian`");
      if (!width) {
        ok = false;
        continue;
      }
      if (!(*width > 0)) {
        diags().report(DiagnosticKind::InvalidValue, g.args[0].value->range,
                       "the width of `gaussian` must be positive");
        ok = false;
        continue;
      }
      if (smooth_width) *smooth_width = *width;
    } else {
      diags().report(DiagnosticKind::UnknownArgument, a.name_range, "rate", a.name);
      ok = false;
    }
  }
  if (!population) {
    if (ok) diags().report(DiagnosticKind::WrongArgumentCount, c.range, "rate", "1", 0);
    return std::nullopt;
  }
  auto p = findPopulation(population->name, population->range);
  if (!p) return std::nullopt;
  Resolution pr;
  pr.kind = SymbolKind::Population;
  pr.name = population->name;
  pr.index = *p;
  checker.recordResolution(*population, pr);
  if (!ok) return std::nullopt;
  if (require_recorded && !rateRecorded(*p)) {
    reportNotRecorded(c.range, fmt::format("rate({})", population->name));
    return std::nullopt;
  }
  return p;
}

}  // namespace snn::sema::detail
