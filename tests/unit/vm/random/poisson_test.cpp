// Poisson counts: moments and chi-square fits against the exact probability mass function on
// both sides of the inversion/PTRS switch, huge lambdas, reproducibility.
#include "vm/random/poisson.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "tests/unit/vm/statistics.h"

using namespace snn::random;

namespace {

std::vector<std::uint64_t> draw(double lambda, std::size_t n, std::uint32_t stream = 1) {
  std::vector<std::uint64_t> out(n);
  poissonFill(lambda, 123, stream, 4, 0, out);
  return out;
}

// Chi-square of the counts against Poisson(lambda), cells 0..max observed, tail pooled.
snn::test::ChiSquare fitPoisson(const std::vector<std::uint64_t>& counts, double lambda) {
  std::uint64_t top = 0;
  for (std::uint64_t k : counts) top = std::max(top, k);
  std::vector<double> observed(top + 2, 0.0), expected(top + 2, 0.0);
  for (std::uint64_t k : counts) observed[k] += 1;
  double n = static_cast<double>(counts.size());
  double cumulative = 0;
  for (std::uint64_t k = 0; k <= top; ++k) {
    double p = std::exp(-lambda + static_cast<double>(k) * std::log(lambda) - std::lgamma(k + 1.0));
    expected[k] = n * p;
    cumulative += p;
  }
  expected[top + 1] = n * std::max(0.0, 1 - cumulative);  // the unobserved upper tail
  return snn::test::chiSquare(observed, expected);
}

}  // namespace

TEST_CASE("poisson: lambda = 0 gives 0, invalid lambdas throw") {
  for (std::uint64_t e = 0; e < 1000; ++e) REQUIRE(poissonCount(0.0, 1, 2, e, 3) == 0);
  CHECK_THROWS_AS(PoissonSampler{-1.0}, std::domain_error);
  CHECK_THROWS_AS(PoissonSampler{std::nan("")}, std::domain_error);
  CHECK_THROWS_AS(PoissonSampler{std::numeric_limits<double>::infinity()}, std::domain_error);
  CHECK_THROWS_AS(PoissonSampler{2 * kPoissonLambdaMax}, std::domain_error);
}

TEST_CASE("poisson: mean and variance equal lambda on both sides of the switch") {
  const std::size_t n = 100000;
  for (double lambda : {0.05, 1.0, 3.7, 9.999, 10.0, 12.5, 50.0, 1000.0, 1e6, 1e12}) {
    CAPTURE(lambda);
    std::vector<std::uint64_t> counts = draw(lambda, n);
    double mean = 0;
    for (std::uint64_t k : counts) mean += static_cast<double>(k);
    mean /= static_cast<double>(n);
    double var = 0;
    for (std::uint64_t k : counts)
      var += (static_cast<double>(k) - mean) * (static_cast<double>(k) - mean);
    var /= static_cast<double>(n - 1);
    CHECK(std::abs(mean - lambda) < 5 * std::sqrt(lambda / static_cast<double>(n)));
    // Var of the sample variance of Poisson: (lambda + 2 lambda^2) / n.
    CHECK(std::abs(var - lambda) <
          5 * std::sqrt((lambda + 2 * lambda * lambda) / static_cast<double>(n)));
  }
}

TEST_CASE("poisson: the counts follow the probability mass function (chi-square)") {
  for (double lambda : {0.3, 3.7, 9.5, 10.0, 25.0, 140.0}) {
    CAPTURE(lambda);
    snn::test::ChiSquare fit = fitPoisson(draw(lambda, 200000, 9), lambda);
    CAPTURE(fit.statistic);
    CAPTURE(fit.degrees_of_freedom);
    CHECK(fit.acceptable());
  }
  // The test can fail: counts of a neighbouring lambda are rejected.
  CHECK_FALSE(fitPoisson(draw(26.0, 200000, 9), 25.0).acceptable());
  CHECK_FALSE(fitPoisson(draw(3.8, 200000, 9), 3.7).acceptable());
}

TEST_CASE("poisson: batched equals scalar, and values are reproducible") {
  for (double lambda : {2.5, 40.0}) {
    std::vector<std::uint64_t> batch(2000);
    poissonFill(lambda, 77, 5, 9, 1000, batch);
    for (std::size_t i = 0; i < batch.size(); ++i)
      REQUIRE(batch[i] == poissonCount(lambda, 77, 5, 1000 + i, 9));
    std::vector<std::uint64_t> again(2000);
    poissonFill(lambda, 77, 5, 9, 1000, again);
    CHECK(again == batch);
    std::vector<std::uint64_t> other_step(2000);
    poissonFill(lambda, 77, 5, 10, 1000, other_step);
    CHECK(other_step != batch);
  }
}
