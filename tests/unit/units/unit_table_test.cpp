// The unit table against independent references: SI exponents written out here, scales taken
// from Boost.Units conversions (cgs gram, metric litre, Boost's scaled units for every prefix).
#include "compiler/units/unit_table.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include <doctest/doctest.h>
#include <boost/units/base_units/cgs/gram.hpp>
#include <boost/units/base_units/metric/liter.hpp>
#include <boost/units/make_scaled_unit.hpp>
#include <boost/units/quantity.hpp>
#include <boost/units/systems/si.hpp>
#include <boost/units/systems/si/prefixes.hpp>

namespace bu = boost::units;
namespace si = boost::units::si;
using snn::units::Dimension;
using snn::units::lookupUnit;
using snn::units::Rational;
using snn::units::Unit;

namespace {

using GramUnit = bu::cgs::gram_base_unit::unit_type;
using LiterUnit = bu::metric::liter_base_unit::unit_type;

// SI values of one gram, one litre and one mol/litre, as Boost converts them.
double boostGram() {
  return bu::quantity<si::mass>(1.0 * GramUnit()).value();
}
double boostLitre() {
  return bu::quantity<si::volume>(1.0 * LiterUnit()).value();
}
double boostMolar() {
  return 1.0 / boostLitre();
}

struct Expected {
  int m, kg, s, a, k, mol, cd;
  double scale;
};

Dimension dimOf(const Expected& e) {
  return Dimension(Dimension::Exponents{e.m, e.kg, e.s, e.a, e.k, e.mol, e.cd});
}

// Keyed by canonical long name; angles are dimensionless (as in Brian2 and the SI).
const std::map<std::string_view, Expected>& expectedByLongName() {
  static const std::map<std::string_view, Expected> table = {
      {"1", {0, 0, 0, 0, 0, 0, 0, 1.0}},
      {"metre", {1, 0, 0, 0, 0, 0, 0, bu::quantity<si::length>(1.0 * si::meter).value()}},
      {"gram", {0, 1, 0, 0, 0, 0, 0, boostGram()}},
      {"kilogram", {0, 1, 0, 0, 0, 0, 0, bu::quantity<si::mass>(1.0 * si::kilogram).value()}},
      {"second", {0, 0, 1, 0, 0, 0, 0, 1.0}},
      {"amp", {0, 0, 0, 1, 0, 0, 0, 1.0}},
      {"kelvin", {0, 0, 0, 0, 1, 0, 0, 1.0}},
      {"mole", {0, 0, 0, 0, 0, 1, 0, 1.0}},
      {"candela", {0, 0, 0, 0, 0, 0, 1, 1.0}},
      {"volt", {2, 1, -3, -1, 0, 0, 0, 1.0}},
      {"ohm", {2, 1, -3, -2, 0, 0, 0, 1.0}},
      {"siemens", {-2, -1, 3, 2, 0, 0, 0, 1.0}},
      {"farad", {-2, -1, 4, 2, 0, 0, 0, 1.0}},
      {"coulomb", {0, 0, 1, 1, 0, 0, 0, 1.0}},
      {"hertz", {0, 0, -1, 0, 0, 0, 0, 1.0}},
      {"watt", {2, 1, -3, 0, 0, 0, 0, 1.0}},
      {"joule", {2, 1, -2, 0, 0, 0, 0, 1.0}},
      {"newton", {1, 1, -2, 0, 0, 0, 0, 1.0}},
      {"pascal", {-1, 1, -2, 0, 0, 0, 0, 1.0}},
      {"tesla", {0, 1, -2, -1, 0, 0, 0, 1.0}},
      {"weber", {2, 1, -2, -1, 0, 0, 0, 1.0}},
      {"henry", {2, 1, -2, -2, 0, 0, 0, 1.0}},
      {"litre", {3, 0, 0, 0, 0, 0, 0, boostLitre()}},
      {"molar", {-3, 0, 0, 0, 0, 1, 0, boostMolar()}},
      {"radian", {0, 0, 0, 0, 0, 0, 0, 1.0}},
      {"steradian", {0, 0, 0, 0, 0, 0, 0, 1.0}},
      {"becquerel", {0, 0, -1, 0, 0, 0, 0, 1.0}},
      {"gray", {2, 0, -2, 0, 0, 0, 0, 1.0}},
      {"sievert", {2, 0, -2, 0, 0, 0, 0, 1.0}},
      {"lux", {-2, 0, 0, 0, 0, 0, 1, 1.0}},
      {"lumen", {0, 0, 0, 0, 0, 0, 1, 1.0}},
      {"katal", {0, 0, -1, 0, 0, 1, 0, 1.0}},
  };
  return table;
}

// Every spelling the brief and Brian2 promise, with its canonical long name.
const std::map<std::string_view, std::string_view> kSpellings = {
    {"1", "1"},
    {"metre", "metre"},
    {"meter", "metre"},
    {"m", "metre"},
    {"gram", "gram"},
    {"g", "gram"},
    {"kilogram", "kilogram"},
    {"kg", "kilogram"},
    {"second", "second"},
    {"s", "second"},
    {"amp", "amp"},
    {"ampere", "amp"},
    {"A", "amp"},
    {"kelvin", "kelvin"},
    {"K", "kelvin"},
    {"mole", "mole"},
    {"mol", "mole"},
    {"candela", "candela"},
    {"cd", "candela"},
    {"volt", "volt"},
    {"V", "volt"},
    {"ohm", "ohm"},
    {"Ohm", "ohm"},
    {"siemens", "siemens"},
    {"S", "siemens"},
    {"farad", "farad"},
    {"F", "farad"},
    {"coulomb", "coulomb"},
    {"C", "coulomb"},
    {"hertz", "hertz"},
    {"Hz", "hertz"},
    {"watt", "watt"},
    {"W", "watt"},
    {"joule", "joule"},
    {"J", "joule"},
    {"newton", "newton"},
    {"N", "newton"},
    {"pascal", "pascal"},
    {"Pa", "pascal"},
    {"tesla", "tesla"},
    {"T", "tesla"},
    {"weber", "weber"},
    {"Wb", "weber"},
    {"henry", "henry"},
    {"H", "henry"},
    {"litre", "litre"},
    {"liter", "litre"},
    {"l", "litre"},
    {"L", "litre"},
    {"molar", "molar"},
    {"M", "molar"},
    {"radian", "radian"},
    {"rad", "radian"},
    {"steradian", "steradian"},
    {"sr", "steradian"},
    {"becquerel", "becquerel"},
    {"Bq", "becquerel"},
    {"gray", "gray"},
    {"Gy", "gray"},
    {"sievert", "sievert"},
    {"Sv", "sievert"},
    {"lux", "lux"},
    {"lx", "lux"},
    {"lumen", "lumen"},
    {"lm", "lumen"},
    {"katal", "katal"},
    {"kat", "katal"},
};

bool closeRel(double a, double b) {
  return std::fabs(a - b) <= 1e-12 * std::fabs(b);
}

// Boost's own scaling of volt by 10^E, converted back to SI.
template <int E>
double boostScaledVolt() {
  using U = typename bu::make_scaled_unit<si::electric_potential,
                                          bu::scale<10, bu::static_rational<E>>>::type;
  return bu::quantity<si::electric_potential>(1.0 * U()).value();
}
template <int E>
double boostScaledGram() {
  using U = typename bu::make_scaled_unit<GramUnit, bu::scale<10, bu::static_rational<E>>>::type;
  return bu::quantity<si::mass>(1.0 * U()).value();
}

// Boost's prefix constants are dimensionless scaled units; 1 <prefix> * volt, converted to SI.
template <class Prefix>
double boostPrefixedVolt(const Prefix& prefix) {
  return bu::quantity<si::electric_potential>(1.0 * prefix * si::volt).value();
}

struct PrefixCase {
  std::string_view symbol;
  double volt;            // SI value of 1 <prefix>volt per Boost's make_scaled_unit
  double gram;            // SI value of 1 <prefix>gram
  double boost_constant;  // via Boost's si prefix constant
};

const PrefixCase kPrefixCases[] = {
    {"y", boostScaledVolt<-24>(), boostScaledGram<-24>(), boostPrefixedVolt(si::yocto)},
    {"z", boostScaledVolt<-21>(), boostScaledGram<-21>(), boostPrefixedVolt(si::zepto)},
    {"a", boostScaledVolt<-18>(), boostScaledGram<-18>(), boostPrefixedVolt(si::atto)},
    {"f", boostScaledVolt<-15>(), boostScaledGram<-15>(), boostPrefixedVolt(si::femto)},
    {"p", boostScaledVolt<-12>(), boostScaledGram<-12>(), boostPrefixedVolt(si::pico)},
    {"n", boostScaledVolt<-9>(), boostScaledGram<-9>(), boostPrefixedVolt(si::nano)},
    {"u", boostScaledVolt<-6>(), boostScaledGram<-6>(), boostPrefixedVolt(si::micro)},
    {"\u00b5", boostScaledVolt<-6>(), boostScaledGram<-6>(), boostPrefixedVolt(si::micro)},
    {"\u03bc", boostScaledVolt<-6>(), boostScaledGram<-6>(), boostPrefixedVolt(si::micro)},
    {"m", boostScaledVolt<-3>(), boostScaledGram<-3>(), boostPrefixedVolt(si::milli)},
    {"c", boostScaledVolt<-2>(), boostScaledGram<-2>(), boostPrefixedVolt(si::centi)},
    {"d", boostScaledVolt<-1>(), boostScaledGram<-1>(), boostPrefixedVolt(si::deci)},
    {"da", boostScaledVolt<1>(), boostScaledGram<1>(), boostPrefixedVolt(si::deka)},
    {"h", boostScaledVolt<2>(), boostScaledGram<2>(), boostPrefixedVolt(si::hecto)},
    {"k", boostScaledVolt<3>(), boostScaledGram<3>(), boostPrefixedVolt(si::kilo)},
    {"M", boostScaledVolt<6>(), boostScaledGram<6>(), boostPrefixedVolt(si::mega)},
    {"G", boostScaledVolt<9>(), boostScaledGram<9>(), boostPrefixedVolt(si::giga)},
    {"T", boostScaledVolt<12>(), boostScaledGram<12>(), boostPrefixedVolt(si::tera)},
    {"P", boostScaledVolt<15>(), boostScaledGram<15>(), boostPrefixedVolt(si::peta)},
    {"E", boostScaledVolt<18>(), boostScaledGram<18>(), boostPrefixedVolt(si::exa)},
    {"Z", boostScaledVolt<21>(), boostScaledGram<21>(), boostPrefixedVolt(si::zetta)},
    {"Y", boostScaledVolt<24>(), boostScaledGram<24>(), boostPrefixedVolt(si::yotta)},
};

Unit unit(std::string_view name) {
  auto u = lookupUnit(name);
  REQUIRE_MESSAGE(u.has_value(), name);
  return *u;
}

bool isPrefixable(std::string_view long_name) {
  return long_name != "kilogram" && long_name != "1";
}

}  // namespace

TEST_CASE("unit table: every entry has the right dimension and scale") {
  const auto table = snn::units::baseUnitTable();
  CHECK(table.size() == kSpellings.size());
  std::set<std::string_view> seen;
  for (const auto& e : table) {
    INFO("unit ", e.name);
    CHECK(seen.insert(e.name).second);
    auto spelling = kSpellings.find(e.name);
    REQUIRE(spelling != kSpellings.end());
    CHECK(e.long_name == spelling->second);
    auto expected = expectedByLongName().find(e.long_name);
    REQUIRE(expected != expectedByLongName().end());
    CHECK(e.unit.dim == dimOf(expected->second));
    CHECK(closeRel(e.unit.scale, expected->second.scale));
    // lookupUnit and isUnitName agree with the table.
    Unit looked = unit(e.name);
    CHECK(looked.dim == e.unit.dim);
    CHECK(looked.scale == e.unit.scale);
    CHECK(snn::units::isUnitName(e.name));
  }
  for (const auto& spelling : kSpellings)
    CHECK_MESSAGE(seen.count(spelling.first) == 1, spelling.first);
}

TEST_CASE("unit table: Boost scales are what the table was checked against") {
  CHECK(closeRel(boostGram(), 1e-3));
  CHECK(closeRel(boostLitre(), 1e-3));
  CHECK(closeRel(boostMolar(), 1e3));
}

TEST_CASE("unit table: every prefix on long and short names, per Boost's scaling") {
  const Dimension volt = unit("volt").dim;
  const Dimension mass = unit("kg").dim;
  for (const PrefixCase& p : kPrefixCases) {
    std::string s(p.symbol);
    INFO("prefix ", s);
    CHECK(closeRel(p.volt, p.boost_constant));
    for (std::string_view name : {"volt", "V"}) {
      Unit u = unit(s + std::string(name));
      CHECK(u.dim == volt);
      CHECK(closeRel(u.scale, p.volt));
    }
    for (std::string_view name : {"gram", "g"}) {
      Unit u = unit(s + std::string(name));
      CHECK(u.dim == mass);
      CHECK(closeRel(u.scale, p.gram));
    }
    // And on every other prefixable spelling: scale = prefix * unprefixed scale.
    for (const auto& e : snn::units::baseUnitTable()) {
      std::string name = s + std::string(e.name);
      if (!isPrefixable(e.long_name)) {
        CHECK_MESSAGE(!lookupUnit(name).has_value(), name);
        continue;
      }
      auto u = lookupUnit(name);
      REQUIRE_MESSAGE(u.has_value(), name);
      CHECK_MESSAGE(u->dim == e.unit.dim, name);
      CHECK_MESSAGE(closeRel(u->scale, p.boost_constant * e.unit.scale), name);
    }
  }
}

TEST_CASE("unit table: the spellings modellers write") {
  struct Case {
    std::string_view name;
    std::string_view long_name;
    double scale;
  };
  const Case cases[] = {
      {"msiemens", "siemens", 1e-3}, {"mvolt", "volt", 1e-3},    {"usecond", "second", 1e-6},
      {"kohm", "ohm", 1e3},          {"Mohm", "ohm", 1e6},       {"nfarad", "farad", 1e-9},
      {"cmetre", "metre", 1e-2},     {"mmolar", "molar", 1.0},   {"ms", "second", 1e-3},
      {"mV", "volt", 1e-3},          {"nA", "amp", 1e-9},        {"pF", "farad", 1e-12},
      {"nS", "siemens", 1e-9},       {"cm", "metre", 1e-2},      {"um", "metre", 1e-6},
      {"mM", "molar", 1.0},          {"kHz", "hertz", 1e3},      {"GOhm", "ohm", 1e9},
      {"\u00b5m", "metre", 1e-6},    {"\u03bcF", "farad", 1e-6}, {"uF", "farad", 1e-6},
      {"mmol", "mole", 1e-3},        {"kg", "kilogram", 1.0},    {"mg", "gram", 1e-6},
      {"ml", "litre", 1e-6},         {"uL", "litre", 1e-9},      {"dam", "metre", 10.0},
      {"damp", "amp", 0.1},          {"hPa", "pascal", 1e2},     {"mPa", "pascal", 1e-3},
      {"Ms", "second", 1e6},         {"Mm", "metre", 1e6},       {"MM", "molar", 1e9},
      {"uampere", "amp", 1e-6},      {"kmeter", "metre", 1e3},   {"nliter", "litre", 1e-12},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Unit u = unit(c.name);
    CHECK(u.dim == unit(c.long_name).dim);
    CHECK(closeRel(u.scale, c.scale));
  }
}

TEST_CASE("unit table: an exact name wins over a prefix reading") {
  CHECK(unit("Pa").dim == unit("pascal").dim);  // not peta-"a"
  CHECK(unit("Pa").scale == 1.0);
  CHECK(unit("mol").dim == unit("mole").dim);    // not milli-"ol"
  CHECK(unit("cd").dim == unit("candela").dim);  // not centi-"d"
  CHECK(unit("M").dim == unit("molar").dim);
  CHECK(unit("M").scale == 1e3);
  CHECK(unit("m").dim == unit("metre").dim);
  CHECK(unit("m").scale == 1.0);
  CHECK(unit("mm").scale == 1e-3);
  CHECK(unit("T").dim == unit("tesla").dim);
  CHECK(unit("kat").dim == unit("katal").dim);
  CHECK(unit("Gy").dim == unit("gray").dim);
  CHECK(unit("kg").scale == 1.0);

  // No spelling reads two different ways: each prefixed spelling has exactly one decomposition,
  // and the only unprefixed name that also has a prefix reading is "kg" (k + g), which means the
  // same unit. So "exact wins" never has to hide a different unit.
  std::set<std::string_view> exact;
  for (const auto& e : snn::units::baseUnitTable()) exact.insert(e.name);
  std::multiset<std::string> all;
  for (const std::string& s : snn::units::allUnitSpellings()) all.insert(s);
  std::set<std::string> shadowed;
  for (const std::string& s : all) {
    INFO(s);
    CHECK(all.count(s) == 1);
    CHECK(snn::units::isUnitName(s));
    int prefix_readings = 0;
    for (const PrefixCase& p : kPrefixCases) {
      std::string_view sv(s);
      if (sv.size() > p.symbol.size() && sv.starts_with(p.symbol)) {
        auto rest = sv.substr(p.symbol.size());
        for (const auto& e : snn::units::baseUnitTable())
          if (e.name == rest && isPrefixable(e.long_name)) {
            ++prefix_readings;
            if (exact.count(s)) {
              shadowed.insert(s);
              CHECK(e.unit.dim == unit(s).dim);
              CHECK(closeRel(p.boost_constant * e.unit.scale, unit(s).scale));
            }
          }
      }
    }
    CHECK(prefix_readings + (exact.count(s) ? 1 : 0) == (shadowed.count(s) ? 2 : 1));
  }
  CHECK(shadowed == std::set<std::string>{"kg"});
  // 66 unprefixed spellings, 63 of them prefixable, 22 prefix spellings, "kg" listed once.
  CHECK(all.size() == kSpellings.size() + (kSpellings.size() - 3) * std::size(kPrefixCases) - 1);
}

TEST_CASE("unit table: names that are not units") {
  for (std::string_view name :
       {"",       "volts", "millivolt", "mkg",    "kkg",           "k1",  "mmm",  "mmV",
        "da",     "u",     "\u00b5",    "x",      "Volt",          "MV2", "ohms", "\xc2V",
        "meters", "sec",   "msec",      "minute", "dimensionless", "KV",  "Ohms"}) {
    INFO(name);
    CHECK_FALSE(lookupUnit(name).has_value());
    CHECK_FALSE(snn::units::isUnitName(name));
  }
}

TEST_CASE("unit algebra: literals like 1 uF/cm^2 and 120 msiemens/cm**2") {
  auto cm2 = snn::units::pow(unit("cm"), 2);
  REQUIRE(cm2.has_value());
  auto cap = unit("uF") / *cm2;
  REQUIRE(cap.has_value());
  CHECK(closeRel(cap->scale, 1e-2));
  CHECK(cap->dim.toUnitString() == "metre^-2 * farad");
  auto g = unit("msiemens") / *cm2;
  REQUIRE(g.has_value());
  CHECK(closeRel(g->scale, 10.0));
  CHECK(g->dim.toUnitString() == "metre^-2 * siemens");
  auto power = unit("mV") * unit("nA");
  REQUIRE(power.has_value());
  CHECK(closeRel(power->scale, 1e-12));
  CHECK(power->dim == unit("W").dim);
  auto root = snn::units::pow(unit("Hz"), Rational(1, 2));
  REQUIRE(root.has_value());
  CHECK(root->dim.toBaseString() == "s^(-1/2)");
  // Boost agrees on a derived quantity: 1 mV / 1 ms in V/s.
  auto rate = unit("mV") / unit("ms");
  REQUIRE(rate.has_value());
  CHECK(closeRel(rate->scale, (1.0 * si::volt / si::second).value()));
}

TEST_CASE("unit algebra: overflow gives no unit rather than a wrong one") {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  CHECK(snn::units::pow(unit("m"), Rational(kMax)).has_value());  // exponent fits exactly
  auto m2 = snn::units::pow(unit("m"), 2);
  REQUIRE(m2.has_value());
  CHECK_FALSE(snn::units::pow(*m2, Rational(kMax)).has_value());  // 2 * INT64_MAX does not
  CHECK_FALSE(snn::units::pow(unit("Ym"), 20).has_value());       // scale 1e480 is not finite
  CHECK_FALSE(snn::units::pow(unit("ym"), 20).has_value());       // scale 1e-480 underflows to 0
  auto tiny = snn::units::pow(unit("ym"), 10);
  REQUIRE(tiny.has_value());
  CHECK_FALSE((*tiny * *tiny).has_value());
  auto thin = snn::units::pow(unit("m"), Rational(1, 4294967291));
  REQUIRE(thin.has_value());
  CHECK_FALSE(snn::units::pow(*thin, Rational(1, 4294967279)).has_value());
}
