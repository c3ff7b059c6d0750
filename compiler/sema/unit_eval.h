// Units as written in declarations (`V : volt`, `tau : second = ...`, `: Hz`) and after
// numbers (`10 ms`), evaluated with diagnostics: an unknown unit name is reported where it is
// written, with the closest spellings as suggestions.
#pragma once

#include <optional>
#include <string>

#include "compiler/ast/ast.h"
#include "compiler/sema/reporter.h"
#include "compiler/units/unit.h"

namespace snn::sema {

// The unit, or std::nullopt after reporting UnknownUnit or an out-of-range unit.
std::optional<units::Unit> checkUnit(const ast::UnitExpr& unit, Reporter& diags);

// The unit as the user wrote it: "mV", "uF * cm^-2" (for messages).
std::string unitText(const ast::UnitExpr& unit);

}  // namespace snn::sema
