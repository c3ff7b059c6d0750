// Stable log-probabilities (see log_pmf.h) after Loader (2000).
#include "vm/random/log_pmf.h"

#include <array>
#include <cmath>

namespace snn::random {

namespace {

constexpr std::uint64_t kLogFactorialTableSize = 256;
constexpr double kLogTwoPi = 1.8378770664093454835606594728112;

const std::array<double, kLogFactorialTableSize>& logFactorialTable() {
  static const std::array<double, kLogFactorialTableSize> table = [] {
    std::array<double, kLogFactorialTableSize> t{};
    // Summing logs loses at most ~k ulps of the sum.
    double sum = 0;
    for (std::uint64_t k = 1; k < kLogFactorialTableSize; ++k) {
      sum += std::log(static_cast<double>(k));
      t[k] = sum;
    }
    return t;
  }();
  return table;
}

}  // namespace

double logFactorial(std::uint64_t k) {
  if (k < kLogFactorialTableSize) return logFactorialTable()[k];
  // lgamma(x) for x = k + 1 by the Stirling series; the first omitted term is below 1e-19 here.
  double x = static_cast<double>(k) + 1.0;
  double inv = 1.0 / x;
  double inv2 = inv * inv;
  double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260)));
  return (x - 0.5) * std::log(x) - x + 0.5 * kLogTwoPi + series;
}

double stirlingError(std::uint64_t k) {
  if (k == 0) return 0.0;
  double n = static_cast<double>(k);
  if (k <= 15) return logFactorial(k) - (n + 0.5) * std::log(n) + n - 0.5 * kLogTwoPi;
  // The Stirling series 1/(12n) - 1/(360n^3) + 1/(1260n^5) - 1/(1680n^7) + 1/(1188n^9).
  constexpr double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188;
  double nn = n * n;
  return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

double deviance(double x, double mean) {
  if (std::fabs(x - mean) < 0.1 * (x + mean)) {
    // x log(x/m) + m - x = (x - m) v + 2 x sum_{j>=1} v^(2j+1) / (2j+1), v = (x-m)/(x+m).
    double v = (x - mean) / (x + mean);
    double sum = (x - mean) * v;
    double term = 2 * x * v;
    double v2 = v * v;
    for (int j = 1; j < 1000; ++j) {
      term *= v2;
      double next = sum + term / (2 * j + 1);
      if (next == sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * std::log(x / mean) + mean - x;
}

double logPoissonPmf(std::uint64_t k, double lambda) {
  if (k == 0) return -lambda;
  double x = static_cast<double>(k);
  return -stirlingError(k) - deviance(x, lambda) - 0.5 * (kLogTwoPi + std::log(x));
}

double logBinomialPmf(std::uint64_t k, std::uint64_t n, double p) {
  const double q = 1.0 - p;
  const double nd = static_cast<double>(n);
  if (k == 0) return nd * std::log1p(-p);
  if (k == n) return nd * std::log(p);
  const double kd = static_cast<double>(k);
  const double rest = static_cast<double>(n - k);
  return stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(kd, nd * p) -
         deviance(rest, nd * q) + 0.5 * (std::log(nd / (kd * rest)) - kLogTwoPi);
}

}  // namespace snn::random
