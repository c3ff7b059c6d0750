// Binomial counts: moments and chi-square fits against the exact probability mass function for
// the inversion, BTRS and p > 1/2 paths, edge cases, and batched == scalar.
#include "vm/random/binomial.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "tests/unit/vm/statistics.h"

using namespace snn::random;

namespace {

std::vector<std::uint64_t> draw(std::uint64_t n, double p, std::size_t samples) {
  std::vector<std::uint64_t> out(samples);
  binomialFill(n, p, 321, 6, 2, 0, out);
  return out;
}

snn::test::ChiSquare fitBinomial(const std::vector<std::uint64_t>& counts, std::uint64_t n,
                                 double p) {
  std::vector<double> observed(n + 1, 0.0), expected(n + 1, 0.0);
  for (std::uint64_t k : counts) observed[k] += 1;
  const double nd = static_cast<double>(n);
  for (std::uint64_t k = 0; k <= n; ++k) {
    double kd = static_cast<double>(k);
    double log_p = std::lgamma(nd + 1) - std::lgamma(kd + 1) - std::lgamma(nd - kd + 1) +
                   kd * std::log(p) + (nd - kd) * std::log1p(-p);
    expected[k] = static_cast<double>(counts.size()) * std::exp(log_p);
  }
  return snn::test::chiSquare(observed, expected);
}

}  // namespace

TEST_CASE("binomial: edge cases and invalid arguments") {
  for (std::uint64_t e = 0; e < 200; ++e) {
    REQUIRE(binomialCount(0, 0.5, 1, 2, e, 3) == 0);
    REQUIRE(binomialCount(100, 0.0, 1, 2, e, 3) == 0);
    REQUIRE(binomialCount(100, 1.0, 1, 2, e, 3) == 100);
    REQUIRE(binomialCount(1000000, 1.0, 1, 2, e, 3) == 1000000);
    REQUIRE(binomialCount(7, 0.5, 1, 2, e, 3) <= 7);
  }
  CHECK_THROWS_AS(BinomialSampler(10, -0.1), std::domain_error);
  CHECK_THROWS_AS(BinomialSampler(10, 1.1), std::domain_error);
  CHECK_THROWS_AS(BinomialSampler(10, std::numeric_limits<double>::quiet_NaN()), std::domain_error);
  CHECK_THROWS_AS(BinomialSampler(kBinomialTrialsLimit, 0.5), std::domain_error);
}

TEST_CASE("binomial: mean and variance on every path") {
  const std::size_t samples = 100000;
  struct Case {
    std::uint64_t n;
    double p;
  };
  for (Case c :
       {Case{10, 0.3}, Case{1000, 0.005}, Case{1000, 0.00999}, Case{1000, 0.01}, Case{1000, 0.5},
        Case{1000, 0.97}, Case{1000000, 0.3}, Case{1000000000000, 1e-3}}) {
    CAPTURE(c.n);
    CAPTURE(c.p);
    std::vector<std::uint64_t> counts = draw(c.n, c.p, samples);
    double mean = 0;
    for (std::uint64_t k : counts) mean += static_cast<double>(k);
    mean /= samples;
    double var = 0;
    for (std::uint64_t k : counts)
      var += (static_cast<double>(k) - mean) * (static_cast<double>(k) - mean);
    var /= samples - 1;
    const double nd = static_cast<double>(c.n);
    const double mu = nd * c.p, sigma2 = nd * c.p * (1 - c.p);
    CHECK(std::abs(mean - mu) < 5 * std::sqrt(sigma2 / samples));
    CHECK(std::abs(var - sigma2) < 5 * std::sqrt((sigma2 + 2 * sigma2 * sigma2) / samples));
  }
}

TEST_CASE("binomial: the counts follow the probability mass function (chi-square)") {
  struct Case {
    std::uint64_t n;
    double p;
  };
  for (Case c : {Case{40, 0.2}, Case{1000, 0.0005}, Case{50, 0.3}, Case{200, 0.9}, Case{500, 0.5},
                 Case{3, 0.6}}) {
    CAPTURE(c.n);
    CAPTURE(c.p);
    snn::test::ChiSquare fit = fitBinomial(draw(c.n, c.p, 200000), c.n, c.p);
    CAPTURE(fit.statistic);
    CHECK(fit.acceptable());
  }
  CHECK_FALSE(fitBinomial(draw(50, 0.31, 200000), 50, 0.3).acceptable());
  CHECK_FALSE(fitBinomial(draw(40, 0.21, 200000), 40, 0.2).acceptable());
}

TEST_CASE("binomial: batched equals scalar, and values are reproducible") {
  for (double p : {0.002, 0.4, 0.8}) {
    std::vector<std::uint64_t> batch(2000);
    binomialFill(1000, p, 77, 5, 9, 1000, batch);
    for (std::size_t i = 0; i < batch.size(); ++i)
      REQUIRE(batch[i] == binomialCount(1000, p, 77, 5, 1000 + i, 9));
    std::vector<std::uint64_t> again(2000);
    binomialFill(1000, p, 77, 5, 9, 1000, again);
    CHECK(again == batch);
  }
}
