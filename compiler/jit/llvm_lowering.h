// IR kernel -> LLVM IR: one function `void NAME(JitArgs*)` holding the element loop the IR
// leaves implicit (ir.h). Every instruction is lowered so that the result equals the VM's bit
// for bit: f64 arithmetic with no fast-math flags (so no contraction into FMA and no
// reassociation), libm and the other non-IEEE operations as calls to the helpers of
// jit_runtime.h (which LLVM cannot recognise and rewrite), and every buffer index checked
// against its buffer's size before the access.
#pragma once

#include <memory>
#include <string>

#include "compiler/ir/ir.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace snn::jit {

// A kernel's module: the checked function, which runs any domain with every access checked,
// and for kernels run over whole ranges a fast function (`fast_name`, empty when there is none)
// that checks its own-element accesses once per call, records spikes as flags in
// JitArgs::spike_flags and lets LLVM vectorise. The fast function requires that no written
// buffer overlaps another bound buffer; its other preconditions it checks itself, calling the
// checked function when they fail. Both give the same bits.
struct LoweredKernel {
  std::unique_ptr<llvm::Module> module;
  std::string checked_name;
  std::string fast_name;
};

// `kernel` must verify (ir::verify). The module declares the helpers it calls by their C names.
LoweredKernel lowerKernel(const ir::Kernel& kernel, llvm::LLVMContext& context,
                          const std::string& function_name);

}  // namespace snn::jit
