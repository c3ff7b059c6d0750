// Naming dimensions for people: the strings that diagnostics show for a dimension mismatch.
//
// The preferred named units and their dimensions come from Boost.Units (boost_dimension.h), so
// the names printed here cannot drift from the dimensions the unit table gives the same units.
#include "compiler/units/dimension.h"

#include <string_view>

#include <boost/units/systems/si.hpp>

#include "compiler/units/boost_dimension.h"

namespace snn::units {
namespace {

namespace si = boost::units::si;

struct NamedDimension {
  std::string_view name;
  Dimension dim;
};

using Molarity = boost::units::divide_typeof_helper<si::amount, si::volume>::type;

// Order matters twice: an exact match takes the first entry with that dimension, and ties in
// the decomposition go to the earlier entry (siemens/m^2 could also be farad/(m^2 s); siemens
// comes first, so conductance densities read as conductances). Units a modeller would not
// expect in an error message are left out: gray and sievert (J/kg would make a squared
// velocity read "gray"), becquerel (Hz), katal, lumen, lux, litre (metre^3 is clearer).
constexpr NamedDimension kPreferred[] = {
    {"volt", dimensionOf<si::electric_potential>()},
    {"amp", dimensionOf<si::current>()},
    {"siemens", dimensionOf<si::conductance>()},
    {"farad", dimensionOf<si::capacitance>()},
    {"ohm", dimensionOf<si::resistance>()},
    {"coulomb", dimensionOf<si::electric_charge>()},
    {"hertz", dimensionOf<si::frequency>()},
    {"second", dimensionOf<si::time>()},
    {"metre", dimensionOf<si::length>()},
    {"kilogram", dimensionOf<si::mass>()},
    {"mole", dimensionOf<si::amount>()},
    {"kelvin", dimensionOf<si::temperature>()},
    {"candela", dimensionOf<si::luminous_intensity>()},
    {"watt", dimensionOf<si::power>()},
    {"joule", dimensionOf<si::energy>()},
    {"newton", dimensionOf<si::force>()},
    {"pascal", dimensionOf<si::pressure>()},
    {"tesla", dimensionOf<si::magnetic_flux_density>()},
    {"weber", dimensionOf<si::magnetic_flux>()},
    {"henry", dimensionOf<si::inductance>()},
    {"molar", dimensionOf<Molarity>()},
};

// Mass first, as in the customary "kg * m^2 * s^-3 * A^-1". The name arrays below are indexed
// by BaseDimension, not by this order.
constexpr BaseDimension kPrintOrder[] = {
    BaseDimension::Mass,
    BaseDimension::Length,
    BaseDimension::Time,
    BaseDimension::Current,
    BaseDimension::Temperature,
    BaseDimension::Amount,
    BaseDimension::LuminousIntensity,
};
constexpr std::string_view kBaseLongNames[] = {"metre",  "kilogram", "second", "amp",
                                               "kelvin", "mole",     "candela"};
constexpr std::string_view kBaseSymbols[] = {"m", "kg", "s", "A", "K", "mol", "cd"};

int factorCount(const Dimension& d) {
  int n = 0;
  for (Rational e : d.exponents())
    if (!e.isZero()) ++n;
  return n;
}

// "^2", "^-1", "^(1/2)": parentheses keep a fractional exponent from reading as a division.
void appendPower(std::string& out, std::string_view name, Rational e) {
  out += name;
  if (e == Rational(1)) return;
  out += '^';
  if (e.isInteger()) {
    out += e.toString();
  } else {
    out += '(';
    out += e.toString();
    out += ')';
  }
}

void appendFactor(std::string& out, std::string_view name, Rational e) {
  if (!out.empty()) out += " * ";
  appendPower(out, name, e);
}

template <std::size_t N>
std::string baseFactors(const Dimension& d, const std::string_view (&names)[N]) {
  std::string out;
  for (BaseDimension b : kPrintOrder) {
    Rational e = d.exponent(b);
    if (!e.isZero()) appendFactor(out, names[static_cast<std::size_t>(b)], e);
  }
  return out;
}

}  // namespace

// The rule, chosen to be short, deterministic and Brian2-like:
//  1. dimensionless is "1";
//  2. a dimension equal to a preferred unit's is that unit's name ("volt", "siemens");
//  3. otherwise every candidate "residual * d^p" is scored, for p = 1, -1, 2, -2 (squares are
//     common in noise terms, mV^2) and, for each p, every preferred unit d in table order, plus
//     the candidate "base units only"; the score is the number of base factors in the residual,
//     plus one for d. The lowest score wins; ties go to "base units only", then to the earlier
//     candidate, so a named unit is used only when it makes the string strictly shorter, and a
//     positive power beats a negative one (ohm*m is "metre * ohm", not "metre * siemens^-1");
//  4. the residual's base factors are written first (kilogram, metre, second, amp, kelvin, mole,
//     candela, with signed exponents), then d: siemens/m^2 is "metre^-2 * siemens", V/s is
//     "second^-1 * volt", A/m^2 is "metre^-2 * amp", F^-1 is "farad^-1", V^2 is "volt^2".
std::string Dimension::toUnitString() const {
  if (isDimensionless()) return "1";
  for (const NamedDimension& p : kPreferred)
    if (p.dim == *this) return std::string(p.name);

  int best_score = factorCount(*this);
  const NamedDimension* best_unit = nullptr;
  Rational best_power = Rational(1);
  Dimension best_residual = *this;
  for (Rational power : {Rational(1), Rational(-1), Rational(2), Rational(-2)}) {
    for (const NamedDimension& p : kPreferred) {
      auto scaled = p.dim.pow(power);
      if (!scaled) continue;
      auto residual = *this / *scaled;
      if (!residual) continue;  // exponent overflow: this candidate cannot be written exactly
      int score = factorCount(*residual) + 1;
      if (score < best_score) {
        best_score = score;
        best_unit = &p;
        best_power = power;
        best_residual = *residual;
      }
    }
  }
  std::string out = baseFactors(best_residual, kBaseLongNames);
  if (best_unit) appendFactor(out, best_unit->name, best_power);
  return out;
}

std::string Dimension::toBaseString() const {
  if (isDimensionless()) return "1";
  return baseFactors(*this, kBaseSymbols);
}

}  // namespace snn::units
