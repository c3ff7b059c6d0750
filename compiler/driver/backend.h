// Back ends as the driver sees them: what turns an IR kernel into something the engine runs.
// The VM's is always there; the LLVM JIT's only when snnc was built with LLVM (SNN_WITH_JIT,
// the default): jit_backend.cpp, or no_jit_backend.cpp which says it is missing.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/lower/lower.h"

namespace snn::driver {

// Optimises (fold, CSE, DCE), verifies and compiles to bytecode for the VM. A kernel that fails
// verification is a compiler bug: std::logic_error with the kernel's name and the problems.
lower::KernelFactory bytecodeFactory();

// Whether this snnc has the LLVM back end.
bool jitAvailable();

// Optimises and verifies, then compiles to native code with LLVM (compiler/jit) on the compile
// threads. A kernel LLVM cannot compile is a jit::JitCompileError naming it, with the hint to
// use `--backend vm` (thrown by its first run). std::logic_error without the JIT.
lower::KernelFactory jitFactory();

// Waits for the kernels still compiling; what compiling has cost (CPU seconds over threads).
struct JitCompileReport {
  int kernels = 0;
  double lower_seconds = 0, optimize_seconds = 0, codegen_seconds = 0;
};
JitCompileReport waitForJit();

// `snnc emit llvm`: the kernel's optimised LLVM IR. std::logic_error without the JIT.
std::string optimizedLlvmIr(const ir::Kernel& kernel);

// Keeps each optimised kernel (for `snnc emit ir` / `emit bytecode`) and returns null.
lower::KernelFactory collectingFactory(std::vector<ir::Kernel>& kernels);

// Optimise and verify, as every factory does first.
void prepareKernel(ir::Kernel& kernel);

}  // namespace snn::driver
