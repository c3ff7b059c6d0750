// The grammar's one question to the unit table (see unit_predicate.h), answered by snn_units.
#include "compiler/parse/unit_predicate.h"

#include "compiler/units/unit_table.h"

namespace snn::parse {

bool isUnitName(const std::string& name) {
  return units::isUnitName(name);
}

}  // namespace snn::parse
