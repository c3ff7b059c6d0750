// Radix-2 and Bluestein transforms behind FftPlan (see fft.h).
#include "vm/analysis/fft.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <stdexcept>
#include <string>

namespace snn::analysis {

namespace {

using Complex = std::complex<double>;

// std::complex's operator* guards against inf/nan by calling __muldc3; these values are finite.
inline Complex mul(Complex a, Complex b) {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

// exp(-2 pi i num / den) for 0 <= num < den. The phase is reduced in integers to an angle in
// [0, pi/4] before sin/cos, so twiddles related by symmetry come out exactly related.
Complex unitRoot(std::uint64_t num, std::uint64_t den) {
  const long double kHalfPi = std::numbers::pi_v<long double> / 2;
  std::uint64_t quarter_turns = (4 * num) / den;
  std::uint64_t rest = 4 * num - quarter_turns * den;  // angle in the quadrant: rest/den quarters
  double c, s;
  if (2 * rest <= den) {
    double phi = static_cast<double>(kHalfPi * static_cast<long double>(rest) / den);
    c = std::cos(phi);
    s = std::sin(phi);
  } else {
    double phi = static_cast<double>(kHalfPi * static_cast<long double>(den - rest) / den);
    c = std::sin(phi);
    s = std::cos(phi);
  }
  double cos_total = 0, sin_total = 0;
  switch (quarter_turns & 3) {
    case 0:
      cos_total = c, sin_total = s;
      break;
    case 1:
      cos_total = -s, sin_total = c;
      break;
    case 2:
      cos_total = -c, sin_total = -s;
      break;
    case 3:
      cos_total = s, sin_total = -c;
      break;
  }
  return {cos_total, -sin_total};
}

}  // namespace

struct FftPlan::Radix2 {
  std::size_t n;
  std::vector<Complex> twiddle;  // exp(-2 pi i k / n), k < n / 2
  std::vector<std::size_t> reversed;

  explicit Radix2(std::size_t size) : n(size), twiddle(size / 2), reversed(size) {
    for (std::size_t k = 0; k < n / 2; ++k) twiddle[k] = unitRoot(k, n);
    unsigned bits = static_cast<unsigned>(std::countr_zero(n));
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t r = 0;
      for (unsigned b = 0; b < bits; ++b) r |= ((i >> b) & 1u) << (bits - 1 - b);
      reversed[i] = r;
    }
  }

  void run(std::span<Complex> a, bool inverse) const {
    for (std::size_t i = 0; i < n; ++i)
      if (i < reversed[i]) std::swap(a[i], a[reversed[i]]);
    for (std::size_t len = 2; len <= n; len <<= 1) {
      std::size_t half = len / 2;
      std::size_t stride = n / len;
      for (std::size_t start = 0; start < n; start += len) {
        for (std::size_t j = 0; j < half; ++j) {
          Complex w = twiddle[j * stride];
          if (inverse) w = std::conj(w);
          Complex u = a[start + j];
          Complex v = mul(a[start + j + half], w);
          a[start + j] = u + v;
          a[start + j + half] = u - v;
        }
      }
    }
  }
};

struct FftPlan::Bluestein {
  std::size_t n;
  Radix2 inner;
  std::vector<Complex> chirp;       // exp(-pi i k^2 / n), k < n
  std::vector<Complex> kernel_fft;  // transform of conj(chirp) laid out circularly

  explicit Bluestein(std::size_t size)
      : n(size), inner(std::bit_ceil(2 * size - 1)), chirp(size), kernel_fft(inner.n, 0.0) {
    // k^2 mod 2n keeps the phase argument small and exact.
    const std::uint64_t two_n = 2 * static_cast<std::uint64_t>(n);
    for (std::size_t k = 0; k < n; ++k) {
      std::uint64_t kk = static_cast<std::uint64_t>(k);
      chirp[k] = unitRoot((kk * kk) % two_n, two_n);
    }
    kernel_fft[0] = std::conj(chirp[0]);
    for (std::size_t k = 1; k < n; ++k)
      kernel_fft[k] = kernel_fft[inner.n - k] = std::conj(chirp[k]);
    inner.run(kernel_fft, false);
  }

  void forward(std::span<Complex> x) const {
    std::vector<Complex> work(inner.n, Complex(0.0));  // per call, so a plan can be shared
    for (std::size_t k = 0; k < n; ++k) work[k] = mul(x[k], chirp[k]);
    inner.run(work, false);
    for (std::size_t k = 0; k < inner.n; ++k) work[k] = mul(work[k], kernel_fft[k]);
    inner.run(work, true);
    const double scale = 1.0 / static_cast<double>(inner.n);
    for (std::size_t k = 0; k < n; ++k) x[k] = mul(work[k], chirp[k]) * scale;
  }
};

FftPlan::FftPlan(std::size_t n) : n_(n) {
  if (n <= 1) return;
  if (std::has_single_bit(n))
    radix2_ = std::make_unique<Radix2>(n);
  else
    bluestein_ = std::make_unique<Bluestein>(n);
}

FftPlan::~FftPlan() = default;
FftPlan::FftPlan(FftPlan&&) noexcept = default;
FftPlan& FftPlan::operator=(FftPlan&&) noexcept = default;

void FftPlan::forward(std::span<std::complex<double>> data) const {
  if (data.size() != n_)
    throw std::invalid_argument("fft: plan of size " + std::to_string(n_) + " given " +
                                std::to_string(data.size()) + " values");
  if (radix2_) radix2_->run(data, false);
  if (bluestein_) bluestein_->forward(data);
}

void FftPlan::inverse(std::span<std::complex<double>> data) const {
  if (data.size() != n_)
    throw std::invalid_argument("fft: plan of size " + std::to_string(n_) + " given " +
                                std::to_string(data.size()) + " values");
  if (radix2_) {
    radix2_->run(data, true);
  } else if (bluestein_) {
    // inverse(x) = conj(forward(conj(x)))
    for (Complex& v : data) v = std::conj(v);
    bluestein_->forward(data);
    for (Complex& v : data) v = std::conj(v);
  }
}

std::vector<std::complex<double>> FftPlan::forwardReal(std::span<const double> x) const {
  if (x.size() != n_)
    throw std::invalid_argument("fft: plan of size " + std::to_string(n_) + " given " +
                                std::to_string(x.size()) + " values");
  if (n_ == 0) return {};
  std::vector<Complex> data(x.begin(), x.end());
  forward(data);
  data.resize(n_ / 2 + 1);
  return data;
}

std::vector<std::complex<double>> fft(std::span<const std::complex<double>> x) {
  std::vector<Complex> data(x.begin(), x.end());
  FftPlan(x.size()).forward(data);
  return data;
}

std::vector<std::complex<double>> inverseFft(std::span<const std::complex<double>> x) {
  std::vector<Complex> data(x.begin(), x.end());
  FftPlan(x.size()).inverse(data);
  return data;
}

std::vector<std::complex<double>> rfft(std::span<const double> x) {
  return FftPlan(x.size()).forwardReal(x);
}

}  // namespace snn::analysis
