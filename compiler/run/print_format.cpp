// The text of a print line: literal pieces, and each `{expr[:spec]}` formatted; see print.h for
// the rules and docs/language.md for what users are told.
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "compiler/run/print.h"
#include "compiler/units/unit_table.h"

namespace snn::run {
namespace {

constexpr int kReadableDigits = 6;

// v rounded to `digits` significant digits, through the decimal text so that the result is the
// double nearest to what a reader sees (and formatQuantity's 12 digits add nothing).
double roundSignificant(double v, int digits) {
  if (!std::isfinite(v) || v == 0) return v;
  const std::string text = fmt::format("{:.{}e}", v, digits - 1);
  double rounded = v;
  std::from_chars(text.data(), text.data() + text.size(), rounded);
  return rounded;
}

}  // namespace

std::string formatReadable(double si_value, const units::Dimension& dim) {
  if (dim.isDimensionless()) {
    // Counts print whole: 1234567 spikes, not 1.23457e+06.
    if (std::isfinite(si_value) && std::trunc(si_value) == si_value && std::fabs(si_value) < 1e15) {
      return fmt::format("{:.0f}", si_value == 0 ? 0.0 : si_value);
    }
    return fmt::format("{:.{}g}", si_value, kReadableDigits);
  }
  return units::formatQuantity(roundSignificant(si_value, kReadableDigits), dim);
}

std::variant<std::string, RunTimeError> formatPrint(const RunView& view,
                                                    const sema::CheckedPrint& print) {
  std::string line;
  if (!print.decl) return line;
  for (const auto& piece : print.decl->pieces) {
    if (!piece.expr) {
      line += piece.text;
      continue;
    }
    auto result = evaluatePrintExpression(view, *piece.expr);
    if (auto* error = std::get_if<RunTimeError>(&result)) return *error;
    const PrintValue& value = std::get<PrintValue>(result);
    if (piece.spec.empty()) {
      if (value.is_condition) {
        line += value.value != 0 ? "true" : "false";
      } else {
        const sema::Type* type = view.program->typeOf(piece.expr.get());
        line += formatReadable(value.value, type ? type->dim : units::Dimension());
      }
      continue;
    }
    try {
      line += fmt::format(fmt::runtime("{:" + piece.spec + "}"), value.value);
    } catch (const fmt::format_error& e) {
      // The parser checked the spec against fmt already; this is the last line of defence.
      return RunTimeError{fmt::format("bad format spec `{}`: {}", piece.spec, e.what()),
                          piece.range};
    }
  }
  return line;
}

}  // namespace snn::run
