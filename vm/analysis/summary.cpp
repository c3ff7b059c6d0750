// Two-pass summary statistics (see summary.h).
#include "vm/analysis/summary.h"

#include <cmath>
#include <limits>

namespace snn::analysis {

Summary summarize(std::span<const double> values) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  Summary s;
  s.count = values.size();
  if (values.empty()) {
    s.mean = s.min = s.max = s.std = kNaN;
    return s;
  }
  double sum = 0;
  s.min = values[0];
  s.max = values[0];
  for (double v : values) {
    if (std::isnan(v)) {
      s.mean = s.min = s.max = s.std = kNaN;
      return s;
    }
    sum += v;
    if (v < s.min) s.min = v;
    if (v > s.max) s.max = v;
  }
  s.mean = sum / static_cast<double>(values.size());
  double squares = 0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.std = std::sqrt(squares / static_cast<double>(values.size()));
  return s;
}

}  // namespace snn::analysis
