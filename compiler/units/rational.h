// Exact rational numbers for dimension exponents.
//
// Dimensions need rational exponents (`xi` has dimension s^-1/2, `x**(1/3)` is legal), and a
// dimension check must be exact, so floating point is out. The values are tiny in practice, but
// a user can write `x ** (1/3037000499)` and multiply two such terms; every operation therefore
// computes exactly in 128 bits and reports a result that does not fit in 64 bits as
// std::nullopt instead of wrapping around. A Rational is always normalised (den > 0, gcd 1),
// so == is memberwise. INT64_MIN is never stored, which keeps negation total.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

namespace snn::units {

// __extension__ keeps -Wpedantic builds quiet about the GCC/Clang 128-bit integer.
__extension__ using WideInt = __int128;
__extension__ using WideUInt = unsigned __int128;

struct Rational {
  int64_t num = 0;
  int64_t den = 1;

  constexpr Rational() = default;
  // For literals and known-good values: in a constant expression an invalid argument is a
  // compile error; at run time it throws. Values from user input go through make() instead.
  // (Not consteval: GCC 12 then rejects comparisons of constexpr Dimensions built from them.)
  constexpr Rational(int64_t integer) : num(integer), den(1) {  // NOLINT: implicit on purpose
    if (integer == std::numeric_limits<int64_t>::min()) throw std::invalid_argument("INT64_MIN");
  }
  constexpr Rational(int64_t n, int64_t d) {
    auto r = make(n, d);
    if (!r) throw std::invalid_argument("not a representable rational");
    *this = *r;
  }

  // std::nullopt for a zero denominator or a value that needs INT64_MIN.
  static constexpr std::optional<Rational> make(int64_t n, int64_t d) { return fromWide(n, d); }

  constexpr bool isInteger() const { return den == 1; }
  constexpr bool isZero() const { return num == 0; }
  constexpr double toDouble() const { return static_cast<double>(num) / static_cast<double>(den); }
  // "2", "-1/2".
  std::string toString() const;

  constexpr Rational operator-() const { return raw(-num, den); }  // safe: INT64_MIN excluded

  friend constexpr bool operator==(Rational, Rational) = default;
  friend constexpr std::strong_ordering operator<=>(Rational a, Rational b) {
    // Cross-multiplication in 128 bits cannot overflow, and den > 0 keeps the direction.
    return static_cast<WideInt>(a.num) * b.den <=> static_cast<WideInt>(b.num) * a.den;
  }

  // Arithmetic is exact; std::nullopt when the reduced result does not fit (or on x / 0).
  friend constexpr std::optional<Rational> operator+(Rational a, Rational b) {
    return fromWide(static_cast<WideInt>(a.num) * b.den + static_cast<WideInt>(b.num) * a.den,
                    static_cast<WideInt>(a.den) * b.den);
  }
  friend constexpr std::optional<Rational> operator-(Rational a, Rational b) { return a + (-b); }
  friend constexpr std::optional<Rational> operator*(Rational a, Rational b) {
    return fromWide(static_cast<WideInt>(a.num) * b.num, static_cast<WideInt>(a.den) * b.den);
  }
  friend constexpr std::optional<Rational> operator/(Rational a, Rational b) {
    return fromWide(static_cast<WideInt>(a.num) * b.den, static_cast<WideInt>(a.den) * b.num);
  }

 private:
  static constexpr Rational raw(int64_t n, int64_t d) {
    Rational r;
    r.num = n;
    r.den = d;
    return r;
  }
  // |operands| < 2^63, so products are < 2^126 and sums < 2^127: all fit in WideInt.
  static constexpr std::optional<Rational> fromWide(WideInt n, WideInt d) {
    if (d == 0) return std::nullopt;
    if (d < 0) {
      n = -n;
      d = -d;
    }
    WideUInt a = n < 0 ? static_cast<WideUInt>(-n) : static_cast<WideUInt>(n);
    WideUInt b = static_cast<WideUInt>(d);
    while (b != 0) {  // std::gcd does not accept __int128 in strict C++20 mode
      WideUInt t = a % b;
      a = b;
      b = t;
    }
    const WideInt g = static_cast<WideInt>(a);  // a > 0 because d > 0
    n /= g;
    d /= g;
    constexpr WideInt kMax = std::numeric_limits<int64_t>::max();
    if (n > kMax || n < -kMax || d > kMax) return std::nullopt;
    return raw(static_cast<int64_t>(n), static_cast<int64_t>(d));
  }
};

}  // namespace snn::units
