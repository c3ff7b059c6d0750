// formatQuantity: how values appear in diagnostics and `snnc` output ("-70 mV", "500 pA").
#include <cmath>
#include <limits>
#include <string_view>

#include <doctest/doctest.h>

#include "compiler/units/unit_table.h"

using snn::units::Dimension;
using snn::units::formatQuantity;

namespace {

Dimension dimOf(std::string_view name) {
  auto u = snn::units::lookupUnit(name);
  REQUIRE(u.has_value());
  return u->dim;
}

}  // namespace

TEST_CASE("formatQuantity: picks the prefix that puts the number between 1 and 1000") {
  CHECK(formatQuantity(-0.07, dimOf("V")) == "-70 mV");
  CHECK(formatQuantity(0.02, dimOf("s")) == "20 ms");
  CHECK(formatQuantity(0.5e-9, dimOf("A")) == "500 pA");
  CHECK(formatQuantity(1e-9, dimOf("A")) == "1 nA");
  CHECK(formatQuantity(1.0, dimOf("V")) == "1 V");
  CHECK(formatQuantity(999.0, dimOf("V")) == "999 V");
  CHECK(formatQuantity(1000.0, dimOf("V")) == "1 kV");
  CHECK(formatQuantity(0.9999999999999999, dimOf("V")) == "1 V");  // not "1000 mV"
  CHECK(formatQuantity(1e3, dimOf("Hz")) == "1 kHz");
  CHECK(formatQuantity(100e6, dimOf("ohm")) == "100 Mohm");
  CHECK(formatQuantity(1e-10, dimOf("S")) == "100 pS");
  CHECK(formatQuantity(2.5e-12, dimOf("F")) == "2.5 pF");
  CHECK(formatQuantity(1e-6, dimOf("m")) == "1 um");
  CHECK(formatQuantity(1.0, dimOf("mM")) == "1 mM");  // 1 mol/m^3
  CHECK(formatQuantity(70.0, dimOf("kg")) == "70 kg");
  CHECK(formatQuantity(1e-3, dimOf("kg")) == "1 g");
  CHECK(formatQuantity(1e-30, dimOf("V")) == "1e-06 yV");  // below yocto stays yocto
}

TEST_CASE("formatQuantity: zero, non-finite, dimensionless and composite dimensions") {
  CHECK(formatQuantity(0.0, dimOf("V")) == "0 V");
  CHECK(formatQuantity(-0.0, dimOf("V")) == "0 V");
  CHECK(formatQuantity(std::numeric_limits<double>::infinity(), dimOf("V")) == "inf V");
  CHECK(formatQuantity(-std::numeric_limits<double>::infinity(), dimOf("A")) == "-inf A");
  CHECK(formatQuantity(std::nan(""), dimOf("s")) == "nan s");
  CHECK(formatQuantity(0.5, Dimension()) == "0.5");
  auto density = dimOf("S") / dimOf("m").pow(2).value();
  REQUIRE(density.has_value());
  CHECK(formatQuantity(10.0, *density) == "10 metre^-2 * siemens");
}
