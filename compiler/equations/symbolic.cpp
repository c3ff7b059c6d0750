// The symbolic expression DAG: construction, identity, rewriting, evaluation and printing.
// See symbolic.h. Every traversal memoises per node, since inlined sub-expressions make the
// same node appear many times.
#include "compiler/equations/symbolic.h"

#include <bit>
#include <cmath>
#include <limits>
#include <numbers>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "compiler/sema/checked_program.h"

namespace snn::equations {
namespace {

using sema::BuiltinFunction;

std::size_t mix(std::size_t seed, std::size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

// Whether `name` takes part in a node's identity (for the other leaves the index does).
bool nameIsIdentity(Op op) {
  return op == Op::Neighbour || op == Op::Noise;
}

Expr finish(Node node) {
  std::size_t h = mix(0, static_cast<std::size_t>(node.op));
  switch (node.op) {
    case Op::Constant:
      h = mix(h, std::bit_cast<std::uint64_t>(node.value));
      break;
    case Op::State:
    case Op::Parameter:
      h = mix(h, node.index);
      break;
    case Op::Builtin:
      h = mix(h, static_cast<std::size_t>(node.builtin));
      break;
    case Op::Neighbour:
      h = mix(h, node.index);
      break;
    case Op::TimedArray:
      h = mix(h, std::hash<const void*>{}(node.let));
      h = mix(h, std::hash<std::string>{}(node.name));
      break;
    case Op::Call:
      h = mix(h, static_cast<std::size_t>(node.function));
      h = mix(h, node.index);
      break;
    default:
      break;
  }
  if (nameIsIdentity(node.op)) h = mix(h, std::hash<std::string>{}(node.name));
  for (const auto& a : node.args) h = mix(h, a.hash());
  node.hash = h;
  return Expr(std::make_shared<const Node>(std::move(node)));
}

bool sameOwnFields(const Node& a, const Node& b) {
  if (a.op != b.op || a.args.size() != b.args.size()) return false;
  switch (a.op) {
    case Op::Constant:
      return std::bit_cast<std::uint64_t>(a.value) == std::bit_cast<std::uint64_t>(b.value);
    case Op::State:
    case Op::Parameter:
      return a.index == b.index;
    case Op::Builtin:
      return a.builtin == b.builtin;
    case Op::Neighbour:
      return a.index == b.index && a.name == b.name;
    case Op::Noise:
      return a.name == b.name;
    case Op::TimedArray:
      return a.let == b.let && a.name == b.name;
    case Op::Call:
      return a.function == b.function && a.index == b.index;
    default:
      return true;
  }
}

Expr zero() {
  return constant(0.0);
}
Expr one() {
  return constant(1.0);
}

bool isComparison(Op op) {
  return op >= Op::Eq && op <= Op::Ge;
}

}  // namespace

// ------------------------------------------------------------------ identity

std::size_t Expr::hash() const {
  return node_ ? node_->hash : 0;
}

namespace {

struct PairHash {
  std::size_t operator()(const std::pair<const Node*, const Node*>& p) const {
    return mix(std::hash<const void*>{}(p.first), std::hash<const void*>{}(p.second));
  }
};
using EqualPairs = std::unordered_set<std::pair<const Node*, const Node*>, PairHash>;

// Pairs found equal are remembered, so that two separately built DAGs with much sharing are
// compared in time proportional to their nodes, not to the paths through them.
bool equalNodes(const Node* a, const Node* b, EqualPairs& equal) {
  if (a == b) return true;
  if (!a || !b || a->hash != b->hash || !sameOwnFields(*a, *b)) return false;
  if (equal.contains({a, b})) return true;
  for (std::size_t k = 0; k < a->args.size(); ++k) {
    if (!equalNodes(a->args[k].get(), b->args[k].get(), equal)) return false;
  }
  equal.insert({a, b});
  return true;
}

}  // namespace

bool operator==(const Expr& a, const Expr& b) {
  if (a.node_ == b.node_) return true;
  if (!a.node_ || !b.node_ || a.node_->hash != b.node_->hash) return false;
  EqualPairs equal;
  return equalNodes(a.node_.get(), b.node_.get(), equal);
}

// ------------------------------------------------------------------ making nodes

Expr constant(double value, const ast::Expr* origin) {
  Node n;
  n.op = Op::Constant;
  n.value = value;
  n.origin = origin;
  return finish(std::move(n));
}

Expr stateRef(std::size_t index, std::string name, const ast::Expr* origin) {
  Node n;
  n.op = Op::State;
  n.index = index;
  n.name = std::move(name);
  n.origin = origin;
  return finish(std::move(n));
}

Expr parameterRef(std::size_t index, std::string name, const ast::Expr* origin) {
  Node n;
  n.op = Op::Parameter;
  n.index = index;
  n.name = std::move(name);
  n.origin = origin;
  return finish(std::move(n));
}

Expr builtinRef(sema::BuiltinVariable variable, const ast::Expr* origin) {
  Node n;
  n.op = Op::Builtin;
  n.builtin = variable;
  n.name = std::string(sema::info(variable).name);
  n.origin = origin;
  return finish(std::move(n));
}

Expr neighbourRef(bool is_post, std::string name, const ast::Expr* origin) {
  Node n;
  n.op = Op::Neighbour;
  n.index = is_post ? 1 : 0;
  n.name = std::move(name);
  n.origin = origin;
  return finish(std::move(n));
}

Expr noiseRef(std::string name, const ast::Expr* origin) {
  Node n;
  n.op = Op::Noise;
  n.name = std::move(name);
  n.origin = origin;
  return finish(std::move(n));
}

Expr timedArray(const sema::CheckedLet* let, std::string name, Expr argument,
                const ast::Expr* origin) {
  Node n;
  n.op = Op::TimedArray;
  n.let = let;
  n.name = std::move(name);
  n.args.push_back(std::move(argument));
  n.origin = origin;
  return finish(std::move(n));
}

Expr call(sema::BuiltinFunction function, std::vector<Expr> args, const ast::Expr* origin,
          std::size_t draw) {
  Node n;
  n.op = Op::Call;
  n.function = function;
  n.name = std::string(sema::info(function).name);
  n.args = std::move(args);
  n.index = (function == BuiltinFunction::Rand || function == BuiltinFunction::Randn) ? draw : 0;
  n.origin = origin;
  return finish(std::move(n));
}

Expr unary(Op op, Expr operand, const ast::Expr* origin) {
  Node n;
  n.op = op;
  n.args.push_back(std::move(operand));
  n.origin = origin;
  return finish(std::move(n));
}

Expr binary(Op op, Expr lhs, Expr rhs, const ast::Expr* origin) {
  Node n;
  n.op = op;
  n.args.push_back(std::move(lhs));
  n.args.push_back(std::move(rhs));
  n.origin = origin;
  return finish(std::move(n));
}

Expr withArgs(const Expr& like, std::vector<Expr> args) {
  bool same = args.size() == like->args.size();
  for (std::size_t k = 0; same && k < args.size(); ++k) same = args[k].get() == like->args[k].get();
  if (same) return like;
  Node n = *like;
  n.args = std::move(args);
  n.origin = nullptr;
  return finish(std::move(n));
}

Expr operator+(const Expr& a, const Expr& b) {
  return binary(Op::Add, a, b);
}
Expr operator-(const Expr& a, const Expr& b) {
  return binary(Op::Sub, a, b);
}
Expr operator*(const Expr& a, const Expr& b) {
  return binary(Op::Mul, a, b);
}
Expr operator/(const Expr& a, const Expr& b) {
  return binary(Op::Div, a, b);
}
Expr operator-(const Expr& a) {
  return unary(Op::Neg, a);
}
Expr pow(const Expr& base, const Expr& exponent) {
  return binary(Op::Pow, base, exponent);
}

// ------------------------------------------------------------------ questions

void forEachNode(const Expr& e, const std::function<void(const Expr&)>& visit) {
  std::unordered_set<const Node*> seen;
  std::function<void(const Expr&)> walk = [&](const Expr& x) {
    if (!seen.insert(x.get()).second) return;
    for (const auto& a : x->args) walk(a);
    visit(x);
  };
  if (e) walk(e);
}

Expr findNode(const Expr& e, const std::function<bool(const Node&)>& pred) {
  std::unordered_set<const Node*> seen;
  std::function<Expr(const Expr&)> walk = [&](const Expr& x) -> Expr {
    if (!seen.insert(x.get()).second) return Expr();
    if (pred(*x)) return x;
    for (const auto& a : x->args) {
      if (Expr found = walk(a)) return found;
    }
    return Expr();
  };
  return e ? walk(e) : Expr();
}

bool dependsOn(const Expr& e, const std::function<bool(const Node&)>& pred) {
  return static_cast<bool>(findNode(e, pred));
}

bool dependsOn(const Expr& e, const Expr& variable) {
  const Node& v = *variable;
  return dependsOn(e, [&](const Node& n) {
    return n.hash == v.hash && sameOwnFields(n, v) && n.args.empty() && v.args.empty();
  });
}

// ------------------------------------------------------------------ scalar semantics

double applyFunction(sema::BuiltinFunction f, std::span<const double> a) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto arg = [&](std::size_t k) { return k < a.size() ? a[k] : nan; };
  const double x = arg(0);
  switch (f) {
    case BuiltinFunction::Exp:
      return std::exp(x);
    case BuiltinFunction::Log:
      return std::log(x);
    case BuiltinFunction::Log10:
      return std::log10(x);
    case BuiltinFunction::Sin:
      return std::sin(x);
    case BuiltinFunction::Cos:
      return std::cos(x);
    case BuiltinFunction::Tan:
      return std::tan(x);
    case BuiltinFunction::Sinh:
      return std::sinh(x);
    case BuiltinFunction::Cosh:
      return std::cosh(x);
    case BuiltinFunction::Tanh:
      return std::tanh(x);
    case BuiltinFunction::Arcsin:
      return std::asin(x);
    case BuiltinFunction::Arccos:
      return std::acos(x);
    case BuiltinFunction::Arctan:
      return std::atan(x);
    case BuiltinFunction::Exprel:
      return x == 0 ? 1.0 : std::expm1(x) / x;
    case BuiltinFunction::Sqrt:
      return std::sqrt(x);
    case BuiltinFunction::Abs:
      return std::fabs(x);
    case BuiltinFunction::Floor:
      return std::floor(x);
    case BuiltinFunction::Ceil:
      return std::ceil(x);
    case BuiltinFunction::Sign:
      return std::isnan(x) ? x : static_cast<double>((x > 0) - (x < 0));
    case BuiltinFunction::Int:
      return std::trunc(x);
    // NaN propagates through min, max and clip, as numpy's.
    case BuiltinFunction::Min:
      return std::isnan(x) || std::isnan(arg(1)) ? nan : std::min(x, arg(1));
    case BuiltinFunction::Max:
      return std::isnan(x) || std::isnan(arg(1)) ? nan : std::max(x, arg(1));
    case BuiltinFunction::Clip:
      if (std::isnan(x) || std::isnan(arg(1)) || std::isnan(arg(2))) return nan;
      return std::min(std::max(x, arg(1)), arg(2));
    default:
      return nan;  // rand()/randn() come from the caller; experiment functions are no values
  }
}

double applyOperator(Op op, double x, double y) {
  switch (op) {
    case Op::Neg:
      return -x;
    case Op::Add:
      return x + y;
    case Op::Sub:
      return x - y;
    case Op::Mul:
      return x * y;
    case Op::Div:
      return x / y;
    case Op::Mod: {  // Python's modulo: the sign follows the divisor
      double r = std::fmod(x, y);
      if (r != 0 && ((r < 0) != (y < 0))) r += y;
      return r;
    }
    case Op::Pow:
      return std::pow(x, y);
    case Op::Eq:
      return x == y ? 1.0 : 0.0;
    case Op::Ne:
      return x != y ? 1.0 : 0.0;
    case Op::Lt:
      return x < y ? 1.0 : 0.0;
    case Op::Le:
      return x <= y ? 1.0 : 0.0;
    case Op::Gt:
      return x > y ? 1.0 : 0.0;
    case Op::Ge:
      return x >= y ? 1.0 : 0.0;
    case Op::And:
      return (x != 0 && y != 0) ? 1.0 : 0.0;
    case Op::Or:
      return (x != 0 || y != 0) ? 1.0 : 0.0;
    case Op::Not:
      return x == 0 ? 1.0 : 0.0;
    default:
      return std::numeric_limits<double>::quiet_NaN();
  }
}

double evaluate(const Expr& e, const LeafValue& leaf) {
  std::unordered_map<const Node*, double> memo;
  std::function<double(const Expr&)> eval = [&](const Expr& x) -> double {
    if (auto it = memo.find(x.get()); it != memo.end()) return it->second;
    const Node& n = *x;
    double v = 0;
    if (n.op == Op::Constant) {
      v = n.value;
    } else if (n.isLeaf()) {
      v = leaf(n, {});
    } else {
      std::vector<double> args;
      args.reserve(n.args.size());
      for (const auto& a : n.args) args.push_back(eval(a));
      if (n.op == Op::TimedArray || n.isRandom()) {
        v = leaf(n, args);
      } else if (n.op == Op::Call) {
        v = applyFunction(n.function, args);
      } else {
        v = applyOperator(n.op, args[0], args.size() > 1 ? args[1] : 0.0);
      }
    }
    memo.emplace(x.get(), v);
    return v;
  };
  return eval(e);
}

// ------------------------------------------------------------------ simplification

namespace {

class Simplifier {
 public:
  explicit Simplifier(Simplify mode) : algebraic_(mode == Simplify::Algebraic) {}

  Expr run(const Expr& e) {
    if (auto it = memo_.find(e.get()); it != memo_.end()) return it->second;
    Expr out = e;
    if (!e->isLeaf()) {
      std::vector<Expr> args;
      args.reserve(e->args.size());
      for (const auto& a : e->args) args.push_back(run(a));
      out = rewrite(withArgs(e, std::move(args)));
    }
    memo_.emplace(e.get(), out);
    return out;
  }

 private:
  static bool isConst(const Expr& e, double v) { return e->isConstant(v); }
  static bool isPlusZero(const Expr& e) { return e->isConstant(0.0) && !std::signbit(e->value); }
  static bool isMinusZero(const Expr& e) { return e->isConstant(0.0) && std::signbit(e->value); }
  static bool isZero(const Expr& e) { return e->isConstant(0.0); }

  Expr fold(const Expr& e) {
    std::vector<double> args;
    for (const auto& a : e->args) args.push_back(a->value);
    double v = e->op == Op::Call ? applyFunction(e->function, args)
                                 : applyOperator(e->op, args[0], args.size() > 1 ? args[1] : 0.0);
    return constant(v, e->origin);
  }

  Expr neg(const Expr& x) {
    if (x->op == Op::Neg) return x->args[0];
    if (x->isConstant()) return constant(-x->value);
    return unary(Op::Neg, x);
  }

  Expr rewrite(const Expr& e) {
    const Node& n = *e;
    bool all_constant = !n.args.empty();
    for (const auto& a : n.args) all_constant = all_constant && a->isConstant();
    if (all_constant && n.op != Op::TimedArray && !n.isRandom()) return fold(e);
    if (n.op == Op::Call && n.args.empty() && !n.isRandom()) return fold(e);

    const Expr& a = n.args.empty() ? e : n.args[0];
    const Expr& b = n.args.size() > 1 ? n.args[1] : e;
    switch (n.op) {
      case Op::Neg:
        if (a->op == Op::Neg) return a->args[0];
        break;
      case Op::Not:
        if (a->op == Op::Not) return a->args[0];
        break;
      case Op::Add:
        if (isMinusZero(b)) return a;
        if (isMinusZero(a)) return b;
        if (algebraic_) {
          if (isZero(b)) return a;
          if (isZero(a)) return b;
          if (a == b) return rewrite(binary(Op::Mul, constant(2.0), a));
          if (b->op == Op::Neg) return rewrite(binary(Op::Sub, a, b->args[0]));
          if (a->op == Op::Neg) return rewrite(binary(Op::Sub, b, a->args[0]));
          if (b->isConstant() && b->value < 0) return binary(Op::Sub, a, constant(-b->value));
        }
        break;
      case Op::Sub:
        if (isPlusZero(b)) return a;
        if (algebraic_) {
          if (isZero(b)) return a;
          if (isZero(a)) return neg(b);
          if (a == b) return zero();
          if (b->op == Op::Neg) return rewrite(binary(Op::Add, a, b->args[0]));
          if (b->isConstant() && b->value < 0) return binary(Op::Add, a, constant(-b->value));
        }
        break;
      case Op::Mul:
        if (isConst(b, 1)) return a;
        if (isConst(a, 1)) return b;
        if (isConst(b, -1)) return neg(a);
        if (isConst(a, -1)) return neg(b);
        if (algebraic_) {
          if (isZero(a) || isZero(b)) return zero();
          if (a->op == Op::Neg) return neg(rewrite(binary(Op::Mul, a->args[0], b)));
          if (b->op == Op::Neg) return neg(rewrite(binary(Op::Mul, a, b->args[0])));
          // Constants first, and gathered: c1 * (c2 * x) = (c1 c2) * x.
          if (b->isConstant() && !a->isConstant()) return rewrite(binary(Op::Mul, b, a));
          if (a->isConstant() && b->op == Op::Mul && b->args[0]->isConstant()) {
            return rewrite(binary(Op::Mul, constant(a->value * b->args[0]->value), b->args[1]));
          }
          if (a->op == Op::Mul && a->args[0]->isConstant()) {
            return rewrite(binary(Op::Mul, a->args[0], rewrite(binary(Op::Mul, a->args[1], b))));
          }
          if (a->isConstant() && b->op == Op::Div && b->args[0]->isConstant()) {
            return rewrite(binary(Op::Div, constant(a->value * b->args[0]->value), b->args[1]));
          }
        }
        break;
      case Op::Div:
        if (isConst(b, 1)) return a;
        if (isConst(b, -1)) return neg(a);
        if (algebraic_) {
          if (isZero(a)) return zero();
          if (a == b) return one();
          // x / c = (1/c) x, so that constants gather.
          if (b->isConstant() && b->value != 0 && std::isfinite(b->value)) {
            return rewrite(binary(Op::Mul, constant(1.0 / b->value), a));
          }
          if (a->op == Op::Neg) return neg(rewrite(binary(Op::Div, a->args[0], b)));
          if (b->op == Op::Neg) return neg(rewrite(binary(Op::Div, a, b->args[0])));
          // (c * x) / y = c * (x / y), so that constants gather in front.
          if (a->op == Op::Mul && a->args[0]->isConstant()) {
            return rewrite(binary(Op::Mul, a->args[0], rewrite(binary(Op::Div, a->args[1], b))));
          }
        }
        break;
      case Op::Pow:
        // pow(x, 1) = x, pow(x, 0) = 1 and pow(1, y) = 1 hold for every double in C.
        if (isConst(b, 1)) return a;
        if (isZero(b)) return one();
        if (isConst(a, 1)) return one();
        if (algebraic_ && b->isConstant() && a->op == Op::Pow && a->args[1]->isConstant()) {
          return rewrite(binary(Op::Pow, a->args[0], constant(a->args[1]->value * b->value)));
        }
        break;
      default:
        break;
    }
    return e;
  }

  bool algebraic_;
  std::unordered_map<const Node*, Expr> memo_;
};

// ------------------------------------------------------------------ differentiation

class Differentiator {
 public:
  explicit Differentiator(const Expr& variable) : variable_(variable) {}

  Expr run(const Expr& e) {
    if (auto it = memo_.find(e.get()); it != memo_.end()) return it->second;
    Expr d = derive(e);
    memo_.emplace(e.get(), d);
    return d;
  }

 private:
  bool depends(const Expr& e) {
    if (auto it = depends_.find(e.get()); it != depends_.end()) return it->second;
    bool d = e == variable_;
    for (const auto& a : e->args) d = d || depends(a);
    depends_.emplace(e.get(), d);
    return d;
  }

  static Expr fn(BuiltinFunction f, Expr x) { return call(f, {std::move(x)}); }
  static Expr c(double v) { return constant(v); }

  // d min(a, b) = (a' + b')/2 - sign(a - b) (a' - b')/2 (min = (a + b)/2 - |a - b|/2);
  // max with + instead.
  static Expr minMax(bool is_max, const Expr& a, const Expr& b, const Expr& da, const Expr& db) {
    Expr mean = (da + db) / c(2);
    Expr half = fn(BuiltinFunction::Sign, a - b) * (da - db) / c(2);
    return is_max ? mean + half : mean - half;
  }

  Expr derive(const Expr& e) {
    if (e == variable_) return one();
    if (!depends(e)) return zero();
    const Node& n = *e;
    auto arg = [&](std::size_t k) { return n.args[k]; };
    auto d = [&](std::size_t k) { return run(n.args[k]); };
    switch (n.op) {
      case Op::Neg:
        return -d(0);
      case Op::Add:
        return d(0) + d(1);
      case Op::Sub:
        return d(0) - d(1);
      case Op::Mul:
        if (!depends(arg(0))) return arg(0) * d(1);
        if (!depends(arg(1))) return d(0) * arg(1);
        return d(0) * arg(1) + arg(0) * d(1);
      case Op::Div:
        if (!depends(arg(1))) return d(0) / arg(1);
        if (!depends(arg(0))) return -(arg(0) * d(1) / pow(arg(1), c(2)));
        return (d(0) * arg(1) - arg(0) * d(1)) / pow(arg(1), c(2));
      case Op::Mod:  // a - b floor(a / b)
        return d(0) - fn(BuiltinFunction::Floor, arg(0) / arg(1)) * d(1);
      case Op::Pow:
        if (!depends(arg(1))) return arg(1) * pow(arg(0), arg(1) - one()) * d(0);
        return e * (d(1) * fn(BuiltinFunction::Log, arg(0)) + arg(1) * d(0) / arg(0));
      case Op::Call:
        return deriveCall(e);
      default:
        // Timed arrays and comparisons are piecewise constant; conditions have no slope.
        return zero();
    }
  }

  Expr deriveCall(const Expr& e) {
    const Node& n = *e;
    if (n.args.empty()) return zero();
    const Expr u = n.args[0];
    const Expr du = run(u);
    switch (n.function) {
      case BuiltinFunction::Exp:
        return e * du;
      case BuiltinFunction::Log:
        return du / u;
      case BuiltinFunction::Log10:
        return du / (u * c(std::numbers::ln10));
      case BuiltinFunction::Sqrt:
        return du / (c(2) * e);
      case BuiltinFunction::Sin:
        return fn(BuiltinFunction::Cos, u) * du;
      case BuiltinFunction::Cos:
        return -(fn(BuiltinFunction::Sin, u) * du);
      case BuiltinFunction::Tan:
        return du / pow(fn(BuiltinFunction::Cos, u), c(2));
      case BuiltinFunction::Sinh:
        return fn(BuiltinFunction::Cosh, u) * du;
      case BuiltinFunction::Cosh:
        return fn(BuiltinFunction::Sinh, u) * du;
      case BuiltinFunction::Tanh:
        return (one() - pow(e, c(2))) * du;
      case BuiltinFunction::Arcsin:
        return du / fn(BuiltinFunction::Sqrt, one() - pow(u, c(2)));
      case BuiltinFunction::Arccos:
        return -(du / fn(BuiltinFunction::Sqrt, one() - pow(u, c(2))));
      case BuiltinFunction::Arctan:
        return du / (one() + pow(u, c(2)));
      case BuiltinFunction::Exprel:
        return (fn(BuiltinFunction::Exp, u) - e) / u * du;
      case BuiltinFunction::Abs:
        return fn(BuiltinFunction::Sign, u) * du;
      case BuiltinFunction::Min:
      case BuiltinFunction::Max:
        return minMax(n.function == BuiltinFunction::Max, u, n.args[1], du, run(n.args[1]));
      case BuiltinFunction::Clip: {  // min(max(x, lo), hi)
        Expr lower = call(BuiltinFunction::Max, {u, n.args[1]});
        Expr d_lower = minMax(true, u, n.args[1], du, run(n.args[1]));
        return minMax(false, lower, n.args[2], d_lower, run(n.args[2]));
      }
      default:
        return zero();  // floor, ceil, sign, int: flat almost everywhere
    }
  }

  Expr variable_;
  std::unordered_map<const Node*, Expr> memo_;
  std::unordered_map<const Node*, bool> depends_;
};

}  // namespace

Expr simplify(const Expr& e, Simplify mode) {
  if (!e) return e;
  Simplifier s(mode);
  return s.run(e);
}

Expr differentiate(const Expr& e, const Expr& variable) {
  Differentiator d(variable);
  return simplify(d.run(e), Simplify::Algebraic);
}

Expr substitute(const Expr& e, const Expr& from, const Expr& to) {
  return substitute(e, std::unordered_map<Expr, Expr, ExprHash>{{from, to}});
}

Expr substitute(const Expr& e, const std::unordered_map<Expr, Expr, ExprHash>& replacements) {
  std::unordered_map<const Node*, Expr> memo;
  std::function<Expr(const Expr&)> run = [&](const Expr& x) -> Expr {
    if (auto it = memo.find(x.get()); it != memo.end()) return it->second;
    Expr out;
    if (auto r = replacements.find(x); r != replacements.end()) {
      out = r->second;
    } else if (x->args.empty()) {
      out = x;
    } else {
      std::vector<Expr> args;
      for (const auto& a : x->args) args.push_back(run(a));
      out = withArgs(x, std::move(args));
    }
    memo.emplace(x.get(), out);
    return out;
  };
  return run(e);
}

// ------------------------------------------------------------------ printing

std::string_view spelling(Op op) {
  switch (op) {
    case Op::Neg:
      return "-";
    case Op::Add:
      return "+";
    case Op::Sub:
      return "-";
    case Op::Mul:
      return "*";
    case Op::Div:
      return "/";
    case Op::Mod:
      return "%";
    case Op::Pow:
      return "**";
    case Op::Eq:
      return "==";
    case Op::Ne:
      return "!=";
    case Op::Lt:
      return "<";
    case Op::Le:
      return "<=";
    case Op::Gt:
      return ">";
    case Op::Ge:
      return ">=";
    case Op::And:
      return "and";
    case Op::Or:
      return "or";
    case Op::Not:
      return "not";
    case Op::Constant:
      return "constant";
    case Op::State:
      return "state";
    case Op::Parameter:
      return "parameter";
    case Op::Builtin:
      return "builtin";
    case Op::Neighbour:
      return "neighbour";
    case Op::Noise:
      return "noise";
    case Op::TimedArray:
      return "timed array";
    case Op::Call:
      return "call";
  }
  return "?";
}

namespace {

// Binding strength, as in the grammar: higher binds tighter.
int precedence(const Node& n) {
  switch (n.op) {
    case Op::Or:
      return 1;
    case Op::And:
      return 2;
    case Op::Not:
      return 3;
    case Op::Add:
    case Op::Sub:
      return 5;
    case Op::Mul:
    case Op::Div:
    case Op::Mod:
      return 6;
    case Op::Neg:
      return 7;
    case Op::Pow:
      return 8;
    case Op::Constant:
      return std::signbit(n.value) && !std::isnan(n.value) ? 7 : 10;
    default:
      return isComparison(n.op) ? 4 : 10;
  }
}

std::string number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{}", v);
}

class Printer {
 public:
  std::string out;

  void print(const Expr& e) {
    const Node& n = *e;
    switch (n.op) {
      case Op::Constant:
        out += number(n.value);
        return;
      case Op::Neighbour:
        out += n.index ? "post." : "pre.";
        out += n.name;
        return;
      case Op::State:
      case Op::Parameter:
      case Op::Builtin:
      case Op::Noise:
        out += n.name;
        return;
      case Op::TimedArray:
      case Op::Call:
        out += n.name;
        out += '(';
        for (std::size_t k = 0; k < n.args.size(); ++k) {
          if (k) out += ", ";
          print(n.args[k]);
        }
        out += ')';
        return;
      case Op::Neg:
        out += '-';
        child(n.args[0], 8);
        return;
      case Op::Not:
        out += "not ";
        child(n.args[0], 3);
        return;
      default:
        break;
    }
    const int p = precedence(n);
    const bool right_assoc = n.op == Op::Pow;
    const bool non_assoc = isComparison(n.op);
    child(n.args[0], right_assoc || non_assoc ? p + 1 : p);
    out += ' ';
    out += spelling(n.op);
    out += ' ';
    // `x ** -1`: an exponent may be a prefix expression.
    child(n.args[1], right_assoc ? 7 : p + 1);
  }

  void child(const Expr& e, int min_precedence) {
    if (precedence(*e) < min_precedence) {
      out += '(';
      print(e);
      out += ')';
    } else {
      print(e);
    }
  }
};

}  // namespace

std::string print(const Expr& e) {
  if (!e) return "<null>";
  Printer p;
  p.print(e);
  return p.out;
}

}  // namespace snn::equations
