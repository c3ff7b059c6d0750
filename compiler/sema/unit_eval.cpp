// Units with diagnostics; see unit_eval.h.
#include "compiler/sema/unit_eval.h"

#include "compiler/sema/suggest.h"
#include "compiler/units/unit_table.h"

namespace snn::sema {

std::optional<units::Unit> checkUnit(const ast::UnitExpr& unit, Reporter& diags) {
  units::Unit out;
  bool ok = true;
  for (const auto& f : unit.factors) {
    auto u = units::lookupUnit(f.name);
    if (!u) {
      auto b = diags.report(DiagnosticKind::UnknownUnit, f.range, f.name);
      std::string hint = didYouMean(suggestNames(f.name, units::allUnitSpellings()));
      if (!hint.empty()) b.note(hint);
      ok = false;
      continue;
    }
    auto p = units::Rational::make(f.exponent_num, f.exponent_den);
    std::optional<units::Unit> powered;
    if (p) powered = units::pow(*u, *p);
    std::optional<units::Unit> product;
    if (powered) product = out * *powered;
    if (!product) {
      diags.report(DiagnosticKind::InvalidValue, f.range,
                   "this unit's exponent or size is out of range");
      ok = false;
      continue;
    }
    out = *product;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::string unitText(const ast::UnitExpr& unit) {
  std::string out;
  for (const auto& f : unit.factors) {
    if (!out.empty()) out += " * ";
    out += f.name;
    if (f.exponent_num != 1 || f.exponent_den != 1) {
      out += "^";
      if (f.exponent_den == 1) {
        out += std::to_string(f.exponent_num);
      } else {
        out += "(" + std::to_string(f.exponent_num) + "/" + std::to_string(f.exponent_den) + ")";
      }
    }
  }
  return out.empty() ? "1" : out;
}

}  // namespace snn::sema
