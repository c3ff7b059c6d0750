// Smoothing windows with Brian2's sizes, and the centred convolution: impulse response, integral,
// constants kept away from the edges, and a direct re-computation at the edges.
#include "vm/analysis/smoothing.h"

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

using namespace snn::analysis;

TEST_CASE("gaussian window: +-round(2 sigma / dt) samples, sigma is the standard deviation") {
  std::vector<double> w = gaussianWindow(20e-3, 1e-4);
  REQUIRE(w.size() == 801);
  CHECK(w[400] == 1.0);
  CHECK(w[0] == w[800]);
  // One sigma (200 samples) from the centre: exp(-1/2).
  CHECK(w[600] == doctest::Approx(std::exp(-0.5)).epsilon(1e-12));
  CHECK(w[800] == doctest::Approx(std::exp(-2.0)).epsilon(1e-12));
  // numpy rounds 2.5 to 2: five samples, not seven.
  CHECK(gaussianWindow(0.25e-3, 0.2e-3).size() == 5);
  CHECK(gaussianWindow(0.1e-3, 1e-3).size() == 1);
  CHECK_THROWS_AS(gaussianWindow(0.0, 1e-4), std::invalid_argument);
  CHECK_THROWS_AS(gaussianWindow(1e-3, -1.0), std::invalid_argument);
}

TEST_CASE("flat window: floor(width / 2 / dt) * 2 + 1 samples") {
  CHECK(flatWindow(5e-3, 1e-4).size() == 51);
  CHECK(flatWindow(4e-3, 1e-4).size() == 41);
  CHECK(flatWindow(4.05e-3, 1e-4).size() == 41);
  CHECK(flatWindow(0.3e-3, 1e-3).size() == 1);
  CHECK(flatWindow(0.3e-3, 0.1e-3).size() == 3);  // 0.3e-3 / 2 / 1e-4 is 1.4999999999999998
}

TEST_CASE("smoothing: impulse response is the normalised window, and the integral is kept") {
  std::vector<double> impulse(1001, 0.0);
  impulse[500] = 1.0;
  std::vector<double> w = gaussianWindow(2e-3, 1e-4);
  double total = std::accumulate(w.begin(), w.end(), 0.0);
  std::vector<double> out = smoothWithWindow(impulse, w);
  REQUIRE(out.size() == impulse.size());
  const std::size_t h = (w.size() - 1) / 2;
  for (std::size_t i = 0; i < out.size(); ++i) {
    double expected = (i + h >= 500 && i <= 500 + h) ? w[i + h - 500] / total : 0.0;
    REQUIRE(out[i] == doctest::Approx(expected).epsilon(1e-14).scale(1e-14));
  }
  // A bump far from the edges keeps its integral.
  std::vector<double> rate(5000, 0.0);
  for (std::size_t i = 2000; i < 2600; ++i) rate[i] = 10 + std::sin(i * 0.01) * 5;
  double before = std::accumulate(rate.begin(), rate.end(), 0.0);
  std::vector<double> smooth = smoothGaussian(rate, 1e-4, 20e-3);
  CHECK(std::accumulate(smooth.begin(), smooth.end(), 0.0) ==
        doctest::Approx(before).epsilon(1e-12));
  std::vector<double> flat = smoothFlat(rate, 1e-4, 5e-3);
  CHECK(std::accumulate(flat.begin(), flat.end(), 0.0) == doctest::Approx(before).epsilon(1e-12));
}

TEST_CASE("smoothing: constants stay constant inside and lose weight at the edges, like 'same'") {
  std::vector<double> constant(100, 4.0);
  std::vector<double> window = {1, 1, 1, 1, 1};
  std::vector<double> out = smoothWithWindow(constant, window);
  CHECK(out[0] == doctest::Approx(4.0 * 3 / 5));
  CHECK(out[1] == doctest::Approx(4.0 * 4 / 5));
  for (std::size_t i = 2; i < 98; ++i) REQUIRE(out[i] == doctest::Approx(4.0));
  CHECK(out[99] == doctest::Approx(4.0 * 3 / 5));
  // An asymmetric window is applied as a convolution (flipped), as numpy.convolve does.
  std::vector<double> ramp = {1, 2, 3};
  std::vector<double> x = {0, 0, 1, 0, 0};
  std::vector<double> y = smoothWithWindow(x, ramp);
  CHECK(y == std::vector<double>{0, 1.0 / 6, 2.0 / 6, 3.0 / 6, 0});
  // Window longer than the signal: still one output per input.
  CHECK(smoothWithWindow(std::vector<double>{1, 1}, window).size() == 2);
  CHECK_THROWS_AS(smoothWithWindow(x, std::vector<double>{1, 1}), std::invalid_argument);
  CHECK_THROWS_AS(smoothWithWindow(x, std::vector<double>{1, -1, 0}), std::invalid_argument);
}
