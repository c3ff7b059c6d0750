// Goodness-of-fit helpers shared by the vm unit tests: the Kolmogorov-Smirnov statistic, a
// chi-square statistic with pooling of sparse cells, and its acceptance bound. The tests use fixed
// seeds, so each check either always passes or always fails; the bounds sit far in the tails
// (about 1e-4) so that a correct generator passes with room to spare and a biased one does not.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <vector>

namespace snn::test {

// sqrt(n) * sup |F_n - F|; beyond 1.95 has probability ~0.001 for a correct generator.
inline double ksStatistic(std::vector<double> samples, const std::function<double(double)>& cdf) {
  std::sort(samples.begin(), samples.end());
  const double n = static_cast<double>(samples.size());
  double d = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    double f = cdf(samples[i]);
    d = std::max({d, (static_cast<double>(i) + 1) / n - f, f - static_cast<double>(i) / n});
  }
  return std::sqrt(n) * d;
}

struct ChiSquare {
  double statistic = 0;
  std::size_t degrees_of_freedom = 0;
  // Wilson-Hilferty: chi2 / df is close to normal in its cube root; 4 sigma is a 3e-5 tail.
  bool acceptable() const {
    double k = static_cast<double>(degrees_of_freedom);
    double z = (std::cbrt(statistic / k) - (1 - 2 / (9 * k))) / std::sqrt(2 / (9 * k));
    return z < 4.0;
  }
};

// observed[i] against expected[i] (same total); neighbouring cells are pooled until each pooled
// cell expects at least 5.
inline ChiSquare chiSquare(const std::vector<double>& observed,
                           const std::vector<double>& expected) {
  ChiSquare out;
  double o = 0, e = 0;
  std::size_t cells = 0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    o += observed[i];
    e += expected[i];
    if (e >= 5 || i + 1 == observed.size()) {
      if (e > 0) {
        out.statistic += (o - e) * (o - e) / e;
        ++cells;
      }
      o = e = 0;
    }
  }
  out.degrees_of_freedom = cells > 1 ? cells - 1 : 1;
  return out;
}

inline double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
  mx /= n, my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace snn::test
