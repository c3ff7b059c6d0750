// The AVX variant of the array forms, four doubles per call; compiled with -mavx (see
// CMakeLists.txt) and called only where the CPU has AVX; see elementary_variants.h.
#define SNN_MATH_SLEEF(base) Sleef_cinz_##base##d4_u10avx
#define SNN_MATH_VECTOR __m256d
#define SNN_MATH_WIDTH 4
#define SNN_MATH_LOAD(p) _mm256_loadu_pd(p)
#define SNN_MATH_STORE(p, v) _mm256_storeu_pd((p), (v))
#define SNN_MATH_SET1(x) _mm256_set1_pd(x)
#define SNN_MATH_VARIANT avxVariant
#define SNN_MATH_NAME "avx"
#include "vm/math/elementary_vector.inc"
