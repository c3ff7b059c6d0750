// The abstract syntax tree of a .snn file: our own types, built from ANTLR's parse tree in
// compiler/parse/ and never depending on ANTLR. Every node carries the source range that
// diagnostics point at. Sema does not modify the tree; it records what it learns (dimensions,
// resolved names) in its own tables keyed by node address.
//
// Expressions are a small class hierarchy (they nest arbitrarily); statements and declarations
// are plain structs and variants (they nest only through blocks).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/source/source_manager.h"

namespace snn::ast {

// ------------------------------------------------------------------ units as written

// One factor of a unit written in the source: `cm^-2` is {"cm", -2, 1}. A unit expression is
// kept flat (a product of powers), which is also how it prints: `uF/cm^2` has factors
// {uF, 1}, {cm, -2}. The name "1" stands for the dimensionless unit.
struct UnitFactor {
  std::string name;
  std::int64_t exponent_num = 1;
  std::int64_t exponent_den = 1;
  SourceRange range;
};

struct UnitExpr {
  std::vector<UnitFactor> factors;
  SourceRange range;
};

// ------------------------------------------------------------------ expressions

enum class ExprKind : std::uint8_t { Number, String, Name, Member, Index, Call, Unary, Binary, List };

enum class UnaryOp : std::uint8_t { Negate, Plus, Not };

enum class BinaryOp : std::uint8_t {
  Add, Sub, Mul, Div, Mod, Pow,
  Eq, Ne, Lt, Le, Gt, Ge,
  And, Or,
};

const char* spelling(UnaryOp op);   // "-", "+", "not"
const char* spelling(BinaryOp op);  // "+", "**", "and", ...
int precedence(BinaryOp op);        // higher binds tighter; used by the printer

struct Expr {
  explicit Expr(ExprKind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  ExprKind kind;
  SourceRange range;  // the whole expression, parentheses excluded
};
using ExprPtr = std::unique_ptr<Expr>;

// `20`, `0.5`, `10 ms`, `1 uF/cm^2`. `text` is the number as written (printed back verbatim).
struct NumberExpr : Expr {
  NumberExpr(SourceRange r) : Expr(ExprKind::Number, r) {}
  std::string text;
  double value = 0;
  std::optional<UnitExpr> unit;
};

// `"ei_network.svg"`; `value` has its escapes decoded.
struct StringExpr : Expr {
  StringExpr(SourceRange r) : Expr(ExprKind::String, r) {}
  std::string value;
};

// `V`, `tau`, `E`, `ms` (a unit used as a value when no variable has that name).
struct NameExpr : Expr {
  NameExpr(SourceRange r) : Expr(ExprKind::Name, r) {}
  std::string name;
};

// `pre.V`, `E.V`, `S.w`.
struct MemberExpr : Expr {
  MemberExpr(SourceRange r) : Expr(ExprKind::Member, r) {}
  ExprPtr object;
  std::string member;
  SourceRange member_range;
};

// `E.V[0]` (index) or `E.V[0:10]`, `[:10]`, `[5:]` (slice; absent bounds are null).
struct IndexExpr : Expr {
  IndexExpr(SourceRange r) : Expr(ExprKind::Index, r) {}
  ExprPtr object;
  bool is_slice = false;
  ExprPtr index;  // when !is_slice
  ExprPtr lo, hi;  // when is_slice; either may be null
};

struct Argument {
  std::string name;  // empty for a positional argument
  SourceRange name_range;
  ExprPtr value;
};

// `exp(x)`, `rand()`, `clip(w, 0, wmax)`, `gaussian(20 ms)`, `rate(E, smooth = gaussian(5 ms))`.
struct CallExpr : Expr {
  CallExpr(SourceRange r) : Expr(ExprKind::Call, r) {}
  std::string callee;
  SourceRange callee_range;
  std::vector<Argument> args;
};

struct UnaryExpr : Expr {
  UnaryExpr(SourceRange r) : Expr(ExprKind::Unary, r) {}
  UnaryOp op = UnaryOp::Negate;
  ExprPtr operand;
};

struct BinaryExpr : Expr {
  BinaryExpr(SourceRange r) : Expr(ExprKind::Binary, r) {}
  BinaryOp op = BinaryOp::Add;
  ExprPtr lhs, rhs;
  SourceRange op_range;
};

// `[0, 5, 9]`, `[1, 2] * ms` (inputs: spike times, timed arrays).
struct ListExpr : Expr {
  ListExpr(SourceRange r) : Expr(ExprKind::List, r) {}
  std::vector<ExprPtr> elements;
};

// ------------------------------------------------------------------ statements

enum class AssignOp : std::uint8_t { Set, Add, Sub, Mul, Div };
const char* spelling(AssignOp op);  // "=", "+=", ...

// The left side of an assignment: `V`, `post.I_syn`, `E.I_ext`, `E.I_ext[0:10]`.
struct LValue {
  std::string object;  // empty, "pre", "post", or a population / synapse group name
  SourceRange object_range;
  std::string name;
  SourceRange name_range;
  // Optional subscript, same meaning as in IndexExpr.
  bool has_subscript = false;
  bool is_slice = false;
  ExprPtr index, lo, hi;
  SourceRange range;
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

struct AssignStmt {
  LValue target;
  AssignOp op = AssignOp::Set;
  ExprPtr value;
};

struct IfStmt {
  ExprPtr condition;
  Block then_body;
  Block else_body;  // an `else if` is an IfStmt alone in else_body
};

struct Stmt {
  std::variant<AssignStmt, IfStmt> node;
  SourceRange range;
};

// ------------------------------------------------------------------ models

// `tau = 20 ms` or `tau : second = 20 ms`.
struct ParameterDecl {
  std::string name;
  SourceRange name_range;
  std::optional<UnitExpr> unit;
  ExprPtr value;
  SourceRange range;
};

// `V : volt = V_rest`; `init` is null when the state starts at 0.
struct StateDecl {
  std::string name;
  SourceRange name_range;
  UnitExpr unit;
  ExprPtr init;
  SourceRange range;
};

enum class EquationFlag : std::uint8_t { UnlessRefractory, EventDriven, ClockDriven, Summed };
const char* spelling(EquationFlag flag);  // "unless refractory", "event-driven", ...

struct FlagUse {
  EquationFlag flag;
  SourceRange range;
};

// `dV/dt = ... (unless refractory)` (is_ode), `alpha_m = ... : Hz` (a sub-expression), or
// `post.I_syn = g * (E - post.V) (summed)` (a summed variable; object is "post" or "pre").
struct Equation {
  bool is_ode = false;
  std::string object;
  SourceRange object_range;
  std::string name;
  SourceRange name_range;  // for an ODE: the `dV/dt` text
  ExprPtr rhs;
  std::optional<UnitExpr> unit;  // for an ODE: the unit of the variable, as in Brian2
  std::vector<FlagUse> flags;
  SourceRange range;
};

// `on pre { ... }` and `on post { ... }`.
struct EventHandler {
  std::string event;  // "pre" or "post" (anything else is reported by the builder)
  SourceRange event_range;
  Block body;
  SourceRange range;
};

enum class ModelKind : std::uint8_t { Neuron, Synapse };

struct ModelDecl {
  ModelKind kind = ModelKind::Neuron;
  std::string name;
  SourceRange name_range;
  std::vector<ParameterDecl> parameters;
  std::vector<StateDecl> states;
  std::vector<Equation> equations;
  ExprPtr threshold;   // neuron only
  bool has_reset = false;
  Block reset;         // neuron only
  SourceRange reset_range;
  ExprPtr refractory;  // neuron only: a time or a condition
  std::string method;  // empty: chosen automatically
  SourceRange method_range;
  std::vector<EventHandler> handlers;  // synapse only
  ExprPtr delay;       // synapse only
  SourceRange range;
};

// ------------------------------------------------------------------ experiments

// `let stim = timed([0, 1, 0] * nA, dt = 100 ms)` (file-wide or inside an experiment).
struct LetDecl {
  std::string name;
  SourceRange name_range;
  ExprPtr value;
  SourceRange range;
};

struct Initialiser {
  std::string name;
  SourceRange name_range;
  ExprPtr value;
};

// `population E = LIF[400](tau = 10 ms) { V = V_rest }`; model may be `poisson` or `spikes`.
struct PopulationStmt {
  std::string name;
  SourceRange name_range;
  std::string model;
  SourceRange model_range;
  ExprPtr size;
  bool has_arguments = false;  // `()` written, even if empty
  std::vector<Argument> arguments;
  bool has_initialisers = false;
  std::vector<Initialiser> initialisers;
};

// One item of a connect body:
//   Rule:   `one_to_one`, `all`                      (key, no value)
//   Assign: `p = 0.1 if i != j`, `delay = 1 ms`, `w = 0.5 mV`, `j = i`, `fixed_indegree = 80`
//   On:     `on pre { I_syn += w }`
struct ConnectItem {
  enum class Kind : std::uint8_t { Rule, Assign, On } kind = Kind::Rule;
  std::string key;
  SourceRange key_range;
  ExprPtr value;
  ExprPtr condition;  // `if COND` after an Assign
  Block body;         // On
  SourceRange range;
};

// `connect S = E -> I using STDP(wmax = 0.01) { p = 0.1; delay = 1 ms }`.
struct ConnectStmt {
  std::string name;  // empty when not named
  SourceRange name_range;
  std::string source, target;
  SourceRange source_range, target_range;
  std::string synapse;  // empty: an inline synapse
  SourceRange synapse_range;
  bool has_arguments = false;
  std::vector<Argument> arguments;
  bool has_body = false;
  std::vector<ConnectItem> items;
};

struct RecordItem {
  ExprPtr what;   // spikes(E), rate(E), E.V[0:10], S.w[0:20]
  ExprPtr every;  // null: every step
};

struct RecordStmt {
  std::vector<RecordItem> items;
};

struct RunStmt {
  ExprPtr duration;
};

struct AtStmt {
  ExprPtr time;
  Block body;
};

// One piece of a print format string: literal text, or `{expr:spec}`.
struct FormatPiece {
  std::string text;  // literal text (when expr is null), with `{{` and `}}` decoded
  ExprPtr expr;
  std::string spec;  // after the `:`, e.g. ".1f"; empty when none
  SourceRange range;
};

struct PrintStmt {
  std::vector<FormatPiece> pieces;
  SourceRange string_range;
};

struct PlotStmt {
  ExprPtr what;      // raster(E, I), trace(P.V[0]), rate(E, smooth = gaussian(20 ms)), ...
  std::string path;  // empty: a name derived from the plot
  SourceRange path_range;
};

// `poisson_input(target = P.I_syn, n = 1000, rate = 5 Hz, weight = 0.1 mV)`.
struct CallStmt {
  std::unique_ptr<CallExpr> call;
};

struct ExperimentStmt {
  std::variant<PopulationStmt, ConnectStmt, RecordStmt, RunStmt, AtStmt, PrintStmt, PlotStmt,
               LetDecl, CallStmt, AssignStmt>
      node;
  SourceRange range;
};

struct ExperimentDecl {
  std::string name;
  SourceRange name_range;
  std::vector<ExperimentStmt> body;
  SourceRange range;
};

// ------------------------------------------------------------------ files

struct Import {
  std::string path;  // as written, decoded
  SourceRange range;
};

// One parsed file. Top-level declarations are kept by kind; within a kind, in source order.
struct Module {
  FileId file = kNoFile;
  std::vector<Import> imports;
  std::vector<LetDecl> lets;
  std::vector<ModelDecl> models;
  std::vector<ExperimentDecl> experiments;
};

}  // namespace snn::ast
