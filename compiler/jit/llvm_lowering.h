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

// `kernel` must verify (ir::verify). The module declares the helpers it calls by their C names.
std::unique_ptr<llvm::Module> lowerKernel(const ir::Kernel& kernel, llvm::LLVMContext& context,
                                          const std::string& function_name);

}  // namespace snn::jit
