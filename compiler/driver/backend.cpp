// The VM back end and the collecting factory; see backend.h.
#include "compiler/driver/backend.h"

#include <stdexcept>

#include <fmt/format.h>

#include "compiler/codegen/bytecode_compiler.h"
#include "compiler/ir/passes.h"
#include "compiler/ir/verifier.h"
#include "vm/interpreter/vm_kernel.h"

namespace snn::driver {

namespace {

void verifyOrThrow(const ir::Kernel& kernel, const char* when) {
  if (auto problems = ir::verify(kernel); !problems.empty()) {
    throw std::logic_error(fmt::format("internal error: kernel `{}` does not verify {}: {}",
                                       kernel.name, when, fmt::join(problems, "; ")));
  }
}

}  // namespace

void prepareKernel(ir::Kernel& kernel) {
  verifyOrThrow(kernel, "after lowering");
  ir::optimize(kernel);
  verifyOrThrow(kernel, "after optimisation");
}

lower::KernelFactory bytecodeFactory() {
  return [](ir::Kernel kernel) -> std::unique_ptr<engine::Kernel> {
    prepareKernel(kernel);
    return interpreter::makeVmKernel(codegen::compileToBytecode(kernel));
  };
}

lower::KernelFactory collectingFactory(std::vector<ir::Kernel>& kernels) {
  return [&kernels](ir::Kernel kernel) -> std::unique_ptr<engine::Kernel> {
    prepareKernel(kernel);
    kernels.push_back(std::move(kernel));
    return nullptr;
  };
}

}  // namespace snn::driver
