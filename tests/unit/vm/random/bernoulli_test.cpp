// Geometric skipping: rows have Binomial(n, p) sizes, every column is kept with probability p,
// gaps are geometric, and the edge cases p = 0, p = 1 and tiny p behave.
#include "vm/random/bernoulli.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "tests/unit/vm/statistics.h"

using namespace snn::random;

TEST_CASE("geometricSkip inverts the geometric distribution") {
  const double log1m_p = std::log1p(-0.25);
  CHECK(geometricSkip(1.0, log1m_p) == 0);
  // P(gap >= k) = 0.75^k: u just above 0.75^k gives k - 1, at 0.75^k gives k.
  CHECK(geometricSkip(0.75 + 1e-12, log1m_p) == 0);
  CHECK(geometricSkip(0.75 * 0.75 * 0.75 - 1e-12, log1m_p) == 3);
  CHECK(geometricSkip(0x1p-53, std::log1p(-1e-300)) == kSkipBeyondRange);
}

TEST_CASE("bernoulli rows: p = 0, p = 1, invalid p, tiny p") {
  std::vector<std::uint64_t> row;
  bernoulliIndices(0.0, 1000, 1, 2, 3, 0, row);
  CHECK(row.empty());
  bernoulliIndices(1.0, 1000, 1, 2, 3, 0, row);
  REQUIRE(row.size() == 1000);
  for (std::uint64_t j = 0; j < 1000; ++j) REQUIRE(row[j] == j);
  CHECK_THROWS_AS(bernoulliIndices(-0.1, 10, 1, 2, 3, 0, row), std::domain_error);
  CHECK_THROWS_AS(bernoulliIndices(1.5, 10, 1, 2, 3, 0, row), std::domain_error);
  CHECK_THROWS_AS(bernoulliIndices(std::nan(""), 10, 1, 2, 3, 0, row), std::domain_error);
  row.clear();
  for (std::uint64_t r = 0; r < 1000; ++r) bernoulliIndices(1e-20, 1000000000, 1, 2, r, 0, row);
  CHECK(row.empty());
}

TEST_CASE("bernoulli rows are sorted, in range, reproducible, and differ between rows") {
  std::vector<std::uint64_t> a, b, c;
  bernoulliIndices(0.3, 500, 8, 1, 17, 0, a);
  bernoulliIndices(0.3, 500, 8, 1, 17, 0, b);
  bernoulliIndices(0.3, 500, 8, 1, 18, 0, c);
  CHECK(a == b);
  CHECK(a != c);
  REQUIRE(!a.empty());
  for (std::size_t k = 1; k < a.size(); ++k) REQUIRE(a[k] > a[k - 1]);
  CHECK(a.back() < 500);
}

TEST_CASE("bernoulli rows: Binomial sizes, uniform columns, geometric first gap") {
  const std::uint64_t n = 400, rows = 20000;
  const double p = 0.05;
  std::vector<double> column_hits(n, 0.0);
  double size_sum = 0, size_sq = 0;
  std::vector<std::uint64_t> row;
  for (std::uint64_t r = 0; r < rows; ++r) {
    row.clear();
    bernoulliIndices(p, n, 31, 4, r, 0, row);
    size_sum += static_cast<double>(row.size());
    size_sq += static_cast<double>(row.size()) * static_cast<double>(row.size());
    for (std::uint64_t j : row) column_hits[j] += 1;
  }
  double mean = size_sum / rows;
  double var = size_sq / rows - mean * mean;
  CHECK(std::abs(mean - n * p) < 5 * std::sqrt(n * p * (1 - p) / rows));
  CHECK(std::abs(var - n * p * (1 - p)) < 5 * std::sqrt(2.0 / rows) * n * p * (1 - p) * 1.1);

  std::vector<double> expected_columns(n, rows * p);
  CHECK(snn::test::chiSquare(column_hits, expected_columns).acceptable());

  // The first kept column of a row is the first gap: geometric, truncated at n.
  std::vector<double> first_gap(n + 1, 0.0), expected_first(n + 1, 0.0);
  for (std::uint64_t r = 0; r < rows; ++r) {
    row.clear();
    bernoulliIndices(p, n, 31, 4, r, 0, row);
    first_gap[row.empty() ? n : row.front()] += 1;
  }
  for (std::uint64_t k = 0; k < n; ++k) expected_first[k] = rows * std::pow(1 - p, double(k)) * p;
  expected_first[n] = rows * std::pow(1 - p, double(n));
  CHECK(snn::test::chiSquare(first_gap, expected_first).acceptable());
}
