// The driver of an snnc built without LLVM (cmake -DSNN_WITH_JIT=OFF): the VM is the only back
// end; main.cpp checks jitAvailable() before any of the others could be reached.
#include <stdexcept>

#include "compiler/driver/backend.h"

namespace snn::driver {

namespace {
[[noreturn]] void missing() {
  throw std::logic_error("this snnc was built without LLVM (SNN_WITH_JIT=OFF): use --backend vm");
}
}  // namespace

bool jitAvailable() { return false; }
lower::KernelFactory jitFactory() { missing(); }
JitCompileReport waitForJit() { missing(); }
std::string optimizedLlvmIr(const ir::Kernel&) { missing(); }

}  // namespace snn::driver
