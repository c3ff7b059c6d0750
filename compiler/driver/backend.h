// Back ends as the driver sees them: what turns an IR kernel into something the engine runs.
// The VM's is the only one today; the LLVM JIT (issue 4) becomes another factory here.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/lower/lower.h"

namespace snn::driver {

// Optimises (fold, CSE, DCE), verifies and compiles to bytecode for the VM. A kernel that fails
// verification is a compiler bug: std::logic_error with the kernel's name and the problems.
lower::KernelFactory bytecodeFactory();

// Optimises and verifies, then compiles to native code with LLVM (compiler/jit). A kernel LLVM
// cannot compile is a jit::JitCompileError naming it, with the hint to use `--backend vm`.
lower::KernelFactory jitFactory();

// Keeps each optimised kernel (for `snnc emit ir` / `emit bytecode`) and returns null.
lower::KernelFactory collectingFactory(std::vector<ir::Kernel>& kernels);

// Optimise and verify, as every factory does first.
void prepareKernel(ir::Kernel& kernel);

}  // namespace snn::driver
