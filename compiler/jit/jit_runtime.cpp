// The helpers JIT-compiled kernels call; see jit_runtime.h. Each one is the scalar form of what
// the interpreter does (vm/interpreter/interpreter.cpp: sampleTable, randomRows; execute.inc:
// modF), so that a kernel gives the same bits whichever back end runs it.
#include "compiler/jit/jit_runtime.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "vm/random/counter_rng.h"

namespace snn::jit {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double draw(JitArgs* args, std::int64_t element, std::uint64_t stream, std::uint64_t index,
            bool normal) {
  if (element < 0 || static_cast<std::uint64_t>(element) >= random::kElementLimit) {
    // The kernel runs on; the C++ side sees the status after the call and throws.
    if (args->status == kJitOk) {
      args->status = kJitRandomElementOutOfRange;
      args->error_value = element;
    }
    return kNaN;
  }
  const auto e = static_cast<std::uint64_t>(element);
  const auto s = static_cast<std::uint32_t>(stream);
  return normal ? random::normal(args->seed, s, e, args->step, index)
                : random::uniform(args->seed, s, e, args->step, index);
}

}  // namespace

extern "C" {

double snn_jit_rand(JitArgs* args, std::int64_t element, std::uint64_t stream, std::uint64_t index) {
  return draw(args, element, stream, index, false);
}
double snn_jit_randn(JitArgs* args, std::int64_t element, std::uint64_t stream, std::uint64_t index) {
  return draw(args, element, stream, index, true);
}

double snn_jit_timed(const JitTable* table, double x, double sim_dt) {
  // Brian2's TimedArray, exactly as the interpreter's sampleTable.
  const double k = std::max(std::exp2(std::ceil(std::log2(8.0 / sim_dt * table->dt))), 1.0);
  const double epsilon = table->dt / k;
  const std::size_t last = table->size - 1;
  if (std::isnan(x)) return kNaN;
  double position = (x / epsilon + 0.5) / k;
  std::size_t index = position < 1                               ? 0
                      : position >= static_cast<double>(last) ? last
                                                              : static_cast<std::size_t>(position);
  return table->values[index];
}

double snn_jit_mod(double x, double y) {
  double r = std::fmod(x, y);
  if (r != 0 && ((r < 0) != (y < 0))) r += y;
  return r;
}
double snn_jit_pow(double x, double y) { return std::pow(x, y); }
double snn_jit_exp(double x) { return std::exp(x); }
double snn_jit_log(double x) { return std::log(x); }
double snn_jit_log10(double x) { return std::log10(x); }
double snn_jit_sin(double x) { return std::sin(x); }
double snn_jit_cos(double x) { return std::cos(x); }
double snn_jit_tan(double x) { return std::tan(x); }
double snn_jit_sinh(double x) { return std::sinh(x); }
double snn_jit_cosh(double x) { return std::cosh(x); }
double snn_jit_tanh(double x) { return std::tanh(x); }
double snn_jit_asin(double x) { return std::asin(x); }
double snn_jit_acos(double x) { return std::acos(x); }
double snn_jit_atan(double x) { return std::atan(x); }
double snn_jit_exprel(double x) { return x == 0 ? 1.0 : std::expm1(x) / x; }

}  // extern "C"

namespace {
#define SNN_JIT_HELPER(name) JitHelper{#name, reinterpret_cast<void*>(&name)}
const JitHelper kHelpers[] = {
    SNN_JIT_HELPER(snn_jit_rand),  SNN_JIT_HELPER(snn_jit_randn), SNN_JIT_HELPER(snn_jit_timed),
    SNN_JIT_HELPER(snn_jit_mod),   SNN_JIT_HELPER(snn_jit_pow),   SNN_JIT_HELPER(snn_jit_exp),
    SNN_JIT_HELPER(snn_jit_log),   SNN_JIT_HELPER(snn_jit_log10), SNN_JIT_HELPER(snn_jit_sin),
    SNN_JIT_HELPER(snn_jit_cos),   SNN_JIT_HELPER(snn_jit_tan),   SNN_JIT_HELPER(snn_jit_sinh),
    SNN_JIT_HELPER(snn_jit_cosh),  SNN_JIT_HELPER(snn_jit_tanh),  SNN_JIT_HELPER(snn_jit_asin),
    SNN_JIT_HELPER(snn_jit_acos),  SNN_JIT_HELPER(snn_jit_atan),  SNN_JIT_HELPER(snn_jit_exprel),
};
#undef SNN_JIT_HELPER
}  // namespace

std::size_t jitHelperCount() { return std::size(kHelpers); }
const JitHelper* jitHelpers() { return kHelpers; }

}  // namespace snn::jit
