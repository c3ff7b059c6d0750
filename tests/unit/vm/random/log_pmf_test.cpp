// Stable log-probabilities: equal to the lgamma formulas where those are accurate, and still
// summing to 1 over the bulk of the distribution where they are not (lambda, n up to 1e15).
#include "vm/random/log_pmf.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include <doctest/doctest.h>

using namespace snn::random;

namespace {

// P(mean - 12 sd <= K <= mean + 12 sd) from the log-pmf (the mass outside is below 1e-32). For
// wide distributions it is a Riemann sum on every h-th count: the pmf is smooth on the scale of
// h <= sd / 80, so the sum on the coarse grid equals the full sum far below the tolerance.
template <typename LogPmf>
double bulkMass(double mean, double sd, LogPmf log_pmf) {
  const double h = std::max(1.0, std::floor(24 * sd / 2000));
  double first = std::max(0.0, std::floor(mean - 12 * sd));
  double last = std::ceil(mean + 12 * sd);
  double total = 0;
  for (double k = first; k <= last; k += h)
    total += h * std::exp(log_pmf(static_cast<std::uint64_t>(k)));
  return total;
}

}  // namespace

TEST_CASE("logFactorial agrees with lgamma on the table, across the switch and far out") {
  for (std::uint64_t k = 0; k < 600; ++k) {
    double expected = std::lgamma(static_cast<double>(k) + 1);
    REQUIRE(logFactorial(k) == doctest::Approx(expected).epsilon(1e-14).scale(1));
  }
  for (std::uint64_t k : {1000ull, 123456ull, 10000000000ull, 1000000000000000ull})
    CHECK(logFactorial(k) ==
          doctest::Approx(std::lgamma(static_cast<double>(k) + 1)).epsilon(1e-14));
  CHECK(logFactorial(0) == 0.0);
  CHECK(logFactorial(1) == 0.0);
}

TEST_CASE("stirlingError and deviance against their definitions") {
  for (std::uint64_t k = 1; k < 200; ++k) {
    double n = static_cast<double>(k);
    double direct = std::lgamma(n + 1) - (n + 0.5) * std::log(n) + n - 0.5 * std::log(2 * M_PI);
    REQUIRE(stirlingError(k) == doctest::Approx(direct).epsilon(1e-9).scale(1e-12));
  }
  CHECK(stirlingError(1000000) == doctest::Approx(1.0 / 12e6).epsilon(1e-9));
  for (double x : {1.0, 50.0, 95.0, 100.0, 104.0, 300.0}) {
    double direct = x * std::log(x / 100.0) + 100.0 - x;
    CHECK(deviance(x, 100.0) == doctest::Approx(direct).epsilon(1e-10).scale(1e-13));
  }
  CHECK(deviance(100.0, 100.0) == 0.0);
  // Near the mean of a huge count the direct form has lost every digit; the series has not:
  // x log(x/m) + m - x ~ (x - m)^2 / (2m) = 0.5 for x - m = 1e6, m = 1e12.
  CHECK(deviance(1e12 + 1e6, 1e12) == doctest::Approx(0.5 - 1.0 / 6e6).epsilon(1e-9));
}

TEST_CASE("log pmfs match the lgamma formulas for moderate arguments") {
  for (double lambda : {0.5, 3.0, 17.0, 250.0}) {
    for (std::uint64_t k = 0; k < 400; ++k) {
      double kd = static_cast<double>(k);
      double direct = -lambda + kd * std::log(lambda) - std::lgamma(kd + 1);
      REQUIRE(logPoissonPmf(k, lambda) == doctest::Approx(direct).epsilon(1e-11).scale(1e-11));
    }
  }
  for (auto [n, p] : {std::pair{10ull, 0.3}, std::pair{200ull, 0.5}, std::pair{1000ull, 0.01}}) {
    for (std::uint64_t k = 0; k <= n; ++k) {
      double kd = static_cast<double>(k), nd = static_cast<double>(n);
      double direct = std::lgamma(nd + 1) - std::lgamma(kd + 1) - std::lgamma(nd - kd + 1) +
                      kd * std::log(p) + (nd - kd) * std::log1p(-p);
      REQUIRE(logBinomialPmf(k, n, p) == doctest::Approx(direct).epsilon(1e-10).scale(1e-10));
    }
  }
}

TEST_CASE("log pmfs sum to 1 over the bulk, for counts where lgamma formulas fail") {
  for (double lambda : {1e3, 1e6, 1e9, 1e12, 1e15}) {
    CAPTURE(lambda);
    double mass = bulkMass(lambda, std::sqrt(lambda),
                           [&](std::uint64_t k) { return logPoissonPmf(k, lambda); });
    CHECK(mass == doctest::Approx(1.0).epsilon(1e-9));
  }
  for (auto [n, p] : {std::pair{1000000ull, 0.3}, std::pair{1000000000000ull, 1e-3},
                      std::pair{4000000000000000ull, 0.5}}) {
    CAPTURE(n);
    double nd = static_cast<double>(n);
    double mass = bulkMass(nd * p, std::sqrt(nd * p * (1 - p)),
                           [&](std::uint64_t k) { return logBinomialPmf(k, n, p); });
    CHECK(mass == doctest::Approx(1.0).epsilon(1e-9));
  }
}
