// Binomial sampling: inversion for small n p, BTRS above (see binomial.h).
#include "vm/random/binomial.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "vm/random/counter_rng.h"
#include "vm/random/log_pmf.h"

namespace snn::random {

BinomialSampler::BinomialSampler(std::uint64_t n, double p) : n_(n) {
  if (!(p >= 0 && p <= 1))
    throw std::domain_error("binomial: p must be in [0, 1], got " + std::to_string(p));
  if (n >= kBinomialTrialsLimit)
    throw std::domain_error("binomial: n must be below 2^53, got " + std::to_string(n));
  flipped_ = p > 0.5;
  p_ = flipped_ ? 1 - p : p;
  const double nd = static_cast<double>(n);
  inversion_ = nd * p_ < kBinomialInversionLimit;
  if (p_ == 0) return;
  if (inversion_) {
    q_pow_n_ = std::exp(nd * std::log1p(-p_));
    odds_ = p_ / (1 - p_);
  } else {
    // Hoermann's constants for BTRS; the hat is scaled to the probability of the mode.
    const double spq = std::sqrt(nd * p_ * (1 - p_));
    b_ = 1.15 + 2.53 * spq;
    a_ = -0.0873 + 0.0248 * b_ + 0.01 * p_;
    c_ = nd * p_ + 0.5;
    v_r_ = 0.92 - 4.2 / b_;
    log_alpha_ = std::log((2.83 + 5.1 / b_) * spq);
    const auto mode = static_cast<std::uint64_t>(std::floor((nd + 1) * p_));
    log_pmf_mode_ = logBinomialPmf(mode, n, p_);
  }
}

std::uint64_t BinomialSampler::operator()(std::uint64_t seed, std::uint32_t stream,
                                          std::uint64_t element, std::uint64_t step) const {
  std::uint64_t k = sampleSmallSide(seed, stream, element, step);
  return flipped_ ? n_ - k : k;
}

std::uint64_t BinomialSampler::sampleSmallSide(std::uint64_t seed, std::uint32_t stream,
                                               std::uint64_t element, std::uint64_t step) const {
  if (p_ == 0 || n_ == 0) return 0;
  if (inversion_) {
    double u = uniform(seed, stream, element, step, 0);
    double pk = q_pow_n_;
    double cdf = pk;
    std::uint64_t k = 0;
    while (u >= cdf && k < n_) {
      pk *= static_cast<double>(n_ - k) / static_cast<double>(k + 1) * odds_;
      ++k;
      double next = cdf + pk;
      if (next == cdf) break;  // u lies in the rounding gap below 1: a tail of mass < 2^-53
      cdf = next;
    }
    return k;
  }
  const double nd = static_cast<double>(n_);
  for (std::uint64_t attempt = 0; attempt < (kDrawLimit >> 1); ++attempt) {
    PhiloxBlock w = randomBlock(seed, stream, element, step, attempt);
    double u = static_cast<double>(blockBits53(w, 0)) * kTwoToMinus53 - 0.5;  // [-0.5, 0.5)
    double v = static_cast<double>(blockBits53(w, 1)) * kTwoToMinus53;        // [0, 1)
    double us = 0.5 - std::fabs(u);
    if (us <= 0) continue;
    double kd = std::floor((2 * a_ / us + b_) * u + c_);
    if (kd < 0 || kd > nd) continue;
    if (us >= 0.07 && v <= v_r_) return static_cast<std::uint64_t>(kd);
    auto k = static_cast<std::uint64_t>(kd);
    if (std::log(v) + log_alpha_ - std::log(a_ / (us * us) + b_) <=
        logBinomialPmf(k, n_, p_) - log_pmf_mode_)
      return k;
  }
  throw std::logic_error("binomial: BTRS ran out of draw indices");
}

std::uint64_t binomialCount(std::uint64_t n, double p, std::uint64_t seed, std::uint32_t stream,
                            std::uint64_t element, std::uint64_t step) {
  return BinomialSampler(n, p)(seed, stream, element, step);
}

void binomialFill(std::uint64_t n, double p, std::uint64_t seed, std::uint32_t stream,
                  std::uint64_t step, std::uint64_t first_element, std::span<std::uint64_t> out) {
  BinomialSampler sampler(n, p);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = sampler(seed, stream, first_element + i, step);
}

}  // namespace snn::random
