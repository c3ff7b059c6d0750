// A unit as the compiler sees it: a factor to SI plus a dimension.
//
// `120 msiemens/cm**2` is evaluated by combining the Units of its names; the number is then
// stored in SI (value_in_SI = number * scale), as the VM only ever sees SI values. The algebra
// returns std::nullopt instead of a wrong unit when an exponent overflows or the scale leaves
// the finite positive doubles, so sema can report it rather than compute with garbage.
#pragma once

#include <optional>

#include "compiler/units/dimension.h"
#include "compiler/units/rational.h"

namespace snn::units {

struct Unit {
  double scale = 1.0;  // value_in_SI = number * scale
  Dimension dim;
};

std::optional<Unit> operator*(const Unit& a, const Unit& b);
std::optional<Unit> operator/(const Unit& a, const Unit& b);
std::optional<Unit> pow(const Unit& u, Rational p);

}  // namespace snn::units
