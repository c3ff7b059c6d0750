// The LLVM back end for the driver; see backend.h. Built when snnc has LLVM (SNN_WITH_JIT).
#include "compiler/driver/backend.h"

#include "compiler/jit/jit_engine.h"
#include "compiler/jit/jit_kernel.h"

namespace snn::driver {

bool jitAvailable() { return true; }

lower::KernelFactory jitFactory() {
  return [](ir::Kernel kernel) -> std::unique_ptr<engine::Kernel> {
    prepareKernel(kernel);
    // Kernels compile on the compile threads while lowering and set-up go on; a cold kernel
    // only if it ever runs.
    return jit::makeJitKernel(kernel, {},
                              kernel.cold ? jit::JitKernel::Compile::OnFirstRun
                                          : jit::JitKernel::Compile::InBackground);
  };
}

JitCompileReport waitForJit() {
  jit::waitForBackgroundCompiles();
  const jit::CompileTotals totals = jit::compileTotals();
  return {totals.kernels, totals.lower_seconds, totals.optimize_seconds, totals.codegen_seconds};
}

std::string optimizedLlvmIr(const ir::Kernel& kernel) { return jit::optimizedLlvmIr(kernel); }

}  // namespace snn::driver
