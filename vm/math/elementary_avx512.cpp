// The AVX-512 variant of the array forms, eight doubles per call, through SLEEF's
// avx512fnofma functions (AVX-512F only, no fused multiply-add, so the same bits as the
// others); compiled with -mavx512f (see CMakeLists.txt) and called only where the CPU has
// AVX-512F; see elementary_variants.h.
#define SNN_MATH_SLEEF(base) Sleef_cinz_##base##d8_u10avx512fnofma
#define SNN_MATH_VECTOR __m512d
#define SNN_MATH_WIDTH 8
#define SNN_MATH_LOAD(p) _mm512_loadu_pd(p)
#define SNN_MATH_STORE(p, v) _mm512_storeu_pd((p), (v))
#define SNN_MATH_SET1(x) _mm512_set1_pd(x)
#define SNN_MATH_VARIANT avx512Variant
#define SNN_MATH_NAME "avx512"
#include "vm/math/elementary_vector.inc"
