// The scalar forms (SLEEF's one-element functions), the choice of array variant, and the
// public array forms that forward to it; see elementary.h.
#include "vm/math/elementary.h"
#include "vm/math/exprel.h"

#include <sleef.h>

#include "vm/math/elementary_variants.h"

namespace snn {

#define SNN_MATH_SCALAR_1(base)               \
  double math::base(double x) {               \
    return Sleef_cinz_##base##d1_u10purec(x); \
  }
#define SNN_MATH_SCALAR_2(base)                  \
  double math::base(double x, double y) {        \
    return Sleef_cinz_##base##d1_u10purec(x, y); \
  }
#define SNN_ELEMENTARY(Name, base, arity) SNN_MATH_SCALAR_##arity(base)
#include "vm/math/elementary.def"
#undef SNN_ELEMENTARY
SNN_MATH_SCALAR_1(expm1)
#undef SNN_MATH_SCALAR_2
#undef SNN_MATH_SCALAR_1

double math::exprel(double x) {
  return math::exprelFromExp(x, math::exp(x));
}

namespace math::detail {
namespace {

struct Supported {
  const ArrayVariant* variants[4];
  std::size_t count;
};

// The CPU is asked once; __builtin_cpu_supports also checks that the OS saves the wider
// registers.
const Supported& supported() {
  static const Supported kSupported = [] {
    Supported s{{&scalarVariant()}, 1};
#if SNN_MATH_X86_VARIANTS
    __builtin_cpu_init();
    s.variants[s.count++] = &sse2Variant();
    if (__builtin_cpu_supports("avx")) s.variants[s.count++] = &avxVariant();
    if (__builtin_cpu_supports("avx512f")) s.variants[s.count++] = &avx512Variant();
#endif
    return s;
  }();
  return kSupported;
}

const ArrayVariant& widest() {
  static const ArrayVariant& kWidest = *supported().variants[supported().count - 1];
  return kWidest;
}

}  // namespace

std::size_t supportedVariantCount() {
  return supported().count;
}
const ArrayVariant& supportedVariant(std::size_t i) {
  return *supported().variants[i];
}

}  // namespace math::detail

#define SNN_MATH_FORWARD_1(base)                                        \
  void math::base##Array(const double* x, double* out, std::size_t n) { \
    detail::widest().base(x, out, n);                                   \
  }
#define SNN_MATH_FORWARD_2(base)                                                         \
  void math::base##Array(const double* x, const double* y, double* out, std::size_t n) { \
    detail::widest().base(x, y, out, n);                                                 \
  }                                                                                      \
  void math::base##ArrayRS(const double* x, double y, double* out, std::size_t n) {      \
    detail::widest().base##RS(x, y, out, n);                                             \
  }                                                                                      \
  void math::base##ArraySR(double x, const double* y, double* out, std::size_t n) {      \
    detail::widest().base##SR(x, y, out, n);                                             \
  }
#define SNN_ELEMENTARY(Name, base, arity) SNN_MATH_FORWARD_##arity(base)
#include "vm/math/elementary.def"
#undef SNN_ELEMENTARY
SNN_MATH_FORWARD_1(expm1)
SNN_MATH_FORWARD_1(exprel)
#undef SNN_MATH_FORWARD_2
#undef SNN_MATH_FORWARD_1

std::string_view math::arrayVariantName() {
  return math::detail::widest().name;
}

}  // namespace snn
