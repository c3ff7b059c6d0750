// Unit algebra for unit expressions in literals (`uF/cm^2`, `mV**-1`).
#include "compiler/units/unit.h"

#include <cmath>

namespace snn::units {
namespace {

// A zero or infinite scale would silently turn every literal with this unit into 0 or inf.
std::optional<Unit> checked(double scale, std::optional<Dimension> dim) {
  if (!dim || !std::isfinite(scale) || !(scale > 0.0)) return std::nullopt;
  return Unit{scale, *dim};
}

}  // namespace

std::optional<Unit> operator*(const Unit& a, const Unit& b) {
  return checked(a.scale * b.scale, a.dim * b.dim);
}

std::optional<Unit> operator/(const Unit& a, const Unit& b) {
  return checked(a.scale / b.scale, a.dim / b.dim);
}

std::optional<Unit> pow(const Unit& u, Rational p) {
  return checked(std::pow(u.scale, p.toDouble()), u.dim.pow(p));
}

}  // namespace snn::units
