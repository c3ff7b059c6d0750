// mean/min/max/std of an array, for `print "{mean(S.w):.3f}"` and weight statistics.
//
// std is the population standard deviation (ddof = 0), numpy's default, computed in two passes
// (mean first) so that a large mean does not eat the variance. Like numpy, a NaN anywhere makes
// every statistic NaN; an empty array gives count 0 and NaN statistics.
#pragma once

#include <cstddef>
#include <span>

namespace snn::analysis {

struct Summary {
  std::size_t count = 0;
  double mean = 0;
  double min = 0;
  double max = 0;
  double std = 0;
};

Summary summarize(std::span<const double> values);

}  // namespace snn::analysis
