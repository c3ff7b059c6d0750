// exprel(x) = (e^x - 1) / x, 1 at 0 (Brian2's exprel, which its exponential Euler uses): built
// here from SLEEF's exp, because SLEEF's expm1 (double-double arithmetic) costs three exps and
// exponential Euler calls exprel once per variable per step (half of COBAHH's run time went
// there). Near 0, where e^x - 1 cancels, a Taylor series; elsewhere the quotient, whose error is
// at most about 3 ulp at |x| = 1/2 and falls as |x| grows. The JIT emits the same operations
// in the same order (compiler/jit/llvm_lowering.cpp), so both back ends give the same bits;
// every vector lane computes both sides and selects, as the VM's loop does.
#pragma once

namespace snn::math {

// |x| below this: the series.
inline constexpr double kExprelSeriesBound = 0.5;

// 1 / (k+1)! for k = 0 .. 15, each a correctly rounded quotient of exact doubles. At |x| < 1/2
// the first omitted term, x^16 / 17!, is below 1e-19 of the sum. Literals and a plain array,
// no library code: this header is compiled into the AVX-512 translation unit too, and an inline
// function shared with other units could be taken from there.
inline constexpr int kExprelTerms = 16;
inline constexpr double kExprelSeries[kExprelTerms] = {
    1.0,
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5040.0,
    1.0 / 40320.0,
    1.0 / 362880.0,
    1.0 / 3628800.0,
    1.0 / 39916800.0,
    1.0 / 479001600.0,
    1.0 / 6227020800.0,
    1.0 / 87178291200.0,
    1.0 / 1307674368000.0,
    1.0 / 20922789888000.0,
};

// exprel from x and e = exp(x). The series by Estrin's scheme (pairs of terms combined with x,
// then pairs of pairs with x^2, x^4, x^8): the same operations as Horner's but a dependency chain
// of 8 instead of 30, which a vectorised update with four exprels per neuron feels. No fused
// multiply-add. `static`: each translation unit keeps its own copy (see above).
static inline double exprelFromExp(double x, double e) {
  double level[kExprelTerms];
  for (int k = 0; k < kExprelTerms; ++k) level[k] = kExprelSeries[k];
  double power = x;
  for (int width = kExprelTerms; width > 1; width /= 2) {
    for (int j = 0; j < width / 2; ++j) level[j] = level[2 * j] + level[2 * j + 1] * power;
    power = power * power;
  }
  const double magnitude = x < 0 ? -x : x;
  return magnitude < kExprelSeriesBound ? level[0] : (e - 1.0) / x;
}

}  // namespace snn::math
