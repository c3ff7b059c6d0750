// The ABI between JIT-compiled kernels and the C++ side: the argument block every kernel
// function receives, its status codes, and the out-of-line helpers (timed arrays, fmod) that
// generated code calls through absolute symbols. The helpers are the very functions the VM
// uses (or copies of its scalar loops), so both back ends give the same bits. Elementary
// functions are SLEEF's (vector_library.h); random numbers are Philox inlined by the lowering.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snn::jit {

// One timed array as the kernel sees it.
struct JitTable {
  const double* values = nullptr;
  std::uint64_t size = 0;
  double dt = 0;
};

// Every field is 8 bytes wide so the lowering addresses them by offsetof with no padding
// surprises. The kernel reads everything but the status fields and *spike_size.
struct JitArgs {
  void* const* buffers = nullptr;  // slot -> double* or const int64_t*
  const std::uint64_t* buffer_sizes = nullptr;
  const JitTable* tables = nullptr;
  const double* params = nullptr;
  std::int64_t count = 0;
  const std::int64_t* elements = nullptr;  // null: the domain is first .. first+count-1
  std::uint64_t step = 0;
  double t = 0;
  double dt = 0;
  std::uint64_t seed = 0;
  std::int64_t* spikes = nullptr;
  std::uint64_t spike_capacity = 0;
  std::uint64_t* spike_size = nullptr;
  // Written by the kernel (or a helper) when it stops on an error.
  std::int64_t status = 0;
  std::int64_t error_value = 0;  // the bad index or element
  std::int64_t error_slot = 0;   // the buffer slot
  std::int64_t error_op = 0;     // the ir::Opcode that failed
  // The fast form (llvm_lowering.h) writes spike_flags[e] = 1 or 0 for every element instead
  // of appending to `spikes`; null when the kernel emits no spikes.
  std::uint8_t* spike_flags = nullptr;
  // Without `elements`, the domain is first .. first+count-1 (threads run slices of a range).
  std::int64_t first = 0;
};

enum JitStatus : std::int64_t {
  kJitOk = 0,
  kJitIndexOutOfRange = 1,
  kJitSpikeListFull = 2,
  kJitRandomElementOutOfRange = 3,
};

using JitKernelFunction = void (*)(JitArgs*);

// The helpers, with C linkage so their names are what the generated code declares.
extern "C" {
double snn_jit_timed(const JitTable* table, double at, double sim_dt);
double snn_jit_mod(double x, double y);
}

// Name and address of every helper, for registering them with the JIT.
struct JitHelper {
  const char* name;
  void* address;
};
std::size_t jitHelperCount();
const JitHelper* jitHelpers();

}  // namespace snn::jit
