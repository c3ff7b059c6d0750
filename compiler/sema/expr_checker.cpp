// The expression checker; see expr_checker.h. The rules, in the order of LANGUAGE.md:
//  - a name is the resolver's (model names, lets), else a builtin, else a unit (`/ms`), else
//    undefined; a unit written after a number that continues with a variable's name is
//    ambiguous (`5 mV * m`);
//  - + - % comparisons, min/max/clip need equal dimensions; * / combine them; x**n needs a
//    constant rational n when x has a dimension; exp/log/... need dimensionless arguments;
//  - and/or/not take conditions; conditions are not numbers;
//  - `xi` only in differential equations; rand()/randn() not in constants.
#include "compiler/sema/expr_checker.h"

#include <cmath>
#include <numbers>

#include "compiler/sema/ast_walk.h"
#include "compiler/sema/const_eval.h"
#include "compiler/sema/suggest.h"
#include "compiler/sema/unit_eval.h"
#include "compiler/units/unit_table.h"

namespace snn::sema {
namespace {

using units::Dimension;

Dimension timeDim() {
  return Dimension::base(units::BaseDimension::Time);
}

Dimension noiseDim() {
  return *Dimension::base(units::BaseDimension::Time).pow(units::Rational(-1, 2));
}

bool isConstantBuiltin(BuiltinVariable v) {
  switch (v) {
    case BuiltinVariable::Pi:
    case BuiltinVariable::E:
    case BuiltinVariable::Inf:
    case BuiltinVariable::True:
    case BuiltinVariable::False:
      return true;
    default:
      return false;
  }
}

double builtinValue(BuiltinVariable v) {
  switch (v) {
    case BuiltinVariable::Pi:
      return std::numbers::pi;
    case BuiltinVariable::E:
      return std::numbers::e;
    case BuiltinVariable::Inf:
      return INFINITY;
    case BuiltinVariable::True:
      return 1.0;
    default:
      return 0.0;
  }
}

Type valueType(ValueRule rule) {
  switch (rule) {
    case ValueRule::Dimensionless:
      return Type::dimensionless();
    case ValueRule::Time:
      return Type::quantity(timeDim());
    case ValueRule::Noise:
      return Type::quantity(noiseDim());
    case ValueRule::Boolean:
      return Type::boolean();
  }
  return Type::error();
}

bool isArithmetic(ast::BinaryOp op) {
  return op == ast::BinaryOp::Add || op == ast::BinaryOp::Sub || op == ast::BinaryOp::Mod;
}
bool isComparison(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Eq:
    case ast::BinaryOp::Ne:
    case ast::BinaryOp::Lt:
    case ast::BinaryOp::Le:
    case ast::BinaryOp::Gt:
    case ast::BinaryOp::Ge:
      return true;
    default:
      return false;
  }
}

std::string mismatchContext(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Add:
      return "cannot add these";
    case ast::BinaryOp::Sub:
      return "cannot subtract these";
    case ast::BinaryOp::Mod:
      return "`%` needs operands of one dimension";
    default:
      return "cannot compare these";
  }
}

// `5 mV * m`: the text of the number and the unit factors before `upto`, as written.
std::string quantityPrefix(const ast::NumberExpr& n, std::size_t upto) {
  std::string out = n.text;
  for (std::size_t k = 0; k < upto; ++k) {
    const auto& f = n.unit->factors[k];
    const bool inverse = f.exponent_num < 0 && k > 0;
    out += k == 0 ? " " : (inverse ? "/" : "*");
    out += f.name;
    const std::int64_t num = inverse ? -f.exponent_num : f.exponent_num;
    if (num != 1 || f.exponent_den != 1) {
      out += "^";
      out += f.exponent_den == 1
                 ? std::to_string(num)
                 : "(" + std::to_string(num) + "/" + std::to_string(f.exponent_den) + ")";
    }
  }
  return out;
}

std::string arityText(const BuiltinFunctionInfo& f) {
  if (f.max_args < 0) return "at least " + std::to_string(f.min_args);
  if (f.min_args == f.max_args) return std::to_string(f.min_args);
  return std::to_string(f.min_args) + " to " + std::to_string(f.max_args);
}

bool isStructural(ArgRule r) {
  return r == ArgRule::Population || r == ArgRule::RateOf || r == ArgRule::Values ||
         r == ArgRule::Variable || r == ArgRule::Special;
}

}  // namespace

const char* opSpelling(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Add:
      return "+";
    case ast::BinaryOp::Sub:
      return "-";
    case ast::BinaryOp::Mul:
      return "*";
    case ast::BinaryOp::Div:
      return "/";
    case ast::BinaryOp::Mod:
      return "%";
    case ast::BinaryOp::Pow:
      return "**";
    case ast::BinaryOp::Eq:
      return "==";
    case ast::BinaryOp::Ne:
      return "!=";
    case ast::BinaryOp::Lt:
      return "<";
    case ast::BinaryOp::Le:
      return "<=";
    case ast::BinaryOp::Gt:
      return ">";
    case ast::BinaryOp::Ge:
      return ">=";
    case ast::BinaryOp::And:
      return "and";
    case ast::BinaryOp::Or:
      return "or";
  }
  return "?";
}

// ------------------------------------------------------------------ resolver defaults

std::optional<NameBinding> NameResolver::resolveMember(const ast::MemberExpr& e,
                                                       ExprChecker& checker) {
  std::string object = "expression";
  if (e.object && e.object->kind == ast::ExprKind::Name) {
    object = static_cast<const ast::NameExpr&>(*e.object).name;
  }
  if (object == "pre" || object == "post") {
    checker.diags().report(DiagnosticKind::PrePostOutsideSynapse, e.object->range, object);
  } else {
    checker.diags()
        .report(DiagnosticKind::UndefinedName, e.range, object + "." + e.member)
        .note(
            "`a.b` names a variable of another group only as `pre.X` and `post.X` in synapses, "
            "and as `P.X` in experiments");
  }
  return std::nullopt;
}

std::optional<Type> NameResolver::checkIndex(const ast::IndexExpr&, ExprChecker&) {
  return std::nullopt;
}
std::optional<Type> NameResolver::checkCall(const ast::CallExpr&, ExprChecker&) {
  return std::nullopt;
}

std::optional<NameBinding> NameResolver::resolveTarget(const ast::LValue& target,
                                                       ExprChecker& checker) {
  checker.diags().report(DiagnosticKind::NotAssignable, target.range,
                         target.object.empty() ? target.name : target.object + "." + target.name,
                         "nothing can be assigned here");
  return std::nullopt;
}

std::optional<NameBinding> SemaState::lookupFileLet(std::string_view name) const {
  auto it = file_lets.find(std::string(name));
  if (it == file_lets.end()) return std::nullopt;
  return bindLet(program.lets[it->second], it->second, file_let_ok[it->second]);
}

void SemaState::addFileLetCandidates(std::vector<std::string>& out) const {
  for (const auto& [name, index] : file_lets) out.push_back(name);
}

NameBinding bindLet(const CheckedLet& let, std::size_t index, bool ok) {
  NameBinding b;
  b.resolution.kind = let.is_timed ? SymbolKind::TimedArray : SymbolKind::Let;
  b.resolution.name = let.name;
  b.resolution.index = index;
  b.resolution.let = &let;
  b.resolution.value = let.value;
  b.resolution.has_value = ok && !let.is_timed && !let.type.is_list && !let.type.isError();
  b.type = ok ? let.type : Type::error();
  b.declared_at = let.decl ? let.decl->name_range : SourceRange{};
  b.is_constant = !let.is_timed;
  return b;
}

// ------------------------------------------------------------------ the checker

ExprChecker::ExprChecker(SemaState& state, NameResolver& resolver, ExprContext context)
    : state_(state), resolver_(resolver), context_(std::move(context)) {}

void ExprChecker::recordResolution(const ast::Expr& e, Resolution r) {
  state_.tables->resolutions[&e] = std::move(r);
}

void ExprChecker::recordType(const ast::Expr& e, Type t) {
  state_.tables->types[&e] = std::move(t);
}

void ExprChecker::rememberDeclaration(const ast::Expr& e, std::string name, SourceRange declared_at,
                                      Type type) {
  if (!declared_at.valid()) return;
  declarations_[&e] = Declaration{std::move(name), declared_at, std::move(type)};
}

void ExprChecker::addDeclarationNotes(Builder& b, const ast::Expr& e) const {
  constexpr std::size_t kMaxNotes = 3;
  std::vector<std::string> seen;
  forEachExpr(e, [&](const ast::Expr& sub) {
    if (seen.size() == kMaxNotes) return;
    auto it = declarations_.find(&sub);
    if (it == declarations_.end()) return;
    const Declaration& d = it->second;
    for (const auto& s : seen)
      if (s == d.name) return;
    seen.push_back(d.name);
    if (d.type.isBoolean()) {
      b.note(d.declared_at, fmt::format("`{}` declared here as a condition", d.name));
    } else if (d.type.isQuantity()) {
      b.note(d.declared_at,
             fmt::format("`{}` declared here with unit `{}`", d.name, d.type.dim.toUnitString()));
    }
  });
}

void ExprChecker::reportNotConstant(SourceRange range) {
  if (not_constant_reported_) return;
  not_constant_reported_ = true;
  diags().report(DiagnosticKind::NotConstant, range,
                 context_.what.empty() ? "this value" : context_.what);
}

bool ExprChecker::expectDimension(const ast::Expr& e, const Type& t, const Dimension& dim,
                                  const std::string& what) {
  if (t.isError()) return false;
  if (t.isBoolean()) {
    diags().report(DiagnosticKind::DimensionExpected, e.range, what, dim.toUnitString(),
                   "a condition");
    return false;
  }
  if (t.is_list) {
    diags().report(DiagnosticKind::InvalidValue, e.range,
                   fmt::format("{} must be a single value, not a list", what));
    return false;
  }
  if (!(t.dim == dim)) {
    auto b = diags().report(DiagnosticKind::DimensionExpected, e.range, what, dim.toUnitString(),
                            t.dim.toUnitString());
    addDeclarationNotes(b, e);
    return false;
  }
  return true;
}

bool ExprChecker::expectCondition(const ast::Expr& e, const Type& t, const std::string& what) {
  if (t.isError()) return false;
  if (!t.isBoolean()) {
    diags().report(DiagnosticKind::ConditionNotBoolean, e.range, what, t.dim.toUnitString());
    return false;
  }
  return true;
}

bool ExprChecker::expectNumber(const ast::Expr& e, const Type& t) {
  if (t.isError()) return false;
  if (t.isBoolean()) {
    diags().report(DiagnosticKind::BooleanInArithmetic, e.range);
    return false;
  }
  if (t.is_list) {
    diags().report(DiagnosticKind::InvalidValue, e.range, "a list cannot be used here");
    return false;
  }
  return true;
}

Type ExprChecker::check(const ast::Expr& e) {
  Type t;
  switch (e.kind) {
    case ast::ExprKind::Number:
      t = checkNumber(static_cast<const ast::NumberExpr&>(e));
      break;
    case ast::ExprKind::String:
      diags().report(DiagnosticKind::InvalidValue, e.range,
                     "a string cannot be used as a value here");
      t = Type::error();
      break;
    case ast::ExprKind::Name:
      t = checkName(static_cast<const ast::NameExpr&>(e));
      break;
    case ast::ExprKind::Member:
      t = checkMember(static_cast<const ast::MemberExpr&>(e));
      break;
    case ast::ExprKind::Index: {
      const auto& ix = static_cast<const ast::IndexExpr&>(e);
      if (auto handled = resolver_.checkIndex(ix, *this)) {
        t = *handled;
      } else {
        diags().report(DiagnosticKind::InvalidValue, e.range,
                       "`[...]` selects neurons of a population variable, and only in experiments");
        t = Type::error();
      }
      break;
    }
    case ast::ExprKind::Call:
      t = checkCall(static_cast<const ast::CallExpr&>(e));
      break;
    case ast::ExprKind::Unary:
      t = checkUnary(static_cast<const ast::UnaryExpr&>(e));
      break;
    case ast::ExprKind::Binary:
      t = checkBinary(static_cast<const ast::BinaryExpr&>(e));
      break;
    case ast::ExprKind::List:
      t = checkList(static_cast<const ast::ListExpr&>(e));
      break;
  }
  recordType(e, t);
  return t;
}

Type ExprChecker::checkNumber(const ast::NumberExpr& n) {
  if (!n.unit) return Type::dimensionless();
  auto unit = checkUnit(*n.unit, diags());
  if (!unit) return Type::error();
  // `5 mV * m` with a gating variable `m`: the parser took `m` as part of the unit.
  for (std::size_t k = 1; k < n.unit->factors.size(); ++k) {
    const auto& f = n.unit->factors[k];
    const auto* builtin = findBuiltinVariable(f.name);  // `5 mV * N`: N is also newton
    if (!resolver_.hasName(f.name) && !(builtin && (builtin->where & context_.where))) continue;
    auto u = units::lookupUnit(f.name);
    const std::string long_name = u ? u->dim.toUnitString() : f.name;
    const bool inverse = f.exponent_num < 0;
    diags()
        .report(DiagnosticKind::AmbiguousUnit, f.range, f.name, long_name)
        .note(fmt::format("write `({}) {} {}` to {} the variable", quantityPrefix(n, k),
                          inverse ? "/" : "*", f.name, inverse ? "divide by" : "multiply by"));
    return Type::error();
  }
  return Type::quantity(unit->dim);
}

Type ExprChecker::useBinding(const ast::Expr& e, const std::string& name, const NameBinding& b) {
  recordResolution(e, b.resolution);
  // Before the error check: a parameter that uses a sub-expression (checked later, so still
  // without a type) must hear that it is not constant.
  if (context_.constant && !b.is_constant) {
    reportNotConstant(e.range);
    return Type::error();
  }
  if (b.type.isError()) return Type::error();
  if (b.resolution.kind == SymbolKind::TimedArray) {
    diags().report(
        DiagnosticKind::InvalidValue, e.range,
        fmt::format("`{}` is a timed array; use its value at a time as `{}(t)`", name, name));
    return Type::error();
  }
  if (b.type.is_list && !context_.allow_lists) {
    diags().report(DiagnosticKind::InvalidValue, e.range,
                   fmt::format("`{}` is a list; lists are only allowed as spike times, indices and "
                               "timed values",
                               name));
    return Type::error();
  }
  rememberDeclaration(e, name, b.declared_at, b.type);
  return b.type;
}

Type ExprChecker::useBuiltinVariable(const ast::Expr& e, const BuiltinVariableInfo& v) {
  Resolution r;
  r.kind = SymbolKind::Builtin;
  r.name = std::string(v.name);
  r.builtin_variable = v.id;
  if (isConstantBuiltin(v.id)) {
    r.value = builtinValue(v.id);
    r.has_value = true;
  }
  recordResolution(e, r);
  if (context_.constant && !isConstantBuiltin(v.id)) {
    reportNotConstant(e.range);
    return Type::error();
  }
  if (!(v.where & context_.where)) {
    diags()
        .report(DiagnosticKind::NotAvailableHere, e.range, v.name, describeWhere(context_.where))
        .note(fmt::format("`{}` is {}", v.name, v.doc));
    return Type::error();
  }
  return valueType(v.value);
}

void ExprChecker::reportUndefined(const std::string& name, SourceRange range) {
  std::vector<std::string> candidates;
  resolver_.addCandidates(candidates);
  for (const auto& v : builtinVariables())
    if (v.where & context_.where) candidates.emplace_back(v.name);
  auto suggestions = suggestNames(name, candidates);
  // Units come second, and only a single edit away: there are thousands of prefixed spellings,
  // and `g_x` should not suggest `Glx` (gigalux).
  if (suggestions.empty()) suggestions = suggestNames(name, units::allUnitSpellings(), 3, 2);
  auto b = diags().report(DiagnosticKind::UndefinedName, range, name);
  std::string hint = didYouMean(suggestions);
  if (!hint.empty()) b.note(hint);
}

Type ExprChecker::checkName(const ast::NameExpr& n) {
  const std::string& name = n.name;
  if (isNoiseName(name)) {
    Resolution r;
    r.kind = SymbolKind::Noise;
    r.name = name;
    recordResolution(n, r);
    if (context_.constant) {
      reportNotConstant(n.range);
      return Type::error();
    }
    if (!context_.allow_noise) {
      auto b = diags().report(DiagnosticKind::NoiseNotAllowed, n.range);
      if (context_.in_event_driven) {
        b.note("event-driven equations are solved exactly at events and cannot be stochastic");
      }
      return Type::error();
    }
    bool seen = false;
    for (const auto& s : noise_sources_) seen = seen || s == name;
    if (!seen) noise_sources_.push_back(name);
    return Type::quantity(noiseDim());
  }
  if (auto b = resolver_.resolveName(name, n.range)) return useBinding(n, name, *b);
  if (const auto* v = findBuiltinVariable(name)) return useBuiltinVariable(n, *v);
  if (auto u = units::lookupUnit(name)) {
    Resolution r;
    r.kind = SymbolKind::Unit;
    r.name = name;
    r.value = u->scale;
    r.has_value = true;
    recordResolution(n, r);
    return Type::quantity(u->dim);
  }
  reportUndefined(name, n.range);
  return Type::error();
}

Type ExprChecker::checkMember(const ast::MemberExpr& m) {
  auto b = resolver_.resolveMember(m, *this);
  if (!b) return Type::error();
  const std::string name = (m.object && m.object->kind == ast::ExprKind::Name
                                ? static_cast<const ast::NameExpr&>(*m.object).name + "."
                                : std::string()) +
                           m.member;
  return useBinding(m, name, *b);
}

Type ExprChecker::checkCall(const ast::CallExpr& c) {
  if (auto handled = resolver_.checkCall(c, *this)) return *handled;

  if (auto b = resolver_.resolveName(c.callee, c.callee_range)) {
    if (b->resolution.kind == SymbolKind::TimedArray) return checkTimedCall(c, *b);
    auto r = diags().report(DiagnosticKind::UndefinedFunction, c.callee_range, c.callee);
    if (b->declared_at.valid()) {
      r.note(b->declared_at,
             fmt::format("`{}` is a {}, not a function", c.callee, spelling(b->resolution.kind)));
    }
    for (const auto& a : c.args)
      if (a.value) check(*a.value);
    return Type::error();
  }

  auto rows = findBuiltinFunctions(c.callee);
  if (rows.empty()) {
    std::vector<std::string> candidates;
    for (const auto& f : builtinFunctions())
      if (f.where & context_.where) candidates.emplace_back(f.name);
    auto r = diags().report(DiagnosticKind::UndefinedFunction, c.callee_range, c.callee);
    std::string hint = didYouMean(suggestNames(c.callee, candidates));
    if (!hint.empty()) r.note(hint);
    for (const auto& a : c.args)
      if (a.value) check(*a.value);
    return Type::error();
  }

  // Model functions take no named arguments: a named one is reported as unknown, but still
  // counts, so that `exp(x = m)` is an unknown argument rather than a wrong count.
  const int positional = static_cast<int>(c.args.size());
  const BuiltinFunctionInfo* chosen = nullptr;
  for (const auto* f : rows) {
    if (!(f->where & context_.where)) continue;
    if (positional >= f->min_args && (f->max_args < 0 || positional <= f->max_args)) chosen = f;
  }
  if (!chosen) {
    // Prefer the row usable here for the message; fall back to the first.
    const BuiltinFunctionInfo* usable = nullptr;
    for (const auto* f : rows)
      if (f->where & context_.where) usable = usable ? usable : f;
    if (!usable) {
      const auto* f = rows.front();
      if (context_.constant && (f->where & kWhereRandom) && f->args == ArgRule::None) {
        reportNotConstant(c.range);
      } else {
        diags()
            .report(DiagnosticKind::NotAvailableHere, c.callee_range, c.callee + "()",
                    describeWhere(context_.where))
            .note(fmt::format("`{}`: {}", f->signature, f->doc));
      }
    } else {
      diags()
          .report(DiagnosticKind::WrongArgumentCount, c.range, c.callee, arityText(*usable),
                  positional)
          .note(fmt::format("`{}`", usable->signature));
    }
    for (const auto& a : c.args)
      if (a.value) check(*a.value);
    return Type::error();
  }
  return checkBuiltinCall(c, *chosen);
}

Type ExprChecker::checkBuiltinCall(const ast::CallExpr& c, const BuiltinFunctionInfo& f) {
  Resolution r;
  r.kind = SymbolKind::Function;
  r.name = std::string(f.name);
  r.builtin_function = f.id;
  recordResolution(c, r);

  std::vector<Type> types;
  bool failed = false;
  for (const auto& a : c.args) {
    if (!a.name.empty()) {
      diags().report(DiagnosticKind::UnknownArgument, a.name_range, c.callee, a.name);
      failed = true;
    }
    types.push_back(a.value ? check(*a.value) : Type::error());
  }
  if (isStructural(f.args) || f.result == ResultRule::Kernel || f.result == ResultRule::NoValue ||
      f.result == ResultRule::TimedArray) {
    // Recordings, plots and analyses are checked by the experiment's resolver where they are
    // allowed; reaching here means they were written where a number is expected.
    diags()
        .report(DiagnosticKind::NotAvailableHere, c.callee_range, c.callee + "()",
                "as a number here")
        .note(fmt::format("`{}`: {}", f.signature, f.doc));
    return Type::error();
  }
  if (context_.constant && f.args == ArgRule::None) {  // rand(), randn()
    reportNotConstant(c.range);
    return Type::error();
  }
  for (std::size_t k = 0; k < types.size(); ++k) {
    if (types[k].isError()) failed = true;
  }
  if (failed) return Type::error();
  for (std::size_t k = 0; k < types.size(); ++k) {
    if (!expectNumber(*c.args[k].value, types[k])) return Type::error();
  }

  switch (f.args) {
    case ArgRule::Dimensionless:
      for (std::size_t k = 0; k < types.size(); ++k) {
        if (!types[k].dim.isDimensionless()) {
          auto b = diags().report(DiagnosticKind::NotDimensionless, c.args[k].value->range,
                                  c.callee, types[k].dim.toUnitString());
          addDeclarationNotes(b, *c.args[k].value);
          return Type::error();
        }
      }
      break;
    case ArgRule::SameDimension:
      for (std::size_t k = 1; k < types.size(); ++k) {
        if (!(types[k].dim == types[0].dim)) {
          reportMismatch(c.args[k].value->range,
                         fmt::format("the arguments of `{}` must have one dimension", c.callee),
                         "the first argument", types[0], c.args[0].value.get(),
                         fmt::format("argument {}", k + 1), types[k], c.args[k].value.get());
          return Type::error();
        }
      }
      break;
    case ArgRule::Time:
      if (!expectDimension(*c.args[0].value, types[0], timeDim(),
                           fmt::format("the argument of `{}`", c.callee))) {
        return Type::error();
      }
      break;
    default:
      break;
  }

  switch (f.result) {
    case ResultRule::Dimensionless:
      return Type::dimensionless();
    case ResultRule::SameAsArgument:
      return Type::quantity(types[0].dim);
    case ResultRule::SqrtOfArgument: {
      auto d = types[0].dim.pow(units::Rational(1, 2));
      if (!d) {
        diags().report(DiagnosticKind::InvalidValue, c.range,
                       "the dimension of this square root is out of range");
        return Type::error();
      }
      return Type::quantity(*d);
    }
    case ResultRule::Frequency:
      return Type::quantity(*(Dimension::dimensionless() / timeDim()));
    case ResultRule::Time:
      return Type::quantity(timeDim());
    default:
      return Type::error();
  }
}

Type ExprChecker::checkTimedCall(const ast::CallExpr& c, const NameBinding& binding) {
  Resolution r = binding.resolution;
  recordResolution(c, r);
  std::vector<Type> types;
  for (const auto& a : c.args) types.push_back(a.value ? check(*a.value) : Type::error());
  if (context_.constant) {
    reportNotConstant(c.range);
    return Type::error();
  }
  if (!(context_.where & (kWhereModel | kWhereGenerator | kWhereInitialiser | kWhereConnect))) {
    diags().report(DiagnosticKind::NotAvailableHere, c.callee_range, c.callee,
                   describeWhere(context_.where));
    return Type::error();
  }
  if (c.args.size() != 1 || !c.args[0].name.empty()) {
    if (c.args.size() == 1) {
      diags().report(DiagnosticKind::UnknownArgument, c.args[0].name_range, c.callee,
                     c.args[0].name);
    } else {
      diags().report(DiagnosticKind::WrongArgumentCount, c.range, c.callee, "1", c.args.size());
    }
    return Type::error();
  }
  if (!expectDimension(*c.args[0].value, types[0], timeDim(),
                       fmt::format("the argument of `{}`", c.callee))) {
    return Type::error();
  }
  rememberDeclaration(c, c.callee, binding.declared_at, binding.type);
  return binding.type;
}

Type ExprChecker::checkUnary(const ast::UnaryExpr& u) {
  Type t = check(*u.operand);
  if (t.isError()) return t;
  if (u.op == ast::UnaryOp::Not) {
    if (!expectCondition(*u.operand, t, "the operand of `not`")) return Type::error();
    return Type::boolean();
  }
  if (t.isBoolean()) {
    diags().report(DiagnosticKind::BooleanInArithmetic, u.operand->range);
    return Type::error();
  }
  return t;
}

Builder ExprChecker::reportMismatch(SourceRange range, const std::string& context,
                                    const std::string& left_what, const Type& left,
                                    const ast::Expr* left_expr, const std::string& right_what,
                                    const Type& right, const ast::Expr* right_expr) {
  auto b = diags().report(DiagnosticKind::DimensionMismatch, range, context, left_what,
                          left.dim.toUnitString(), right_what, right.dim.toUnitString());
  // Both sides underlined, the caret at the operator, as clang does.
  if (left_expr) b.highlight(left_expr->range);
  if (right_expr) b.highlight(right_expr->range);
  if (left_expr) addDeclarationNotes(b, *left_expr);
  if (right_expr) addDeclarationNotes(b, *right_expr);
  // `V > 0` with V in volt: the usual fix is a unit on the number.
  for (const auto* side : {left_expr, right_expr}) {
    const Type& other = side == left_expr ? right : left;
    if (side && side->kind == ast::ExprKind::Number &&
        !static_cast<const ast::NumberExpr*>(side)->unit && !other.dim.isDimensionless()) {
      const auto* n = static_cast<const ast::NumberExpr*>(side);
      b.note(side->range, fmt::format("write the unit after the number: `{} {}`", n->text,
                                      other.dim.toUnitString()));
    }
  }
  return b;
}

Type ExprChecker::checkBinary(const ast::BinaryExpr& b) {
  Type l = check(*b.lhs);
  Type r = check(*b.rhs);
  if (l.isError() || r.isError()) return Type::error();
  const SourceRange op_range = b.op_range.valid() ? b.op_range : b.range;

  if (b.op == ast::BinaryOp::And || b.op == ast::BinaryOp::Or) {
    const std::string op = opSpelling(b.op);
    bool ok = expectCondition(*b.lhs, l, fmt::format("the left operand of `{}`", op));
    ok = expectCondition(*b.rhs, r, fmt::format("the right operand of `{}`", op)) && ok;
    return ok ? Type::boolean() : Type::error();
  }

  if (isComparison(b.op)) {
    if (l.isBoolean() && r.isBoolean() &&
        (b.op == ast::BinaryOp::Eq || b.op == ast::BinaryOp::Ne)) {
      return Type::boolean();
    }
    if (l.isBoolean() || r.isBoolean()) {
      diags().report(DiagnosticKind::BooleanInArithmetic,
                     l.isBoolean() ? b.lhs->range : b.rhs->range);
      return Type::error();
    }
    if (l.is_list || r.is_list) {
      diags().report(DiagnosticKind::InvalidValue, l.is_list ? b.lhs->range : b.rhs->range,
                     "a list cannot be compared");
      return Type::error();
    }
    if (!(l.dim == r.dim)) {
      reportMismatch(op_range, mismatchContext(b.op), "the left side", l, b.lhs.get(),
                     "the right side", r, b.rhs.get());
      return Type::error();
    }
    return Type::boolean();
  }

  // Arithmetic from here on: conditions are not numbers.
  if (l.isBoolean()) {
    diags().report(DiagnosticKind::BooleanInArithmetic, b.lhs->range);
    return Type::error();
  }
  if (r.isBoolean()) {
    diags().report(DiagnosticKind::BooleanInArithmetic, b.rhs->range);
    return Type::error();
  }
  const bool is_list = l.is_list || r.is_list;

  if (isArithmetic(b.op)) {
    if (!(l.dim == r.dim)) {
      reportMismatch(op_range, mismatchContext(b.op), "the left side", l, b.lhs.get(),
                     "the right side", r, b.rhs.get());
      return Type::error();
    }
    return Type{TypeKind::Quantity, l.dim, is_list};
  }

  if (b.op == ast::BinaryOp::Mul || b.op == ast::BinaryOp::Div) {
    auto d = b.op == ast::BinaryOp::Mul ? l.dim * r.dim : l.dim / r.dim;
    if (!d) {
      diags().report(DiagnosticKind::InvalidValue, op_range,
                     "the dimension of this product is out of range");
      return Type::error();
    }
    return Type{TypeKind::Quantity, *d, is_list};
  }

  // x ** n
  if (r.is_list) {
    diags().report(DiagnosticKind::InvalidValue, b.rhs->range, "an exponent cannot be a list");
    return Type::error();
  }
  if (!r.dim.isDimensionless()) {
    auto n =
        diags().report(DiagnosticKind::NotDimensionless, b.rhs->range, "**", r.dim.toUnitString());
    addDeclarationNotes(n, *b.rhs);
    return Type::error();
  }
  if (l.dim.isDimensionless()) return Type{TypeKind::Quantity, l.dim, l.is_list};
  auto exponent = foldRational(*b.rhs);
  if (!exponent) {
    auto n =
        diags().report(DiagnosticKind::NonConstantExponent, b.rhs->range, l.dim.toUnitString());
    addDeclarationNotes(n, *b.lhs);
    return Type::error();
  }
  auto d = l.dim.pow(*exponent);
  if (!d) {
    diags().report(DiagnosticKind::InvalidValue, b.rhs->range,
                   "the dimension of this power is out of range");
    return Type::error();
  }
  return Type{TypeKind::Quantity, *d, l.is_list};
}

Type ExprChecker::checkList(const ast::ListExpr& l) {
  std::vector<Type> types;
  for (const auto& el : l.elements) types.push_back(check(*el));
  if (!context_.allow_lists) {
    diags().report(DiagnosticKind::InvalidValue, l.range,
                   "a list is only allowed as spike times, spike indices or the values of `timed`");
    return Type::error();
  }
  Dimension dim;
  for (std::size_t k = 0; k < types.size(); ++k) {
    const Type& t = types[k];
    if (t.isError()) return Type::error();
    if (!expectNumber(*l.elements[k], t)) return Type::error();
    if (k == 0) {
      dim = t.dim;
    } else if (!(t.dim == dim)) {
      reportMismatch(l.elements[k]->range, "the elements of a list must have one dimension",
                     "the first element", types[0], l.elements[0].get(),
                     fmt::format("element {}", k + 1), t, l.elements[k].get());
      return Type::error();
    }
  }
  return Type::list(dim);
}

}  // namespace snn::sema
