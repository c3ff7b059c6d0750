// Implementation of the scalar semantics; see scalar_semantics.h. The elementary functions are
// snn::math's (SLEEF, vm/math/elementary.h), not the C library's: the VM and the JIT call the
// same ones, so a folded constant has the bits the kernel would have computed.
#include "compiler/ir/scalar_semantics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "vm/math/elementary.h"

namespace snn::ir {

double exprel(double x) { return math::exprel(x); }

bool isFloatArithmetic(Opcode op) {
  return op >= Opcode::Add && op <= Opcode::Exprel;
}
bool isComparison(Opcode op) { return op >= Opcode::Eq && op <= Opcode::Ge; }
bool isLogic(Opcode op) { return op == Opcode::And || op == Opcode::Or || op == Opcode::Not; }

double evaluateFloat(Opcode op, double x, double y, double z) {
  switch (op) {
    case Opcode::Add: return x + y;
    case Opcode::Sub: return x - y;
    case Opcode::Mul: return x * y;
    case Opcode::Div: return x / y;
    // Python's modulo (the sign follows the divisor), as Brian2 and numpy.
    case Opcode::Mod: {
      double r = std::fmod(x, y);
      if (r != 0 && ((r < 0) != (y < 0))) r += y;
      return r;
    }
    case Opcode::Neg: return -x;
    case Opcode::Pow: return math::pow(x, y);
    // NaN propagates through min, max and clip, as numpy's minimum/maximum/clip.
    case Opcode::Min: return std::isnan(x) || std::isnan(y) ? std::numeric_limits<double>::quiet_NaN() : std::min(x, y);
    case Opcode::Max: return std::isnan(x) || std::isnan(y) ? std::numeric_limits<double>::quiet_NaN() : std::max(x, y);
    case Opcode::Clip:
      if (std::isnan(x) || std::isnan(y) || std::isnan(z)) return std::numeric_limits<double>::quiet_NaN();
      return std::min(std::max(x, y), z);
    case Opcode::Exp: return math::exp(x);
    case Opcode::Log: return math::log(x);
    case Opcode::Log10: return math::log10(x);
    case Opcode::Sqrt: return std::sqrt(x);
    case Opcode::Sin: return math::sin(x);
    case Opcode::Cos: return math::cos(x);
    case Opcode::Tan: return math::tan(x);
    case Opcode::Sinh: return math::sinh(x);
    case Opcode::Cosh: return math::cosh(x);
    case Opcode::Tanh: return math::tanh(x);
    case Opcode::Asin: return math::asin(x);
    case Opcode::Acos: return math::acos(x);
    case Opcode::Atan: return math::atan(x);
    case Opcode::Abs: return std::fabs(x);
    case Opcode::Floor: return std::floor(x);
    case Opcode::Ceil: return std::ceil(x);
    case Opcode::Sign: return std::isnan(x) ? x : static_cast<double>((x > 0) - (x < 0));
    case Opcode::Exprel: return exprel(x);
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

bool evaluateComparison(Opcode op, double x, double y) {
  switch (op) {
    case Opcode::Eq: return x == y;
    case Opcode::Ne: return x != y;
    case Opcode::Lt: return x < y;
    case Opcode::Le: return x <= y;
    case Opcode::Gt: return x > y;
    case Opcode::Ge: return x >= y;
    default: return false;
  }
}

bool evaluateLogic(Opcode op, bool x, bool y) {
  switch (op) {
    case Opcode::And: return x && y;
    case Opcode::Or: return x || y;
    case Opcode::Not: return !x;
    default: return false;
  }
}

}  // namespace snn::ir
