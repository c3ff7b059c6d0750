// Linearity, conditional linearity and noise of a model's ODEs; see ode_analysis.h.
#include "compiler/equations/ode_analysis.h"

#include <unordered_map>

#include <fmt/format.h>

#include "compiler/ast/printer.h"
#include "compiler/equations/symbolic_builder.h"

namespace snn::equations {
namespace {

// One node's decomposition while it is being built: a null Expr stands for 0.
struct Part {
  bool ok = true;
  bool depends = false;
  std::vector<Expr> coefficients;
  Expr rest;
  NonLinearity failure;
};

class Decomposer {
 public:
  explicit Decomposer(std::span<const Expr> variables) : variables_(variables) {}

  const Part& run(const Expr& e) {
    if (auto it = memo_.find(e.get()); it != memo_.end()) return it->second;
    Part p = decompose(e);
    return memo_.emplace(e.get(), std::move(p)).first->second;
  }

  std::optional<std::size_t> variableIndex(const Node& n) const {
    if (!n.isLeaf()) return std::nullopt;
    for (std::size_t k = 0; k < variables_.size(); ++k) {
      const Node& v = *variables_[k];
      if (v.hash == n.hash && v.op == n.op && v.index == n.index && v.name == n.name &&
          v.builtin == n.builtin &&
          std::bit_cast<std::uint64_t>(v.value) == std::bit_cast<std::uint64_t>(n.value)) {
        return k;
      }
    }
    return std::nullopt;
  }

 private:
  std::size_t firstVariable(const Expr& e) const {
    Expr v = findNode(e, [&](const Node& n) { return variableIndex(n).has_value(); });
    return v ? *variableIndex(*v) : 0;
  }

  Part fail(const Expr& term, std::size_t variable,
            std::optional<std::size_t> other = std::nullopt) {
    Part p;
    p.ok = false;
    p.depends = true;
    p.failure = NonLinearity{term, variable, other};
    return p;
  }

  static Expr add(const Expr& a, const Expr& b) {
    if (!a) return b;
    if (!b) return a;
    return a + b;
  }
  static Expr sub(const Expr& a, const Expr& b) {
    if (!b) return a;
    if (!a) return -b;
    return a - b;
  }
  static Expr scale(const Expr& x, const Expr& factor, bool divide) {
    if (!x) return x;
    return divide ? x / factor : factor * x;
  }

  Part combine(const Part& l, const Part& r, bool subtract) {
    Part p;
    p.depends = true;
    p.coefficients.resize(variables_.size());
    for (std::size_t k = 0; k < variables_.size(); ++k) {
      p.coefficients[k] = subtract ? sub(l.coefficients[k], r.coefficients[k])
                                   : add(l.coefficients[k], r.coefficients[k]);
    }
    p.rest = subtract ? sub(l.rest, r.rest) : add(l.rest, r.rest);
    return p;
  }

  Part scaled(const Part& x, const Expr& factor, bool divide) {
    Part p;
    p.depends = true;
    p.coefficients.resize(variables_.size());
    for (std::size_t k = 0; k < variables_.size(); ++k) {
      p.coefficients[k] = scale(x.coefficients[k], factor, divide);
    }
    p.rest = scale(x.rest, factor, divide);
    return p;
  }

  bool depends(const Expr& e) {
    if (auto it = depends_.find(e.get()); it != depends_.end()) return it->second;
    bool d = variableIndex(*e).has_value();
    for (const auto& a : e->args) d = d || depends(a);
    depends_.emplace(e.get(), d);
    return d;
  }

  Part decompose(const Expr& e) {
    Part p;
    p.coefficients.resize(variables_.size());
    if (auto k = variableIndex(*e)) {
      p.depends = true;
      p.coefficients[*k] = constant(1.0);
      return p;
    }
    if (!depends(e)) {
      p.rest = e;
      return p;
    }
    const Node& n = *e;
    // The innermost failure is the most precise place to point at.
    for (const auto& a : n.args) {
      const Part& sub = run(a);
      if (!sub.ok) return sub;
    }
    switch (n.op) {
      case Op::Neg: {
        const Part& x = run(n.args[0]);
        Part out;
        out.depends = true;
        out.coefficients.resize(variables_.size());
        for (std::size_t k = 0; k < variables_.size(); ++k) {
          if (x.coefficients[k]) out.coefficients[k] = -x.coefficients[k];
        }
        if (x.rest) out.rest = -x.rest;
        return out;
      }
      case Op::Add:
      case Op::Sub:
        return combine(run(n.args[0]), run(n.args[1]), n.op == Op::Sub);
      case Op::Mul: {
        const bool l = depends(n.args[0]), r = depends(n.args[1]);
        if (!l) return scaled(run(n.args[1]), n.args[0], false);
        if (!r) return scaled(run(n.args[0]), n.args[1], false);
        std::size_t a = firstVariable(n.args[0]), b = firstVariable(n.args[1]);
        return fail(e, a, a == b ? std::nullopt : std::optional<std::size_t>(b));
      }
      case Op::Div:
        if (!depends(n.args[1])) return scaled(run(n.args[0]), n.args[1], true);
        return fail(e, firstVariable(n.args[1]));
      case Op::Pow:
        if (n.args[1]->isConstant(1.0)) return run(n.args[0]);
        return fail(e, firstVariable(e));
      default:
        return fail(e, firstVariable(e));
    }
  }

  std::span<const Expr> variables_;
  std::unordered_map<const Node*, Part> memo_;
  std::unordered_map<const Node*, bool> depends_;
};

std::string shorten(std::string text) {
  constexpr std::size_t kMax = 80;
  if (text.size() <= kMax) return text;
  return text.substr(0, kMax - 3) + "...";
}

std::string nonLinearReason(const NonLinearity& f, std::span<const Expr> variables) {
  const std::string& x = variables[f.variable]->name;
  if (f.other) {
    return fmt::format("`{}` multiplies `{}` by `{}`, which is not linear", termText(f.term), x,
                       variables[*f.other]->name);
  }
  return fmt::format("`{}` appears in `{}`, which is not linear in `{}`", x, termText(f.term), x);
}

bool isTimeVarying(const Node& n) {
  return (n.op == Op::Builtin && n.builtin == sema::BuiltinVariable::T) || n.op == Op::TimedArray ||
         n.isRandom();
}

std::string timeReason(const Expr& term) {
  if (term->op == Op::Builtin) return "it depends on the time `t`";
  if (term->isRandom()) {
    return fmt::format("it uses `{}`, a new random number at every step", termText(term));
  }
  return fmt::format("it depends on `{}`, which changes with time", termText(term));
}

// The first time-varying node among expressions, if any.
Expr firstTimeVarying(std::span<const Expr> exprs) {
  for (const auto& x : exprs) {
    if (!x) continue;
    if (Expr found = findNode(x, isTimeVarying)) return found;
  }
  return Expr();
}

void analyzeSystem(const sema::CheckedModel& model, SymbolicBuilder& builder, SystemAnalysis& out) {
  std::vector<Expr> variables;
  for (std::size_t k = 0; k < model.odes.size(); ++k) {
    const sema::CheckedOde& ode = model.odes[k];
    if (ode.event_driven != out.event_driven) continue;
    OdeAnalysis a;
    a.ode = k;
    a.state = ode.state;
    a.name = ode.state < model.states.size() ? model.states[ode.state].name : "?";
    if (ode.rhs) a.rhs = builder.build(*ode.rhs);
    if (!a.rhs) out.incomplete = true;
    variables.push_back(builder.state(ode.state));
    out.odes.push_back(std::move(a));
  }
  if (out.odes.empty() || out.incomplete) return;

  // Noise: dX/dt = f + sum g_k xi_k.
  for (auto& a : out.odes) {
    std::vector<Expr> sources;  // the first use of each noise source
    forEachNode(a.rhs, [&](const Expr& n) {
      if (n->op != Op::Noise) return;
      for (const auto& s : sources)
        if (s->name == n->name) return;
      sources.push_back(n);
    });
    if (sources.empty()) {
      a.drift = a.rhs;
      continue;
    }
    std::vector<Expr> leaves;
    for (const auto& s : sources) leaves.push_back(noiseRef(s->name));
    auto split = decomposeAffine(a.rhs, leaves);
    if (auto* f = std::get_if<NonLinearity>(&split)) {
      out.nonlinear_noise.push_back(Obstacle{a.ode, f->term, nonLinearReason(*f, leaves)});
      continue;
    }
    auto& affine = std::get<Affine>(split);
    a.drift = affine.rest;
    for (std::size_t k = 0; k < sources.size(); ++k) {
      a.noise.push_back(NoiseTerm{sources[k]->name, sources[k], affine.coefficients[k]});
      if (!a.first_noise) {
        a.first_noise =
            Obstacle{a.ode, sources[k], fmt::format("it has white noise `{}`", sources[k]->name)};
      }
      if (!out.first_noise) out.first_noise = a.first_noise;
    }
  }
  if (!out.nonlinear_noise.empty()) return;

  for (auto& a : out.odes) {
    for (const auto& term : a.noise) {
      if (out.noise == NoiseKind::None) out.noise = NoiseKind::Additive;
      Expr culprit = findNode(term.factor, [&](const Node& n) {
        if (isTimeVarying(n) && !n.isRandom()) return true;
        for (const auto& v : variables)
          if (v->op == n.op && v->index == n.index && n.op == Op::State) return true;
        return false;
      });
      if (culprit && !a.multiplicative) {
        out.noise = NoiseKind::Multiplicative;
        std::string what = culprit->op == Op::State ? fmt::format("`{}`", culprit->name)
                           : culprit->op == Op::Builtin
                               ? std::string("the time `t`")
                               : fmt::format("`{}`, which changes with time", termText(culprit));
        a.multiplicative = Obstacle{
            a.ode, culprit, fmt::format("the factor of `{}` depends on {}", term.source, what)};
        if (!out.multiplicative) out.multiplicative = a.multiplicative;
      }
    }
  }

  // Linear with constant coefficients.
  LinearSystem system;
  for (auto& a : out.odes) {
    auto split = decomposeAffine(a.drift, variables);
    if (auto* f = std::get_if<NonLinearity>(&split)) {
      a.not_linear = Obstacle{a.ode, f->term, nonLinearReason(*f, variables)};
      if (!out.not_linear) out.not_linear = a.not_linear;
      continue;
    }
    auto& affine = std::get<Affine>(split);
    std::vector<Expr> row_and_b = affine.coefficients;
    row_and_b.push_back(affine.rest);
    if (Expr t = firstTimeVarying(row_and_b)) {
      a.not_linear = Obstacle{a.ode, t, timeReason(t)};
      if (!out.not_linear) out.not_linear = a.not_linear;
    }
    system.A.push_back(std::move(affine.coefficients));
    system.b.push_back(std::move(affine.rest));
  }
  if (!out.not_linear) out.linear = std::move(system);

  // Conditionally linear, one ODE at a time.
  out.conditionally_linear = true;
  for (std::size_t i = 0; i < out.odes.size(); ++i) {
    auto& a = out.odes[i];
    const Expr own[] = {variables[i]};
    auto split = decomposeAffine(a.drift, own);
    if (auto* f = std::get_if<NonLinearity>(&split)) {
      a.not_conditionally_linear = Obstacle{a.ode, f->term, nonLinearReason(*f, own)};
      out.conditionally_linear = false;
      if (!out.not_conditionally_linear) out.not_conditionally_linear = a.not_conditionally_linear;
      continue;
    }
    auto& affine = std::get<Affine>(split);
    a.conditionally_linear = ConditionallyLinear{affine.coefficients[0], affine.rest};
  }
}

}  // namespace

std::variant<Affine, NonLinearity> decomposeAffine(const Expr& e, std::span<const Expr> variables) {
  Decomposer d(variables);
  const Part& p = d.run(e);
  if (!p.ok) return p.failure;
  Affine out;
  for (const auto& c : p.coefficients) {
    out.coefficients.push_back(c ? simplify(c, Simplify::Algebraic) : constant(0.0));
  }
  out.rest = p.rest ? simplify(p.rest, Simplify::Algebraic) : constant(0.0);
  return out;
}

std::string termText(const Expr& term) {
  if (!term) return "";
  return shorten(term->origin ? ast::printExpr(*term->origin) : print(term));
}

std::vector<std::size_t> SystemAnalysis::states() const {
  std::vector<std::size_t> out;
  for (const auto& a : odes) out.push_back(a.state);
  return out;
}

ModelAnalysis analyzeModel(const sema::CheckedProgram& program, const sema::CheckedModel& model) {
  ModelAnalysis out;
  out.model = &model;
  SymbolicBuilder builder(program, model);
  out.clock_driven.event_driven = false;
  out.event_driven.event_driven = true;
  analyzeSystem(model, builder, out.clock_driven);
  analyzeSystem(model, builder, out.event_driven);
  return out;
}

}  // namespace snn::equations
