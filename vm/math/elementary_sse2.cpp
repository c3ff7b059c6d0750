// The SSE2 variant of the array forms, two doubles per call (every x86-64 CPU has SSE2); see
// elementary_variants.h.
#define SNN_MATH_SLEEF(base) Sleef_cinz_##base##d2_u10sse2
#define SNN_MATH_VECTOR __m128d
#define SNN_MATH_WIDTH 2
#define SNN_MATH_LOAD(p) _mm_loadu_pd(p)
#define SNN_MATH_STORE(p, v) _mm_storeu_pd((p), (v))
#define SNN_MATH_SET1(x) _mm_set1_pd(x)
#define SNN_MATH_VARIANT sse2Variant
#define SNN_MATH_NAME "sse2"
#include "vm/math/elementary_vector.inc"
