// What an experiment records and reports: `record`, `print`, `plot`, and input statements
// (`poisson_input`). Analyses need their recordings, made earlier in the protocol.
#include "compiler/sema/experiment_scope.h"
#include "compiler/sema/suggest.h"

namespace snn::sema::detail {
namespace {

// `P.X` or `P.X[...]` with P a plain name, as recordings, plots and print analyses accept.
// Returns {member, index} (index null when there is no subscript), or a null member when the
// expression has another form.
struct GroupVariableForm {
  const ast::MemberExpr* member = nullptr;
  const ast::IndexExpr* index = nullptr;
};

GroupVariableForm splitGroupVariable(const ast::Expr& e) {
  GroupVariableForm form;
  if (e.kind == ast::ExprKind::Member) form.member = static_cast<const ast::MemberExpr*>(&e);
  if (e.kind == ast::ExprKind::Index) {
    form.index = static_cast<const ast::IndexExpr*>(&e);
    if (form.index->object && form.index->object->kind == ast::ExprKind::Member)
      form.member = static_cast<const ast::MemberExpr*>(form.index->object.get());
  }
  if (form.member && (!form.member->object || form.member->object->kind != ast::ExprKind::Name))
    form.member = nullptr;
  return form;
}

}  // namespace

using units::Dimension;

// ------------------------------------------------------------------ record, run, at

void ExperimentChecker::checkRecord(const ast::RecordStmt& s) {
  for (const auto& item : s.items) checkRecordItem(item);
}

void ExperimentChecker::checkRecordItem(const ast::RecordItem& item) {
  if (!item.what) return;
  const ast::Expr& what = *item.what;
  CheckedRecording rec;
  rec.decl = &item;
  ExperimentResolver resolver(*this);
  ExprContext ctx;
  ctx.where = kWhereRecord;
  ExprChecker checker(state_, resolver, ctx);

  if (what.kind == ast::ExprKind::Call) {
    const auto& c = static_cast<const ast::CallExpr&>(what);
    if (c.callee == "spikes" || c.callee == "rate") {
      rec.kind =
          c.callee == "spikes" ? CheckedRecording::Kind::Spikes : CheckedRecording::Kind::Rate;
      Resolution r;
      r.kind = SymbolKind::Function;
      r.name = c.callee;
      r.builtin_function = c.callee == "spikes" ? BuiltinFunction::Spikes : BuiltinFunction::Rate;
      checker.recordResolution(c, r);
      if (c.args.size() != 1 || !c.args[0].name.empty() || !c.args[0].value ||
          c.args[0].value->kind != ast::ExprKind::Name) {
        diags().report(DiagnosticKind::InvalidValue, c.range,
                       fmt::format("`{}` records one population: `{}(P)`", c.callee, c.callee));
        return;
      }
      const auto& n = static_cast<const ast::NameExpr&>(*c.args[0].value);
      auto p = findPopulation(n.name, n.range);
      if (!p) return;
      Resolution pr;
      pr.kind = SymbolKind::Population;
      pr.name = n.name;
      pr.index = *p;
      checker.recordResolution(n, pr);
      rec.owner = *p;
      if (item.every) {
        diags().report(
            DiagnosticKind::InvalidValue, item.every->range,
            fmt::format("`every` applies to recordings of variables; `{}` is recorded every step",
                        c.callee));
      }
      (rec.kind == CheckedRecording::Kind::Spikes ? spikes_recorded_ : rate_recorded_).insert(*p);
      out_.recordings.push_back(rec);
      out_.steps.push_back(CheckedExperiment::RecordStep{out_.recordings.size() - 1});
      return;
    }
  }

  auto [m, ix] = splitGroupVariable(what);
  if (!m) {
    diags().report(DiagnosticKind::UnknownRecording, what.range, describeExpr(what));
    return;
  }
  const auto& object = static_cast<const ast::NameExpr&>(*m->object);
  auto var = findGroupVariable(object.name, object.range, m->member, m->member_range);
  if (!var) return;
  Resolution owner;
  owner.kind = var->of_connect ? SymbolKind::Connection : SymbolKind::Population;
  owner.name = object.name;
  owner.index = var->owner;
  checker.recordResolution(object, owner);
  Resolution vr;
  vr.kind = var->kind;
  vr.name = var->name;
  vr.index = var->index;
  vr.model = var->model;
  checker.recordResolution(*m, vr);
  checker.recordType(*m, var->type);
  rec.kind = CheckedRecording::Kind::Variable;
  rec.of_connect = var->of_connect;
  rec.owner = var->owner;
  rec.variable = var->name;
  if (ix) {
    auto range =
        checkSubscript(ix->is_slice, ix->index.get(), ix->lo.get(), ix->hi.get(), *var, ix->range);
    if (!range) return;
    rec.lo = range->lo;
    rec.hi = range->hi;
  } else {
    rec.lo = 0;
    rec.hi = -1;
  }
  if (item.every) {
    auto every = constant(*item.every, timeDim(), "the recording interval");
    if (!every) return;
    if (!(*every > 0)) {
      diags().report(DiagnosticKind::InvalidValue, item.every->range,
                     "the recording interval must be positive");
      return;
    }
    rec.every = *every;
  }
  vars_recorded_.insert(std::make_tuple(var->of_connect, var->owner, var->name));
  out_.recordings.push_back(rec);
  out_.steps.push_back(CheckedExperiment::RecordStep{out_.recordings.size() - 1});
}

// ------------------------------------------------------------------ print and plot

void ExperimentChecker::checkPrint(const ast::PrintStmt& s) {
  for (const auto& piece : s.pieces) {
    if (!piece.expr) continue;
    ExperimentResolver resolver(*this);
    resolver.print = true;
    ExprContext ctx;
    ctx.where = kWherePrint;
    ExprChecker checker(state_, resolver, ctx);
    Type t = checker.check(*piece.expr);
    if (t.is_list) {
      diags().report(DiagnosticKind::InvalidValue, piece.expr->range, "a list cannot be printed");
    }
  }
  out_.steps.push_back(CheckedPrint{&s});
}

void ExperimentChecker::checkPlot(const ast::PlotStmt& s, SourceRange range) {
  static const char* kPlots =
      "`raster(P, ...)`, `trace(P.X[...])`, `rate(P [, smooth = gaussian(T)])`, "
      "`histogram(X)`, `psd(rate(P))`";
  (void)range;
  if (!s.what) return;
  if (s.what->kind != ast::ExprKind::Call) {
    diags().report(DiagnosticKind::UnknownPlot, s.what->range, describeExpr(*s.what), kPlots);
    return;
  }
  const auto& c = static_cast<const ast::CallExpr&>(*s.what);
  CheckedPlot plot;
  plot.decl = &s;
  plot.path = s.path;
  ExperimentResolver resolver(*this);
  ExprContext ctx;
  ctx.where = kWherePlot;
  ExprChecker checker(state_, resolver, ctx);
  Resolution r;
  r.kind = SymbolKind::Function;
  r.name = c.callee;

  auto variableArg = [&](const ast::Expr& x) -> std::optional<CheckedPlot::VariableRef> {
    auto [m, ix] = splitGroupVariable(x);
    if (!m) {
      diags().report(DiagnosticKind::InvalidValue, x.range,
                     fmt::format("`{}` takes a variable: `P.X`, `P.X[a:b]` or `S.w`", c.callee));
      return std::nullopt;
    }
    const auto& object = static_cast<const ast::NameExpr&>(*m->object);
    auto var = findGroupVariable(object.name, object.range, m->member, m->member_range);
    if (!var) return std::nullopt;
    Resolution vr;
    vr.kind = var->kind;
    vr.name = var->name;
    vr.index = var->index;
    vr.model = var->model;
    checker.recordResolution(*m, vr);
    checker.recordType(*m, var->type);
    CheckedPlot::VariableRef ref{var->of_connect, var->owner, var->name, 0, -1};
    if (ix) {
      auto range = checkSubscript(ix->is_slice, ix->index.get(), ix->lo.get(), ix->hi.get(), *var,
                                  ix->range);
      if (!range) return std::nullopt;
      ref.lo = range->lo;
      ref.hi = range->hi;
    }
    if (c.callee == "trace" && !variableRecorded(*var)) {
      reportNotRecorded(x.range, fmt::format("{}.{}", object.name, m->member));
      return std::nullopt;
    }
    return ref;
  };

  if (c.callee == "raster") {
    plot.kind = CheckedPlot::Kind::Raster;
    r.builtin_function = BuiltinFunction::Raster;
    checker.recordResolution(c, r);
    if (c.args.empty()) {
      diags().report(DiagnosticKind::WrongArgumentCount, c.range, "raster", "at least 1", 0);
      return;
    }
    for (const auto& a : c.args) {
      if (!a.name.empty() || !a.value || a.value->kind != ast::ExprKind::Name) {
        diags().report(DiagnosticKind::InvalidValue, a.value ? a.value->range : c.range,
                       "`raster` takes population names: `raster(E, I)`");
        return;
      }
      const auto& n = static_cast<const ast::NameExpr&>(*a.value);
      auto p = findPopulation(n.name, n.range);
      if (!p) return;
      Resolution pr;
      pr.kind = SymbolKind::Population;
      pr.name = n.name;
      pr.index = *p;
      checker.recordResolution(n, pr);
      if (!spikesRecorded(*p)) {
        reportNotRecorded(n.range, fmt::format("spikes({})", n.name));
        return;
      }
      plot.populations.push_back(*p);
    }
  } else if (c.callee == "trace") {
    plot.kind = CheckedPlot::Kind::Trace;
    r.builtin_function = BuiltinFunction::Trace;
    checker.recordResolution(c, r);
    if (c.args.empty()) {
      diags().report(DiagnosticKind::WrongArgumentCount, c.range, "trace", "at least 1", 0);
      return;
    }
    for (const auto& a : c.args) {
      if (!a.name.empty()) {
        diags().report(DiagnosticKind::UnknownArgument, a.name_range, "trace", a.name);
        return;
      }
      if (!a.value) return;
      auto ref = variableArg(*a.value);
      if (!ref) return;
      plot.variables.push_back(*ref);
    }
  } else if (c.callee == "rate") {
    plot.kind = CheckedPlot::Kind::Rate;
    auto p = checkRateOf(c, checker, &plot.smooth_width, true);
    if (!p) return;
    plot.populations.push_back(*p);
  } else if (c.callee == "histogram") {
    plot.kind = CheckedPlot::Kind::Histogram;
    r.builtin_function = BuiltinFunction::Histogram;
    checker.recordResolution(c, r);
    const ast::Expr* x = nullptr;
    for (const auto& a : c.args) {
      if (a.name.empty()) {
        if (x) {
          diags().report(DiagnosticKind::WrongArgumentCount, c.range, "histogram", "1", 2);
          return;
        }
        x = a.value.get();
      } else if (a.name == "bins") {
        if (!a.value) return;
        auto n = integerConstant(*a.value, "the number of bins");
        if (!n) return;
        if (*n < 1) {
          diags().report(DiagnosticKind::InvalidValue, a.value->range,
                         "the number of bins must be at least 1");
          return;
        }
        plot.bins = *n;
      } else {
        diags().report(DiagnosticKind::UnknownArgument, a.name_range, "histogram", a.name);
        return;
      }
    }
    if (!x) {
      diags().report(DiagnosticKind::WrongArgumentCount, c.range, "histogram", "1", 0);
      return;
    }
    auto ref = variableArg(*x);
    if (!ref) return;
    plot.variables.push_back(*ref);
  } else if (c.callee == "psd") {
    plot.kind = CheckedPlot::Kind::Psd;
    r.builtin_function = BuiltinFunction::Psd;
    checker.recordResolution(c, r);
    if (c.args.size() != 1 || !c.args[0].name.empty() || !c.args[0].value) {
      diags().report(DiagnosticKind::WrongArgumentCount, c.range, "psd", "1", c.args.size());
      return;
    }
    auto p = checkRateOf(*c.args[0].value, checker, nullptr, true);
    if (!p) return;
    plot.populations.push_back(*p);
  } else {
    auto b = diags().report(DiagnosticKind::UnknownPlot, c.callee_range, c.callee, kPlots);
    std::string hint =
        didYouMean(suggestNames(c.callee, {"raster", "trace", "rate", "histogram", "psd"}));
    if (!hint.empty()) b.note(hint);
    return;
  }
  out_.steps.push_back(std::move(plot));
}

// ------------------------------------------------------------------ call statements

void ExperimentChecker::checkCallStmt(const ast::CallStmt& s) {
  if (!s.call) return;
  if (s.call->callee == "poisson_input") {
    checkPoissonInput(s);
    return;
  }
  auto b = diags().report(DiagnosticKind::UnknownStatement, s.call->callee_range, s.call->callee);
  std::string hint = didYouMean(suggestNames(s.call->callee, {"poisson_input"}));
  if (!hint.empty()) b.note(hint);
}

void ExperimentChecker::checkPoissonInput(const ast::CallStmt& s) {
  const ast::CallExpr& c = *s.call;
  Resolution r;
  r.kind = SymbolKind::Function;
  r.name = c.callee;
  r.builtin_function = BuiltinFunction::PoissonInput;
  state_.tables->resolutions[&c] = r;
  static const char* kNames[] = {"target", "n", "rate", "weight"};
  const ast::Expr* args[4] = {nullptr, nullptr, nullptr, nullptr};
  std::size_t positional = 0;
  bool ok = true;
  for (const auto& a : c.args) {
    std::size_t k = 0;
    if (a.name.empty()) {
      k = positional++;
      if (k >= 4) {
        diags().report(DiagnosticKind::WrongArgumentCount, c.range, "poisson_input", "4",
                       c.args.size());
        return;
      }
    } else {
      while (k < 4 && a.name != kNames[k]) ++k;
      if (k == 4) {
        auto b =
            diags().report(DiagnosticKind::UnknownArgument, a.name_range, "poisson_input", a.name);
        std::string hint = didYouMean(suggestNames(a.name, {"target", "n", "rate", "weight"}));
        if (!hint.empty()) b.note(hint);
        ok = false;
        continue;
      }
    }
    if (args[k]) {
      diags().report(DiagnosticKind::DuplicateArgument,
                     a.name.empty() ? a.value->range : a.name_range, kNames[k]);
      ok = false;
      continue;
    }
    args[k] = a.value.get();
  }
  const bool misspelt = !ok;  // "missing" would only repeat an unknown argument's error
  for (std::size_t k = 0; k < 4; ++k) {
    if (!args[k] && !misspelt) {
      diags().report(DiagnosticKind::MissingArgument, c.range, "poisson_input", kNames[k]);
      ok = false;
    }
  }
  if (!ok) return;
  CheckedPoissonInput in;
  in.decl = &s;
  const ast::Expr& target = *args[0];
  if (target.kind != ast::ExprKind::Member || !static_cast<const ast::MemberExpr&>(target).object ||
      static_cast<const ast::MemberExpr&>(target).object->kind != ast::ExprKind::Name) {
    diags().report(DiagnosticKind::InvalidValue, target.range,
                   "`target` names a variable: `target = P.X`");
    return;
  }
  const auto& m = static_cast<const ast::MemberExpr&>(target);
  const auto& object = static_cast<const ast::NameExpr&>(*m.object);
  auto var = findGroupVariable(object.name, object.range, m.member, m.member_range);
  if (!var) return;
  if (var->of_connect || var->kind != SymbolKind::State) {
    diags().report(DiagnosticKind::NotAssignable, target.range, object.name + "." + m.member,
                   var->of_connect ? "`poisson_input` drives a population's state variable"
                                   : "it is not a state variable");
    return;
  }
  Resolution vr;
  vr.kind = var->kind;
  vr.name = var->name;
  vr.index = var->index;
  vr.model = var->model;
  state_.tables->resolutions[&m] = vr;
  state_.tables->types[&m] = var->type;
  in.population = var->owner;
  in.variable = var->name;
  auto n = integerConstant(*args[1], "`n` of `poisson_input`");
  auto rate = constant(*args[2], frequencyDim(), "the `rate` of `poisson_input`");
  auto weight = constant(*args[3], var->type.dim, "the `weight` of `poisson_input`");
  if (!n || !rate || !weight) return;
  if (*n < 1) {
    diags().report(DiagnosticKind::InvalidValue, args[1]->range,
                   "`n` of `poisson_input` must be at least 1");
    return;
  }
  if (!(*rate >= 0)) {
    diags().report(DiagnosticKind::InvalidValue, args[2]->range,
                   "the `rate` of `poisson_input` cannot be negative");
    return;
  }
  in.n = *n;
  in.rate = *rate;
  in.weight = *weight;
  out_.steps.push_back(in);
}

}  // namespace snn::sema::detail
