// Compile-time bridge from Boost.Units' SI system to our Dimension.
//
// The exponents of volt, farad, siemens... are not typed in by hand anywhere: they are read
// from Boost's dimension list of the corresponding si:: unit type, so a typo cannot give a unit
// a wrong dimension, and Boost is the single independent source of truth for derived units.
// Boost gives angles (plane and solid) base dimensions of their own; Brian2 and the SI treat
// them as dimensionless, so they are dropped here (that is why lumen == candela and
// radian == 1 for us). Any other base dimension is a compile error rather than ignored.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>

#include <boost/units/dimension.hpp>
#include <boost/units/get_dimension.hpp>
#include <boost/units/physical_dimensions/amount.hpp>
#include <boost/units/physical_dimensions/current.hpp>
#include <boost/units/physical_dimensions/length.hpp>
#include <boost/units/physical_dimensions/luminous_intensity.hpp>
#include <boost/units/physical_dimensions/mass.hpp>
#include <boost/units/physical_dimensions/plane_angle.hpp>
#include <boost/units/physical_dimensions/solid_angle.hpp>
#include <boost/units/physical_dimensions/temperature.hpp>
#include <boost/units/physical_dimensions/time.hpp>

#include "compiler/units/dimension.h"

namespace snn::units {
namespace boost_detail {

template <class>
inline constexpr bool kAlwaysFalse = false;

// Index into Dimension::Exponents, or -1 for a base dimension that is dimensionless for us.
template <class Tag>
consteval int baseIndex() {
  namespace bu = boost::units;
  if constexpr (std::is_same_v<Tag, bu::length_base_dimension>)
    return static_cast<int>(BaseDimension::Length);
  else if constexpr (std::is_same_v<Tag, bu::mass_base_dimension>)
    return static_cast<int>(BaseDimension::Mass);
  else if constexpr (std::is_same_v<Tag, bu::time_base_dimension>)
    return static_cast<int>(BaseDimension::Time);
  else if constexpr (std::is_same_v<Tag, bu::current_base_dimension>)
    return static_cast<int>(BaseDimension::Current);
  else if constexpr (std::is_same_v<Tag, bu::temperature_base_dimension>)
    return static_cast<int>(BaseDimension::Temperature);
  else if constexpr (std::is_same_v<Tag, bu::amount_base_dimension>)
    return static_cast<int>(BaseDimension::Amount);
  else if constexpr (std::is_same_v<Tag, bu::luminous_intensity_base_dimension>)
    return static_cast<int>(BaseDimension::LuminousIntensity);
  else if constexpr (std::is_same_v<Tag, bu::plane_angle_base_dimension> ||
                     std::is_same_v<Tag, bu::solid_angle_base_dimension>)
    return -1;
  else
    static_assert(kAlwaysFalse<Tag>, "a Boost base dimension that snn does not know");
}

// Walks Boost's compile-time list of dim<Tag, static_rational<N, D>> pairs.
template <class List>
struct ExponentWalker;

template <>
struct ExponentWalker<boost::units::dimensionless_type> {
  static constexpr void apply(Dimension::Exponents&) {}
};

template <class Tag, class Value, class Next>
struct ExponentWalker<boost::units::list<boost::units::dim<Tag, Value>, Next>> {
  static constexpr void apply(Dimension::Exponents& exponents) {
    constexpr int index = baseIndex<Tag>();
    if constexpr (index >= 0)
      exponents[static_cast<std::size_t>(index)] = Rational(Value::Numerator, Value::Denominator);
    ExponentWalker<Next>::apply(exponents);
  }
};

}  // namespace boost_detail

// dimensionOf<boost::units::si::electric_potential>() is volt's dimension. Accepts anything
// boost::units::get_dimension accepts (a unit or a quantity type).
template <class BoostUnit>
consteval Dimension dimensionOf() {
  Dimension::Exponents exponents{};
  boost_detail::ExponentWalker<typename boost::units::get_dimension<BoostUnit>::type>::apply(
      exponents);
  return Dimension(exponents);
}

}  // namespace snn::units
