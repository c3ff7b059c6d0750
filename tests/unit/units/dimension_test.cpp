// Dimension: algebra, overflow, and the names diagnostics print (toUnitString/toBaseString).
// Expected dimensions are written out as SI exponents here, independently of Boost.
#include "compiler/units/dimension.h"

#include <limits>
#include <vector>

#include <doctest/doctest.h>

using snn::units::BaseDimension;
using snn::units::Dimension;
using snn::units::Rational;

namespace {

// Exponents in SI order: metre, kilogram, second, ampere, kelvin, mole, candela.
Dimension dim(Rational m, Rational kg, Rational s, Rational a, Rational k = 0, Rational mol = 0,
              Rational cd = 0) {
  return Dimension(Dimension::Exponents{m, kg, s, a, k, mol, cd});
}

const Dimension kVolt = dim(2, 1, -3, -1);
const Dimension kAmp = dim(0, 0, 0, 1);
const Dimension kWatt = dim(2, 1, -3, 0);
const Dimension kSiemens = dim(-2, -1, 3, 2);
const Dimension kFarad = dim(-2, -1, 4, 2);
const Dimension kMetre = dim(1, 0, 0, 0);
const Dimension kSecond = dim(0, 0, 1, 0);

Dimension mul(const Dimension& a, const Dimension& b) {
  auto r = a * b;
  REQUIRE(r.has_value());
  return *r;
}
Dimension div(const Dimension& a, const Dimension& b) {
  auto r = a / b;
  REQUIRE(r.has_value());
  return *r;
}
Dimension pow(const Dimension& a, Rational p) {
  auto r = a.pow(p);
  REQUIRE(r.has_value());
  return *r;
}

}  // namespace

TEST_CASE("dimension: algebra") {
  CHECK(Dimension().isDimensionless());
  CHECK_FALSE(kVolt.isDimensionless());
  CHECK(mul(kVolt, kAmp) == kWatt);
  CHECK(div(kWatt, kAmp) == kVolt);
  CHECK(div(kAmp, kVolt) == kSiemens);
  CHECK(div(kVolt, kVolt).isDimensionless());
  CHECK(mul(kSiemens, kSecond) == kFarad);
  CHECK(pow(kMetre, 2) == dim(2, 0, 0, 0));
  CHECK(pow(dim(2, 0, -1, 0), Rational(1, 2)) == dim(1, 0, Rational(-1, 2), 0));
  CHECK(pow(kVolt, 0).isDimensionless());
  CHECK(pow(kVolt, -1) == dim(-2, -1, 3, 1));
  CHECK(Dimension::base(BaseDimension::Amount) == dim(0, 0, 0, 0, 0, 1));
  CHECK(kVolt.exponent(BaseDimension::Time) == Rational(-3));
  CHECK(kVolt != kAmp);
}

TEST_CASE("dimension: exponent overflow is reported") {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Dimension huge = dim(kMax, 0, 0, 0);
  CHECK_FALSE((huge * kMetre).has_value());
  CHECK_FALSE((dim(-kMax, 0, 0, 0) / kMetre).has_value());
  CHECK_FALSE(dim(2, 0, 0, 0).pow(kMax).has_value());
  CHECK_FALSE(kMetre.pow(Rational(1, 4294967291)).value().pow(Rational(1, 4294967279)).has_value());
  CHECK(huge.pow(1).has_value());
}

TEST_CASE("dimension: toUnitString names exact units") {
  CHECK(Dimension().toUnitString() == "1");
  CHECK(kVolt.toUnitString() == "volt");
  CHECK(kAmp.toUnitString() == "amp");
  CHECK(kSiemens.toUnitString() == "siemens");
  CHECK(kFarad.toUnitString() == "farad");
  CHECK(dim(2, 1, -3, -2).toUnitString() == "ohm");
  CHECK(dim(0, 0, 1, 1).toUnitString() == "coulomb");
  CHECK(dim(0, 0, -1, 0).toUnitString() == "hertz");
  CHECK(kSecond.toUnitString() == "second");
  CHECK(kMetre.toUnitString() == "metre");
  CHECK(dim(0, 1, 0, 0).toUnitString() == "kilogram");
  CHECK(dim(0, 0, 0, 0, 0, 1).toUnitString() == "mole");
  CHECK(kWatt.toUnitString() == "watt");
  CHECK(dim(2, 1, -2, 0).toUnitString() == "joule");
  CHECK(dim(1, 1, -2, 0).toUnitString() == "newton");
  CHECK(dim(-1, 1, -2, 0).toUnitString() == "pascal");
  CHECK(dim(0, 1, -2, -1).toUnitString() == "tesla");
  CHECK(dim(2, 1, -2, -1).toUnitString() == "weber");
  CHECK(dim(2, 1, -2, -2).toUnitString() == "henry");
  CHECK(dim(-3, 0, 0, 0, 0, 1).toUnitString() == "molar");
  CHECK(dim(0, 0, 0, 0, 1).toUnitString() == "kelvin");
}

TEST_CASE("dimension: toUnitString decomposes into a named unit and base powers") {
  CHECK(dim(-4, -1, 3, 2).toUnitString() == "metre^-2 * siemens");  // conductance density
  CHECK(dim(-4, -1, 4, 2).toUnitString() == "metre^-2 * farad");    // specific capacitance
  CHECK(dim(-2, 0, 0, 1).toUnitString() == "metre^-2 * amp");       // current density
  CHECK(dim(2, 1, -4, -1).toUnitString() == "second^-1 * volt");    // dV/dt
  CHECK(dim(-3, -1, 3, 2).toUnitString() == "metre^-1 * siemens");  // conductivity
  CHECK(dim(3, 1, -3, -2).toUnitString() == "metre * ohm");         // resistivity
  CHECK(dim(-3, 0, -1, 0, 0, 1).toUnitString() == "second^-1 * molar");
  CHECK(dim(-2, -1, 3, 1).toUnitString() == "volt^-1");
  CHECK(dim(2, 1, -4, -2).toUnitString() == "farad^-1");
  CHECK(dim(4, 2, -6, -2).toUnitString() == "volt^2");
  CHECK(dim(2, 1, Rational(-7, 2), -1).toUnitString() == "second^(-1/2) * volt");  // sigma*xi
  CHECK(dim(0, 0, Rational(-1, 2), 0).toUnitString() == "second^(-1/2)");          // xi
  CHECK(dim(2, 0, 0, 0).toUnitString() == "metre^2");
  CHECK(dim(1, 0, -1, 0).toUnitString() == "metre * second^-1");  // no named unit helps
  CHECK(dim(2, 1, 0, 0).toUnitString() == "kilogram * metre^2");
  CHECK(dim(0, 0, 1, -1).toUnitString() == "second * amp^-1");
}

TEST_CASE("dimension: toBaseString") {
  CHECK(kVolt.toBaseString() == "kg * m^2 * s^-3 * A^-1");
  CHECK(Dimension().toBaseString() == "1");
  CHECK(kSiemens.toBaseString() == "kg^-1 * m^-2 * s^3 * A^2");
  CHECK(dim(0, 0, Rational(-1, 2), 0).toBaseString() == "s^(-1/2)");
  CHECK(dim(0, 0, 0, 0, 1, -3, 1).toBaseString() == "K * mol^-3 * cd");
}

// GCC 12 at -O2 once folded Dimension's default construction into a constant with den = 0 in
// elements 2 and up, so that every product of two dimensionless values failed. Dimensions
// made at run time (not in a constant expression) must be dimensionless and multiply.
TEST_CASE("dimensions default-constructed at run time are dimensionless and multiply") {
  volatile std::size_t count = 5;
  std::vector<snn::units::Dimension> dims(count);
  for (const auto& d : dims) {
    CHECK(d.isDimensionless());
    for (auto e : d.exponents()) CHECK(e.den == 1);
    auto product = d * d;
    REQUIRE(product.has_value());
    CHECK(product->isDimensionless());
  }
}
