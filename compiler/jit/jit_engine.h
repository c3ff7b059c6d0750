// The process's one LLJIT and the compile threads that feed it. A kernel is compiled in four
// steps: IR -> LLVM IR (llvm_lowering.h), the O3 pipeline for the host CPU, machine code as an
// object file, and linking that object into the JIT. The first three touch only the kernel's
// own LLVMContext and a target machine private to the thread, so kernels compile in parallel on
// the compile threads while the driver lowers the next kernel and the engine builds synapses;
// only linking goes through the shared session. LLVM reports failures as llvm::Error values,
// which never leave jit_engine.cpp: each becomes a JitCompileError naming the kernel.
#pragma once

#include <future>
#include <memory>
#include <stdexcept>
#include <string>

#include "compiler/ir/ir.h"
#include "compiler/jit/jit_runtime.h"

namespace snn::jit {

// LLVM could not compile a kernel: an internal error, with the kernel's name and the hint to
// run with `--backend vm`.
class JitCompileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A kernel's machine code, freed from the JIT when the last owner lets go.
class CompiledKernel {
 public:
  class Code;  // the kernel's resource tracker
  std::shared_ptr<Code> code;
  JitKernelFunction checked = nullptr;  // any domain, every access checked
  JitKernelFunction fast = nullptr;     // whole ranges, vectorised; null when there is none
  double optimize_seconds = 0;          // the O3 pipeline
  double codegen_seconds = 0;           // instruction selection to object file, and linking
};

// Compiles now, on the calling thread. Throws JitCompileError.
CompiledKernel compileKernel(const ir::Kernel& kernel);

// Queues the kernel on the compile threads; the future holds the result or JitCompileError.
std::shared_future<CompiledKernel> compileInBackground(ir::Kernel kernel);

// Blocks until every kernel queued so far is compiled (failures stay in their futures).
void waitForBackgroundCompiles();

// What compiling has cost this process so far, summed over threads (seconds of CPU time, not of
// wall time: two threads compiling for 0.1 s each add 0.2 s).
struct CompileTotals {
  int kernels = 0;
  double lower_seconds = 0;     // IR -> LLVM IR
  double optimize_seconds = 0;  // O3
  double codegen_seconds = 0;   // machine code and linking
};
CompileTotals compileTotals();

// The kernel's LLVM IR after the O3 pipeline the JIT runs, as text (`snnc emit llvm`).
std::string optimizedLlvmIr(const ir::Kernel& kernel);

}  // namespace snn::jit
