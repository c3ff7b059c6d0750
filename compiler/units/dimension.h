// Physical dimensions: the seven SI base exponents of a quantity.
//
// Every expression in a model has a Dimension; sema compares them for sums, comparisons and
// assignments and reports mismatches in unit form (`volt` vs `amp`). Exponents are Rational
// because `xi` is s^-1/2 and `x**(1/3)` is allowed. The algebra is constexpr so the unit table
// can be built at compile time, and it returns std::nullopt when an exponent overflows instead
// of producing a wrong dimension that would make a check pass or fail silently.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "compiler/units/rational.h"

namespace snn::units {

// SI base order; the enumerator values index Dimension's exponent array.
enum class BaseDimension : uint8_t {
  Length,
  Mass,
  Time,
  Current,
  Temperature,
  Amount,
  LuminousIntensity,
};
inline constexpr std::size_t kBaseDimensionCount = 7;

class Dimension {
 public:
  using Exponents = std::array<Rational, kBaseDimensionCount>;

  // Dimensionless. Each element is spelled out: GCC 12 at -O2 folded the implicit
  // element-wise initialisation of the array (one initialiser repeated over a range) into the
  // wrong constant, leaving den = 0 in elements 2 and up. tests/unit/units/ guards it.
  constexpr Dimension()
      : exponents_{Rational(), Rational(), Rational(), Rational(), Rational(), Rational(),
                   Rational()} {}
  constexpr explicit Dimension(const Exponents& exponents) : exponents_(exponents) {}

  static constexpr Dimension dimensionless() { return Dimension(); }
  static constexpr Dimension base(BaseDimension b) {
    Dimension d;
    d.exponents_[static_cast<std::size_t>(b)] = Rational(1);
    return d;
  }

  constexpr Rational exponent(BaseDimension b) const {
    return exponents_[static_cast<std::size_t>(b)];
  }
  constexpr const Exponents& exponents() const { return exponents_; }
  constexpr bool isDimensionless() const {
    for (Rational e : exponents_)
      if (!e.isZero()) return false;
    return true;
  }

  friend constexpr bool operator==(const Dimension&, const Dimension&) = default;

  // Product and quotient of two quantities' dimensions; std::nullopt on exponent overflow.
  friend constexpr std::optional<Dimension> operator*(const Dimension& a, const Dimension& b) {
    Dimension r;
    for (std::size_t i = 0; i < kBaseDimensionCount; ++i) {
      auto e = a.exponents_[i] + b.exponents_[i];
      if (!e) return std::nullopt;
      r.exponents_[i] = *e;
    }
    return r;
  }
  friend constexpr std::optional<Dimension> operator/(const Dimension& a, const Dimension& b) {
    Dimension r;
    for (std::size_t i = 0; i < kBaseDimensionCount; ++i) {
      auto e = a.exponents_[i] - b.exponents_[i];
      if (!e) return std::nullopt;
      r.exponents_[i] = *e;
    }
    return r;
  }
  // Dimension of x**p; std::nullopt on exponent overflow.
  constexpr std::optional<Dimension> pow(Rational p) const {
    Dimension r;
    for (std::size_t i = 0; i < kBaseDimensionCount; ++i) {
      auto e = exponents_[i] * p;
      if (!e) return std::nullopt;
      r.exponents_[i] = *e;
    }
    return r;
  }

  // The dimension as a neuroscientist would name it: "volt", "metre^-2 * siemens", "1".
  // The rule is documented at its implementation in dimension.cpp.
  std::string toUnitString() const;
  // The dimension in base-unit symbols: "kg * m^2 * s^-3 * A^-1", "1" when dimensionless.
  std::string toBaseString() const;

 private:
  Exponents exponents_{};
};

}  // namespace snn::units
