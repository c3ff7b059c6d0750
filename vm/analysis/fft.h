// A small FFT for the Welch spectra of `print` and `plot psd(...)`.
//
// Written here instead of linking FFTW: FFTW is GPL, our needs are a few transforms of a few
// thousand points after a run, and a self-contained transform gives the same result on every
// machine. Powers of two use an iterative radix-2 transform; any other length uses Bluestein's
// chirp-z algorithm on a power-of-two transform of at least 2n - 1 points, so every length is
// O(n log n). Twiddle factors are computed one by one with exact integer phase reduction (no
// recurrence), which keeps the error near eps * log2(n).
//
// Convention (numpy.fft's): forward X[k] = sum_j x[j] exp(-2 pi i j k / n); inverse uses +i and
// is not scaled (divide by n yourself).
#pragma once

#include <complex>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace snn::analysis {

class FftPlan {
 public:
  explicit FftPlan(std::size_t n);
  ~FftPlan();
  FftPlan(FftPlan&&) noexcept;
  FftPlan& operator=(FftPlan&&) noexcept;

  std::size_t size() const { return n_; }

  // In place; data.size() must equal size() (std::invalid_argument otherwise).
  void forward(std::span<std::complex<double>> data) const;
  void inverse(std::span<std::complex<double>> data) const;  // unscaled

  // The n/2 + 1 non-negative-frequency bins of a real signal of size() samples (numpy.fft.rfft).
  std::vector<std::complex<double>> forwardReal(std::span<const double> x) const;

 private:
  struct Radix2;
  struct Bluestein;
  std::size_t n_;
  std::unique_ptr<Radix2> radix2_;        // when n is a power of two
  std::unique_ptr<Bluestein> bluestein_;  // otherwise
};

// One-shot helpers (build a plan each call).
std::vector<std::complex<double>> fft(std::span<const std::complex<double>> x);
std::vector<std::complex<double>> inverseFft(std::span<const std::complex<double>> x);  // unscaled
std::vector<std::complex<double>> rfft(std::span<const double> x);

}  // namespace snn::analysis
