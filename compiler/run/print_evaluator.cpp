// Evaluation of the expressions of a print against a running simulation; see print.h.
//
// Sema has resolved every name (program.tables), so the evaluator only follows resolutions. Two
// places are known only by the name written: the group of `E.V[k]` and of `mean(S.w)` (sema
// records the variable on the member, not its owner), found through the experiment's
// populations and connects, which share one namespace. Failures are thrown as a Failure inside
// this file and come out of evaluatePrintExpression as a RunTimeError.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "compiler/ir/scalar_semantics.h"
#include "compiler/run/print.h"
#include "compiler/run/recordings.h"
#include "compiler/sema/const_eval.h"
#include "vm/analysis/smoothing.h"
#include "vm/analysis/spike_trains.h"
#include "vm/analysis/summary.h"
#include "vm/analysis/welch.h"

namespace snn::run {
namespace {

using sema::BuiltinFunction;
using sema::BuiltinVariable;
using sema::SymbolKind;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Sub-expressions may use sub-expressions (sema orders them without cycles); the bound only
// protects the stack from a table that would say otherwise.
constexpr int kMaxDepth = 256;

struct Failure {
  RunTimeError error;
};

[[noreturn]] void fail(std::string message, SourceRange range) {
  throw Failure{RunTimeError{std::move(message), range}};
}

// Where the per-element names of model code are read: a neuron of a group or a synapse of a
// connection. Prints themselves have no element; sub-expressions of models need one.
struct ElementScope {
  bool of_connect = false;
  std::size_t owner = 0;
  engine::Index element = 0;
};

// A variable of a population or connection as written in a print: `E.V`, `S.w`, `E.V[3]`.
struct GroupVariableUse {
  bool of_connect = false;
  std::size_t owner = 0;
  std::string owner_name;
  const sema::Resolution* variable = nullptr;
  const ast::IndexExpr* index = nullptr;  // null: the whole variable
};

std::optional<ir::Opcode> mathOpcode(BuiltinFunction f) {
  switch (f) {
    case BuiltinFunction::Exp:
      return ir::Opcode::Exp;
    case BuiltinFunction::Log:
      return ir::Opcode::Log;
    case BuiltinFunction::Log10:
      return ir::Opcode::Log10;
    case BuiltinFunction::Sin:
      return ir::Opcode::Sin;
    case BuiltinFunction::Cos:
      return ir::Opcode::Cos;
    case BuiltinFunction::Tan:
      return ir::Opcode::Tan;
    case BuiltinFunction::Sinh:
      return ir::Opcode::Sinh;
    case BuiltinFunction::Cosh:
      return ir::Opcode::Cosh;
    case BuiltinFunction::Tanh:
      return ir::Opcode::Tanh;
    case BuiltinFunction::Arcsin:
      return ir::Opcode::Asin;
    case BuiltinFunction::Arccos:
      return ir::Opcode::Acos;
    case BuiltinFunction::Arctan:
      return ir::Opcode::Atan;
    case BuiltinFunction::Exprel:
      return ir::Opcode::Exprel;
    case BuiltinFunction::Sqrt:
      return ir::Opcode::Sqrt;
    case BuiltinFunction::Abs:
      return ir::Opcode::Abs;
    case BuiltinFunction::Floor:
      return ir::Opcode::Floor;
    case BuiltinFunction::Ceil:
      return ir::Opcode::Ceil;
    case BuiltinFunction::Sign:
      return ir::Opcode::Sign;
    case BuiltinFunction::Clip:
      return ir::Opcode::Clip;
    case BuiltinFunction::Min:
      return ir::Opcode::Min;
    case BuiltinFunction::Max:
      return ir::Opcode::Max;
    default:
      return std::nullopt;
  }
}

std::optional<ir::Opcode> binaryOpcode(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Add:
      return ir::Opcode::Add;
    case ast::BinaryOp::Sub:
      return ir::Opcode::Sub;
    case ast::BinaryOp::Mul:
      return ir::Opcode::Mul;
    case ast::BinaryOp::Div:
      return ir::Opcode::Div;
    case ast::BinaryOp::Mod:
      return ir::Opcode::Mod;
    case ast::BinaryOp::Pow:
      return ir::Opcode::Pow;
    case ast::BinaryOp::Eq:
      return ir::Opcode::Eq;
    case ast::BinaryOp::Ne:
      return ir::Opcode::Ne;
    case ast::BinaryOp::Lt:
      return ir::Opcode::Lt;
    case ast::BinaryOp::Le:
      return ir::Opcode::Le;
    case ast::BinaryOp::Gt:
      return ir::Opcode::Gt;
    case ast::BinaryOp::Ge:
      return ir::Opcode::Ge;
    case ast::BinaryOp::And:
      return ir::Opcode::And;
    case ast::BinaryOp::Or:
      return ir::Opcode::Or;
  }
  return std::nullopt;
}

class Evaluator {
 public:
  explicit Evaluator(const RunView& view)
      : program_(*view.program),
        experiment_(*view.experiment),
        simulation_(*view.simulation),
        dt_(view.simulation->plan().dt) {}

  double eval(const ast::Expr& e, const ElementScope* scope) {
    if (++depth_ > kMaxDepth) fail("this expression nests too deeply to evaluate", e.range);
    double v = evalNode(e, scope);
    --depth_;
    return v;
  }

 private:
  double evalNode(const ast::Expr& e, const ElementScope* scope) {
    switch (e.kind) {
      case ast::ExprKind::Number: {
        const auto& n = static_cast<const ast::NumberExpr&>(e);
        if (!n.unit) return n.value;
        auto unit = sema::unitOf(*n.unit);
        if (!unit) fail("the unit of this number is unknown", e.range);
        return n.value * unit->scale;
      }
      case ast::ExprKind::Name:
        return evalName(e, static_cast<const ast::NameExpr&>(e).name, scope);
      case ast::ExprKind::Member:
        return evalMember(static_cast<const ast::MemberExpr&>(e), scope);
      case ast::ExprKind::Index:
        return evalIndexed(static_cast<const ast::IndexExpr&>(e));
      case ast::ExprKind::Call:
        return evalCall(static_cast<const ast::CallExpr&>(e), scope);
      case ast::ExprKind::Unary: {
        const auto& u = static_cast<const ast::UnaryExpr&>(e);
        double x = eval(*u.operand, scope);
        switch (u.op) {
          case ast::UnaryOp::Negate:
            return -x;
          case ast::UnaryOp::Plus:
            return x;
          case ast::UnaryOp::Not:
            return x == 0 ? 1.0 : 0.0;
        }
        return kNaN;
      }
      case ast::ExprKind::Binary: {
        const auto& b = static_cast<const ast::BinaryExpr&>(e);
        double x = eval(*b.lhs, scope);
        double y = eval(*b.rhs, scope);
        auto op = binaryOpcode(b.op);
        if (!op) fail("this operator cannot be evaluated", b.op_range);
        if (ir::isComparison(*op)) return ir::evaluateComparison(*op, x, y) ? 1.0 : 0.0;
        if (ir::isLogic(*op)) return ir::evaluateLogic(*op, x != 0, y != 0) ? 1.0 : 0.0;
        return ir::evaluateFloat(*op, x, y);
      }
      case ast::ExprKind::String:
      case ast::ExprKind::List:
        break;
    }
    fail("a print can only show single values", e.range);
  }

  const sema::Resolution& resolution(const ast::Expr& e) {
    const sema::Resolution* r = program_.resolutionOf(&e);
    if (!r) fail("this name was not resolved by the checker (an error reported earlier?)", e.range);
    return *r;
  }

  // ---------------------------------------------------------------- names

  double evalName(const ast::Expr& e, const std::string& name, const ElementScope* scope) {
    const sema::Resolution& r = resolution(e);
    switch (r.kind) {
      case SymbolKind::Builtin:
        return builtinValue(e, r, scope);
      case SymbolKind::Parameter:
        if (scope) return scopedParameter(e, r, *scope);
        if (r.has_value) return r.value;
        break;
      case SymbolKind::State:
      case SymbolKind::SubExpression:
      case SymbolKind::SynapseVariable:
        if (scope) {
          return variableValue(scope->of_connect, scope->owner, r.kind, r.index, r.name,
                               scope->element, e.range);
        }
        break;
      case SymbolKind::PreVariable:
      case SymbolKind::PostVariable:
        if (scope && scope->of_connect) return prePostValue(e, r, *scope);
        break;
      case SymbolKind::Let:
      case SymbolKind::Unit:
        if (r.has_value) return r.value;
        fail(fmt::format("`{}` has no single value", name), e.range);
      case SymbolKind::TimedArray:
        fail(fmt::format("`{}` is a timed array; use its value at a time as `{}(t)`", name, name),
             e.range);
      case SymbolKind::Noise:
        fail(fmt::format("`{}` is white noise, which has no value outside an equation", name),
             e.range);
      default:
        break;
    }
    fail(fmt::format("`{}` has no value here", name), e.range);
  }

  double builtinValue(const ast::Expr& e, const sema::Resolution& r, const ElementScope* scope) {
    if (r.has_value) return r.value;  // pi, e, inf, true, false
    switch (r.builtin_variable) {
      case BuiltinVariable::T:
        return simulation_.currentTime();
      case BuiltinVariable::Dt:
        return dt_;
      default:
        break;
    }
    if (!scope) fail(fmt::format("`{}` has no value in a print", r.name), e.range);
    const bool synapse = scope->of_connect;
    switch (r.builtin_variable) {
      case BuiltinVariable::I:
        return static_cast<double>(synapse ? synapseEnd(*scope, false, e.range) : scope->element);
      case BuiltinVariable::J:
        if (synapse) return static_cast<double>(synapseEnd(*scope, true, e.range));
        break;
      case BuiltinVariable::N:
        return static_cast<double>(synapse ? simulation_.synapseCount(scope->owner)
                                           : simulation_.groupSize(scope->owner));
      case BuiltinVariable::NPre:
      case BuiltinVariable::NPost:
        if (synapse) {
          const auto& c = connect(scope->owner, e.range);
          return static_cast<double>(simulation_.groupSize(
              r.builtin_variable == BuiltinVariable::NPre ? c.source : c.target));
        }
        break;
      case BuiltinVariable::Lastspike:
        if (!synapse) {
          return variableValue(false, scope->owner, SymbolKind::Builtin, 0, "lastspike",
                               scope->element, e.range);
        }
        break;
      default:
        break;
    }
    fail(fmt::format("`{}` has no value here", r.name), e.range);
  }

  double scopedParameter(const ast::Expr& e, const sema::Resolution& r, const ElementScope& scope) {
    if (!scope.of_connect) {
      const auto& p = population(scope.owner, e.range);
      if (r.model == p.model && r.index < p.parameter_values.size())
        return p.parameter_values[r.index];
    } else {
      const auto& c = connect(scope.owner, e.range);
      if (r.model == c.synapse && r.index < c.synapse_parameter_values.size())
        return c.synapse_parameter_values[r.index];
    }
    if (r.has_value) return r.value;
    fail(fmt::format("the value of parameter `{}` is unknown here", r.name), e.range);
  }

  // `pre.X` / `post.X` in a synapse's sub-expression: X of the neuron at that end.
  double prePostValue(const ast::Expr& e, const sema::Resolution& r, const ElementScope& scope) {
    const bool is_post = r.kind == SymbolKind::PostVariable;
    const auto& c = connect(scope.owner, e.range);
    const std::size_t group = is_post ? c.target : c.source;
    const auto& pop = population(group, e.range);
    auto var = pop.findVariable(r.name);
    if (!var) fail(fmt::format("`{}` has no variable `{}`", pop.name, r.name), e.range);
    return variableValue(false, group, var->kind, var->index, r.name,
                         synapseEnd(scope, is_post, e.range), e.range);
  }

  engine::Index synapseEnd(const ElementScope& scope, bool post, SourceRange at) {
    auto ends = post ? simulation_.synapsePost(scope.owner) : simulation_.synapsePre(scope.owner);
    if (scope.element < 0 || static_cast<std::size_t>(scope.element) >= ends.size())
      fail("a synapse index is out of range", at);
    return ends[static_cast<std::size_t>(scope.element)];
  }

  // `E.tau` (a parameter: one value for the population); `pre.X` in a synapse's code.
  double evalMember(const ast::MemberExpr& m, const ElementScope* scope) {
    const sema::Resolution& r = resolution(m);
    if ((r.kind == SymbolKind::PreVariable || r.kind == SymbolKind::PostVariable) && scope &&
        scope->of_connect) {
      return prePostValue(m, r, *scope);
    }
    if (r.kind == SymbolKind::Parameter && r.has_value) return r.value;
    if (r.kind == SymbolKind::Parameter && m.object && m.object->kind == ast::ExprKind::Name) {
      auto use = groupVariable(m, nullptr);
      if (!use.of_connect) {
        const auto& p = population(use.owner, m.range);
        if (r.index < p.parameter_values.size()) return p.parameter_values[r.index];
      }
    }
    fail("this variable has one value per neuron or synapse: print one element, `P.X[0]`", m.range);
  }

  // ---------------------------------------------------------------- group variables

  const sema::CheckedPopulation& population(std::size_t k, SourceRange at) {
    if (k >= experiment_.populations.size() || k >= simulation_.plan().groups.size())
      fail("the simulation has no group for this population", at);
    return experiment_.populations[k];
  }
  const sema::CheckedConnect& connect(std::size_t k, SourceRange at) {
    if (k >= experiment_.connects.size() || k >= simulation_.plan().connections.size())
      fail("the simulation has no connection for this connect", at);
    return experiment_.connects[k];
  }
  std::string connectName(std::size_t k) {
    const auto& c = experiment_.connects[k];
    if (!c.name.empty()) return c.name;
    return experiment_.populations[c.source].name + "->" + experiment_.populations[c.target].name;
  }

  // `E.V`, `E.V[3]`, `S.w[0:10]`: the group by its name, the variable by sema's resolution.
  GroupVariableUse groupVariable(const ast::MemberExpr& m, const ast::IndexExpr* index) {
    GroupVariableUse use;
    use.index = index;
    use.variable = &resolution(m);
    if (!m.object || m.object->kind != ast::ExprKind::Name)
      fail("expected a variable of a population or a connection: `P.X`", m.range);
    use.owner_name = static_cast<const ast::NameExpr&>(*m.object).name;
    if (const auto* p = experiment_.findPopulation(use.owner_name)) {
      use.owner = static_cast<std::size_t>(p - experiment_.populations.data());
    } else if (const auto* c = experiment_.findConnect(use.owner_name)) {
      use.of_connect = true;
      use.owner = static_cast<std::size_t>(c - experiment_.connects.data());
    } else {
      fail(fmt::format("`{}` is neither a population nor a connection", use.owner_name),
           m.object->range);
    }
    return use;
  }

  engine::Index elementCount(const GroupVariableUse& use, SourceRange at) {
    if (use.of_connect) {
      connect(use.owner, at);
      return simulation_.synapseCount(use.owner);
    }
    population(use.owner, at);
    return simulation_.groupSize(use.owner);
  }

  std::span<const double> storage(bool of_connect, std::size_t owner, const std::string& name,
                                  SourceRange at) {
    try {
      return of_connect ? simulation_.connectionVariable(owner, name)
                        : simulation_.groupVariable(owner, name);
    } catch (const std::out_of_range&) {
      fail(fmt::format("the simulation keeps no variable `{}` of `{}`", name,
                       of_connect ? connectName(owner) : experiment_.populations[owner].name),
           at);
    }
  }

  // One element of a variable of a population (neuron `element`) or a connection (synapse
  // `element`), by the kind sema gave it.
  double variableValue(bool of_connect, std::size_t owner, SymbolKind kind, std::size_t index,
                       const std::string& name, engine::Index element, SourceRange at) {
    if (!of_connect) {
      const auto& p = population(owner, at);
      switch (kind) {
        case SymbolKind::Parameter:
          if (index < p.parameter_values.size()) return p.parameter_values[index];
          break;
        case SymbolKind::SubExpression:
          if (p.model && index < p.model->subexpressions.size() &&
              p.model->subexpressions[index].expr) {
            ElementScope inner{false, owner, element};
            return subExpression(*p.model->subexpressions[index].expr, inner, p.name, name, at);
          }
          break;
        default:
          return storedElement(false, owner, name, element, at);
      }
    } else {
      const auto& c = connect(owner, at);
      switch (kind) {
        case SymbolKind::Parameter:
          if (index < c.synapse_parameter_values.size()) return c.synapse_parameter_values[index];
          break;
        case SymbolKind::SubExpression:
          if (c.synapse && index < c.synapse->subexpressions.size() &&
              c.synapse->subexpressions[index].expr) {
            ElementScope inner{true, owner, element};
            return subExpression(*c.synapse->subexpressions[index].expr, inner, connectName(owner),
                                 name, at);
          }
          break;
        default:
          return storedElement(true, owner, name, element, at);
      }
    }
    fail(fmt::format("`{}` cannot be evaluated", name), at);
  }

  // A failure inside a model's sub-expression is reported at the print that asked for it, where
  // the user looks; the message names the sub-expression.
  double subExpression(const ast::Expr& e, const ElementScope& scope, const std::string& owner,
                       const std::string& name, SourceRange at) {
    try {
      return eval(e, &scope);
    } catch (const Failure& f) {
      fail(fmt::format("in `{}.{}`: {}", owner, name, f.error.message), at);
    }
  }

  double storedElement(bool of_connect, std::size_t owner, const std::string& name,
                       engine::Index element, SourceRange at) {
    auto values = storage(of_connect, owner, name, at);
    if (element < 0 || static_cast<std::size_t>(element) >= values.size()) {
      fail(fmt::format("index {} is out of range: `{}` has {} {}", element,
                       of_connect ? connectName(owner) : experiment_.populations[owner].name,
                       values.size(), of_connect ? "synapses" : "neurons"),
           at);
    }
    return values[static_cast<std::size_t>(element)];
  }

  engine::Index indexValue(const ast::Expr& e) {
    double v = eval(e, nullptr);
    if (!std::isfinite(v) || std::trunc(v) != v || v < 0 || v > 9.0e15)
      fail(fmt::format("an index must be a whole number from 0, not {}", v), e.range);
    return static_cast<engine::Index>(v);
  }

  // [lo, hi) of a use, checked against the elements that exist now.
  std::pair<engine::Index, engine::Index> bounds(const GroupVariableUse& use, SourceRange at) {
    const engine::Index size = elementCount(use, at);
    engine::Index lo = 0, hi = size;
    if (use.index) {
      if (!use.index->is_slice) {
        lo = use.index->index ? indexValue(*use.index->index) : 0;
        hi = lo + 1;
      } else {
        if (use.index->lo) lo = indexValue(*use.index->lo);
        if (use.index->hi) hi = indexValue(*use.index->hi);
      }
    }
    if (lo > hi || hi > size) {
      fail(fmt::format("`{}.{}[{}:{}]` is out of range: `{}` has {} {}", use.owner_name,
                       use.variable->name, lo, hi, use.owner_name, size,
                       use.of_connect ? "synapses" : "neurons"),
           use.index ? use.index->range : at);
    }
    return {lo, hi};
  }

  // `E.V[k]`, `S.w[k]`: one element.
  double evalIndexed(const ast::IndexExpr& ix) {
    if (!ix.object || ix.object->kind != ast::ExprKind::Member || ix.is_slice)
      fail("expected one element of a variable: `P.X[k]`", ix.range);
    auto use = groupVariable(static_cast<const ast::MemberExpr&>(*ix.object), &ix);
    auto [lo, hi] = bounds(use, ix.range);
    (void)hi;
    return variableValue(use.of_connect, use.owner, use.variable->kind, use.variable->index,
                         use.variable->name, lo, ix.range);
  }

  // The values `mean(...)` and its kin summarise: a variable (or slice), or a recorded rate.
  std::vector<double> valuesOf(const ast::Expr& x, SourceRange call_range) {
    if (x.kind == ast::ExprKind::Call) return rateSeries(static_cast<const ast::CallExpr&>(x));
    const ast::MemberExpr* m = nullptr;
    const ast::IndexExpr* ix = nullptr;
    if (x.kind == ast::ExprKind::Member) m = static_cast<const ast::MemberExpr*>(&x);
    if (x.kind == ast::ExprKind::Index) {
      ix = static_cast<const ast::IndexExpr*>(&x);
      if (ix->object && ix->object->kind == ast::ExprKind::Member)
        m = static_cast<const ast::MemberExpr*>(ix->object.get());
    }
    if (!m) fail("expected `P.X`, `P.X[a:b]`, `S.w` or `rate(P)`", x.range);
    auto use = groupVariable(*m, ix);
    auto [lo, hi] = bounds(use, call_range);
    const SymbolKind kind = use.variable->kind;
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(hi - lo));
    if (kind == SymbolKind::Parameter || kind == SymbolKind::SubExpression) {
      for (engine::Index k = lo; k < hi; ++k) {
        out.push_back(variableValue(use.of_connect, use.owner, kind, use.variable->index,
                                    use.variable->name, k, x.range));
      }
      return out;
    }
    auto values = storage(use.of_connect, use.owner, use.variable->name, x.range);
    if (static_cast<std::size_t>(hi) > values.size())
      fail("the simulation holds fewer values than elements", x.range);
    out.assign(values.begin() + lo, values.begin() + hi);
    return out;
  }

  // ---------------------------------------------------------------- calls

  double evalCall(const ast::CallExpr& c, const ElementScope* scope) {
    const sema::Resolution& r = resolution(c);
    if (r.kind == SymbolKind::TimedArray) return timedValue(c, r, scope);
    if (r.kind != SymbolKind::Function)
      fail(fmt::format("`{}` is not a function", c.callee), c.range);
    if (auto op = mathOpcode(r.builtin_function)) {
      double a[3] = {0, 0, 0};
      if (c.args.size() > 3) fail("too many arguments", c.range);
      for (std::size_t k = 0; k < c.args.size(); ++k) {
        if (!c.args[k].value) fail("a missing argument", c.range);
        a[k] = eval(*c.args[k].value, scope);
      }
      return ir::evaluateFloat(*op, a[0], a[1], a[2]);
    }
    switch (r.builtin_function) {
      case BuiltinFunction::Int: {
        if (c.args.size() != 1 || !c.args[0].value) fail("`int` takes one argument", c.range);
        return std::trunc(eval(*c.args[0].value, scope));
      }
      case BuiltinFunction::Rand:
      case BuiltinFunction::Randn:
        fail(fmt::format("`{}()` draws a new number in every step; a print cannot show it",
                         c.callee),
             c.range);
      case BuiltinFunction::SpikeCount:
      case BuiltinFunction::MeanRate:
      case BuiltinFunction::CvIsi:
        return spikeAnalysis(c, r.builtin_function);
      case BuiltinFunction::PeakFrequency:
        return peakFrequency(c);
      case BuiltinFunction::Mean:
      case BuiltinFunction::Std:
      case BuiltinFunction::MinOf:
      case BuiltinFunction::MaxOf:
        return statistic(c, r.builtin_function);
      default:
        break;
    }
    fail(fmt::format("`{}(...)` has no value in a print", c.callee), c.range);
  }

  // A timed array at a time, by Brian2's rule (the interpreter's sampleTable does the same).
  double timedValue(const ast::CallExpr& c, const sema::Resolution& r, const ElementScope* scope) {
    if (!r.let || r.let->values.empty() || !(r.let->dt > 0) || c.args.size() != 1 ||
        !c.args[0].value) {
      fail(fmt::format("the timed array `{}` cannot be sampled here", c.callee), c.range);
    }
    const double x = eval(*c.args[0].value, scope);
    if (std::isnan(x)) return kNaN;
    const double k = std::max(std::exp2(std::ceil(std::log2(8.0 / dt_ * r.let->dt))), 1.0);
    const double epsilon = r.let->dt / k;
    const std::size_t last = r.let->values.size() - 1;
    const double position = (x / epsilon + 0.5) / k;
    const std::size_t index = position < 1 ? 0
                              : position >= static_cast<double>(last)
                                  ? last
                                  : static_cast<std::size_t>(position);
    return r.let->values[index];
  }

  // The population named by the only argument of `spike_count(E)` and its kin.
  std::size_t populationArgument(const ast::CallExpr& c) {
    if (c.args.size() != 1 || !c.args[0].value || c.args[0].value->kind != ast::ExprKind::Name)
      fail(fmt::format("`{}` takes one population: `{}(P)`", c.callee, c.callee), c.range);
    const auto& n = static_cast<const ast::NameExpr&>(*c.args[0].value);
    const sema::Resolution* r = program_.resolutionOf(&n);
    if (r && r->kind == SymbolKind::Population) {
      population(r->index, n.range);
      return r->index;
    }
    if (const auto* p = experiment_.findPopulation(n.name))
      return static_cast<std::size_t>(p - experiment_.populations.data());
    fail(fmt::format("`{}` is not a population", n.name), n.range);
  }

  double spikeAnalysis(const ast::CallExpr& c, BuiltinFunction f) {
    const std::size_t group = populationArgument(c);
    const std::string& name = experiment_.populations[group].name;
    const engine::SpikeRecording* rec = spikeRecordingOf(simulation_, group);
    if (!rec) {
      fail(
          fmt::format("`{}({})` needs the spikes of `{}`: add `record spikes({})` before the `run`",
                      c.callee, name, name, name),
          c.range);
    }
    if (rec->indices.size() != rec->steps.size())
      fail(fmt::format("the spike recording of `{}` is inconsistent", name), c.range);
    if (f == BuiltinFunction::SpikeCount) return static_cast<double>(rec->steps.size());
    const engine::Index size = simulation_.groupSize(group);
    if (f == BuiltinFunction::MeanRate) {
      const engine::Step steps = recordedSteps(simulation_, *rec);
      if (steps <= 0) {
        fail(fmt::format("`mean_rate({})` is undefined before the spikes of `{}` have been "
                         "recorded over a step: `run` first",
                         name, name),
             c.range);
      }
      return static_cast<double>(rec->steps.size()) /
             (static_cast<double>(size) * static_cast<double>(steps) * dt_);
    }
    // cv_isi: vm/analysis takes 32-bit neuron indices and times in seconds.
    if (size > static_cast<engine::Index>(std::numeric_limits<std::uint32_t>::max()))
      fail(fmt::format("`cv_isi` supports populations of up to 2^32 - 1 neurons"), c.range);
    std::vector<std::uint32_t> neurons(rec->indices.size());
    std::vector<double> times(rec->steps.size());
    for (std::size_t k = 0; k < neurons.size(); ++k) {
      neurons[k] = static_cast<std::uint32_t>(rec->indices[k]);
      times[k] = static_cast<double>(rec->steps[k]) * dt_;
    }
    analysis::SpikeData data{neurons, times, static_cast<std::uint32_t>(size)};
    try {
      return analysis::cvIsi(data);
    } catch (const std::exception& e) {
      fail(fmt::format("`cv_isi({})`: {}", name, e.what()), c.range);
    }
  }

  // The recorded rate of `rate(P)` or `rate(P, smooth = gaussian(T))`, smoothed as asked.
  std::vector<double> rateSeries(const ast::CallExpr& rate) {
    const ast::NameExpr* pop = nullptr;
    const ast::Expr* width = nullptr;
    for (const auto& a : rate.args) {
      if (!a.value) continue;
      if (a.name.empty() && a.value->kind == ast::ExprKind::Name) {
        pop = static_cast<const ast::NameExpr*>(a.value.get());
      } else if (a.name == "smooth" && a.value->kind == ast::ExprKind::Call) {
        const auto& g = static_cast<const ast::CallExpr&>(*a.value);
        if (g.args.size() == 1 && g.args[0].value) width = g.args[0].value.get();
      }
    }
    if (rate.callee != "rate" || !pop) fail("expected a population rate: `rate(P)`", rate.range);
    const auto* p = experiment_.findPopulation(pop->name);
    if (!p) fail(fmt::format("`{}` is not a population", pop->name), pop->range);
    const std::size_t group = static_cast<std::size_t>(p - experiment_.populations.data());
    population(group, pop->range);
    const engine::RateRecording* rec = rateRecordingOf(simulation_, group);
    if (!rec) {
      fail(fmt::format("`rate({})` has not been recorded: add `record rate({})` before the `run`",
                       pop->name, pop->name),
           rate.range);
    }
    if (rec->rates.empty()) {
      fail(fmt::format("`rate({})` has no recorded step yet: `run` first", pop->name), rate.range);
    }
    if (!width) return rec->rates;
    const double sigma = eval(*width, nullptr);
    try {
      return analysis::smoothGaussian(rec->rates, dt_, sigma);
    } catch (const std::exception& e) {
      fail(fmt::format("cannot smooth `rate({})`: {}", pop->name, e.what()), rate.range);
    }
  }

  double peakFrequency(const ast::CallExpr& c) {
    if (c.args.size() != 1 || !c.args[0].value || c.args[0].value->kind != ast::ExprKind::Call)
      fail("`peak_frequency` takes a population rate: `peak_frequency(rate(P))`", c.range);
    const auto& rate = static_cast<const ast::CallExpr&>(*c.args[0].value);
    std::vector<double> series = rateSeries(rate);
    if (series.size() < 2) {
      fail(fmt::format(
               "`peak_frequency` needs a rate recorded over at least 2 steps; `{}` has {}",
               rate.args.empty() || !rate.args[0].value
                   ? std::string("rate")
                   : "rate(" + static_cast<const ast::NameExpr&>(*rate.args[0].value).name + ")",
               series.size()),
           c.range);
    }
    analysis::Spectrum spectrum =
        analysis::welchPsd(series, 1.0 / dt_, psdSegmentLength(dt_, series.size()));
    // A constant rate (no spikes at all, say) has no oscillation: every bin above 0 Hz is zero,
    // and naming the first of them a peak would be a made-up frequency.
    double largest = 0;
    for (std::size_t k = 1; k < spectrum.density.size(); ++k)
      largest = std::max(largest, spectrum.density[k]);
    if (!(largest > 0)) return kNaN;
    return analysis::peakFrequency(spectrum);
  }

  double statistic(const ast::CallExpr& c, BuiltinFunction f) {
    if (c.args.size() != 1 || !c.args[0].value)
      fail(fmt::format("`{}` takes one argument", c.callee), c.range);
    std::vector<double> values = valuesOf(*c.args[0].value, c.range);
    analysis::Summary s = analysis::summarize(values);
    switch (f) {
      case BuiltinFunction::Mean:
        return s.mean;
      case BuiltinFunction::Std:
        return s.std;
      case BuiltinFunction::MinOf:
        return s.min;
      case BuiltinFunction::MaxOf:
        return s.max;
      default:
        return kNaN;
    }
  }

  const sema::CheckedProgram& program_;
  const sema::CheckedExperiment& experiment_;
  const engine::Simulation& simulation_;
  double dt_;
  int depth_ = 0;
};

}  // namespace

std::variant<PrintValue, RunTimeError> evaluatePrintExpression(const RunView& view,
                                                               const ast::Expr& expr) {
  if (!view.program || !view.experiment || !view.simulation)
    return RunTimeError{"nothing to print from: the simulation was not created", expr.range};
  PrintValue out;
  const sema::Type* type = view.program->typeOf(&expr);
  if (!type || type->isError())
    return RunTimeError{"this expression did not pass the checker", expr.range};
  out.is_condition = type->isBoolean();
  try {
    Evaluator evaluator(view);
    out.value = evaluator.eval(expr, nullptr);
  } catch (const Failure& f) {
    return f.error;
  }
  return out;
}

}  // namespace snn::run
