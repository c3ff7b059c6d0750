// The one question the grammar asks the unit table: is this identifier a unit name? The
// parser uses it to decide where a unit written after a number ends (`1 uF/cm^2` vs
// `10 mV / tau`). Declared here so that the generated parser needs no other project header.
#pragma once

#include <string>

namespace snn::parse {
bool isUnitName(const std::string& name);
}
