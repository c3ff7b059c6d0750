// Logarithms of Poisson and binomial probabilities that stay accurate for huge counts, for the
// acceptance tests of the Poisson and binomial samplers.
//
// The textbook -lambda + k log(lambda) - log(k!) subtracts numbers of size k log k: at
// lambda = 1e12 each is ~3e13 and the difference, of order 1, keeps only two or three digits,
// which would bend the sampled distribution. Loader's formulation ("Fast and accurate computation
// of binomial probabilities", 2000; R's dpois/dbinom use it) writes the same quantity as
//   log p(k) = -stirlingError(k) - deviance(k, lambda) - log(2 pi k) / 2
// where both terms are small or computed by a series when k is near its mean, so the result has
// an absolute error of a few ulps of its own size, whatever lambda or n.
#pragma once

#include <cstdint>

namespace snn::random {

// log(k!) without lgamma's global state (signgam): a table below 256, the Stirling series above,
// accurate to ~1e-15 relative.
double logFactorial(std::uint64_t k);

// log(k!) - log(sqrt(2 pi k) (k/e)^k), the error of Stirling's formula, for k >= 1 (0 for k = 0
// by convention).
double stirlingError(std::uint64_t k);

// x log(x / mean) + mean - x, summed by a series when x is close to mean (Loader's bd0).
double deviance(double x, double mean);

// log P(K = k) for K ~ Poisson(lambda), lambda > 0.
double logPoissonPmf(std::uint64_t k, double lambda);

// log P(K = k) for K ~ Binomial(n, p), 0 < p < 1, k <= n.
double logBinomialPmf(std::uint64_t k, std::uint64_t n, double p);

}  // namespace snn::random
