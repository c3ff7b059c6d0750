// Rational folding and SI constant evaluation; see const_eval.h.
#include "compiler/sema/const_eval.h"

#include <cmath>
#include <limits>

#include "compiler/units/unit_table.h"

namespace snn::sema {
namespace {

using units::Rational;

std::optional<Rational> powerOfTen(int exponent) {
  Rational r = Rational(1);
  const Rational ten = Rational(10);
  for (int k = 0; k < (exponent < 0 ? -exponent : exponent); ++k) {
    auto next = exponent < 0 ? r / ten : r * ten;
    if (!next) return std::nullopt;
    r = *next;
  }
  return r;
}

double exprel(double x) {
  if (std::fabs(x) < 1e-8) return 1.0 + x / 2.0;
  return std::expm1(x) / x;
}

std::optional<double> applyMath(BuiltinFunction f, const std::vector<double>& a) {
  switch (f) {
    case BuiltinFunction::Exp:
      return std::exp(a[0]);
    case BuiltinFunction::Log:
      return std::log(a[0]);
    case BuiltinFunction::Log10:
      return std::log10(a[0]);
    case BuiltinFunction::Sin:
      return std::sin(a[0]);
    case BuiltinFunction::Cos:
      return std::cos(a[0]);
    case BuiltinFunction::Tan:
      return std::tan(a[0]);
    case BuiltinFunction::Sinh:
      return std::sinh(a[0]);
    case BuiltinFunction::Cosh:
      return std::cosh(a[0]);
    case BuiltinFunction::Tanh:
      return std::tanh(a[0]);
    case BuiltinFunction::Arcsin:
      return std::asin(a[0]);
    case BuiltinFunction::Arccos:
      return std::acos(a[0]);
    case BuiltinFunction::Arctan:
      return std::atan(a[0]);
    case BuiltinFunction::Exprel:
      return exprel(a[0]);
    case BuiltinFunction::Sqrt:
      return std::sqrt(a[0]);
    case BuiltinFunction::Abs:
      return std::fabs(a[0]);
    case BuiltinFunction::Floor:
      return std::floor(a[0]);
    case BuiltinFunction::Ceil:
      return std::ceil(a[0]);
    case BuiltinFunction::Sign:
      return a[0] > 0 ? 1.0 : (a[0] < 0 ? -1.0 : 0.0);
    case BuiltinFunction::Int:
      return std::trunc(a[0]);
    case BuiltinFunction::Clip:
      return std::fmin(std::fmax(a[0], a[1]), a[2]);
    case BuiltinFunction::Min:
      return std::fmin(a[0], a[1]);
    case BuiltinFunction::Max:
      return std::fmax(a[0], a[1]);
    default:
      return std::nullopt;  // random, or not a value
  }
}

double applyBinary(ast::BinaryOp op, double x, double y) {
  switch (op) {
    case ast::BinaryOp::Add:
      return x + y;
    case ast::BinaryOp::Sub:
      return x - y;
    case ast::BinaryOp::Mul:
      return x * y;
    case ast::BinaryOp::Div:
      return x / y;
    case ast::BinaryOp::Mod:
      return std::fmod(x, y);
    case ast::BinaryOp::Pow:
      return std::pow(x, y);
    case ast::BinaryOp::Eq:
      return x == y ? 1.0 : 0.0;
    case ast::BinaryOp::Ne:
      return x != y ? 1.0 : 0.0;
    case ast::BinaryOp::Lt:
      return x < y ? 1.0 : 0.0;
    case ast::BinaryOp::Le:
      return x <= y ? 1.0 : 0.0;
    case ast::BinaryOp::Gt:
      return x > y ? 1.0 : 0.0;
    case ast::BinaryOp::Ge:
      return x >= y ? 1.0 : 0.0;
    case ast::BinaryOp::And:
      return (x != 0 && y != 0) ? 1.0 : 0.0;
    case ast::BinaryOp::Or:
      return (x != 0 || y != 0) ? 1.0 : 0.0;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

class Evaluator {
 public:
  Evaluator(const ExprTables& tables, const ParameterValues& parameters)
      : tables_(tables), parameters_(parameters) {}

  std::optional<ConstValue> eval(const ast::Expr& e) {
    switch (e.kind) {
      case ast::ExprKind::Number: {
        const auto& n = static_cast<const ast::NumberExpr&>(e);
        double v = n.value;
        if (n.unit) {
          auto u = unitOf(*n.unit);
          if (!u) return std::nullopt;
          v *= u->scale;
        }
        return ConstValue::scalar(v);
      }
      case ast::ExprKind::Name:
      case ast::ExprKind::Member:
        return evalName(e);
      case ast::ExprKind::Unary: {
        const auto& u = static_cast<const ast::UnaryExpr&>(e);
        auto x = eval(*u.operand);
        if (!x) return std::nullopt;
        for (double& v : x->values) {
          if (u.op == ast::UnaryOp::Negate) v = -v;
          if (u.op == ast::UnaryOp::Not) v = (v == 0) ? 1.0 : 0.0;
        }
        return x;
      }
      case ast::ExprKind::Binary: {
        const auto& b = static_cast<const ast::BinaryExpr&>(e);
        auto x = eval(*b.lhs);
        if (!x) return std::nullopt;
        auto y = eval(*b.rhs);
        if (!y) return std::nullopt;
        return elementwise(*x, *y, [&](double p, double q) { return applyBinary(b.op, p, q); });
      }
      case ast::ExprKind::Call: {
        const auto& c = static_cast<const ast::CallExpr&>(e);
        const Resolution* r = tables_.resolutionOf(&e);
        if (!r || r->kind != SymbolKind::Function) return std::nullopt;
        std::vector<double> args;
        for (const auto& a : c.args) {
          if (!a.value) return std::nullopt;
          auto v = eval(*a.value);
          if (!v || v->is_list) return std::nullopt;
          args.push_back(v->value());
        }
        const auto& fi = info(r->builtin_function);
        if (static_cast<int>(args.size()) < fi.min_args) return std::nullopt;
        auto v = applyMath(r->builtin_function, args);
        if (!v) return std::nullopt;
        return ConstValue::scalar(*v);
      }
      case ast::ExprKind::List: {
        const auto& l = static_cast<const ast::ListExpr&>(e);
        ConstValue out;
        out.is_list = true;
        for (const auto& el : l.elements) {
          auto v = eval(*el);
          if (!v || v->is_list) return std::nullopt;
          out.values.push_back(v->value());
        }
        return out;
      }
      case ast::ExprKind::String:
      case ast::ExprKind::Index:
        return std::nullopt;
    }
    return std::nullopt;
  }

 private:
  std::optional<ConstValue> evalName(const ast::Expr& e) {
    const Resolution* r = tables_.resolutionOf(&e);
    if (!r) return std::nullopt;
    if (r->kind == SymbolKind::Parameter) {
      if (!parameters_) return std::nullopt;
      auto v = parameters_(*r);
      if (!v) return std::nullopt;
      return ConstValue::scalar(*v);
    }
    if (r->has_value) return ConstValue::scalar(r->value);
    if (r->kind == SymbolKind::Let && r->let && r->let->type.is_list && !r->let->type.isError()) {
      return ConstValue{true, r->let->values};
    }
    return std::nullopt;
  }

  template <typename F>
  static std::optional<ConstValue> elementwise(const ConstValue& x, const ConstValue& y, F f) {
    ConstValue out;
    out.is_list = x.is_list || y.is_list;
    if (x.is_list && y.is_list) {
      if (x.values.size() != y.values.size()) return std::nullopt;
      for (std::size_t k = 0; k < x.values.size(); ++k)
        out.values.push_back(f(x.values[k], y.values[k]));
    } else if (x.is_list) {
      for (double v : x.values) out.values.push_back(f(v, y.value()));
    } else if (y.is_list) {
      for (double v : y.values) out.values.push_back(f(x.value(), v));
    } else {
      out.values.push_back(f(x.value(), y.value()));
    }
    return out;
  }

  const ExprTables& tables_;
  const ParameterValues& parameters_;
};

}  // namespace

std::optional<Rational> parseRational(std::string_view text) {
  // DIGITS ('.' DIGITS?)? EXPONENT? | '.' DIGITS EXPONENT?  (the lexer's NUMBER)
  Rational mantissa = Rational(0);
  int scale = 0;  // power of ten to apply
  std::size_t k = 0;
  bool any_digit = false;
  bool after_point = false;
  for (; k < text.size(); ++k) {
    const char c = text[k];
    if (c == '.') {
      if (after_point) return std::nullopt;
      after_point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    any_digit = true;
    auto times_ten = mantissa * Rational(10);
    if (!times_ten) return std::nullopt;
    auto digit = Rational::make(c - '0', 1);
    auto next = *times_ten + *digit;
    if (!next) return std::nullopt;
    mantissa = *next;
    if (after_point) --scale;
  }
  if (!any_digit) return std::nullopt;
  if (k < text.size()) {
    if (text[k] != 'e' && text[k] != 'E') return std::nullopt;
    ++k;
    int sign = 1;
    if (k < text.size() && (text[k] == '+' || text[k] == '-')) {
      if (text[k] == '-') sign = -1;
      ++k;
    }
    if (k == text.size()) return std::nullopt;
    int exponent = 0;
    for (; k < text.size(); ++k) {
      if (text[k] < '0' || text[k] > '9') return std::nullopt;
      exponent = exponent * 10 + (text[k] - '0');
      if (exponent > 400) return std::nullopt;
    }
    scale += sign * exponent;
  }
  if (mantissa.isZero()) return mantissa;
  auto p = powerOfTen(scale);
  if (!p) return std::nullopt;
  return mantissa * *p;
}

std::optional<Rational> foldRational(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::Number: {
      const auto& n = static_cast<const ast::NumberExpr&>(e);
      if (n.unit) return std::nullopt;
      return parseRational(n.text);
    }
    case ast::ExprKind::Unary: {
      const auto& u = static_cast<const ast::UnaryExpr&>(e);
      if (u.op == ast::UnaryOp::Not) return std::nullopt;
      auto x = foldRational(*u.operand);
      if (!x) return std::nullopt;
      return u.op == ast::UnaryOp::Negate ? -*x : *x;
    }
    case ast::ExprKind::Binary: {
      const auto& b = static_cast<const ast::BinaryExpr&>(e);
      auto x = foldRational(*b.lhs);
      if (!x) return std::nullopt;
      auto y = foldRational(*b.rhs);
      if (!y) return std::nullopt;
      switch (b.op) {
        case ast::BinaryOp::Add:
          return *x + *y;
        case ast::BinaryOp::Sub:
          return *x - *y;
        case ast::BinaryOp::Mul:
          return *x * *y;
        case ast::BinaryOp::Div:
          return *x / *y;
        default:
          return std::nullopt;
      }
    }
    default:
      return std::nullopt;
  }
}

std::optional<units::Unit> unitOf(const ast::UnitExpr& unit) {
  units::Unit out;
  for (const auto& f : unit.factors) {
    auto u = units::lookupUnit(f.name);
    if (!u) return std::nullopt;
    auto p = Rational::make(f.exponent_num, f.exponent_den);
    if (!p) return std::nullopt;
    auto powered = units::pow(*u, *p);
    if (!powered) return std::nullopt;
    auto product = out * *powered;
    if (!product) return std::nullopt;
    out = *product;
  }
  return out;
}

std::optional<ConstValue> evaluateConstant(const ast::Expr& e, const ExprTables& tables,
                                           const ParameterValues& parameters) {
  Evaluator ev(tables, parameters);
  return ev.eval(e);
}

}  // namespace snn::sema
