// The unit names a model may write after a number, and how quantities are printed back.
//
// The table follows Brian2: every SI base and derived unit by long name and by symbol, every SI
// prefix from yocto (y) to yotta (Y) on each of them (micro as `u`, `µ` or `μ`), prefixes on
// gram rather than kilogram, and `1` for dimensionless. An exact name always beats a prefix
// reading (`Pa` is pascal, `mol` is mole, `M` molar, `m` metre, `mm` millimetre). Dimensions are
// taken from Boost.Units' SI system at compile time (see boost_dimension.h).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/units/dimension.h"
#include "compiler/units/unit.h"

namespace snn::units {

struct UnitEntry {
  std::string_view name;       // the spelling: "V", "volt", "ohm", "Ohm"
  std::string_view long_name;  // canonical long name: "volt" for "V", "metre" for "meter"
  Unit unit;
};

// The unit a (possibly prefixed) name stands for; std::nullopt if it is not a unit name.
std::optional<Unit> lookupUnit(std::string_view name);

// Same answer as lookupUnit(name).has_value(), without allocating: the parser asks this about
// every identifier that follows a number.
bool isUnitName(std::string_view name);

// The unprefixed spellings, in a stable documentation order, for editors and docs.
std::span<const UnitEntry> baseUnitTable();

// Every accepted spelling, prefixed ones included, each once: for "did you mean" and editors.
std::vector<std::string> allUnitSpellings();

// A quantity as a modeller would write it: "-70 mV", "20 ms", "500 pA". For dimensions that
// have a unit symbol (V, A, S, F, ohm, C, Hz, s, m, g, mol, K, cd, W, J, N, Pa, T, Wb, H, M) the
// power-of-1000 prefix that puts the number in [1, 1000) is chosen; zero and non-finite values
// use the bare symbol. Other dimensions print the SI number followed by
// Dimension::toUnitString() ("10 metre^-2 * siemens"); dimensionless values print bare.
std::string formatQuantity(double si_value, const Dimension& dim);

}  // namespace snn::units
