// The array forms of vm/math/elementary.h once per instruction set, behind one table of
// function pointers each, so that elementary.cpp can pick the widest one the CPU runs and the
// tests can check every one the CPU runs against the scalar forms.
//
// Each x86-64 variant lives in its own translation unit compiled with its -m flag
// (elementary_sse2.cpp, elementary_avx.cpp, elementary_avx512.cpp, sharing
// elementary_vector.inc): only code behind a run-time CPU check may use AVX. For the same
// reason this header declares plain data only, no inline functions: an inline function
// instantiated in the AVX-512 unit could be the copy the linker keeps for every caller.
//
// Internal to vm/math (and its tests).
#pragma once

#include <cstddef>

namespace snn::math::detail {

using UnaryArray = void (*)(const double* x, double* out, std::size_t n);
using BinaryArray = void (*)(const double* x, const double* y, double* out, std::size_t n);
using BinaryArrayRS = void (*)(const double* x, double y, double* out, std::size_t n);
using BinaryArraySR = void (*)(double x, const double* y, double* out, std::size_t n);

// One member per function of elementary.def (named by its SLEEF stem; binary ones also have
// the RS and SR forms), then expm1 and exprel.
struct ArrayVariant {
  const char* name;
#define SNN_MATH_MEMBER_1(base) UnaryArray base;
#define SNN_MATH_MEMBER_2(base) \
  BinaryArray base;             \
  BinaryArrayRS base##RS;       \
  BinaryArraySR base##SR;
#define SNN_ELEMENTARY(Name, base, arity) SNN_MATH_MEMBER_##arity(base)
#include "vm/math/elementary.def"
#undef SNN_ELEMENTARY
#undef SNN_MATH_MEMBER_2
#undef SNN_MATH_MEMBER_1
  UnaryArray expm1;
  UnaryArray exprel;
};

// SLEEF's scalar variant in a loop: every CPU, every architecture.
const ArrayVariant& scalarVariant();
#if SNN_MATH_X86_VARIANTS
// Two, four and eight doubles per call; callable only where the CPU has SSE2 (every x86-64),
// AVX and AVX-512F respectively.
const ArrayVariant& sse2Variant();
const ArrayVariant& avxVariant();
const ArrayVariant& avx512Variant();
#endif

// The variants this CPU runs, narrowest first: scalar always, then sse2, avx, avx512 as
// supported. The array forms of elementary.h use the last one.
std::size_t supportedVariantCount();
const ArrayVariant& supportedVariant(std::size_t i);

}  // namespace snn::math::detail
