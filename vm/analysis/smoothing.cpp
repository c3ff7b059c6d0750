// Window construction and the centred convolution (semantics in smoothing.h).
#include "vm/analysis/smoothing.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>

namespace snn::analysis {

namespace {

void checkPositive(double value, const char* what) {
  if (!(value > 0) || !std::isfinite(value))
    throw std::invalid_argument(std::string("smoothing: ") + what + " must be positive and finite");
}

}  // namespace

std::vector<double> gaussianWindow(double sigma_s, double dt_s) {
  checkPositive(sigma_s, "the gaussian width");
  checkPositive(dt_s, "dt");
  // numpy.round rounds half to even, which is nearbyint in the default rounding mode.
  double half_steps = std::nearbyint(2 * sigma_s / dt_s);
  if (half_steps > 1e8) throw std::invalid_argument("smoothing: gaussian window too long");
  auto half = static_cast<long>(half_steps);
  const double sigma_steps = sigma_s / dt_s;
  std::vector<double> window;
  window.reserve(static_cast<std::size_t>(2 * half + 1));
  for (long k = -half; k <= half; ++k) {
    double kd = static_cast<double>(k);
    window.push_back(std::exp(-kd * kd * 1.0 / (2 * sigma_steps * sigma_steps)));
  }
  return window;
}

std::vector<double> flatWindow(double width_s, double dt_s) {
  checkPositive(width_s, "the flat width");
  checkPositive(dt_s, "dt");
  double half_steps = std::floor(width_s / 2 / dt_s + 1e-9);
  if (half_steps > 1e8) throw std::invalid_argument("smoothing: flat window too long");
  return std::vector<double>(static_cast<std::size_t>(half_steps) * 2 + 1, 1.0);
}

std::vector<double> smoothWithWindow(std::span<const double> rate, std::span<const double> window) {
  if (window.size() % 2 != 1)
    throw std::invalid_argument("smoothing: the window needs an odd number of values");
  double total = 0;
  for (double w : window) total += w;
  if (total == 0 || !std::isfinite(total))
    throw std::invalid_argument("smoothing: the window's sum must be finite and non-zero");
  std::vector<double> normalised(window.size());
  for (std::size_t k = 0; k < window.size(); ++k) normalised[k] = window[k] * 1.0 / total;

  // out[i] = sum_k rate[i + h - k] * w[k], terms outside the rate being zero.
  const auto n = static_cast<std::ptrdiff_t>(rate.size());
  const auto m = static_cast<std::ptrdiff_t>(window.size());
  const std::ptrdiff_t h = (m - 1) / 2;
  std::vector<double> out(rate.size(), 0.0);
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    std::ptrdiff_t k_first = std::max<std::ptrdiff_t>(0, i + h - (n - 1));
    std::ptrdiff_t k_last = std::min<std::ptrdiff_t>(m - 1, i + h);
    double sum = 0;
    for (std::ptrdiff_t k = k_first; k <= k_last; ++k) sum += rate[i + h - k] * normalised[k];
    out[i] = sum;
  }
  return out;
}

std::vector<double> smoothGaussian(std::span<const double> rate, double dt_s, double sigma_s) {
  return smoothWithWindow(rate, gaussianWindow(sigma_s, dt_s));
}

std::vector<double> smoothFlat(std::span<const double> rate, double dt_s, double width_s) {
  return smoothWithWindow(rate, flatWindow(width_s, dt_s));
}

}  // namespace snn::analysis
