// Power spectra of recorded signals (population rates, traces) for `print` and `plot psd(...)`:
// the peak frequency of E's rate is how the gamma example shows its 30-80 Hz oscillation.
//
// welchPsd follows scipy.signal.welch with its defaults, so numbers can be checked against it:
// periodic Hann window of `segment_length` samples, overlap segment_length / 2 (floor) unless
// given, each segment's mean removed (detrend='constant'), one-sided density scaling
// (|FFT|^2 / (fs * sum(w^2)), doubled except at 0 Hz and at the Nyquist bin of an even length),
// segments averaged with the mean; frequencies k * fs / segment_length for k = 0..L/2. Segments
// start every L - overlap samples and only whole segments are used. As scipy does (with a
// warning), a segment_length above the signal's length is reduced to that length. The density's
// unit is the signal's unit squared per hertz, so its integral (sum * df) is the signal's
// variance (Parseval).
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace snn::analysis {

struct Spectrum {
  std::vector<double> frequency_hz;
  std::vector<double> density;  // one-sided power spectral density
};

// Throws std::invalid_argument when sample_rate_hz is not positive and finite,
// segment_length is 0, or overlap >= the (possibly reduced) segment length. An empty signal
// gives an empty spectrum.
Spectrum welchPsd(std::span<const double> signal, double sample_rate_hz,
                  std::size_t segment_length = 256,
                  std::optional<std::size_t> overlap = std::nullopt);

// The frequency of the largest density among bins with 0 < f, min_hz <= f <= max_hz (the first
// such bin on ties); NaN if there is none. 0 Hz is never a peak: it carries the mean, not an
// oscillation.
double peakFrequency(const Spectrum& spectrum, double min_hz = 0,
                     double max_hz = std::numeric_limits<double>::infinity());

// scipy.signal.get_window('hann', n): the periodic Hann window 0.5 - 0.5 cos(2 pi k / n).
std::vector<double> hannWindow(std::size_t n);

}  // namespace snn::analysis
