// The experiment checker; see experiment_checker.h. This file walks the protocol and checks
// settings, lets, populations, runs, `at` blocks and assignments; connect_checker.cpp checks
// connections, output_checker.cpp recordings, prints, plots and input statements, and
// experiment_scope.cpp holds the name resolver they share.
#include "compiler/sema/experiment_checker.h"

#include <cmath>
#include <functional>
#include <limits>

#include "compiler/sema/experiment_scope.h"
#include "compiler/sema/let_checker.h"
#include "compiler/sema/statement_checker.h"
#include "compiler/sema/suggest.h"
#include "compiler/units/unit_table.h"

namespace snn::sema {
namespace detail {

using units::Dimension;

// Populations and named connects share one namespace, apart from variables: they appear only
// in `P.X`, `spikes(P)`, `connect P -> Q` and the like, so no built-in name is taken from them.
void ExperimentChecker::declareGroup(const std::string& name, SourceRange range) {
  auto [it, inserted] = group_names_.emplace(name, range);
  if (!inserted) {
    diags()
        .report(DiagnosticKind::DuplicateDefinition, range, name)
        .note(it->second, "first defined here");
  }
}

// ------------------------------------------------------------------ the protocol

void ExperimentChecker::run() {
  out_.name = decl_.name;
  out_.decl = &decl_;
  // Reserve so that pointers into these vectors (resolutions, synapse checks) stay valid.
  std::size_t lets = 0, populations = 0, connects = 0, records = 0;
  for (const auto& stmt : decl_.body) {
    if (std::holds_alternative<ast::LetDecl>(stmt.node)) ++lets;
    if (std::holds_alternative<ast::PopulationStmt>(stmt.node)) ++populations;
    if (std::holds_alternative<ast::ConnectStmt>(stmt.node)) ++connects;
    if (const auto* r = std::get_if<ast::RecordStmt>(&stmt.node)) records += r->items.size();
  }
  out_.lets.reserve(lets);
  out_.populations.reserve(populations);
  out_.connects.reserve(connects);
  out_.recordings.reserve(records);

  for (const auto& stmt : decl_.body) {
    std::visit(
        [&](const auto& node) {
          using T = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<T, ast::PopulationStmt>) {
            checkPopulation(node, stmt.range);
          } else if constexpr (std::is_same_v<T, ast::ConnectStmt>) {
            checkConnect(node, stmt.range);
          } else if constexpr (std::is_same_v<T, ast::RecordStmt>) {
            checkRecord(node);
          } else if constexpr (std::is_same_v<T, ast::RunStmt>) {
            checkRun(node, stmt.range);
          } else if constexpr (std::is_same_v<T, ast::AtStmt>) {
            checkAt(node, stmt.range);
          } else if constexpr (std::is_same_v<T, ast::PrintStmt>) {
            checkPrint(node);
          } else if constexpr (std::is_same_v<T, ast::PlotStmt>) {
            checkPlot(node, stmt.range);
          } else if constexpr (std::is_same_v<T, ast::LetDecl>) {
            checkLetStmt(node);
          } else if constexpr (std::is_same_v<T, ast::CallStmt>) {
            checkCallStmt(node);
          } else if constexpr (std::is_same_v<T, ast::AssignStmt>) {
            checkAssign(node, nullptr);
          }
        },
        stmt.node);
  }
  if (!run_seen_) diags().report(DiagnosticKind::NoRun, decl_.name_range, decl_.name);
}

void ExperimentChecker::checkLetStmt(const ast::LetDecl& s) {
  bool declare = true;
  if (isReservedName(s.name)) {
    diags().report(DiagnosticKind::ReservedName, s.name_range, s.name);
    declare = false;
  } else if (auto previous = lookupLet(s.name)) {
    diags()
        .report(DiagnosticKind::DuplicateDefinition, s.name_range, s.name)
        .note(previous->declared_at, "first defined here");
    declare = false;
  }
  ExperimentResolver resolver(*this);
  CheckedLet let = checkLet(state_, s, resolver);
  const bool ok = !let.type.isError();
  out_.lets.push_back(std::move(let));
  let_ok_.push_back(ok);
  if (declare) lets_.emplace(s.name, out_.lets.size() - 1);
}

void ExperimentChecker::checkPopulation(const ast::PopulationStmt& s, SourceRange stmt_range) {
  declareGroup(s.name, s.name_range);
  if (run_seen_) {
    diags().report(DiagnosticKind::InvalidValue, stmt_range,
                   "populations must be created before the first `run`");
  }
  CheckedPopulation p;
  p.name = s.name;
  p.decl = &s;
  bool model_ok = true;
  if (s.model == kPoissonGenerator) {
    p.kind = PopulationKind::Poisson;
  } else if (s.model == kSpikeGenerator) {
    p.kind = PopulationKind::SpikeGenerator;
  } else {
    p.kind = PopulationKind::Neuron;
    p.model = state_.program.findModel(s.model);
    if (!p.model || !p.model->isNeuron()) {
      auto b = diags().report(DiagnosticKind::UnknownModel, s.model_range, s.model);
      if (p.model) {
        b.note(p.model->decl->name_range,
               fmt::format("`{}` is a synapse model; use it in `connect A -> B using {}`", s.model,
                           s.model));
      } else {
        std::vector<std::string> names;
        for (const auto& m : state_.program.models)
          if (m->isNeuron()) names.push_back(m->name);
        names.emplace_back(kPoissonGenerator);
        names.emplace_back(kSpikeGenerator);
        std::string hint = didYouMean(suggestNames(s.model, names));
        if (!hint.empty()) b.note(hint);
      }
      p.model = nullptr;
      model_ok = false;
    }
  }
  if (s.size) {
    const std::string what = fmt::format("the size of population `{}`", s.name);
    if (auto n = integerConstant(*s.size, what)) {
      if (*n < 1) {
        diags().report(DiagnosticKind::InvalidValue, s.size->range,
                       fmt::format("population `{}` must have at least one neuron", s.name));
      } else {
        p.size = *n;
      }
    }
  }
  if (p.kind == PopulationKind::Neuron && p.model) {
    checkOverrides(*p.model, s.arguments, s.name, p.parameter_values, &p.overrides);
  } else if (p.kind == PopulationKind::Poisson) {
    checkPoisson(s, p);
  } else if (p.kind == PopulationKind::SpikeGenerator) {
    checkSpikeGenerator(s, p);
  }
  if (model_ok) checkInitialisers(s, p);

  const std::size_t index = out_.populations.size();
  out_.populations.push_back(std::move(p));
  if (!populations_.count(s.name) && !connects_.count(s.name)) populations_.emplace(s.name, index);
  out_.steps.push_back(CheckedExperiment::PopulationStep{index});
}

void ExperimentChecker::checkOverrides(const CheckedModel& model,
                                       const std::vector<ast::Argument>& args,
                                       const std::string& owner, std::vector<double>& values,
                                       std::vector<CheckedPopulation::Override>* overrides) {
  std::vector<std::optional<double>> fixed(model.parameters.size());
  std::vector<const ast::Argument*> seen(model.parameters.size(), nullptr);
  for (const auto& a : args) {
    if (a.name.empty()) {
      diags().report(DiagnosticKind::InvalidValue, a.value ? a.value->range : SourceRange{},
                     fmt::format("parameters of `{}` are overridden by name: `{}[N](name = value)`",
                                 model.name, model.name));
      continue;
    }
    std::size_t k = 0;
    while (k < model.parameters.size() && model.parameters[k].name != a.name) ++k;
    if (k == model.parameters.size()) {
      auto b = diags().report(DiagnosticKind::UnknownParameter, a.name_range, model.name, a.name);
      std::vector<std::string> names;
      for (const auto& p : model.parameters) names.push_back(p.name);
      std::string hint = didYouMean(suggestNames(a.name, names));
      if (!hint.empty()) b.note(hint);
      if (auto v = model.findVariable(a.name); v && v->kind == SymbolKind::State) {
        b.note(v->declared_at,
               fmt::format("`{}` is a state variable; give its initial value in `{{ {} = ... }}`",
                           a.name, a.name));
      }
      if (a.value) {  // still check the value's own names
        ExperimentResolver resolver(*this);
        ExprContext ctx;
        ctx.where = kWhereConstant;
        ctx.constant = true;
        ctx.what = fmt::format("the value of `{}`", a.name);
        ExprChecker(state_, resolver, ctx).check(*a.value);
      }
      continue;
    }
    if (seen[k]) {
      diags().report(DiagnosticKind::DuplicateArgument, a.name_range, a.name);
      continue;
    }
    seen[k] = &a;
    if (!a.value) continue;
    auto v = constant(*a.value, model.parameters[k].dim,
                      fmt::format("the value of `{}` for `{}`", a.name, owner));
    if (!v) continue;
    fixed[k] = *v;
    if (overrides) overrides->push_back({k, &a, *v});
  }
  // Defaults that depend on overridden parameters are recomputed (`tau2 = 2 * tau`).
  values.assign(model.parameters.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<int> status(model.parameters.size(), 0);  // 0 todo, 1 computing, 2 done
  std::function<std::optional<double>(std::size_t)> value =
      [&](std::size_t k) -> std::optional<double> {
    if (fixed[k]) return fixed[k];
    if (status[k] == 2) return values[k];
    if (status[k] == 1) return std::nullopt;  // a cycle, reported in the model
    status[k] = 1;
    std::optional<double> v;
    if (model.parameters[k].decl && model.parameters[k].decl->value) {
      auto c = evaluateConstant(*model.parameters[k].decl->value, state_.program.tables,
                                [&](const Resolution& r) -> std::optional<double> {
                                  if (r.model != &model || r.index >= model.parameters.size())
                                    return std::nullopt;
                                  return value(r.index);
                                });
      if (c && !c->is_list) v = c->value();
    }
    status[k] = 2;
    values[k] = v ? *v : std::numeric_limits<double>::quiet_NaN();
    return v;
  };
  for (std::size_t k = 0; k < model.parameters.size(); ++k) {
    auto v = value(k);
    values[k] = v ? *v : std::numeric_limits<double>::quiet_NaN();
  }
}

void ExperimentChecker::checkPoisson(const ast::PopulationStmt& s, CheckedPopulation& p) {
  const ast::Argument* rate = nullptr;
  bool unknown = false;  // a misspelt argument: "missing `rate`" would only repeat it
  for (const auto& a : s.arguments) {
    if (a.name == "rate" || (a.name.empty() && !rate && &a == &s.arguments.front())) {
      if (rate) {
        diags().report(DiagnosticKind::DuplicateArgument, a.name_range, "rate");
        continue;
      }
      if (a.name.empty()) {
        diags().report(DiagnosticKind::InvalidValue, a.value ? a.value->range : SourceRange{},
                       "write the rate by name: `poisson[N](rate = 10 Hz)`");
        continue;
      }
      rate = &a;
    } else {
      auto b =
          diags().report(DiagnosticKind::UnknownArgument,
                         a.name.empty() ? (a.value ? a.value->range : SourceRange{}) : a.name_range,
                         "poisson", a.name.empty() ? std::string("(positional)") : a.name);
      std::string hint = didYouMean(suggestNames(a.name, {"rate"}));
      if (!hint.empty()) b.note(hint);
      unknown = true;
    }
  }
  if (!rate) {
    if (!unknown) diags().report(DiagnosticKind::MissingArgument, s.model_range, "poisson", "rate");
    return;
  }
  if (!rate->value) return;
  ExperimentResolver resolver(*this);
  ExprContext c;
  c.where = kWhereGenerator;
  ExprChecker checker(state_, resolver, c);
  Type t = checker.check(*rate->value);
  if (checker.expectDimension(*rate->value, t, frequencyDim(),
                              "the rate of a `poisson` population")) {
    p.rate = rate->value.get();
  }
}

void ExperimentChecker::checkSpikeGenerator(const ast::PopulationStmt& s, CheckedPopulation& p) {
  const ast::Argument* indices = nullptr;
  const ast::Argument* times = nullptr;
  const ast::Argument* file = nullptr;
  bool unknown = false;
  for (const auto& a : s.arguments) {
    const ast::Argument** slot = a.name == "indices" ? &indices
                                 : a.name == "times" ? &times
                                 : a.name == "file"  ? &file
                                                     : nullptr;
    if (!slot) {
      auto b =
          diags().report(DiagnosticKind::UnknownArgument,
                         a.name.empty() ? (a.value ? a.value->range : SourceRange{}) : a.name_range,
                         "spikes", a.name.empty() ? std::string("(positional)") : a.name);
      std::string hint = didYouMean(suggestNames(a.name, {"indices", "times", "file"}));
      if (!hint.empty()) b.note(hint);
      unknown = true;
      continue;
    }
    if (*slot) {
      diags().report(DiagnosticKind::DuplicateArgument, a.name_range, a.name);
      continue;
    }
    *slot = &a;
  }
  if (file) {
    if (indices || times) {
      diags().report(DiagnosticKind::InvalidValue, file->name_range,
                     "give spikes either as `file = \"...\"` or as `indices = [...], times = "
                     "[...]`, not both");
    }
    if (!file->value || file->value->kind != ast::ExprKind::String) {
      diags().report(DiagnosticKind::InvalidValue,
                     file->value ? file->value->range : file->name_range,
                     "`file` takes a path in quotes: `file = \"spikes.csv\"`");
    } else {
      p.spike_file = static_cast<const ast::StringExpr&>(*file->value).value;
    }
    return;
  }
  if (!indices || !times) {
    if (unknown) return;
    diags().report(DiagnosticKind::MissingArgument, s.model_range, "spikes",
                   !indices ? "indices" : "times");
    return;
  }
  auto list = [&](const ast::Argument& a, const Dimension& dim,
                  const std::string& what) -> std::optional<std::vector<double>> {
    if (!a.value) return std::nullopt;
    ExperimentResolver resolver(*this);
    ExprContext c;
    c.where = kWhereConstant;
    c.constant = true;
    c.allow_lists = true;
    c.what = what;
    ExprChecker checker(state_, resolver, c);
    Type t = checker.check(*a.value);
    if (t.isError()) return std::nullopt;
    if (t.isBoolean() || !t.is_list) {
      diags().report(DiagnosticKind::InvalidValue, a.value->range,
                     fmt::format("{} must be a list `[...]`", what));
      return std::nullopt;
    }
    if (!(t.dim == dim)) {
      diags().report(DiagnosticKind::DimensionExpected, a.value->range, what, dim.toUnitString(),
                     t.dim.toUnitString());
      return std::nullopt;
    }
    auto v = evaluateConstant(*a.value, *state_.tables);
    if (!v) return std::nullopt;
    return v->values;
  };
  auto index_values = list(*indices, Dimension(), "the spike indices");
  auto time_values = list(*times, timeDim(), "the spike times");
  if (!index_values || !time_values) return;
  if (index_values->size() != time_values->size()) {
    diags().report(DiagnosticKind::InvalidValue, times->value->range,
                   fmt::format("{} spike times for {} indices; give one time per index",
                               time_values->size(), index_values->size()));
    return;
  }
  for (double v : *index_values) {
    if (!std::isfinite(v) || std::trunc(v) != v) {
      diags().report(DiagnosticKind::NotAnInteger, indices->value->range, "a spike index",
                     formatNumber(v));
      return;
    }
    if (v < 0 || (p.size > 0 && v >= static_cast<double>(p.size))) {
      diags().report(DiagnosticKind::SliceOutOfRange, indices->value->range, formatNumber(v),
                     s.name, p.size);
      return;
    }
  }
  for (double v : *time_values) {
    if (!std::isfinite(v) || v < 0) {
      diags().report(DiagnosticKind::InvalidValue, times->value->range,
                     "spike times must be finite and not negative");
      return;
    }
  }
  for (double v : *index_values) p.spike_indices.push_back(static_cast<std::int64_t>(v));
  p.spike_times = *time_values;
}

void ExperimentChecker::checkInitialisers(const ast::PopulationStmt& s, CheckedPopulation& p) {
  if (s.initialisers.empty()) return;
  if (!p.model) {
    diags().report(DiagnosticKind::InvalidValue, s.initialisers.front().name_range,
                   fmt::format("a `{}` population has no state variables to initialise", s.model));
    return;
  }
  std::unordered_map<std::string, SourceRange> seen;
  for (const auto& init : s.initialisers) {
    auto v = p.model->findVariable(init.name);
    std::optional<NameBinding> target;
    if (!v) {
      auto b =
          diags().report(DiagnosticKind::UnknownMember, init.name_range, p.model->name, init.name);
      std::vector<std::string> names;
      for (const auto& st : p.model->states) names.push_back(st.name);
      std::string hint = didYouMean(suggestNames(init.name, names));
      if (!hint.empty()) b.note(hint);
    } else if (v->kind != SymbolKind::State) {
      const std::string reason =
          v->kind == SymbolKind::Parameter
              ? fmt::format("it is a parameter; override it as `{}[N]({} = ...)`", p.model->name,
                            init.name)
          : v->kind == SymbolKind::SubExpression
              ? std::string("it is a sub-expression, defined by its equation")
              : std::string("it is maintained by the simulator");
      auto b = diags().report(DiagnosticKind::NotAssignable, init.name_range, init.name, reason);
      if (v->declared_at.valid())
        b.note(v->declared_at, fmt::format("`{}` declared here", init.name));
    } else if (auto [it, inserted] = seen.emplace(init.name, init.name_range); !inserted) {
      diags()
          .report(DiagnosticKind::DuplicateDefinition, init.name_range, init.name)
          .note(it->second, "first defined here");
      v.reset();
    }
    if (!init.value) continue;
    ExperimentResolver resolver(*this);
    resolver.population = &p;
    ExprContext c;
    c.where = kWhereInitialiser;
    ExprChecker checker(state_, resolver, c);
    Type t = checker.check(*init.value);
    if (!v || v->kind != SymbolKind::State || t.isError()) continue;
    if (!checker.expectNumber(*init.value, t)) continue;
    if (!(t.dim == v->type.dim)) {
      auto b = checker.reportMismatch(
          init.value->range, fmt::format("the initial value of `{}`", init.name),
          fmt::format("`{}`", init.name), v->type, nullptr, "the value", t, init.value.get());
      b.note(v->declared_at, fmt::format("`{}` declared here with unit `{}`", init.name,
                                         v->type.dim.toUnitString()));
      continue;
    }
    p.initialisers.push_back({v->index, &init, init.value.get()});
  }
}

void ExperimentChecker::checkRun(const ast::RunStmt& s, SourceRange range) {
  run_seen_ = true;
  CheckedRun r;
  r.decl = &s;
  if (!s.duration) return;
  auto d = constant(*s.duration, timeDim(), "the duration of `run`");
  if (!d) return;
  if (!(*d > 0) || !std::isfinite(*d)) {
    diags().report(DiagnosticKind::InvalidValue, s.duration->range,
                   "the duration of `run` must be positive");
    return;
  }
  (void)range;
  r.duration = *d;
  simulated_ += *d;
  out_.steps.push_back(r);
}

void ExperimentChecker::checkAt(const ast::AtStmt& s, SourceRange range) {
  CheckedAt at;
  at.decl = &s;
  bool ok = true;
  if (s.time) {
    auto t = constant(*s.time, timeDim(), "the time of `at`");
    if (!t) {
      ok = false;
    } else if (!(*t >= 0) || !std::isfinite(*t)) {
      diags().report(DiagnosticKind::InvalidValue, s.time->range,
                     "the time of `at` must not be negative");
      ok = false;
    } else if (*t < simulated_) {
      diags().report(DiagnosticKind::InvalidValue, s.time->range,
                     fmt::format("`at` a time already simulated: the runs before it end at {}",
                                 units::formatQuantity(simulated_, timeDim())));
      ok = false;
    } else {
      at.time = *t;
    }
  }
  for (const auto& stmt : s.body) {
    if (!stmt) continue;
    if (const auto* a = std::get_if<ast::AssignStmt>(&stmt->node)) {
      checkAssign(*a, &at.assignments);
    } else {
      diags().report(DiagnosticKind::InvalidValue, stmt->range,
                     "an `at` block holds assignments `P.X = value`; `if` is not allowed here");
    }
  }
  (void)range;
  if (ok) out_.steps.push_back(std::move(at));
}

void ExperimentChecker::checkSetting(const ast::AssignStmt& s) {
  const auto& lv = s.target;
  if (s.op != ast::AssignOp::Set) {
    diags().report(DiagnosticKind::InvalidValue, lv.range,
                   fmt::format("set `{}` with `=`", lv.name));
    return;
  }
  if (lv.has_subscript) {
    diags().report(DiagnosticKind::InvalidValue, lv.range,
                   fmt::format("`{}` takes no `[...]`", lv.name));
    return;
  }
  SourceRange& previous = lv.name == "dt" ? dt_range_ : seed_range_;
  if (previous.valid()) {
    diags()
        .report(DiagnosticKind::DuplicateDefinition, lv.name_range, lv.name)
        .note(previous, "first set here");
    return;
  }
  previous = lv.name_range;
  if (run_seen_) {
    diags().report(DiagnosticKind::InvalidValue, lv.name_range,
                   fmt::format("`{}` must be set before the first `run`", lv.name));
    return;
  }
  if (!s.value) return;
  if (lv.name == "dt") {
    auto v = constant(*s.value, timeDim(), "the time step `dt`");
    if (!v) return;
    if (!(*v > 0) || !std::isfinite(*v)) {
      diags().report(DiagnosticKind::InvalidValue, s.value->range,
                     "the time step `dt` must be positive");
      return;
    }
    out_.dt = *v;
    out_.dt_set = true;
  } else {
    auto v = integerConstant(*s.value, "the random seed `seed`");
    if (!v) return;
    if (*v < 0) {
      diags().report(DiagnosticKind::InvalidValue, s.value->range,
                     "the random seed `seed` cannot be negative");
      return;
    }
    out_.seed = static_cast<std::uint64_t>(*v);
  }
}

void ExperimentChecker::checkAssign(const ast::AssignStmt& s,
                                    std::vector<CheckedAssign>* at_block) {
  const auto& lv = s.target;
  if (lv.object.empty()) {
    if ((lv.name == "dt" || lv.name == "seed") && !at_block) {
      checkSetting(s);
      return;
    }
    auto b = diags().report(DiagnosticKind::UnknownSetting, lv.name_range, lv.name);
    std::string hint = didYouMean(suggestNames(lv.name, {"dt", "seed"}));
    if (!hint.empty()) b.note(hint);
    for (const auto& p : out_.populations) {
      if (p.findVariable(lv.name)) {
        b.note(fmt::format("to set a variable of a population, name it: `{}.{} = ...`", p.name,
                           lv.name));
        break;
      }
    }
    return;
  }
  auto var = findGroupVariable(lv.object, lv.object_range, lv.name, lv.name_range);
  if (!var) {
    if (s.value) {
      ExperimentResolver resolver(*this);
      ExprContext ctx;
      ctx.where = kWhereInitialiser;
      ExprChecker checker(state_, resolver, ctx);
      checker.check(*s.value);
    }
    return;
  }
  if (var->kind != SymbolKind::State && var->kind != SymbolKind::SynapseVariable) {
    const std::string reason =
        var->kind == SymbolKind::Parameter
            ? "it is a parameter, constant during a run; declare it in `state` to change "
              "it between runs"
        : var->kind == SymbolKind::SubExpression
            ? std::string("it is a sub-expression, defined by its equation")
            : std::string("it is maintained by the simulator");
    auto b = diags().report(DiagnosticKind::NotAssignable, lv.range, targetText(lv), reason);
    if (var->declared_at.valid())
      b.note(var->declared_at, fmt::format("`{}` declared here", lv.name));
    return;
  }
  CheckedAssign out;
  out.stmt = &s;
  out.of_connect = var->of_connect;
  out.owner = var->owner;
  out.variable = var->name;
  if (lv.has_subscript) {
    auto range =
        checkSubscript(lv.is_slice, lv.index.get(), lv.lo.get(), lv.hi.get(), *var, lv.range);
    if (!range) return;
    out.lo = range->lo;
    out.hi = range->hi;
  }
  ExperimentResolver resolver(*this);
  if (var->of_connect) {
    const CheckedConnect& con = out_.connects[var->owner];
    resolver.pre = &out_.populations[con.source];
    resolver.post = &out_.populations[con.target];
    resolver.synapse = con.synapse;
    resolver.synapse_values = &con.synapse_parameter_values;
    resolver.inline_vars = &con.inline_variables;
  } else {
    resolver.population = &out_.populations[var->owner];
  }
  NameBinding target;
  target.resolution.kind = var->kind;
  target.resolution.name = var->name;
  target.resolution.index = var->index;
  target.resolution.model = var->model;
  target.type = var->type;
  target.declared_at = var->declared_at;
  resolver.preset_target = target;
  ExprContext ctx;
  ctx.where = var->of_connect ? kWhereConnect : kWhereInitialiser;
  ExprChecker checker(state_, resolver, ctx);
  StatementChecker statements(checker);
  bool ok = false;
  statements.on_assign = [&](const ast::AssignStmt&, const NameBinding&) { ok = true; };
  statements.checkAssign(s);
  if (!ok) return;
  if (at_block) {
    at_block->push_back(out);
  } else {
    out_.steps.push_back(out);
  }
}

}  // namespace detail

void checkExperiment(SemaState& state, const ast::ExperimentDecl& decl, CheckedExperiment& out) {
  detail::ExperimentChecker checker(state, decl, out);
  checker.run();
}

}  // namespace snn::sema
