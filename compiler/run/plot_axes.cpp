// Ticks and display units of plot axes; see plot_axes.h.
#include "compiler/run/plot_axes.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "compiler/units/unit_table.h"

namespace snn::run {

DisplayUnit displayUnitFor(double magnitude, const units::Dimension& dim) {
  if (dim.isDimensionless()) return {};
  magnitude = std::fabs(magnitude);
  // formatQuantity already knows the symbols and the prefix rule of print; the factor is read
  // back from the number it chose, rounded to the power of ten it must be.
  const std::string text = units::formatQuantity(std::isfinite(magnitude) ? magnitude : 0.0, dim);
  const std::size_t space = text.find(' ');
  if (space == std::string::npos) return {};
  DisplayUnit unit;
  unit.symbol = text.substr(space + 1);
  const double shown = std::strtod(text.substr(0, space).c_str(), nullptr);
  if (magnitude > 0 && std::isfinite(magnitude) && shown > 0 && std::isfinite(shown)) {
    unit.factor = std::pow(10.0, std::round(std::log10(magnitude / shown)));
  }
  return unit;
}

std::string axisLabel(const std::string& name, const DisplayUnit& unit) {
  return unit.symbol.empty() ? name : name + " (" + unit.symbol + ")";
}

std::string formatTickValue(double value, int decimals) {
  std::string s = fmt::format("{:.{}f}", value, std::max(0, decimals));
  if (s.find_first_not_of("-0.") == std::string::npos) s = s.substr(s[0] == '-' ? 1 : 0);
  return s;
}

double niceStep(double lo, double hi, int target) {
  const double span = hi - lo;
  if (!(span > 0) || !std::isfinite(span)) return 1;
  const double raw = span / std::max(1, target);
  const double decade = std::pow(10.0, std::floor(std::log10(raw)));
  // The smallest 1-2-5 step at least as large as the raw one keeps the count at most ~target.
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * decade >= raw * (1 - 1e-9)) return m * decade;
  }
  return 10 * decade;
}

namespace {

int decimalsFor(double step) {
  // A 1-2-5 step of 10^-k needs k decimals.
  return std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
}

}  // namespace

std::vector<Tick> linearTicks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) return {Tick{lo, fmt::format("{:g}", lo == 0 ? 0.0 : lo)}};
  double step = niceStep(lo, hi, target);
  auto build = [&](double s) {
    std::vector<Tick> ticks;
    const double first = std::ceil(lo / s - 1e-9);
    const double last = std::floor(hi / s + 1e-9);
    const int decimals = decimalsFor(s);
    for (double k = first; k <= last; ++k) {
      const double v = k * s;
      ticks.push_back({v, formatTickValue(v, decimals)});
    }
    return ticks;
  };
  auto ticks = build(step);
  // A range that falls between two steps would keep a single tick; halve until there are two.
  for (int guard = 0; ticks.size() < 2 && guard < 8; ++guard) {
    const double decade = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    const double m = std::round(step / decade);
    step = (m == 5 ? 2 : m == 2 ? 1 : 0.5) * decade;
    ticks = build(step);
  }
  return ticks;
}

std::vector<LogTick> logTicks(double lo, double hi) {
  std::vector<LogTick> ticks;
  if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return ticks;
  const int first = static_cast<int>(std::ceil(std::log10(lo) - 1e-9));
  const int last = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
  if (last - first >= 1) {
    // Many decades: label every decade, or every other one, so that labels do not crowd.
    const int every = (last - first) > 8 ? (last - first + 7) / 8 : 1;
    for (int k = first; k <= last; ++k) {
      if ((k - first) % every != 0) continue;
      ticks.push_back({std::pow(10.0, k), "10", std::to_string(k)});
    }
    return ticks;
  }
  for (int k = first - 1; k <= last + 1; ++k) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double v = m * std::pow(10.0, k);
      if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) continue;
      ticks.push_back({v, formatTickValue(v, std::max(0, -k)), ""});
    }
  }
  return ticks;
}

}  // namespace snn::run
