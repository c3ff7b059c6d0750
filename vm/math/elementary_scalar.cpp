// The scalar variant of the array forms: SLEEF's one-element functions in a loop, for CPUs
// without a vector variant (and for every architecture other than x86-64); see
// elementary_variants.h.
#define SNN_MATH_SLEEF(base) Sleef_cinz_##base##d1_u10purec
#define SNN_MATH_VECTOR double
#define SNN_MATH_WIDTH 1
#define SNN_MATH_LOAD(p) (*(p))
#define SNN_MATH_STORE(p, v) (*(p) = (v))
#define SNN_MATH_SET1(x) (x)
#define SNN_MATH_VARIANT scalarVariant
#define SNN_MATH_NAME "scalar"
#include "vm/math/elementary_vector.inc"
