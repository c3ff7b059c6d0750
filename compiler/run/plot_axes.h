// The numbers around a plot: where ticks go and how they read, and which unit an axis shows.
// Kept apart from the drawing so that the choices a reader sees (1-2-5 steps, "mV" rather than
// "V" with labels like 0.065) can be tested on their own.
#pragma once

#include <string>
#include <vector>

#include "compiler/units/dimension.h"

namespace snn::run {

// The unit an axis shows: display value = SI value / factor, labelled `symbol` ("mV", "ms",
// "Hz"; empty for a dimensionless quantity).
struct DisplayUnit {
  double factor = 1;
  std::string symbol;
};

// The power-of-1000 prefix of `dim`'s unit symbol that puts `magnitude` (the largest absolute
// value to show, SI) in [1, 1000), as print's readable values do (units::formatQuantity);
// factor 1 and the SI unit string for a dimension without a symbol, or for a zero magnitude.
DisplayUnit displayUnitFor(double magnitude, const units::Dimension& dim);

// "V (mV)", or just "V" for an empty symbol.
std::string axisLabel(const std::string& name, const DisplayUnit& unit);

struct Tick {
  double value = 0;  // display units (a power of ten itself on a log axis)
  std::string label;
};

// Ticks at multiples of a 1-2-5 step (1, 2, 5, 10, 20, ...) inside [lo, hi], about `target` of
// them (never fewer than 2 when lo < hi); labels with as many decimals as the step needs, no
// "-0". lo == hi gives one tick.
std::vector<Tick> linearTicks(double lo, double hi, int target = 6);

// The 1-2-5 step linearTicks uses for [lo, hi].
double niceStep(double lo, double hi, int target = 6);

// Ticks of a log axis over [lo, hi] (lo > 0): the powers of ten inside (labelled "10^k" with k
// in `superscript`), or 1-2-5 multiples when the range holds fewer than two powers of ten.
struct LogTick {
  double value = 0;
  std::string mantissa;     // "10", or the number itself when there is no exponent
  std::string superscript;  // "-3"; empty when the label is plain
};
std::vector<LogTick> logTicks(double lo, double hi);

// A tick label of `value` with `decimals` digits after the point; "-0" becomes "0".
std::string formatTickValue(double value, int decimals);

}  // namespace snn::run
