// The unit table and prefix rules behind lookupUnit, and the reverse direction for printing.
//
// The whole table is constexpr: dimensions come from Boost.Units' SI unit types through
// dimensionOf<>, and the name index is sorted at compile time, so a lookup is a binary search
// over string_views with no allocation and no start-up cost.
#include "compiler/units/unit_table.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include <fmt/format.h>
#include <boost/units/systems/si.hpp>

#include "compiler/units/boost_dimension.h"

namespace snn::units {
namespace {

namespace si = boost::units::si;

using Molarity = boost::units::divide_typeof_helper<si::amount, si::volume>::type;

template <class BoostUnit>
consteval Unit siUnit(double scale = 1.0) {
  return Unit{scale, dimensionOf<BoostUnit>()};
}

// Grouped by unit, long name first; this is also the order editors and docs list them in.
constexpr UnitEntry kEntries[] = {
    {"1", "1", Unit{1.0, Dimension::dimensionless()}},
    // SI base units (kilogram's prefixes go on gram, as in Brian2).
    {"metre", "metre", siUnit<si::length>()},
    {"meter", "metre", siUnit<si::length>()},
    {"m", "metre", siUnit<si::length>()},
    {"gram", "gram", siUnit<si::mass>(1e-3)},
    {"g", "gram", siUnit<si::mass>(1e-3)},
    {"kilogram", "kilogram", siUnit<si::mass>()},
    {"kg", "kilogram", siUnit<si::mass>()},
    {"second", "second", siUnit<si::time>()},
    {"s", "second", siUnit<si::time>()},
    {"amp", "amp", siUnit<si::current>()},
    {"ampere", "amp", siUnit<si::current>()},
    {"A", "amp", siUnit<si::current>()},
    {"kelvin", "kelvin", siUnit<si::temperature>()},
    {"K", "kelvin", siUnit<si::temperature>()},
    {"mole", "mole", siUnit<si::amount>()},
    {"mol", "mole", siUnit<si::amount>()},
    {"candela", "candela", siUnit<si::luminous_intensity>()},
    {"cd", "candela", siUnit<si::luminous_intensity>()},
    // Derived units.
    {"volt", "volt", siUnit<si::electric_potential>()},
    {"V", "volt", siUnit<si::electric_potential>()},
    {"ohm", "ohm", siUnit<si::resistance>()},
    {"Ohm", "ohm", siUnit<si::resistance>()},
    {"siemens", "siemens", siUnit<si::conductance>()},
    {"S", "siemens", siUnit<si::conductance>()},
    {"farad", "farad", siUnit<si::capacitance>()},
    {"F", "farad", siUnit<si::capacitance>()},
    {"coulomb", "coulomb", siUnit<si::electric_charge>()},
    {"C", "coulomb", siUnit<si::electric_charge>()},
    {"hertz", "hertz", siUnit<si::frequency>()},
    {"Hz", "hertz", siUnit<si::frequency>()},
    {"watt", "watt", siUnit<si::power>()},
    {"W", "watt", siUnit<si::power>()},
    {"joule", "joule", siUnit<si::energy>()},
    {"J", "joule", siUnit<si::energy>()},
    {"newton", "newton", siUnit<si::force>()},
    {"N", "newton", siUnit<si::force>()},
    {"pascal", "pascal", siUnit<si::pressure>()},
    {"Pa", "pascal", siUnit<si::pressure>()},
    {"tesla", "tesla", siUnit<si::magnetic_flux_density>()},
    {"T", "tesla", siUnit<si::magnetic_flux_density>()},
    {"weber", "weber", siUnit<si::magnetic_flux>()},
    {"Wb", "weber", siUnit<si::magnetic_flux>()},
    {"henry", "henry", siUnit<si::inductance>()},
    {"H", "henry", siUnit<si::inductance>()},
    {"litre", "litre", siUnit<si::volume>(1e-3)},
    {"liter", "litre", siUnit<si::volume>(1e-3)},
    {"l", "litre", siUnit<si::volume>(1e-3)},
    {"L", "litre", siUnit<si::volume>(1e-3)},
    {"molar", "molar", siUnit<Molarity>(1e3)},
    {"M", "molar", siUnit<Molarity>(1e3)},
    {"radian", "radian", siUnit<si::plane_angle>()},
    {"rad", "radian", siUnit<si::plane_angle>()},
    {"steradian", "steradian", siUnit<si::solid_angle>()},
    {"sr", "steradian", siUnit<si::solid_angle>()},
    {"becquerel", "becquerel", siUnit<si::activity>()},
    {"Bq", "becquerel", siUnit<si::activity>()},
    {"gray", "gray", siUnit<si::absorbed_dose>()},
    {"Gy", "gray", siUnit<si::absorbed_dose>()},
    {"sievert", "sievert", siUnit<si::dose_equivalent>()},
    {"Sv", "sievert", siUnit<si::dose_equivalent>()},
    {"lux", "lux", siUnit<si::illuminance>()},
    {"lx", "lux", siUnit<si::illuminance>()},
    {"lumen", "lumen", siUnit<si::luminous_flux>()},
    {"lm", "lumen", siUnit<si::luminous_flux>()},
    {"katal", "katal", siUnit<si::catalytic_activity>()},
    {"kat", "katal", siUnit<si::catalytic_activity>()},
};
constexpr std::size_t kEntryCount = std::size(kEntries);

// "mkg" would be a gram with two prefixes; "k1" is not a unit.
constexpr bool isPrefixable(std::string_view long_name) {
  return long_name != "kilogram" && long_name != "1";
}

struct Prefix {
  std::string_view symbol;
  double factor;
};

// Two-byte symbols first so "da" is tried before "d" (no name is ambiguous either way; a test
// checks that). Micro has three spellings: ASCII `u`, MICRO SIGN and GREEK SMALL LETTER MU.
constexpr Prefix kPrefixes[] = {
    {"da", 1e1},  {"\u00b5", 1e-6}, {"\u03bc", 1e-6}, {"y", 1e-24}, {"z", 1e-21}, {"a", 1e-18},
    {"f", 1e-15}, {"p", 1e-12},     {"n", 1e-9},      {"u", 1e-6},  {"m", 1e-3},  {"c", 1e-2},
    {"d", 1e-1},  {"h", 1e2},       {"k", 1e3},       {"M", 1e6},   {"G", 1e9},   {"T", 1e12},
    {"P", 1e15},  {"E", 1e18},      {"Z", 1e21},      {"Y", 1e24},
};

struct IndexEntry {
  std::string_view name;
  uint16_t entry;
};

constexpr auto kIndex = [] {
  std::array<IndexEntry, kEntryCount> index{};
  for (std::size_t i = 0; i < kEntryCount; ++i)
    index[i] = IndexEntry{kEntries[i].name, static_cast<uint16_t>(i)};
  std::sort(index.begin(), index.end(),
            [](const IndexEntry& a, const IndexEntry& b) { return a.name < b.name; });
  return index;
}();

static_assert(
    [] {
      for (std::size_t i = 1; i < kEntryCount; ++i)
        if (kIndex[i - 1].name == kIndex[i].name) return false;
      return true;
    }(),
    "a unit spelling appears twice in the table");

constexpr const UnitEntry* findExact(std::string_view name) {
  auto it = std::lower_bound(kIndex.begin(), kIndex.end(), name,
                             [](const IndexEntry& e, std::string_view n) { return e.name < n; });
  if (it == kIndex.end() || it->name != name) return nullptr;
  return &kEntries[it->entry];
}

constexpr std::optional<Unit> lookup(std::string_view name) {
  if (const UnitEntry* e = findExact(name)) return e->unit;
  for (const Prefix& p : kPrefixes) {
    if (name.size() <= p.symbol.size() || !name.starts_with(p.symbol)) continue;
    const UnitEntry* e = findExact(name.substr(p.symbol.size()));
    if (e && isPrefixable(e->long_name)) return Unit{p.factor * e->unit.scale, e->unit.dim};
  }
  return std::nullopt;
}

// Exact names beat prefixes, checked where a regression would first show.
static_assert(lookup("Pa")->dim == dimensionOf<si::pressure>());
static_assert(lookup("mol")->dim == dimensionOf<si::amount>());
static_assert(lookup("M")->scale == 1e3 && lookup("m")->scale == 1.0);

// Symbols for printing, with the scale the prefix is applied to (gram for mass, molar for
// concentration, as modellers write them).
constexpr std::string_view kFormatSymbols[] = {"V", "A", "S",  "F",   "ohm", "C",  "Hz",
                                               "s", "m", "g",  "mol", "K",   "cd", "W",
                                               "J", "N", "Pa", "T",   "Wb",  "H",  "M"};

// Powers of 1000 only: "1 cm" is fine to write but "10 mm" is what a reader expects back.
constexpr Prefix kFormatPrefixes[] = {
    {"Y", 1e24},  {"Z", 1e21},  {"E", 1e18},  {"P", 1e15},  {"T", 1e12},  {"G", 1e9},
    {"M", 1e6},   {"k", 1e3},   {"", 1.0},    {"m", 1e-3},  {"u", 1e-6},  {"n", 1e-9},
    {"p", 1e-12}, {"f", 1e-15}, {"a", 1e-18}, {"z", 1e-21}, {"y", 1e-24},
};

std::string formatNumber(double v) {
  if (v == 0.0) v = 0.0;  // no "-0"
  return fmt::format("{:.12g}", v);
}

}  // namespace

std::optional<Unit> lookupUnit(std::string_view name) {
  return lookup(name);
}

bool isUnitName(std::string_view name) {
  return lookup(name).has_value();
}

std::span<const UnitEntry> baseUnitTable() {
  return kEntries;
}

std::vector<std::string> allUnitSpellings() {
  std::vector<std::string> out;
  out.reserve(kEntryCount * (1 + std::size(kPrefixes)));
  for (const UnitEntry& e : kEntries) out.emplace_back(e.name);
  for (const UnitEntry& e : kEntries) {
    if (!isPrefixable(e.long_name)) continue;
    for (const Prefix& p : kPrefixes) {
      std::string s(p.symbol);
      s += e.name;
      if (findExact(s)) continue;  // "k" + "g" is listed once, as the exact name "kg"
      out.push_back(std::move(s));
    }
  }
  return out;
}

std::string formatQuantity(double si_value, const Dimension& dim) {
  if (dim.isDimensionless()) return formatNumber(si_value);
  for (std::string_view symbol : kFormatSymbols) {
    const UnitEntry* e = findExact(symbol);
    if (e->unit.dim != dim) continue;
    double v = si_value / e->unit.scale;
    if (!std::isfinite(v) || v == 0.0) return formatNumber(v) + " " + std::string(symbol);
    // Choose the prefix on the number as it will be printed, so 999.9999999999999 mV (which
    // prints as 1000) becomes "1 V" rather than "1000 mV".
    // from_chars, unlike stod, ignores the global locale's decimal separator.
    const std::string printed = fmt::format("{:.12g}", v);
    double rounded = v;
    std::from_chars(printed.data(), printed.data() + printed.size(), rounded);
    const double magnitude = std::fabs(rounded);
    const Prefix* chosen = &kFormatPrefixes[std::size(kFormatPrefixes) - 1];
    for (const Prefix& p : kFormatPrefixes) {
      if (magnitude >= p.factor) {
        chosen = &p;
        break;
      }
    }
    return formatNumber(rounded / chosen->factor) + " " + std::string(chosen->symbol) +
           std::string(symbol);
  }
  return formatNumber(si_value) + " " + dim.toUnitString();
}

}  // namespace snn::units
