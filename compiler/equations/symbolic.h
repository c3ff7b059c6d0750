// The symbolic form of the equations stage: an immutable expression DAG over SI numbers and
// references to a model's variables. Sema's AST keeps what the user wrote (units, names of
// sub-expressions); deciding whether an ODE is linear, extracting its coefficients,
// differentiating it and writing integration steps all need a form where units are plain SI
// factors, sub-expressions are inlined, and new expressions can be made and compared. That is
// this form; symbolic_builder.h makes it from a checked model.
//
// Nodes are shared (std::shared_ptr<const Node>) and never change, so a sub-expression used
// twice is one node, and rewriting (simplify, differentiate) memoises per node. Each node made
// from the source keeps the AST node it came from (`origin`) so that an analysis can point a
// diagnostic at the term that caused it; the origin is not part of a node's identity.
//
// Simplification comes in two strengths (see simplify()): Exact rewrites only where the result
// is the same double for every input, Algebraic also applies identities of real numbers
// (x * 0 = 0, x + 0 = x) that differ for NaN, infinities or the sign of zero. Derivatives and
// coefficients are algebraic objects and use Algebraic; code that evaluates the user's own
// expressions must use Exact (the IR's folder keeps the same rule).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/sema/builtins.h"

namespace snn::sema {
struct CheckedLet;
}

namespace snn::equations {

enum class Op : std::uint8_t {
  // Leaves.
  Constant,   // value, in SI
  State,      // index into the model's states
  Parameter,  // index into the model's parameters (kept symbolic: populations override them)
  Builtin,    // t, dt, i, j, N, N_pre, N_post, lastspike: builtin
  Neighbour,  // `pre.X` (index 0) or `post.X` (index 1) in a synapse; name is X
  Noise,      // `xi`, `xi_1`, ...: name
  // Operations.
  TimedArray,  // NAME(arg): let, one argument
  Call,        // a math builtin: function, its arguments; rand()/randn() carry a draw id in index
  Neg,
  Add,
  Sub,
  Mul,
  Div,
  Mod,  // Python's modulo, as Brian2 and the IR
  Pow,  // base ** exponent (the exponent is usually a Constant)
  // Conditions (model code may hold them in sub-expressions); true is 1, false is 0.
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  And,
  Or,
  Not,
};

class Node;

// A handle on a node: cheap to copy, compared by structure (operator==), hashable.
class Expr {
 public:
  Expr() = default;
  explicit Expr(std::shared_ptr<const Node> node) : node_(std::move(node)) {}

  const Node& operator*() const { return *node_; }
  const Node* operator->() const { return node_.get(); }
  const Node* get() const { return node_.get(); }
  explicit operator bool() const { return node_ != nullptr; }

  std::size_t hash() const;
  // Structural equality: same operation, same values (bit for bit), same variables, equal
  // arguments. Two rand() calls are different draws and never equal.
  friend bool operator==(const Expr& a, const Expr& b);

 private:
  std::shared_ptr<const Node> node_;
};

struct ExprHash {
  std::size_t operator()(const Expr& e) const { return e.hash(); }
};

class Node {
 public:
  Op op = Op::Constant;
  double value = 0;       // Constant
  std::size_t index = 0;  // State, Parameter; Neighbour: 0 pre, 1 post; rand()/randn(): draw
  sema::BuiltinVariable builtin = sema::BuiltinVariable::T;     // Builtin
  sema::BuiltinFunction function = sema::BuiltinFunction::Exp;  // Call
  const sema::CheckedLet* let = nullptr;                        // TimedArray
  std::string name;  // the name as written, for printing (leaves, TimedArray, Call)
  std::vector<Expr> args;
  const ast::Expr* origin = nullptr;  // where it was written; null for derived nodes
  std::size_t hash = 0;

  bool isLeaf() const { return op <= Op::Noise; }
  bool isConstant() const { return op == Op::Constant; }
  bool isConstant(double v) const { return op == Op::Constant && value == v; }
  bool isRandom() const {
    return op == Op::Call &&
           (function == sema::BuiltinFunction::Rand || function == sema::BuiltinFunction::Randn);
  }
};

// ------------------------------------------------------------------ making nodes
// These make exactly the node asked for (no simplification), so that an expression built from
// the source has the source's structure.

Expr constant(double value, const ast::Expr* origin = nullptr);
Expr stateRef(std::size_t index, std::string name, const ast::Expr* origin = nullptr);
Expr parameterRef(std::size_t index, std::string name, const ast::Expr* origin = nullptr);
Expr builtinRef(sema::BuiltinVariable variable, const ast::Expr* origin = nullptr);
Expr neighbourRef(bool is_post, std::string name, const ast::Expr* origin = nullptr);
Expr noiseRef(std::string name, const ast::Expr* origin = nullptr);
Expr timedArray(const sema::CheckedLet* let, std::string name, Expr argument,
                const ast::Expr* origin = nullptr);
// A math builtin. rand() and randn() need a `draw` id that tells calls apart.
Expr call(sema::BuiltinFunction function, std::vector<Expr> args, const ast::Expr* origin = nullptr,
          std::size_t draw = 0);
Expr unary(Op op, Expr operand, const ast::Expr* origin = nullptr);  // Neg, Not
Expr binary(Op op, Expr lhs, Expr rhs, const ast::Expr* origin = nullptr);
// The same operation and values as `like` with other arguments (and no origin unless the
// arguments are unchanged, in which case `like` itself is returned).
Expr withArgs(const Expr& like, std::vector<Expr> args);

Expr operator+(const Expr& a, const Expr& b);
Expr operator-(const Expr& a, const Expr& b);
Expr operator*(const Expr& a, const Expr& b);
Expr operator/(const Expr& a, const Expr& b);
Expr operator-(const Expr& a);
Expr pow(const Expr& base, const Expr& exponent);

// ------------------------------------------------------------------ questions

// Every node of e, each once, children before parents.
void forEachNode(const Expr& e, const std::function<void(const Expr&)>& visit);
// The first node (depth first, left to right, parents before children) that satisfies pred.
Expr findNode(const Expr& e, const std::function<bool(const Node&)>& pred);
bool dependsOn(const Expr& e, const std::function<bool(const Node&)>& pred);
// Whether e contains the leaf `variable` (compared by structure).
bool dependsOn(const Expr& e, const Expr& variable);

// ------------------------------------------------------------------ rewriting

enum class Simplify : std::uint8_t {
  // Same double for every input: constant folding (with the IR's scalar semantics), x * 1,
  // x / 1, x - 0, x + (-0), x ** 1, -(-x).
  Exact,
  // Also real-number identities: x + 0 = x, x * 0 = 0, 0 / x = 0, 0 - x = -x, x ** 0 = 1,
  // x - x = 0, constants gathered in products. Wrong only for NaN, infinities and -0.
  Algebraic,
};
Expr simplify(const Expr& e, Simplify mode = Simplify::Exact);

// d e / d variable (a leaf, compared by structure), simplified algebraically. Defined almost
// everywhere: floor, ceil, sign, int, comparisons, rand() and timed arrays have derivative 0;
// abs, min, max and clip use sign(); exprel's derivative (exp(u) - exprel(u)) / u is 0/0 at
// u = 0, where the true value is 1/2.
Expr differentiate(const Expr& e, const Expr& variable);

// Replaces every node equal to `from` by `to`.
Expr substitute(const Expr& e, const Expr& from, const Expr& to);
// Replaces every node equal to a key by its value, all at once (X by X + k/2, Y by Y + l/2).
Expr substitute(const Expr& e, const std::unordered_map<Expr, Expr, ExprHash>& replacements);

// ------------------------------------------------------------------ evaluation

// The value of a leaf other than a constant, of a timed array at its (evaluated) argument, or
// of a rand()/randn() draw.
using LeafValue = std::function<double(const Node& node, std::span<const double> args)>;
double evaluate(const Expr& e, const LeafValue& leaf);

// The scalar semantics of Call nodes and operators (the same as compiler/ir/scalar_semantics,
// which this stage cannot link: it comes later in the pipeline).
double applyFunction(sema::BuiltinFunction f, std::span<const double> args);
double applyOperator(Op op, double x, double y = 0);

// ------------------------------------------------------------------ printing

// Readable, .snn-like: names as written, constants as SI numbers (`0.02` for 20 ms),
// parentheses only where precedence needs them: `(V_rest - V + I_ext) / tau`.
std::string print(const Expr& e);
std::string_view spelling(Op op);  // "+", "**", "and", ...; the name for leaves

}  // namespace snn::equations
