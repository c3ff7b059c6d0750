// Poisson counts for `poisson_input`: the number of input spikes that reach one target neuron in
// one step is Poisson(n * rate * dt), and drawing that count replaces n Bernoulli draws.
//
// Two exact methods, switched at lambda = kPoissonInversionLimit = 10 (numpy's switch point):
//  - lambda < 10: inversion by sequential search on one uniform (draw 0 of the coordinates):
//    the smallest k with u < F(k). Exact up to the 53-bit resolution of u (outcomes whose
//    probability is below 2^-53 ~ 1e-16 are cut off) and the rounding of the running sum.
//  - lambda >= 10: PTRS, Hoermann's transformed rejection with squeeze ("The transformed
//    rejection method for generating Poisson random variables", 1993). Attempt j uses Philox
//    block j (uniform draws 2j and 2j+1); on average about 1.1 attempts. Exact up to double
//    rounding in the acceptance test, whose log-probability (log_pmf.h) keeps an absolute error
//    of ~1e-15 even for lambda = 1e15, where the textbook formula would be off by units.
// A Poisson count owns every draw index of its (seed, stream, element, step): give each
// poisson_input its own stream. lambda must be finite, >= 0 and at most kPoissonLambdaMax.
#pragma once

#include <cstdint>
#include <span>

namespace snn::random {

inline constexpr double kPoissonInversionLimit = 10.0;
inline constexpr double kPoissonLambdaMax = 1e15;

// The constants of one lambda, computed once and shared by every element of a batch, so that the
// batched and the scalar forms cannot drift apart.
class PoissonSampler {
 public:
  // Throws std::domain_error for a lambda that is negative, not finite or above kPoissonLambdaMax.
  explicit PoissonSampler(double lambda);

  double lambda() const { return lambda_; }
  std::uint64_t operator()(std::uint64_t seed, std::uint32_t stream, std::uint64_t element,
                           std::uint64_t step) const;

 private:
  std::uint64_t inversion(std::uint64_t seed, std::uint32_t stream, std::uint64_t element,
                          std::uint64_t step) const;
  std::uint64_t ptrs(std::uint64_t seed, std::uint32_t stream, std::uint64_t element,
                     std::uint64_t step) const;

  double lambda_;
  double exp_minus_lambda_ = 0;                                         // inversion
  double b_ = 0, a_ = 0, inv_alpha_ = 0, log_inv_alpha_ = 0, v_r_ = 0;  // PTRS
};

std::uint64_t poissonCount(double lambda, std::uint64_t seed, std::uint32_t stream,
                           std::uint64_t element, std::uint64_t step);

// out[i] = poissonCount(lambda, seed, stream, first_element + i, step), bit for bit.
void poissonFill(double lambda, std::uint64_t seed, std::uint32_t stream, std::uint64_t step,
                 std::uint64_t first_element, std::span<std::uint64_t> out);

}  // namespace snn::random
