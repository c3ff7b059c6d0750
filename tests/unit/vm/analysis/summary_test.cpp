// Summary statistics: values worked out by hand, numpy's ddof = 0, NaN and empty inputs, and a
// large offset that a one-pass variance would lose.
#include "vm/analysis/summary.h"

#include <cmath>
#include <vector>

#include <doctest/doctest.h>

using snn::analysis::summarize;
using snn::analysis::Summary;

TEST_CASE("summary of a small array") {
  Summary s = summarize(std::vector<double>{2, 4, 4, 4, 5, 5, 7, 9});
  CHECK(s.count == 8);
  CHECK(s.mean == 5.0);
  CHECK(s.min == 2.0);
  CHECK(s.max == 9.0);
  CHECK(s.std == 2.0);  // population standard deviation
}

TEST_CASE("summary keeps the variance under a large mean") {
  std::vector<double> v;
  for (int k = 0; k < 1000; ++k) v.push_back(1e9 + (k % 2 ? 1.0 : -1.0));
  CHECK(summarize(v).std == doctest::Approx(1.0).epsilon(1e-9));
}

TEST_CASE("summary of empty and NaN inputs") {
  Summary empty = summarize(std::vector<double>{});
  CHECK(empty.count == 0);
  CHECK(std::isnan(empty.mean));
  CHECK(std::isnan(empty.std));
  Summary with_nan = summarize(std::vector<double>{1, std::nan(""), 3});
  CHECK(with_nan.count == 3);
  CHECK(std::isnan(with_nan.mean));
  CHECK(std::isnan(with_nan.min));
  CHECK(std::isnan(with_nan.max));
}
