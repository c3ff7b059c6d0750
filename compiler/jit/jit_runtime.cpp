// The helpers JIT-compiled kernels call; see jit_runtime.h. Each one is the scalar form of what
// the interpreter does (vm/interpreter/interpreter.cpp: sampleTable; execute.inc: modF), so
// that a kernel gives the same bits whichever back end runs it.
#include "compiler/jit/jit_runtime.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace snn::jit {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

extern "C" {

double snn_jit_timed(const JitTable* table, double x, double sim_dt) {
  // Brian2's TimedArray, exactly as the interpreter's sampleTable.
  const double k = std::max(std::exp2(std::ceil(std::log2(8.0 / sim_dt * table->dt))), 1.0);
  const double epsilon = table->dt / k;
  const std::size_t last = table->size - 1;
  if (std::isnan(x)) return kNaN;
  double position = (x / epsilon + 0.5) / k;
  std::size_t index = position < 1                            ? 0
                      : position >= static_cast<double>(last) ? last
                                                              : static_cast<std::size_t>(position);
  return table->values[index];
}

double snn_jit_mod(double x, double y) {
  double r = std::fmod(x, y);
  if (r != 0 && ((r < 0) != (y < 0))) r += y;
  return r;
}

}  // extern "C"

namespace {
#define SNN_JIT_HELPER(name)                \
  JitHelper {                               \
#name, reinterpret_cast < void*>(&name) \
  }
const JitHelper kHelpers[] = {
    SNN_JIT_HELPER(snn_jit_timed),
    SNN_JIT_HELPER(snn_jit_mod),
};
#undef SNN_JIT_HELPER
}  // namespace

std::size_t jitHelperCount() {
  return std::size(kHelpers);
}
const JitHelper* jitHelpers() {
  return kHelpers;
}

}  // namespace snn::jit
