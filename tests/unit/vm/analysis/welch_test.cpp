// Welch spectra against analytic cases: a sine peaks at its frequency, white noise integrates to
// its variance (Parseval), one segment equals a hand-written periodogram, and the options and
// peak search behave as documented.
#include "vm/analysis/welch.h"

#include <cmath>
#include <complex>
#include <numbers>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "vm/random/counter_rng.h"

using namespace snn::analysis;

TEST_CASE("welch: a sine peaks at its frequency, within one bin") {
  const double fs = 1000;
  for (double f0 : {37.3, 41.0, 123.4, 250.0}) {
    CAPTURE(f0);
    std::vector<double> x(20000);
    for (std::size_t k = 0; k < x.size(); ++k)
      x[k] = 3.0 + std::sin(2 * std::numbers::pi * f0 * double(k) / fs) +
             0.5 * snn::random::normal(1, 2, k, 0, 0);
    for (std::size_t length : {256, 1000}) {
      Spectrum s = welchPsd(x, fs, length);
      CHECK(std::abs(peakFrequency(s) - f0) <= fs / double(length));
    }
  }
}

TEST_CASE("welch: white noise of variance s^2 integrates to s^2 (Parseval)") {
  const double fs = 500, sigma = 2.0;
  std::vector<double> x(1 << 17);
  for (std::size_t k = 0; k < x.size(); ++k) x[k] = sigma * snn::random::normal(9, 3, k, 0, 0);
  for (std::size_t length : {256, 300, 1024}) {
    Spectrum s = welchPsd(x, fs, length);
    double df = s.frequency_hz[1] - s.frequency_hz[0];
    double integral = 0;
    for (double d : s.density) integral += d * df;
    CHECK(integral == doctest::Approx(sigma * sigma).epsilon(0.02));
    // And flat: the mean density is s^2 / (fs / 2).
    CHECK(s.density[length / 4] == doctest::Approx(sigma * sigma / (fs / 2)).epsilon(0.25));
  }
}

TEST_CASE("welch: one segment equals the periodogram written out by hand") {
  const std::vector<double> x = {1, 4, -2, 0.5, 3, 3, -1, 2};
  const double fs = 8;
  Spectrum s = welchPsd(x, fs, 8);
  const std::size_t n = 8;
  double mean = 0;
  for (double v : x) mean += v / n;
  std::vector<double> w(n);
  double w2 = 0;
  for (std::size_t k = 0; k < n; ++k) {
    w[k] = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * double(k) / n);  // periodic Hann
    w2 += w[k] * w[k];
  }
  REQUIRE(s.density.size() == 5);
  for (std::size_t f = 0; f <= n / 2; ++f) {
    std::complex<double> sum = 0;
    for (std::size_t k = 0; k < n; ++k)
      sum += (x[k] - mean) * w[k] * std::polar(1.0, -2 * std::numbers::pi * double(f * k) / n);
    double expected = std::norm(sum) / (fs * w2) * ((f == 0 || f == n / 2) ? 1 : 2);
    CHECK(s.frequency_hz[f] == doctest::Approx(double(f)));
    CHECK(s.density[f] == doctest::Approx(expected).epsilon(1e-12).scale(1e-12));
  }
}

TEST_CASE("welch: segment count, short signals, bad options") {
  std::vector<double> x(1000, 0.0);
  for (std::size_t k = 0; k < x.size(); ++k) x[k] = double(k % 10);
  // 1000 samples, 256 per segment, 128 overlap: (1000 - 128) / 128 = 6 segments; only the bins
  // that a period of 10 samples excites carry power.
  Spectrum s = welchPsd(x, 100, 256);
  CHECK(s.frequency_hz.size() == 129);
  CHECK(peakFrequency(s) == doctest::Approx(10.0).epsilon(0.04));
  // A segment longer than the signal is cut to the signal, as scipy does.
  Spectrum short_signal = welchPsd(std::vector<double>(100, 1.0), 10, 256);
  CHECK(short_signal.frequency_hz.size() == 51);
  CHECK(welchPsd(std::vector<double>{}, 10).density.empty());
  CHECK_THROWS_AS(welchPsd(x, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(welchPsd(x, 10, 0), std::invalid_argument);
  CHECK_THROWS_AS(welchPsd(x, 10, 100, 100), std::invalid_argument);
}

TEST_CASE("peakFrequency skips 0 Hz and honours the band") {
  Spectrum s;
  s.frequency_hz = {0, 10, 20, 30, 40};
  s.density = {100, 5, 7, 6, 9};
  CHECK(peakFrequency(s) == 40);
  CHECK(peakFrequency(s, 15, 35) == 20);
  CHECK(std::isnan(peakFrequency(s, 41, 50)));
}

TEST_CASE("hann window is scipy's periodic one") {
  std::vector<double> w = hannWindow(4);
  CHECK(w[0] == 0.0);
  CHECK(w[1] == doctest::Approx(0.5));
  CHECK(w[2] == doctest::Approx(1.0));
  CHECK(w[3] == doctest::Approx(0.5));
  CHECK(hannWindow(1) == std::vector<double>{1.0});
}
