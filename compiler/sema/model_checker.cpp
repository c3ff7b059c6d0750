// The model checker; see model_checker.h. A model's own names (parameters, states,
// sub-expressions) shadow file-level lets, builtins and units. Definitions that use each other
// are checked in dependency order (dependency.h), so every use finds its definition checked.
#include "compiler/sema/model_checker.h"

#include <cmath>
#include <limits>
#include <unordered_set>

#include "compiler/sema/ast_walk.h"
#include "compiler/sema/const_eval.h"
#include "compiler/sema/dependency.h"
#include "compiler/sema/expr_checker.h"
#include "compiler/sema/statement_checker.h"
#include "compiler/sema/suggest.h"
#include "compiler/sema/unit_eval.h"

namespace snn::sema {
namespace {

using units::Dimension;

Dimension timeDim() {
  return Dimension::base(units::BaseDimension::Time);
}

const char* flagSpelling(ast::EquationFlag f) {
  switch (f) {
    case ast::EquationFlag::UnlessRefractory:
      return "unless refractory";
    case ast::EquationFlag::EventDriven:
      return "event-driven";
    case ast::EquationFlag::ClockDriven:
      return "clock-driven";
    case ast::EquationFlag::Summed:
      return "summed";
  }
  return "?";
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

class ModelChecker final : public NameResolver {
 public:
  ModelChecker(SemaState& state, const ast::ModelDecl& decl, CheckedModel& out,
               const SynapseUse* use, std::vector<PrePostBinding>* bindings)
      : state_(state),
        decl_(decl),
        out_(out),
        use_(use),
        bindings_(bindings),
        where_(decl.kind == ast::ModelKind::Neuron ? kWhereNeuron : kWhereSynapse) {}

  void run() {
    out_.kind = decl_.kind;
    out_.name = decl_.name;
    out_.decl = &decl_;
    declare();
    mapEquations();
    checkParameters();
    checkSubExpressions();
    checkOdes();
    checkSummed();
    checkStates();
    checkNeuronItems();
    checkSynapseItems();
    checkMethod();
    checkEventDriven();
  }

  // ---------------------------------------------------------------- NameResolver

  std::optional<NameBinding> resolveName(std::string_view name, SourceRange) override {
    auto it = locals_.find(std::string(name));
    if (it == locals_.end()) return state_.lookupFileLet(name);
    const Local& l = it->second;
    NameBinding b;
    b.resolution.name = std::string(name);
    b.resolution.model = &out_;
    b.declared_at = l.declared_at;
    switch (l.kind) {
      case SymbolKind::Parameter:
        b.resolution.kind = SymbolKind::Parameter;
        b.resolution.index = l.index;
        b.type = param_done_[l.index] ? param_types_[l.index] : Type::error();
        b.is_constant = true;
        break;
      case SymbolKind::State:
        b.resolution.kind = SymbolKind::State;
        b.resolution.index = l.index;
        b.type = state_types_[l.index];
        break;
      default:
        b.resolution.kind = SymbolKind::SubExpression;
        b.resolution.index = subexpr_final_.empty() ? l.index : subexpr_final_[l.index];
        b.type = subexpr_done_.empty() || !subexpr_done_[l.index] ? Type::error()
                                                                  : subexpr_types_[l.index];
        break;
    }
    return b;
  }

  bool hasName(std::string_view name) const override {
    return locals_.count(std::string(name)) > 0 || state_.lookupFileLet(name).has_value();
  }

  std::optional<NameBinding> resolveMember(const ast::MemberExpr& e,
                                           ExprChecker& checker) override {
    if (out_.isSynapse() && e.object && e.object->kind == ast::ExprKind::Name) {
      const auto& object = static_cast<const ast::NameExpr&>(*e.object).name;
      if (object == "pre" || object == "post") {
        return resolvePrePost(object == "post", e.member, e.range, false);
      }
    }
    return NameResolver::resolveMember(e, checker);
  }

  std::optional<NameBinding> resolveTarget(const ast::LValue& lv, ExprChecker& checker) override {
    const std::string text = targetText(lv);
    if (lv.has_subscript) {
      state_.diags.report(
          DiagnosticKind::InvalidValue, lv.range,
          "`[...]` selects neurons of a population variable, and only in experiments");
      return std::nullopt;
    }
    if (!lv.object.empty()) {
      if (lv.object == "pre" || lv.object == "post") {
        if (!out_.isSynapse()) {
          state_.diags.report(DiagnosticKind::PrePostOutsideSynapse, lv.object_range, lv.object);
          return std::nullopt;
        }
        return resolvePrePost(lv.object == "post", lv.name, lv.range, true);
      }
      checker.reportUndefined(text, lv.range);
      return std::nullopt;
    }
    auto it = locals_.find(lv.name);
    if (it != locals_.end()) {
      const Local& l = it->second;
      if (l.kind == SymbolKind::State) return resolveName(lv.name, lv.name_range);
      const char* reason =
          l.kind == SymbolKind::Parameter
              ? "it is a parameter, constant during a run; declare it in `state` to change it"
              : "it is a sub-expression, defined by its equation";
      state_.diags.report(DiagnosticKind::NotAssignable, lv.name_range, lv.name, reason)
          .note(l.declared_at, fmt::format("`{}` declared here", lv.name));
      return std::nullopt;
    }
    if (auto let = state_.lookupFileLet(lv.name)) {
      state_.diags
          .report(DiagnosticKind::NotAssignable, lv.name_range, lv.name, "it is a constant (`let`)")
          .note(let->declared_at, fmt::format("`{}` declared here", lv.name));
      return std::nullopt;
    }
    if (findBuiltinVariable(lv.name) || isNoiseName(lv.name)) {
      state_.diags.report(DiagnosticKind::NotAssignable, lv.name_range, lv.name,
                          "it is a built-in variable");
      return std::nullopt;
    }
    checker.reportUndefined(lv.name, lv.name_range);
    return std::nullopt;
  }

  void addCandidates(std::vector<std::string>& out) const override {
    for (const auto& [name, local] : locals_) out.push_back(name);
    state_.addFileLetCandidates(out);
  }

 private:
  struct Local {
    SymbolKind kind;
    std::size_t index;  // declaration index within its kind
    SourceRange declared_at;
  };

  ExprContext context() const {
    ExprContext c;
    c.where = where_;
    return c;
  }

  // ---------------------------------------------------------------- pre. and post.

  std::optional<NameBinding> resolvePrePost(bool is_post, const std::string& name,
                                            SourceRange range, bool assigned) {
    bool found = false;
    for (auto& u : out_.pre_post_uses) {
      if (u.is_post == is_post && u.name == name) {
        u.assigned = u.assigned || assigned;
        found = true;
      }
    }
    if (!found) out_.pre_post_uses.push_back({is_post, name, range, assigned});

    NameBinding b;
    b.resolution.kind = is_post ? SymbolKind::PostVariable : SymbolKind::PreVariable;
    b.resolution.name = name;
    if (!use_) {
      b.type = Type::error();  // unknown until a connect binds it; silent
      return b;
    }
    const CheckedPopulation& pop = is_post ? *use_->target : *use_->source;
    const char* side = is_post ? "post" : "pre";
    auto v = pop.findVariable(name);
    if (!v) {
      if (missing_reported_.insert(std::string(side) + "." + name).second) {
        state_.diags.report(DiagnosticKind::SynapseVariableMissing, range, decl_.name, side, name,
                            pop.name, pop.modelName(), name);
      }
      return std::nullopt;
    }
    if (assigned && v->kind != SymbolKind::State) {
      const std::string reason =
          v->kind == SymbolKind::Parameter
              ? fmt::format("it is a parameter of `{}`, constant during a run", pop.modelName())
          : v->kind == SymbolKind::SubExpression
              ? fmt::format("it is a sub-expression of `{}`", pop.modelName())
              : std::string("it is maintained by the simulator");
      auto r = state_.diags.report(DiagnosticKind::NotAssignable, range,
                                   std::string(side) + "." + name, reason);
      if (v->declared_at.valid()) r.note(v->declared_at, fmt::format("`{}` declared here", name));
      return std::nullopt;
    }
    b.resolution.model = pop.model;
    b.resolution.member_kind = v->kind;
    b.resolution.index = v->index;
    b.type = v->type;
    b.declared_at = v->declared_at;
    if (bindings_) {
      bool bound = false;
      for (const auto& pb : *bindings_) bound = bound || (pb.is_post == is_post && pb.name == name);
      if (!bound) bindings_->push_back({is_post, name, v->kind, v->index, v->type});
    }
    return b;
  }

  // ---------------------------------------------------------------- declarations

  bool declareLocal(const std::string& name, SourceRange range, SymbolKind kind,
                    std::size_t index) {
    if (isReservedName(name)) {
      state_.diags.report(DiagnosticKind::ReservedName, range, name);
      return false;
    }
    auto [it, inserted] = locals_.emplace(name, Local{kind, index, range});
    if (!inserted) {
      state_.diags.report(DiagnosticKind::DuplicateDefinition, range, name)
          .note(it->second.declared_at, "first defined here");
      return false;
    }
    return true;
  }

  void declare() {
    for (std::size_t k = 0; k < decl_.parameters.size(); ++k) {
      const auto& p = decl_.parameters[k];
      declareLocal(p.name, p.name_range, SymbolKind::Parameter, k);
      out_.parameters.push_back({p.name, &p, Dimension(), kNaN});
    }
    param_types_.assign(decl_.parameters.size(), Type::error());
    param_done_.assign(decl_.parameters.size(), false);

    for (std::size_t k = 0; k < decl_.states.size(); ++k) {
      const auto& s = decl_.states[k];
      declareLocal(s.name, s.name_range, SymbolKind::State, k);
      auto unit = checkUnit(s.unit, state_.diags);
      out_.states.push_back({s.name, &s, unit ? unit->dim : Dimension(), s.init.get(), false, 0});
      state_types_.push_back(unit ? Type::quantity(unit->dim) : Type::error());
    }

    for (const auto& eq : decl_.equations) {
      if (eq.is_ode || !eq.object.empty()) continue;
      const std::size_t k = subexpr_decls_.size();
      subexpr_decls_.push_back(&eq);
      declareLocal(eq.name, eq.name_range, SymbolKind::SubExpression, k);
    }
  }

  // ---------------------------------------------------------------- equations and flags

  void mapEquations() {
    std::vector<const ast::Equation*> ode_of_state(decl_.states.size(), nullptr);
    for (const auto& eq : decl_.equations) {
      if (eq.is_ode) {
        mapOde(eq, ode_of_state);
      } else if (eq.object.empty()) {
        for (const auto& f : eq.flags) {
          state_.diags.report(DiagnosticKind::FlagNotAllowed, f.range, flagSpelling(f.flag),
                              "on a sub-expression; flags go after differential equations");
        }
      } else {
        mapSummed(eq);
      }
    }
  }

  void mapOde(const ast::Equation& eq, std::vector<const ast::Equation*>& ode_of_state) {
    CheckedOde ode;
    ode.decl = &eq;
    ode.rhs = eq.rhs.get();
    bool event = false;
    bool clock = false;
    for (const auto& f : eq.flags) {
      switch (f.flag) {
        case ast::EquationFlag::UnlessRefractory:
          if (out_.isNeuron()) {
            ode.unless_refractory = true;
          } else {
            state_.diags.report(DiagnosticKind::FlagNotAllowed, f.range, flagSpelling(f.flag),
                                "in a synapse model; only neurons are refractory");
          }
          break;
        case ast::EquationFlag::EventDriven:
        case ast::EquationFlag::ClockDriven: {
          const bool is_event = f.flag == ast::EquationFlag::EventDriven;
          if (out_.isNeuron()) {
            state_.diags.report(
                DiagnosticKind::FlagNotAllowed, f.range, flagSpelling(f.flag),
                "in a neuron model; it chooses how synapse equations are integrated");
          } else if ((is_event && clock) || (!is_event && event)) {
            state_.diags.report(DiagnosticKind::FlagNotAllowed, f.range, flagSpelling(f.flag),
                                "together with `event-driven` or `clock-driven`; choose one");
          } else {
            (is_event ? event : clock) = true;
          }
          break;
        }
        case ast::EquationFlag::Summed:
          state_.diags.report(
              DiagnosticKind::FlagNotAllowed, f.range, flagSpelling(f.flag),
              "on a differential equation; it marks `post.X = ...` definitions in synapses");
          break;
      }
    }
    ode.event_driven = event;

    auto it = locals_.find(eq.name);
    if (it == locals_.end() || it->second.kind != SymbolKind::State) {
      auto b = state_.diags.report(DiagnosticKind::NotAState, eq.name_range, eq.name, eq.name);
      if (it != locals_.end()) {
        b.note(it->second.declared_at,
               fmt::format("`{}` is a {}", eq.name, spelling(it->second.kind)));
      }
      return;
    }
    const std::size_t s = it->second.index;
    if (ode_of_state[s]) {
      state_.diags.report(DiagnosticKind::DuplicateEquation, eq.name_range, eq.name)
          .note(ode_of_state[s]->name_range, "first equation here");
      return;
    }
    ode_of_state[s] = &eq;
    ode.state = s;
    if (eq.unit) {
      auto unit = checkUnit(*eq.unit, state_.diags);
      if (unit && !state_types_[s].isError() && !(unit->dim == state_types_[s].dim)) {
        state_.diags
            .report(DiagnosticKind::DimensionMismatch, eq.unit->range,
                    fmt::format("the unit after `d{}/dt` must be the state's", eq.name),
                    "the annotation", unit->dim.toUnitString(), fmt::format("`{}`", eq.name),
                    state_types_[s].dim.toUnitString())
            .note(decl_.states[s].name_range,
                  fmt::format("`{}` declared here with unit `{}`", eq.name,
                              state_types_[s].dim.toUnitString()));
      }
    }
    out_.states[s].has_ode = true;
    out_.states[s].ode = out_.odes.size();
    out_.odes.push_back(std::move(ode));
  }

  void mapSummed(const ast::Equation& eq) {
    const bool pre_post = eq.object == "pre" || eq.object == "post";
    if (!pre_post) {
      state_.diags.report(
          DiagnosticKind::InvalidValue, eq.object_range,
          fmt::format("`{}.{} = ...`: only `post.X` and `pre.X` can be defined with a prefix, "
                      "in synapses",
                      eq.object, eq.name));
      return;
    }
    if (!out_.isSynapse()) {
      state_.diags.report(DiagnosticKind::PrePostOutsideSynapse, eq.object_range, eq.object);
      return;
    }
    bool summed = false;
    for (const auto& f : eq.flags) {
      if (f.flag == ast::EquationFlag::Summed) {
        summed = true;
      } else {
        state_.diags.report(DiagnosticKind::FlagNotAllowed, f.range, flagSpelling(f.flag),
                            "on a summed variable");
      }
    }
    if (!summed) {
      state_.diags.report(DiagnosticKind::SummedFlagMissing,
                          SourceRange::cover(eq.object_range, eq.name_range), eq.object, eq.name,
                          eq.object);
      return;
    }
    summed_decls_.push_back(&eq);
  }

  // ---------------------------------------------------------------- parameters

  void checkParameters() {
    DependencyGraph graph;
    for (const auto& p : decl_.parameters) graph.addNode(p.name);
    for (std::size_t k = 0; k < decl_.parameters.size(); ++k) {
      const auto& p = decl_.parameters[k];
      if (!p.value) continue;
      forEachName(*p.value, [&](const ast::NameExpr& n) {
        auto it = locals_.find(n.name);
        if (it != locals_.end() && it->second.kind == SymbolKind::Parameter)
          graph.addEdge(k, it->second.index, n.range);
      });
    }
    std::vector<bool> on_cycle;
    for (std::size_t k : graph.order(state_.diags, on_cycle)) checkParameter(k, on_cycle[k]);
  }

  void checkParameter(std::size_t k, bool on_cycle) {
    const auto& p = decl_.parameters[k];
    CheckedParameter& out = out_.parameters[k];
    Type t = Type::error();
    if (p.value) {
      ExprContext c;
      c.where = kWhereConstant;
      c.constant = true;
      c.what = fmt::format("the value of parameter `{}`", p.name);
      ExprChecker checker(state_, *this, c);
      t = checker.check(*p.value);
      if (t.isBoolean()) {
        state_.diags.report(
            DiagnosticKind::InvalidValue, p.value->range,
            fmt::format("parameter `{}` must be a number, not a condition", p.name));
        t = Type::error();
      }
    }
    if (p.unit) {
      auto unit = checkUnit(*p.unit, state_.diags);
      if (unit) {
        if (t.isQuantity() && !(t.dim == unit->dim)) {
          state_.diags
              .report(DiagnosticKind::UnitAnnotationMismatch, p.value->range, p.name,
                      unitText(*p.unit), t.dim.toUnitString())
              .note(p.unit->range, fmt::format("`{}` is annotated here", p.name));
        }
        // The annotation is what the author meant: uses are checked against it.
        out.dim = unit->dim;
        if (!on_cycle) t = Type::quantity(unit->dim);
      }
    } else if (t.isQuantity()) {
      out.dim = t.dim;
    }
    param_types_[k] = on_cycle ? Type::error() : t;
    param_done_[k] = true;
    if (t.isError() || on_cycle || !p.value) return;
    auto value = evaluateConstant(*p.value, *state_.tables,
                                  [&](const Resolution& r) -> std::optional<double> {
                                    if (r.model != &out_ || r.index >= out_.parameters.size())
                                      return std::nullopt;
                                    return out_.parameters[r.index].value;
                                  });
    if (!value || value->is_list) return;
    out.value = value->value();
    // inf is a legitimate value (`V_cut = inf * mV`); only NaN (0/0, log(-1)) is an error.
    if (std::isnan(out.value)) {
      state_.diags.report(DiagnosticKind::InvalidValue, p.value->range,
                          fmt::format("the value of parameter `{}` is not a number (NaN)", p.name));
    }
  }

  // ---------------------------------------------------------------- sub-expressions

  void checkSubExpressions() {
    const std::size_t n = subexpr_decls_.size();
    DependencyGraph graph;
    for (const auto* eq : subexpr_decls_) graph.addNode(eq->name);
    for (std::size_t k = 0; k < n; ++k) {
      if (!subexpr_decls_[k]->rhs) continue;
      forEachName(*subexpr_decls_[k]->rhs, [&](const ast::NameExpr& use) {
        auto it = locals_.find(use.name);
        if (it != locals_.end() && it->second.kind == SymbolKind::SubExpression) {
          graph.addEdge(k, it->second.index, use.range);
        }
      });
    }
    std::vector<bool> on_cycle;
    const auto order = graph.order(state_.diags, on_cycle);
    subexpr_final_.assign(n, 0);
    for (std::size_t pos = 0; pos < order.size(); ++pos) subexpr_final_[order[pos]] = pos;
    subexpr_types_.assign(n, Type::error());
    subexpr_done_.assign(n, false);
    out_.subexpressions.resize(n);
    for (std::size_t k : order) {
      const ast::Equation& eq = *subexpr_decls_[k];
      CheckedSubExpression& out = out_.subexpressions[subexpr_final_[k]];
      out.name = eq.name;
      out.decl = &eq;
      out.expr = eq.rhs.get();
      Type t = Type::error();
      if (eq.rhs) {
        ExprChecker checker(state_, *this, context());
        t = checker.check(*eq.rhs);
      }
      if (eq.unit) {
        auto unit = checkUnit(*eq.unit, state_.diags);
        if (unit && !t.isError() && (t.isBoolean() || !(t.dim == unit->dim))) {
          state_.diags
              .report(DiagnosticKind::UnitAnnotationMismatch, eq.rhs->range, eq.name,
                      unitText(*eq.unit), t.isBoolean() ? "a condition" : t.dim.toUnitString())
              .note(eq.unit->range, fmt::format("`{}` is annotated here", eq.name));
          t = Type::quantity(unit->dim);
        }
      }
      if (on_cycle[k]) t = Type::error();
      out.type = t;
      subexpr_types_[k] = t;
      subexpr_done_[k] = true;
    }
  }

  // ---------------------------------------------------------------- ODEs and summed variables

  void checkOdes() {
    for (auto& ode : out_.odes) {
      const ast::Equation& eq = *ode.decl;
      if (!eq.rhs) continue;
      ExprContext c = context();
      c.allow_noise = !ode.event_driven;
      c.in_event_driven = ode.event_driven;
      ExprChecker checker(state_, *this, c);
      Type t = checker.check(*eq.rhs);
      ode.noise_sources = checker.noiseSources();
      ode.has_noise = !ode.noise_sources.empty();
      const Type& state_type = state_types_[ode.state];
      if (t.isError() || state_type.isError()) continue;
      auto expected = state_type.dim / timeDim();
      if (!expected) continue;
      if (t.isBoolean() || t.is_list || !(t.dim == *expected)) {
        auto b = state_.diags.report(DiagnosticKind::DerivativeDimension, eq.rhs->range, eq.name,
                                     expected->toUnitString(),
                                     t.isBoolean() ? "a condition" : t.dim.toUnitString());
        b.note(decl_.states[ode.state].name_range,
               fmt::format("`{}` declared here with unit `{}`", eq.name,
                           state_type.dim.toUnitString()));
        checker.addDeclarationNotes(b, *eq.rhs);
      }
    }
  }

  void checkSummed() {
    for (const ast::Equation* eq : summed_decls_) {
      const bool is_post = eq->object == "post";
      CheckedSummed s;
      s.is_post = is_post;
      s.variable = eq->name;
      s.decl = eq;
      s.expr = eq->rhs.get();
      Type t = Type::error();
      ExprChecker checker(state_, *this, context());
      if (eq->rhs) t = checker.check(*eq->rhs);
      if (t.isBoolean()) {
        state_.diags.report(DiagnosticKind::BooleanInArithmetic, eq->rhs->range);
        t = Type::error();
      }
      out_.summed.push_back(s);
      // The target: a state of the neuron, not integrated by an ODE of its own.
      auto target = resolvePrePost(is_post, eq->name,
                                   SourceRange::cover(eq->object_range, eq->name_range), true);
      if (!use_ || !target || target->type.isError()) continue;
      const CheckedPopulation& pop = is_post ? *use_->target : *use_->source;
      if (pop.model && target->resolution.member_kind == SymbolKind::State &&
          pop.model->states[target->resolution.index].has_ode) {
        state_.diags
            .report(DiagnosticKind::NotAssignable,
                    SourceRange::cover(eq->object_range, eq->name_range),
                    eq->object + "." + eq->name,
                    "a summed variable is recomputed every step, but it is integrated by its own "
                    "equation")
            .note(target->declared_at, fmt::format("`{}` declared here", eq->name));
        continue;
      }
      if (t.isQuantity() && !(t.dim == target->type.dim)) {
        auto b = checker.reportMismatch(
            eq->rhs->range, fmt::format("summed variable `{}.{}`", eq->object, eq->name),
            "the definition", t, eq->rhs.get(), fmt::format("`{}.{}`", eq->object, eq->name),
            target->type, nullptr);
        if (target->declared_at.valid()) {
          b.note(target->declared_at, fmt::format("`{}` declared here with unit `{}`", eq->name,
                                                  target->type.dim.toUnitString()));
        }
      }
    }
  }

  // ---------------------------------------------------------------- states

  // States whose value sub-expression k uses, directly or through other sub-expressions.
  void statesUsedBy(const ast::Expr& e, std::vector<std::pair<std::size_t, SourceRange>>& out,
                    SourceRange use, std::unordered_set<std::size_t>& visiting) {
    forEachName(e, [&](const ast::NameExpr& n) {
      auto it = locals_.find(n.name);
      if (it == locals_.end()) return;
      const SourceRange at = use.valid() ? use : n.range;
      if (it->second.kind == SymbolKind::State) {
        out.emplace_back(it->second.index, at);
      } else if (it->second.kind == SymbolKind::SubExpression) {
        const std::size_t k = it->second.index;
        if (!visiting.insert(k).second || !subexpr_decls_[k]->rhs) return;
        statesUsedBy(*subexpr_decls_[k]->rhs, out, at, visiting);
      }
    });
  }

  void checkStates() {
    DependencyGraph graph;
    for (const auto& s : decl_.states) graph.addNode(s.name);
    for (std::size_t k = 0; k < decl_.states.size(); ++k) {
      const auto& s = decl_.states[k];
      if (!s.init) continue;
      ExprChecker checker(state_, *this, context());
      Type t = checker.check(*s.init);
      if (!t.isError() && !state_types_[k].isError() && checker.expectNumber(*s.init, t) &&
          !(t.dim == state_types_[k].dim)) {
        auto b = checker.reportMismatch(
            s.init->range, fmt::format("the initial value of `{}`", s.name),
            fmt::format("`{}`", s.name), state_types_[k], nullptr, "the value", t, s.init.get());
        b.note(s.name_range, fmt::format("`{}` declared here with unit `{}`", s.name,
                                         state_types_[k].dim.toUnitString()));
      }
      std::vector<std::pair<std::size_t, SourceRange>> deps;
      std::unordered_set<std::size_t> visiting;
      statesUsedBy(*s.init, deps, SourceRange{}, visiting);
      for (const auto& [state, use] : deps) graph.addEdge(k, state, use);
    }
    std::vector<bool> on_cycle;
    out_.state_init_order = graph.order(state_.diags, on_cycle);
  }

  // ---------------------------------------------------------------- neuron items

  void checkNeuronItems() {
    if (!out_.isNeuron()) return;
    if (decl_.threshold) {
      ExprChecker checker(state_, *this, context());
      Type t = checker.check(*decl_.threshold);
      checker.expectCondition(*decl_.threshold, t, "the threshold");
      out_.threshold = decl_.threshold.get();
    }
    if (decl_.has_reset) {
      ExprChecker checker(state_, *this, context());
      StatementChecker statements(checker);
      statements.checkBlock(decl_.reset);
      out_.reset = &decl_.reset;
    }
    if (decl_.refractory) {
      ExprChecker checker(state_, *this, context());
      Type t = checker.check(*decl_.refractory);
      out_.refractory = decl_.refractory.get();
      if (t.isBoolean()) {
        out_.refractory_kind = RefractoryKind::Condition;
      } else if (checker.expectDimension(*decl_.refractory, t, timeDim(),
                                         "the refractory period")) {
        out_.refractory_kind = RefractoryKind::Time;
        auto v = evaluateConstant(*decl_.refractory, *state_.tables, parameterDefaults());
        if (v && !v->is_list) out_.refractory_time = v->value();
      }
    }
  }

  ParameterValues parameterDefaults() {
    return [this](const Resolution& r) -> std::optional<double> {
      if (r.model != &out_ || r.index >= out_.parameters.size()) return std::nullopt;
      return out_.parameters[r.index].value;
    };
  }

  // ---------------------------------------------------------------- synapse items

  void checkSynapseItems() {
    if (!out_.isSynapse()) return;
    const ast::EventHandler* seen[2] = {nullptr, nullptr};
    for (const auto& h : decl_.handlers) {
      const int slot = h.event == "post" ? 1 : 0;
      if (h.event != "pre" && h.event != "post") continue;  // reported by the parser
      if (seen[slot]) {
        state_.diags.report(DiagnosticKind::DuplicateDefinition, h.event_range, "on " + h.event)
            .note(seen[slot]->event_range, "first defined here");
        continue;
      }
      seen[slot] = &h;
      ExprChecker checker(state_, *this, context());
      StatementChecker statements(checker);
      statements.checkBlock(h.body);
      out_.handlers.push_back({h.event, &h.body, &h});
    }
    if (decl_.delay) {
      ExprChecker checker(state_, *this, context());
      Type t = checker.check(*decl_.delay);
      out_.delay = decl_.delay.get();
      if (checker.expectDimension(*decl_.delay, t, timeDim(), "the delay")) {
        auto v = evaluateConstant(*decl_.delay, *state_.tables, parameterDefaults());
        if (v && !v->is_list) out_.delay_time = v->value();
      }
    }
  }

  void checkMethod() {
    if (decl_.method.empty()) return;
    std::vector<std::string> names;
    for (auto m : integrationMethods()) names.emplace_back(m);
    for (const auto& m : names) {
      if (m == decl_.method) {
        out_.method = m;
        return;
      }
    }
    auto b = state_.diags.report(DiagnosticKind::UnknownMethod, decl_.method_range, decl_.method);
    std::string hint = didYouMean(suggestNames(decl_.method, names));
    std::string list;
    for (const auto& m : names) list += (list.empty() ? "`" : ", `") + m + "`";
    b.note(hint.empty() ? "the methods are " + list : hint + " (the methods are " + list + ")");
  }

  // ---------------------------------------------------------------- event-driven equations

  // An event-driven equation is solved exactly, and only when an event reaches the synapse, so
  // it may only use what does not change between events.
  void checkEventDriven() {
    for (const auto& ode : out_.odes) {
      if (!ode.event_driven || !ode.rhs) continue;
      const std::string& variable = out_.states[ode.state].name;
      std::unordered_set<const ast::Expr*> visited;
      checkEventDrivenExpr(*ode.rhs, variable, visited);
    }
  }

  void checkEventDrivenExpr(const ast::Expr& e, const std::string& variable,
                            std::unordered_set<const ast::Expr*>& visited) {
    if (!visited.insert(&e).second) return;
    forEachExpr(e, [&](const ast::Expr& sub) {
      const Resolution* r = state_.tables->resolutionOf(&sub);
      if (!r) return;
      if (r->kind == SymbolKind::PreVariable || r->kind == SymbolKind::PostVariable) {
        state_.diags.report(DiagnosticKind::EventDrivenDependency, sub.range, variable,
                            (r->kind == SymbolKind::PreVariable ? "pre." : "post.") + r->name,
                            "it belongs to a neuron, which changes between events");
      } else if (r->kind == SymbolKind::State && r->model == &out_ &&
                 r->index < out_.states.size()) {
        const CheckedState& s = out_.states[r->index];
        if (s.has_ode && !out_.odes[s.ode].event_driven) {
          state_.diags.report(DiagnosticKind::EventDrivenDependency, sub.range, variable, r->name,
                              "it is integrated by a clock-driven equation");
        }
      } else if (r->kind == SymbolKind::SubExpression && r->model == &out_ &&
                 r->index < out_.subexpressions.size() && out_.subexpressions[r->index].expr) {
        checkEventDrivenExpr(*out_.subexpressions[r->index].expr, variable, visited);
      } else if (r->kind == SymbolKind::Builtin && r->builtin_variable == BuiltinVariable::T) {
        // `t` is fine: the exact solution is evaluated at the event's time.
      }
    });
  }

  SemaState& state_;
  const ast::ModelDecl& decl_;
  CheckedModel& out_;
  const SynapseUse* use_;
  std::vector<PrePostBinding>* bindings_;
  Where where_;

  std::unordered_map<std::string, Local> locals_;
  std::vector<Type> param_types_;
  std::vector<bool> param_done_;
  std::vector<Type> state_types_;
  std::vector<const ast::Equation*> subexpr_decls_;
  std::vector<std::size_t> subexpr_final_;
  std::vector<Type> subexpr_types_;
  std::vector<bool> subexpr_done_;
  std::vector<const ast::Equation*> summed_decls_;
  std::unordered_set<std::string> missing_reported_;
};

}  // namespace

void checkModel(SemaState& state, const ast::ModelDecl& decl, CheckedModel& out) {
  ModelChecker checker(state, decl, out, nullptr, nullptr);
  checker.run();
}

std::vector<PrePostBinding> checkSynapseUse(SemaState& state, const CheckedModel& synapse,
                                            const SynapseUse& use) {
  std::vector<PrePostBinding> bindings;
  if (!synapse.decl || !use.source || !use.target) return bindings;
  // The scratch model and tables: the program keeps the synapse's own check; this pass only
  // adds diagnostics, bindings, and the types that were unknown without the populations.
  CheckedModel scratch;
  ExprTables scratch_tables;
  ExprTables* saved = state.tables;
  state.tables = &scratch_tables;
  {
    Reporter::ContextScope context(state.diags, use.note_range, use.note);
    ModelChecker checker(state, *synapse.decl, scratch, &use, &bindings);
    checker.run();
  }
  state.tables = saved;
  for (const auto& [expr, type] : scratch_tables.types) {
    auto it = saved->types.find(expr);
    if (it != saved->types.end() && it->second.isError() && !type.isError()) it->second = type;
  }
  return bindings;
}

}  // namespace snn::sema
