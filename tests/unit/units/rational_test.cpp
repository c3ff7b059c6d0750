// Rational: normalisation, exact arithmetic, ordering, and overflow that must be reported
// (std::nullopt) instead of wrapping into a wrong exponent.
#include "compiler/units/rational.h"

#include <cstdint>
#include <limits>

#include <doctest/doctest.h>

using snn::units::Rational;

namespace {
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

Rational r(int64_t n, int64_t d) {
  auto x = Rational::make(n, d);
  REQUIRE(x.has_value());
  return *x;
}
}  // namespace

TEST_CASE("rational: make normalises sign and gcd") {
  CHECK(r(2, -4).num == -1);
  CHECK(r(2, -4).den == 2);
  CHECK(r(-6, -9) == r(2, 3));
  CHECK(r(0, -7).num == 0);
  CHECK(r(0, -7).den == 1);
  CHECK(r(10, 5).isInteger());
  CHECK_FALSE(r(1, 2).isInteger());
  CHECK(r(kMin, 2).num == kMin / 2);  // representable after reduction
  CHECK_FALSE(Rational::make(1, 0).has_value());
  CHECK_FALSE(Rational::make(kMin, 1).has_value());   // INT64_MIN is never stored
  CHECK_FALSE(Rational::make(kMin, -1).has_value());  // 2^63 does not fit
  CHECK_FALSE(Rational::make(1, kMin).has_value());
  static_assert(Rational(6, -4) == Rational(-3, 2));
}

TEST_CASE("rational: toString") {
  CHECK(r(2, 1).toString() == "2");
  CHECK(r(-1, 2).toString() == "-1/2");
  CHECK(r(3, -6).toString() == "-1/2");
  CHECK(r(0, 3).toString() == "0");
  CHECK(r(kMax, 1).toString() == "9223372036854775807");
}

TEST_CASE("rational: arithmetic agrees with exact fractions on a grid") {
  // Compare against cross-multiplied integers computed here, independently of the library.
  for (int64_t a = -6; a <= 6; ++a)
    for (int64_t b = 1; b <= 6; ++b)
      for (int64_t c = -6; c <= 6; ++c)
        for (int64_t d = 1; d <= 6; ++d) {
          Rational x = r(a, b), y = r(c, d);
          auto sum = x + y, diff = x - y, prod = x * y;
          REQUIRE(sum.has_value());
          REQUIRE(diff.has_value());
          REQUIRE(prod.has_value());
          CHECK(sum->num * (b * d) == (a * d + c * b) * sum->den);
          CHECK(diff->num * (b * d) == (a * d - c * b) * diff->den);
          CHECK(prod->num * (b * d) == (a * c) * prod->den);
          auto quot = x / y;
          if (c == 0) {
            CHECK_FALSE(quot.has_value());
          } else {
            REQUIRE(quot.has_value());
            CHECK(quot->num * (b * c) == (a * d) * quot->den);
            CHECK(quot->den > 0);
          }
          CHECK(((x <=> y) < 0) == (a * d < c * b));
          CHECK((x == y) == (a * d == c * b));
        }
}

TEST_CASE("rational: known values and ordering") {
  CHECK(r(1, 2) + r(1, 3) == r(5, 6));
  CHECK(r(1, 2) - r(1, 2) == r(0, 1));
  CHECK(r(2, 3) * r(3, 4) == r(1, 2));
  CHECK(r(1, 2) / r(1, 4) == r(2, 1));
  CHECK(-r(1, 2) == r(-1, 2));
  CHECK(r(-1, 2) < r(1, 3));
  CHECK(r(1, 3) < r(1, 2));
  CHECK(r(kMax, kMax - 1) > r(1, 1));  // cross products exceed 64 bits
  CHECK(r(kMax - 1, kMax) < r(1, 1));
  CHECK(r(1, 2).toDouble() == doctest::Approx(0.5));
}

TEST_CASE("rational: overflow is reported, never wrapped") {
  CHECK_FALSE((r(kMax, 1) + r(1, 1)).has_value());
  CHECK_FALSE((r(-kMax, 1) - r(1, 1)).has_value());
  CHECK_FALSE((r(kMax, 1) * r(2, 1)).has_value());
  CHECK_FALSE((r(1, kMax) * r(1, 2)).has_value());
  CHECK_FALSE((r(kMax, 1) / r(1, 2)).has_value());
  // Primes near 2^32: the common denominator needs 64 unsigned bits.
  CHECK_FALSE((r(1, 4294967291) + r(1, 4294967279)).has_value());
  CHECK_FALSE((r(1, 4294967291) * r(1, 4294967279)).has_value());
}

TEST_CASE("rational: results that fit are exact even when intermediates do not") {
  CHECK(r(kMax, 3) * r(3, kMax) == r(1, 1));
  CHECK(r(kMax, 1) + r(-kMax, 1) == r(0, 1));
  CHECK(r(kMax, 2) - r(kMax - 2, 2) == r(1, 1));
  CHECK(r(kMax, 1) / r(kMax, 1) == r(1, 1));
  CHECK(-r(kMax, 1) == r(-kMax, 1));
  auto x = r(1, 3037000499) * r(1, 3037000499);  // 3037000499^2 < 2^63
  REQUIRE(x.has_value());
  CHECK(x->den == 3037000499LL * 3037000499LL);
}
