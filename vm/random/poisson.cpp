// Poisson sampling: sequential-search inversion for small lambda, PTRS above (see poisson.h).
#include "vm/random/poisson.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "vm/random/counter_rng.h"
#include "vm/random/log_pmf.h"

namespace snn::random {

namespace {

// Beyond any count PTRS can accept for lambda <= kPoissonLambdaMax; guards the cast to integer.
constexpr double kPtrsCountCeiling = 0x1p62;

}  // namespace

PoissonSampler::PoissonSampler(double lambda) : lambda_(lambda) {
  if (!(lambda >= 0) || !(lambda <= kPoissonLambdaMax))
    throw std::domain_error("poisson: lambda must be in [0, 1e15], got " + std::to_string(lambda));
  if (lambda < kPoissonInversionLimit) {
    exp_minus_lambda_ = std::exp(-lambda);
  } else {
    // Hoermann's constants for PTRS.
    double sqrt_lambda = std::sqrt(lambda);
    b_ = 0.931 + 2.53 * sqrt_lambda;
    a_ = -0.059 + 0.02483 * b_;
    inv_alpha_ = 1.1239 + 1.1328 / (b_ - 3.4);
    v_r_ = 0.9277 - 3.6224 / (b_ - 2);
    log_inv_alpha_ = std::log(inv_alpha_);
  }
}

std::uint64_t PoissonSampler::operator()(std::uint64_t seed, std::uint32_t stream,
                                         std::uint64_t element, std::uint64_t step) const {
  return lambda_ < kPoissonInversionLimit ? inversion(seed, stream, element, step)
                                          : ptrs(seed, stream, element, step);
}

std::uint64_t PoissonSampler::inversion(std::uint64_t seed, std::uint32_t stream,
                                        std::uint64_t element, std::uint64_t step) const {
  double u = uniform(seed, stream, element, step, 0);
  double p = exp_minus_lambda_;
  double cdf = p;
  std::uint64_t k = 0;
  while (u >= cdf) {
    ++k;
    p *= lambda_ / static_cast<double>(k);
    double next = cdf + p;
    // The sum stopped growing: u lies in the rounding gap below 1, a tail of mass < 2^-53.
    if (next == cdf) break;
    cdf = next;
  }
  return k;
}

std::uint64_t PoissonSampler::ptrs(std::uint64_t seed, std::uint32_t stream, std::uint64_t element,
                                   std::uint64_t step) const {
  for (std::uint64_t attempt = 0; attempt < (kDrawLimit >> 1); ++attempt) {
    PhiloxBlock w = randomBlock(seed, stream, element, step, attempt);
    double u = static_cast<double>(blockBits53(w, 0)) * kTwoToMinus53 - 0.5;  // [-0.5, 0.5)
    double v = static_cast<double>(blockBits53(w, 1)) * kTwoToMinus53;        // [0, 1)
    double us = 0.5 - std::fabs(u);
    if (us <= 0) continue;  // u = -0.5 maps to k = -infinity
    double kd = std::floor((2 * a_ / us + b_) * u + lambda_ + 0.43);
    if (kd < 0 || kd >= kPtrsCountCeiling) continue;
    if (us >= 0.07 && v <= v_r_) return static_cast<std::uint64_t>(kd);
    if (us < 0.013 && v > us) continue;
    auto k = static_cast<std::uint64_t>(kd);
    // log(0) = -infinity for v = 0 accepts, as it should.
    if (std::log(v) + log_inv_alpha_ - std::log(a_ / (us * us) + b_) <= logPoissonPmf(k, lambda_))
      return k;
  }
  // Each attempt accepts with probability above 0.75: 2^32 rejections in a row do not happen.
  throw std::logic_error("poisson: PTRS ran out of draw indices");
}

std::uint64_t poissonCount(double lambda, std::uint64_t seed, std::uint32_t stream,
                           std::uint64_t element, std::uint64_t step) {
  return PoissonSampler(lambda)(seed, stream, element, step);
}

void poissonFill(double lambda, std::uint64_t seed, std::uint32_t stream, std::uint64_t step,
                 std::uint64_t first_element, std::span<std::uint64_t> out) {
  PoissonSampler sampler(lambda);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = sampler(seed, stream, first_element + i, step);
}

}  // namespace snn::random
