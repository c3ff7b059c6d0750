// Binomial counts: how many of n independent trials of probability p succeed.
//
// Brian2's PoissonInput draws the number of input events per target and step as
// Binomial(n, rate * dt), not Poisson(n * rate * dt); the two differ in the variance by a factor
// 1 - rate * dt. binomialCount gives the engine Brian2's exact distribution; it also sizes rows
// of Bernoulli connections without generating them (their size is Binomial(N_post, p)).
//
// Methods, with p' = min(p, 1 - p) (p > 1/2 samples the failures):
//  - n p' < kBinomialInversionLimit = 10: inversion by sequential search on one uniform (draw 0);
//    exact up to the 53-bit resolution of u and the rounding of the running sum.
//  - otherwise BTRS, Hoermann's transformed rejection with squeeze ("The generation of binomial
//    random variates", 1993), attempt j on Philox block j (uniform draws 2j, 2j+1), about 1.15
//    attempts on average; the acceptance test uses the stable log-probabilities of log_pmf.h.
// Like poissonCount, a binomial count owns every draw index of its (seed, stream, element,
// step). n must be below 2^53 (counts are exact in a double), p in [0, 1].
#pragma once

#include <cstdint>
#include <span>

namespace snn::random {

inline constexpr double kBinomialInversionLimit = 10.0;
inline constexpr std::uint64_t kBinomialTrialsLimit = std::uint64_t{1} << 53;

class BinomialSampler {
 public:
  // Throws std::domain_error for p outside [0, 1] (or NaN) and n >= kBinomialTrialsLimit.
  BinomialSampler(std::uint64_t n, double p);

  std::uint64_t operator()(std::uint64_t seed, std::uint32_t stream, std::uint64_t element,
                           std::uint64_t step) const;

 private:
  std::uint64_t sampleSmallSide(std::uint64_t seed, std::uint32_t stream, std::uint64_t element,
                                std::uint64_t step) const;

  std::uint64_t n_;
  double p_;      // the smaller of p and 1 - p
  bool flipped_;  // p > 1/2: count failures
  bool inversion_;
  double q_pow_n_ = 0, odds_ = 0;                                              // inversion
  double a_ = 0, b_ = 0, c_ = 0, v_r_ = 0, log_alpha_ = 0, log_pmf_mode_ = 0;  // BTRS
};

std::uint64_t binomialCount(std::uint64_t n, double p, std::uint64_t seed, std::uint32_t stream,
                            std::uint64_t element, std::uint64_t step);

// out[i] = binomialCount(n, p, seed, stream, first_element + i, step), bit for bit.
void binomialFill(std::uint64_t n, double p, std::uint64_t seed, std::uint32_t stream,
                  std::uint64_t step, std::uint64_t first_element, std::span<std::uint64_t> out);

}  // namespace snn::random
