// `connect [S =] A -> B [using SYNAPSE(overrides)] { rules; delay; variables; on pre/post }`:
// the rules and their conflicts, the synapse model bound to the two populations (its `pre.`
// and `post.` names checked against their models), and inline synapses.
#include <algorithm>

#include "compiler/sema/experiment_scope.h"
#include "compiler/sema/model_checker.h"
#include "compiler/sema/statement_checker.h"
#include "compiler/sema/suggest.h"

namespace snn::sema::detail {
namespace {

const std::vector<std::string>& connectRuleNames() {
  static const std::vector<std::string> names = {
      "p", "condition", "j", "one_to_one", "all", "fixed_indegree", "fixed_outdegree", "delay"};
  return names;
}

bool isPatternRule(const std::string& key) {
  return key == "p" || key == "j" || key == "one_to_one" || key == "all" ||
         key == "fixed_indegree" || key == "fixed_outdegree";
}

}  // namespace

// ------------------------------------------------------------------ connect

void ExperimentChecker::checkConnect(const ast::ConnectStmt& s, SourceRange stmt_range) {
  if (!s.name.empty()) declareGroup(s.name, s.name_range);
  if (run_seen_) {
    diags().report(DiagnosticKind::InvalidValue, stmt_range,
                   "connections must be made before the first `run`");
  }
  CheckedConnect c;
  c.name = s.name;
  c.decl = &s;
  auto source = findPopulation(s.source, s.source_range);
  auto target = findPopulation(s.target, s.target_range);
  if (source) c.source = *source;
  if (target) c.target = *target;
  const CheckedPopulation* src = source ? &out_.populations[*source] : nullptr;
  const CheckedPopulation* tgt = target ? &out_.populations[*target] : nullptr;

  bool synapse_ok = true;
  if (!s.synapse.empty()) {
    const CheckedModel* m = state_.program.findModel(s.synapse);
    if (!m || !m->isSynapse()) {
      auto b = diags().report(DiagnosticKind::UnknownSynapse, s.synapse_range, s.synapse);
      if (m) {
        b.note(m->decl->name_range, fmt::format("`{}` is a neuron model", s.synapse));
      } else {
        std::vector<std::string> names;
        for (const auto& x : state_.program.models)
          if (x->isSynapse()) names.push_back(x->name);
        std::string hint = didYouMean(suggestNames(s.synapse, names));
        if (!hint.empty()) b.note(hint);
      }
      synapse_ok = false;
    } else {
      c.synapse = m;
      checkOverrides(*m, s.arguments, s.name.empty() ? s.synapse : s.name,
                     c.synapse_parameter_values, nullptr);
    }
  } else if (s.has_arguments && !s.arguments.empty()) {
    diags().report(
        DiagnosticKind::InvalidValue,
        s.arguments.front().value ? s.arguments.front().value->range : stmt_range,
        "arguments belong to a synapse model: `connect A -> B using MODEL(name = value)`");
  }

  // Pass 1: sort the items into rules, variables and handlers.
  const ast::ConnectItem* first_pattern = nullptr;
  const ast::ConnectItem* condition_item = nullptr;
  const ast::ConnectItem* if_item = nullptr;
  const ast::ConnectItem* delay_item = nullptr;
  const ast::ConnectItem* fixed_item = nullptr;
  std::unordered_map<std::string, const ast::ConnectItem*> keys;
  std::vector<const ast::ConnectItem*> handlers;
  std::vector<const ast::ConnectItem*> variable_items;
  for (const auto& item : s.items) {
    if (item.kind == ast::ConnectItem::Kind::On) {
      if (c.synapse || !synapse_ok) {
        if (c.synapse) {
          diags().report(
              DiagnosticKind::InvalidValue, item.key_range,
              fmt::format("`on {}` cannot be added to a connection that uses synapse model `{}`; "
                          "write it in the model",
                          item.key, s.synapse));
        }
        continue;
      }
      bool duplicate = false;
      for (const auto* h : handlers) {
        if (h->key == item.key) {
          diags()
              .report(DiagnosticKind::DuplicateDefinition, item.key_range, "on " + item.key)
              .note(h->key_range, "first defined here");
          duplicate = true;
        }
      }
      if (!duplicate) handlers.push_back(&item);
      continue;
    }
    const bool is_rule_name = std::find(connectRuleNames().begin(), connectRuleNames().end(),
                                        item.key) != connectRuleNames().end();
    if (item.kind == ast::ConnectItem::Kind::Rule) {
      if (item.key != "one_to_one" && item.key != "all") {
        auto b = diags().report(DiagnosticKind::UnknownConnectRule, item.key_range, item.key);
        if (is_rule_name) {
          b.note(fmt::format("`{}` needs a value: `{} = ...`", item.key, item.key));
        } else {
          std::string hint = didYouMean(suggestNames(item.key, connectRuleNames()));
          if (!hint.empty()) b.note(hint);
        }
        continue;
      }
    } else if (item.key == "one_to_one" || item.key == "all") {
      diags().report(DiagnosticKind::InvalidValue, item.key_range,
                     fmt::format("`{}` takes no value; write it alone", item.key));
      continue;
    }
    if (auto [it, inserted] = keys.emplace(item.key, &item); !inserted) {
      diags()
          .report(DiagnosticKind::DuplicateDefinition, item.key_range, item.key)
          .note(it->second->key_range, "first defined here");
      continue;
    }
    if (!is_rule_name) {
      variable_items.push_back(&item);
      continue;
    }
    if (item.condition) {
      if (item.key != "p" && item.key != "j") {
        diags().report(
            DiagnosticKind::InvalidValue, item.condition->range,
            fmt::format("`if` applies to `p = ...` and `j = ...`, not to `{}`", item.key));
      } else if (condition_item) {
        diags()
            .report(DiagnosticKind::ConflictingConnectRules, item.condition->range, "if",
                    "condition")
            .note(condition_item->key_range, "the condition is given here");
      } else {
        if_item = &item;
      }
    }
    if (item.key == "delay") {
      delay_item = &item;
      continue;
    }
    if (item.key == "condition") {
      if (if_item) {
        diags()
            .report(DiagnosticKind::ConflictingConnectRules, item.key_range, "condition", "if")
            .note(if_item->condition->range, "the condition is given here");
        continue;
      }
      if (fixed_item) {
        diags()
            .report(DiagnosticKind::ConflictingConnectRules, item.key_range, "condition",
                    fixed_item->key)
            .note(fixed_item->key_range, fmt::format("`{}` given here", fixed_item->key));
        continue;
      }
      condition_item = &item;
      continue;
    }
    if (isPatternRule(item.key)) {
      if (first_pattern) {
        diags()
            .report(DiagnosticKind::ConflictingConnectRules, item.key_range, item.key,
                    first_pattern->key)
            .note(first_pattern->key_range, fmt::format("`{}` given here", first_pattern->key));
        continue;
      }
      if ((item.key == "fixed_indegree" || item.key == "fixed_outdegree") && condition_item) {
        diags()
            .report(DiagnosticKind::ConflictingConnectRules, item.key_range, item.key, "condition")
            .note(condition_item->key_range, "`condition` given here");
        continue;
      }
      first_pattern = &item;
      if (item.key == "fixed_indegree" || item.key == "fixed_outdegree") fixed_item = &item;
    }
  }

  // Scopes: rules see pre./post., the synapse model's variables, i, j, N_pre, N_post, lets.
  auto connectResolver = [&](ExperimentResolver& r) {
    r.pre = src;
    r.post = tgt;
    r.synapse = c.synapse;
    r.synapse_values = &c.synapse_parameter_values;
  };
  auto checkRuleExpr = [&](const ast::Expr& e) -> Type {
    ExperimentResolver resolver(*this);
    connectResolver(resolver);
    ExprContext ctx;
    ctx.where = kWhereConnect;
    ExprChecker checker(state_, resolver, ctx);
    return checker.check(e);
  };
  const bool populations_ok = src && tgt;

  if (first_pattern) {
    const std::string& key = first_pattern->key;
    if (key == "one_to_one") {
      c.rule = ConnectRule::OneToOne;
      if (populations_ok && src->size > 0 && tgt->size > 0 && src->size != tgt->size) {
        diags().report(
            DiagnosticKind::InvalidValue, first_pattern->key_range,
            fmt::format("`one_to_one` needs populations of one size; `{}` has {} and `{}` has {}",
                        src->name, src->size, tgt->name, tgt->size));
      }
    } else if (key == "all") {
      c.rule = ConnectRule::All;
    } else if (key == "p" || key == "j") {
      c.rule = key == "p" ? ConnectRule::Probability : ConnectRule::Explicit;
      c.rule_value = first_pattern->value.get();
      if (first_pattern->value && populations_ok) {
        Type t = checkRuleExpr(*first_pattern->value);
        if (!t.isError() && (t.isBoolean() || t.is_list || !t.dim.isDimensionless())) {
          diags().report(DiagnosticKind::DimensionExpected, first_pattern->value->range,
                         key == "p" ? "the connection probability `p`" : "the target index `j`",
                         "1", t.isBoolean() ? "a condition" : t.dim.toUnitString());
        } else if (!t.isError() && key == "p") {
          // A constant probability outside [0, 1] is a mistake, not "always" or "never".
          ExperimentResolver resolver(*this);
          connectResolver(resolver);
          auto v = evaluateConstant(*first_pattern->value, *state_.tables,
                                    resolver.parameterValues());
          if (v && !v->is_list && !(v->value() >= 0 && v->value() <= 1)) {
            diags().report(DiagnosticKind::InvalidValue, first_pattern->value->range,
                           fmt::format("a connection probability must be between 0 and 1, found {}",
                                       v->value()));
          }
        }
      }
    } else {
      c.rule = key == "fixed_indegree" ? ConnectRule::FixedIndegree : ConnectRule::FixedOutdegree;
      if (first_pattern->value) {
        auto n = integerConstant(*first_pattern->value, fmt::format("`{}`", key));
        if (n && *n < 1) {
          diags().report(DiagnosticKind::InvalidValue, first_pattern->value->range,
                         fmt::format("`{}` must be at least 1", key));
        } else if (n) {
          c.fixed_count = *n;
          const CheckedPopulation* pool = key == "fixed_indegree" ? src : tgt;
          if (pool && pool->size > 0 && *n > pool->size) {
            diags().report(DiagnosticKind::InvalidValue, first_pattern->value->range,
                           fmt::format("`{} = {}` needs at least {} neurons in `{}`, which has {}",
                                       key, *n, *n, pool->name, pool->size));
          }
        }
      }
    }
  }
  const ast::Expr* condition = condition_item ? condition_item->value.get()
                               : if_item      ? if_item->condition.get()
                                              : nullptr;
  if (condition && populations_ok) {
    Type t = checkRuleExpr(*condition);
    if (!t.isError() && !t.isBoolean()) {
      diags().report(DiagnosticKind::ConditionNotBoolean, condition->range,
                     "the connection condition", t.dim.toUnitString());
    }
  }
  c.condition = condition;

  // Synapse variables: an inline synapse declares them; a synapse model's are initialised.
  for (const ast::ConnectItem* item : variable_items) {
    if (c.synapse) {
      auto v = c.synapse->findVariable(item->key);
      if (!v || v->kind == SymbolKind::Builtin) {
        auto b = diags().report(DiagnosticKind::UnknownConnectRule, item->key_range, item->key);
        std::vector<std::string> names = connectRuleNames();
        for (const auto& st : c.synapse->states) names.push_back(st.name);
        std::string hint = didYouMean(suggestNames(item->key, names));
        if (!hint.empty()) b.note(hint);
        continue;
      }
      if (v->kind != SymbolKind::State) {
        diags()
            .report(
                DiagnosticKind::NotAssignable, item->key_range, item->key,
                v->kind == SymbolKind::Parameter
                    ? fmt::format("it is a parameter of `{}`; override it as `using {}({} = ...)`",
                                  s.synapse, s.synapse, item->key)
                    : std::string("it is a sub-expression, defined by its equation"))
            .note(v->declared_at, fmt::format("`{}` declared here", item->key));
        continue;
      }
      if (!item->value || !populations_ok) continue;
      Type t = checkRuleExpr(*item->value);
      if (t.isError()) continue;
      if (t.isBoolean() || t.is_list || !(t.dim == v->type.dim)) {
        diags()
            .report(DiagnosticKind::DimensionMismatch, item->value->range,
                    fmt::format("the initial value of `{}`", item->key),
                    fmt::format("`{}`", item->key), v->type.dim.toUnitString(), "the value",
                    t.isBoolean() ? "a condition" : t.dim.toUnitString())
            .note(v->declared_at, fmt::format("`{}` declared here with unit `{}`", item->key,
                                              v->type.dim.toUnitString()));
        continue;
      }
      c.state_inits.push_back({v->index, item, item->value.get()});
      continue;
    }
    if (!synapse_ok) continue;
    // An inline synapse variable: `w = 0.5 mV`.
    if (isReservedName(item->key)) {
      diags().report(DiagnosticKind::ReservedName, item->key_range, item->key);
      continue;
    }
    InlineVariable var;
    var.name = item->key;
    var.decl = item;
    var.init = item->value.get();
    var.type = Type::error();
    if (item->value && populations_ok) {
      Type t = checkRuleExpr(*item->value);
      if (t.isBoolean()) {
        diags().report(
            DiagnosticKind::InvalidValue, item->value->range,
            fmt::format("synapse variable `{}` must be a number, not a condition", item->key));
      } else if (t.isQuantity() && !t.is_list) {
        var.type = t;
      }
    }
    c.inline_variables.push_back(std::move(var));
  }

  if (delay_item && delay_item->value && populations_ok) {
    ExperimentResolver resolver(*this);
    connectResolver(resolver);
    resolver.inline_vars = &c.inline_variables;
    ExprContext ctx;
    ctx.where = kWhereConnect;
    ExprChecker checker(state_, resolver, ctx);
    Type t = checker.check(*delay_item->value);
    if (checker.expectDimension(*delay_item->value, t, timeDim(), "the delay")) {
      c.delay = delay_item->value.get();
      auto v = evaluateConstant(*c.delay, *state_.tables, resolver.parameterValues());
      if (v && !v->is_list) {
        c.delay_time = v->value();
        if (!(*c.delay_time >= 0)) {
          diags().report(DiagnosticKind::InvalidValue, c.delay->range,
                         "a delay cannot be negative");
        }
      }
    }
  } else if (c.synapse && c.synapse->delay) {
    c.delay = c.synapse->delay;
    c.delay_time = c.synapse->delay_time;
  }

  // A synapse model, bound to these two populations.
  if (c.synapse && populations_ok) {
    SynapseUse use;
    use.source = src;
    use.target = tgt;
    use.note_range = s.synapse_range;
    use.note = fmt::format("in `connect {} -> {} using {}`", s.source, s.target, s.synapse);
    c.pre_post = checkSynapseUse(state_, *c.synapse, use);
  }

  // An inline synapse's handlers.
  if (!c.synapse && populations_ok) {
    for (const ast::ConnectItem* h : handlers) {
      ExperimentResolver resolver(*this);
      resolver.pre = src;
      resolver.post = tgt;
      resolver.inline_vars = &c.inline_variables;
      resolver.target_fallback = true;
      ExprContext ctx;
      ctx.where = kWhereSynapse;
      ExprChecker checker(state_, resolver, ctx);
      StatementChecker statements(checker);
      statements.checkBlock(h->body);
      c.handlers.push_back({h->key, &h->body, nullptr});
    }
  }

  if (populations_ok && src->size > 0 && tgt->size > 0 && !c.condition) {
    switch (c.rule) {
      case ConnectRule::All:
        c.synapse_count = src->size * tgt->size;
        break;
      case ConnectRule::OneToOne:
        c.synapse_count = std::min(src->size, tgt->size);
        break;
      case ConnectRule::FixedIndegree:
        c.synapse_count = c.fixed_count * tgt->size;
        break;
      case ConnectRule::FixedOutdegree:
        c.synapse_count = c.fixed_count * src->size;
        break;
      default:
        break;
    }
  }

  const std::size_t index = out_.connects.size();
  out_.connects.push_back(std::move(c));
  if (!s.name.empty() && !populations_.count(s.name) && !connects_.count(s.name))
    connects_.emplace(s.name, index);
  out_.steps.push_back(CheckedExperiment::ConnectStep{index});
}

}  // namespace snn::sema::detail
