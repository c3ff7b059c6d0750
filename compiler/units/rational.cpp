// Out-of-line parts of Rational: only the string conversion, which allocates and is therefore
// not constexpr.
#include "compiler/units/rational.h"

namespace snn::units {

std::string Rational::toString() const {
  if (den == 1) return std::to_string(num);
  return std::to_string(num) + "/" + std::to_string(den);
}

}  // namespace snn::units
