// Checking declared integration methods and choosing the default; see method_choice.h.
#include "compiler/equations/method_choice.h"

#include <array>
#include <functional>
#include <unordered_set>

#include <fmt/format.h>

#include "compiler/sema/ast_walk.h"

namespace snn::equations {
namespace {

struct MethodName {
  Method method;
  std::string_view name;
};

constexpr std::array<MethodName, 7> kMethods = {{
    {Method::Exact, "exact"},
    {Method::Euler, "euler"},
    {Method::Rk2, "rk2"},
    {Method::Rk4, "rk4"},
    {Method::ExponentialEuler, "exponential_euler"},
    {Method::Heun, "heun"},
    {Method::EulerMaruyama, "euler_maruyama"},
}};

bool contains(SourceRange outer, SourceRange inner) {
  return outer.valid() && inner.valid() && outer.file == inner.file && outer.begin <= inner.begin &&
         inner.end <= outer.end;
}

SourceRange rangeOf(const Obstacle& o, const sema::CheckedModel& model) {
  if (o.term && o.term->origin) return o.term->origin->range;
  const auto& ode = model.odes[o.ode];
  return ode.rhs ? ode.rhs->range : ode.decl->range;
}

// The innermost sub-expression whose definition contains `range`.
std::optional<std::size_t> enclosingSubExpression(const sema::CheckedModel& model,
                                                  SourceRange range) {
  std::optional<std::size_t> best;
  for (std::size_t k = 0; k < model.subexpressions.size(); ++k) {
    const ast::Expr* e = model.subexpressions[k].expr;
    if (!e || !contains(e->range, range)) continue;
    if (!best || contains(model.subexpressions[*best].expr->range, e->range)) best = k;
  }
  return best;
}

// The first name in `root` that reaches sub-expression `target` (directly or through other
// sub-expressions): where an ODE uses the definition that holds a culprit.
const ast::Expr* useOf(const sema::CheckedProgram& program, const sema::CheckedModel& model,
                       const ast::Expr& root, std::size_t target) {
  std::unordered_set<std::size_t> visited;
  std::function<bool(std::size_t)> reaches = [&](std::size_t k) -> bool {
    if (k == target) return true;
    if (!visited.insert(k).second || !model.subexpressions[k].expr) return false;
    bool found = false;
    sema::forEachExpr(*model.subexpressions[k].expr, [&](const ast::Expr& e) {
      const sema::Resolution* r = program.resolutionOf(&e);
      if (!found && r && r->kind == sema::SymbolKind::SubExpression &&
          r->index < model.subexpressions.size()) {
        found = reaches(r->index);
      }
    });
    return found;
  };
  const ast::Expr* use = nullptr;
  sema::forEachExpr(root, [&](const ast::Expr& e) {
    if (use) return;
    const sema::Resolution* r = program.resolutionOf(&e);
    if (r && r->kind == sema::SymbolKind::SubExpression && r->index < model.subexpressions.size()) {
      visited.clear();
      if (reaches(r->index)) use = &e;
    }
  });
  return use;
}

std::string odeText(const sema::CheckedModel& model, std::size_t ode) {
  const auto& o = model.odes[ode];
  return fmt::format("`d{}/dt`", o.state < model.states.size() ? model.states[o.state].name : "?");
}

// The report for an obstacle: primary range at the term, a note at the ODE's use of the
// sub-expression that holds it.
Builder reportAt(const sema::CheckedProgram& program, const sema::CheckedModel& model,
                 const Obstacle& o, Diagnostics& diags, DiagnosticKind kind,
                 const std::string& first, const std::string& second) {
  const SourceRange range = rangeOf(o, model);
  Builder b = diags.report(kind, range, first, odeText(model, o.ode), second);
  if (auto sub = enclosingSubExpression(model, range)) {
    const auto& ode = model.odes[o.ode];
    if (ode.rhs && !contains(ode.rhs->range, range)) {
      if (const ast::Expr* use = useOf(program, model, *ode.rhs, *sub)) {
        const std::string& name = model.subexpressions[*sub].name;
        const sema::Resolution* r = program.resolutionOf(use);
        const std::string& via = r ? r->name : name;
        b.note(use->range,
               via == name
                   ? fmt::format("in the sub-expression `{}`, used here", name)
                   : fmt::format("in the sub-expression `{}`, used here through `{}`", name, via));
      }
    }
  }
  return b;
}

std::string joinNames(const SystemAnalysis& system) {
  std::string out;
  for (const auto& a : system.odes) out += (out.empty() ? "" : ", ") + a.name;
  return out;
}

}  // namespace

std::optional<Method> parseMethod(std::string_view name) {
  for (const auto& m : kMethods)
    if (m.name == name) return m.method;
  return std::nullopt;
}

std::string_view spelling(Method method) {
  for (const auto& m : kMethods)
    if (m.method == method) return m.name;
  return "?";
}

bool isStochastic(Method method) {
  return method == Method::Heun || method == Method::EulerMaruyama;
}

std::string MethodChoice::describe() const {
  return fmt::format("{} ({})", spelling(method), reason);
}

MethodChoice defaultMethod(const SystemAnalysis& system) {
  if (system.event_driven) {
    return {Method::Exact, false, "event-driven: solved exactly between events"};
  }
  switch (system.noise) {
    case NoiseKind::Additive:
      return {Method::EulerMaruyama, false, "stochastic, additive noise"};
    case NoiseKind::Multiplicative:
      return {Method::Heun, false,
              "stochastic, multiplicative noise: " +
                  (system.multiplicative ? system.multiplicative->reason : std::string())};
    case NoiseKind::None:
      break;
  }
  if (system.linear) return {Method::Exact, false, "linear with constant coefficients"};
  if (system.conditionally_linear) {
    return {Method::ExponentialEuler, false, "conditionally linear in " + joinNames(system)};
  }
  if (system.not_conditionally_linear) {
    return {Method::Rk4, false, system.not_conditionally_linear->reason};
  }
  return {Method::Rk4, false, "the equations could not be analysed"};
}

std::optional<Inapplicable> whyNotApplicable(Method method, const SystemAnalysis& system) {
  if (system.incomplete || system.empty() || !system.nonlinear_noise.empty()) return std::nullopt;
  // The obstacles the ODEs hold under one of their fields.
  auto collect = [&](std::optional<Obstacle> OdeAnalysis::*field, std::string hint) {
    Inapplicable out{{}, std::move(hint)};
    for (const auto& a : system.odes)
      if (a.*field) out.obstacles.push_back(*(a.*field));
    return out.obstacles.empty() ? std::nullopt : std::optional<Inapplicable>(std::move(out));
  };
  if (system.noise != NoiseKind::None && !isStochastic(method)) {
    return collect(&OdeAnalysis::first_noise,
                   system.noise == NoiseKind::Additive
                       ? "stochastic equations need `euler_maruyama` or `heun`"
                       : "equations with multiplicative noise need `heun`");
  }
  if (method == Method::EulerMaruyama && system.noise == NoiseKind::Multiplicative) {
    return collect(&OdeAnalysis::multiplicative, "use `heun`, which handles multiplicative noise");
  }
  const std::string default_hint =
      system.event_driven
          ? std::string()
          : fmt::format("without a `method`, these equations are integrated with `{}`",
                        spelling(defaultMethod(system).method));
  if (method == Method::Exact && !system.linear) {
    return collect(&OdeAnalysis::not_linear, default_hint);
  }
  if (method == Method::ExponentialEuler && !system.conditionally_linear) {
    return collect(&OdeAnalysis::not_conditionally_linear, default_hint);
  }
  return std::nullopt;
}

ModelMethods chooseMethods(const sema::CheckedProgram& program, const sema::CheckedModel& model,
                           const ModelAnalysis& analysis, Diagnostics& diags) {
  ModelMethods out;
  for (const SystemAnalysis* system : {&analysis.clock_driven, &analysis.event_driven}) {
    for (const auto& o : system->nonlinear_noise) {
      Expr noise =
          o.term ? findNode(o.term, [](const Node& n) { return n.op == Op::Noise; }) : Expr();
      const std::string source = noise ? noise->name : std::string("xi");
      reportAt(program, model, o, diags, DiagnosticKind::NoiseNotLinear, source, o.reason)
          .note(fmt::format("write the noise as a term `factor * {}`, with a factor free of `{}`",
                            source, source));
    }
  }

  const SystemAnalysis& clock = analysis.clock_driven;
  if (!clock.empty() && !clock.incomplete && clock.nonlinear_noise.empty()) {
    std::optional<Method> declared = parseMethod(model.method);
    if (declared) {
      if (auto why = whyNotApplicable(*declared, clock)) {
        for (const auto& o : why->obstacles) {
          auto b = reportAt(program, model, o, diags, DiagnosticKind::MethodNotApplicable,
                            std::string(spelling(*declared)), o.reason);
          if (model.decl && model.decl->method_range.valid()) {
            b.note(model.decl->method_range,
                   fmt::format("`method {}` is declared here", spelling(*declared)));
          }
          if (!why->hint.empty()) b.note(why->hint);
        }
      }
      out.clock_driven = MethodChoice{*declared, true, "declared"};
    } else {
      out.clock_driven = defaultMethod(clock);
    }
  }

  const SystemAnalysis& events = analysis.event_driven;
  if (!events.empty() && !events.incomplete && events.nonlinear_noise.empty()) {
    if (auto why = whyNotApplicable(Method::Exact, events)) {
      for (const auto& o : why->obstacles) {
        const ast::Equation& eq = *model.odes[o.ode].decl;
        SourceRange flag = eq.name_range;
        for (const auto& f : eq.flags)
          if (f.flag == ast::EquationFlag::EventDriven) flag = f.range;
        reportAt(program, model, o, diags, DiagnosticKind::MethodNotApplicable, "exact", o.reason)
            .note(flag,
                  "event-driven equations are solved exactly from one event to the next, which "
                  "needs a linear equation with constant coefficients; without `(event-driven)` "
                  "it is integrated at every step");
      }
    }
    out.event_driven = defaultMethod(events);
  }
  return out;
}

}  // namespace snn::equations
