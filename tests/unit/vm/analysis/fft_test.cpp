// The FFT against a direct DFT in long double, for powers of two, primes and other lengths
// (radix-2 and Bluestein paths), plus inversion and the real-input form.
#include "vm/analysis/fft.h"

#include <cmath>
#include <complex>
#include <numbers>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "vm/random/counter_rng.h"

using snn::analysis::FftPlan;
using Complex = std::complex<double>;

namespace {

std::vector<Complex> directDft(const std::vector<Complex>& x, bool inverse) {
  const std::size_t n = x.size();
  // exp(-+2 pi i m / n) in long double for every m; j*k is reduced mod n in integers.
  std::vector<long double> cosines(n), sines(n);
  for (std::size_t m = 0; m < n; ++m) {
    long double angle = 2 * std::numbers::pi_v<long double> * static_cast<long double>(m) /
                        static_cast<long double>(n);
    cosines[m] = std::cos(angle);
    sines[m] = inverse ? std::sin(angle) : -std::sin(angle);
  }
  std::vector<Complex> out(n);
  for (std::size_t k = 0; k < n; ++k) {
    long double re = 0, im = 0;
    for (std::size_t j = 0; j < n; ++j) {
      long double c = cosines[(j * k) % n], s = sines[(j * k) % n];
      re += x[j].real() * c - x[j].imag() * s;
      im += x[j].real() * s + x[j].imag() * c;
    }
    out[k] = {static_cast<double>(re), static_cast<double>(im)};
  }
  return out;
}

std::vector<Complex> randomSignal(std::size_t n, std::uint64_t seed) {
  std::vector<Complex> x(n);
  for (std::size_t j = 0; j < n; ++j)
    x[j] = {snn::random::normal(seed, 0, j, 0, 0), snn::random::normal(seed, 0, j, 0, 1)};
  return x;
}

double maxError(const std::vector<Complex>& a, const std::vector<Complex>& b) {
  double e = 0;
  for (std::size_t i = 0; i < a.size(); ++i) e = std::max(e, std::abs(a[i] - b[i]));
  return e;
}

}  // namespace

TEST_CASE("fft matches a direct DFT for every kind of length") {
  std::vector<std::size_t> sizes;
  for (std::size_t n = 1; n <= 40; ++n) sizes.push_back(n);
  for (std::size_t n : {64, 97, 100, 127, 128, 243, 256, 500, 1000, 1024}) sizes.push_back(n);
  for (std::size_t n : sizes) {
    CAPTURE(n);
    std::vector<Complex> x = randomSignal(n, n);
    // Values are O(1) and sums O(sqrt(n)); allow a few eps * sqrt(n) * log2(n) each.
    double tolerance = 1e-14 * std::sqrt(double(n)) * (std::log2(double(n)) + 1) * 10;
    std::vector<Complex> forward = snn::analysis::fft(x);
    CHECK(maxError(forward, directDft(x, false)) < tolerance);
    std::vector<Complex> backward = snn::analysis::inverseFft(x);
    CHECK(maxError(backward, directDft(x, true)) < tolerance);
    // inverse(forward(x)) / n == x
    std::vector<Complex> round_trip = snn::analysis::inverseFft(forward);
    for (Complex& v : round_trip) v /= static_cast<double>(n);
    CHECK(maxError(round_trip, x) < tolerance);
  }
}

TEST_CASE("fft of a real signal keeps the n/2 + 1 non-negative frequencies") {
  for (std::size_t n : {1, 2, 7, 8, 100, 101}) {
    std::vector<double> x(n);
    std::vector<Complex> xc(n);
    for (std::size_t j = 0; j < n; ++j) xc[j] = x[j] = snn::random::normal(5, 1, j, 0, 0);
    std::vector<Complex> half = snn::analysis::rfft(x);
    std::vector<Complex> full = directDft(xc, false);
    REQUIRE(half.size() == n / 2 + 1);
    for (std::size_t k = 0; k < half.size(); ++k) CHECK(std::abs(half[k] - full[k]) < 1e-12);
  }
  // A cosine at bin 3 of 16 puts n/2 in bins 3 and 13.
  std::vector<double> c(16);
  for (std::size_t j = 0; j < 16; ++j) c[j] = std::cos(2 * std::numbers::pi * 3 * double(j) / 16);
  std::vector<Complex> spectrum = snn::analysis::rfft(c);
  for (std::size_t k = 0; k < spectrum.size(); ++k)
    CHECK(std::abs(spectrum[k] - Complex(k == 3 ? 8.0 : 0.0, 0.0)) < 1e-13);
}

TEST_CASE("fft plans reject data of the wrong size") {
  FftPlan plan(12);
  std::vector<Complex> wrong(11);
  CHECK_THROWS_AS(plan.forward(wrong), std::invalid_argument);
  CHECK_THROWS_AS(plan.inverse(wrong), std::invalid_argument);
  CHECK(snn::analysis::rfft(std::vector<double>{}).empty());
}
