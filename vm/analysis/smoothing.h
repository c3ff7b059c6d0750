// Smoothed population rates, for `plot rate(E, smooth = gaussian(20 ms))` and `flat(...)`.
//
// Same numbers as Brian2 2.5's PopulationRateMonitor.smooth_rate:
//  - gaussian(width): `width` is the standard deviation sigma. The window has 2h + 1 samples with
//    h = round(2 sigma / dt) (round half to even, like numpy), i.e. it is cut at about +-2 sigma,
//    and weights exp(-k^2 / (2 (sigma/dt)^2)) for k = -h..h.
//  - flat(width): n = floor(width / 2 / dt) * 2 + 1 equal weights (an odd count, so the rate is
//    not shifted in time). Brian2 truncates with int(); we add 1e-9 before truncating so that a
//    width that is a whole number of dt but came out a rounding error short is not cut by 2.
//  - the window is normalised to sum 1 and applied as numpy.convolve(rate, window, 'same'):
//    centred, with zeros beyond both ends (so the first and last h samples lose weight). The
//    result always has rate.size() samples; numpy would return window.size() samples when the
//    window is the longer of the two.
#pragma once

#include <span>
#include <vector>

namespace snn::analysis {

// Throw std::invalid_argument unless sigma (width) and dt are > 0 and finite.
std::vector<double> gaussianWindow(double sigma_s, double dt_s);
std::vector<double> flatWindow(double width_s, double dt_s);

// `window` must have an odd length and a non-zero sum (std::invalid_argument otherwise).
std::vector<double> smoothWithWindow(std::span<const double> rate, std::span<const double> window);

std::vector<double> smoothGaussian(std::span<const double> rate, double dt_s, double sigma_s);
std::vector<double> smoothFlat(std::span<const double> rate, double dt_s, double width_s);

}  // namespace snn::analysis
