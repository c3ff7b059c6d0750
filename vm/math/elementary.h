// The elementary functions of kernels: one definition, shared by every place that gives a kernel
// its meaning. The constant folder (compiler/ir/scalar_semantics.cpp), the bytecode VM
// (vm/interpreter/execute.inc), the normal random numbers (vm/random/counter_rng.h) and the
// LLVM back end all evaluate exp, log, sin ... through these, so folding a constant, running a
// kernel on the VM and running it natively give the same bits on any CPU. The C library cannot
// promise that: glibc's results change between versions, and a vectorising back end would
// need a vector library anyway. SLEEF 3.5.1's deterministic variants (Sleef_cinz_*, no fused
// multiply-add, at most 1.0 ulp of error) give the same bits at every vector width, so the
// array forms below use the widest width the CPU has and still agree with the scalar forms.
//
// The functions themselves are listed once in vm/math/elementary.def.
#pragma once

#include <cstddef>
#include <string_view>

namespace snn::math {

// --- one element: SLEEF's scalar variant (Sleef_cinz_<f>d1_u10purec)
double exp(double x);
double log(double x);
double log10(double x);
double expm1(double x);
double sin(double x);
double cos(double x);
double tan(double x);
double sinh(double x);
double cosh(double x);
double tanh(double x);
double asin(double x);
double acos(double x);
double atan(double x);
double pow(double x, double y);
// (e^x - 1) / x, with exprel(0) = 1: Brian2's definition, accurate near 0 through expm1.
double exprel(double x);

// --- arrays: out[i] = f(x[i]) for i < n, bit for bit what the scalar form gives, through the
//     widest SLEEF vector variant this CPU supports (checked once) and the scalar form for the
//     tail. `out` may be `x` itself; it must not overlap it otherwise.
void expArray(const double* x, double* out, std::size_t n);
void logArray(const double* x, double* out, std::size_t n);
void log10Array(const double* x, double* out, std::size_t n);
void expm1Array(const double* x, double* out, std::size_t n);
void sinArray(const double* x, double* out, std::size_t n);
void cosArray(const double* x, double* out, std::size_t n);
void tanArray(const double* x, double* out, std::size_t n);
void sinhArray(const double* x, double* out, std::size_t n);
void coshArray(const double* x, double* out, std::size_t n);
void tanhArray(const double* x, double* out, std::size_t n);
void asinArray(const double* x, double* out, std::size_t n);
void acosArray(const double* x, double* out, std::size_t n);
void atanArray(const double* x, double* out, std::size_t n);
void exprelArray(const double* x, double* out, std::size_t n);
// pow with both operands arrays (out[i] = pow(x[i], y[i])), or one of them a scalar broadcast
// to every element: RS is array ** scalar, SR scalar ** array (the VM's operand forms).
void powArray(const double* x, const double* y, double* out, std::size_t n);
void powArrayRS(const double* x, double y, double* out, std::size_t n);
void powArraySR(double x, const double* y, double* out, std::size_t n);

// The variant the array forms use on this CPU: "avx512", "avx", "sse2" or "scalar".
std::string_view arrayVariantName();

}  // namespace snn::math
