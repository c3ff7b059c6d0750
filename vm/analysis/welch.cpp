// Welch's averaged periodogram (conventions in welch.h) on FftPlan.
#include "vm/analysis/welch.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "vm/analysis/fft.h"

namespace snn::analysis {

std::vector<double> hannWindow(std::size_t n) {
  std::vector<double> w(n);
  if (n == 1) {
    w[0] = 1.0;  // scipy's get_window('hann', 1) is [1.]
    return w;
  }
  for (std::size_t k = 0; k < n; ++k)
    w[k] = 0.5 -
           0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(n));
  return w;
}

Spectrum welchPsd(std::span<const double> signal, double sample_rate_hz, std::size_t segment_length,
                  std::optional<std::size_t> overlap) {
  if (!(sample_rate_hz > 0) || !std::isfinite(sample_rate_hz))
    throw std::invalid_argument("welch: the sample rate must be positive and finite");
  if (segment_length == 0) throw std::invalid_argument("welch: the segment length must be > 0");
  Spectrum out;
  if (signal.empty()) return out;
  const std::size_t length = std::min(segment_length, signal.size());
  const std::size_t shared = overlap.value_or(length / 2);
  if (shared >= length)
    throw std::invalid_argument("welch: the overlap must be shorter than the segment");
  const std::size_t step = length - shared;
  const std::size_t segments = (signal.size() - shared) / step;

  const std::vector<double> window = hannWindow(length);
  double window_power = 0;
  for (double w : window) window_power += w * w;
  const double scale = 1.0 / (sample_rate_hz * window_power);

  const std::size_t bins = length / 2 + 1;
  out.frequency_hz.resize(bins);
  for (std::size_t k = 0; k < bins; ++k)
    out.frequency_hz[k] = static_cast<double>(k) * sample_rate_hz / static_cast<double>(length);
  out.density.assign(bins, 0.0);

  FftPlan plan(length);
  std::vector<double> segment(length);
  for (std::size_t s = 0; s < segments; ++s) {
    const double* start = signal.data() + s * step;
    double mean = 0;
    for (std::size_t k = 0; k < length; ++k) mean += start[k];
    mean /= static_cast<double>(length);
    for (std::size_t k = 0; k < length; ++k) segment[k] = (start[k] - mean) * window[k];
    std::vector<std::complex<double>> spectrum = plan.forwardReal(segment);
    for (std::size_t k = 0; k < bins; ++k) out.density[k] += std::norm(spectrum[k]) * scale;
  }
  // One-sided: fold the negative frequencies onto the positive ones, except the bins that have
  // no mirror image (0 Hz, and Nyquist when the length is even).
  const std::size_t last_doubled = length % 2 == 0 ? bins - 1 : bins;
  for (std::size_t k = 1; k < last_doubled; ++k) out.density[k] *= 2;
  for (double& d : out.density) d /= static_cast<double>(segments);
  return out;
}

double peakFrequency(const Spectrum& spectrum, double min_hz, double max_hz) {
  double best_frequency = std::numeric_limits<double>::quiet_NaN();
  double best_density = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < spectrum.frequency_hz.size() && k < spectrum.density.size(); ++k) {
    double f = spectrum.frequency_hz[k];
    if (!(f > 0) || f < min_hz || f > max_hz) continue;
    if (spectrum.density[k] > best_density) {
      best_density = spectrum.density[k];
      best_frequency = f;
    }
  }
  return best_frequency;
}

}  // namespace snn::analysis
