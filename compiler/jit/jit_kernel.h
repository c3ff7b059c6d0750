// The LLVM back end as an engine kernel (vm/engine/kernel.h): an IR kernel compiled to native
// code by ORC's LLJIT, bound and called exactly like the VM's VmKernel (vm/interpreter/
// vm_kernel.h). One LLJIT serves the whole process; each kernel's code lives in its own
// resource tracker and is freed with the kernel.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/jit/jit_runtime.h"
#include "vm/engine/kernel.h"

namespace snn::jit {

// A kernel that failed while running (an index out of range, a full spike list): a bug.
class JitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// LLVM could not compile a kernel: an internal error, with the kernel's name and the hint to
// run with `--backend vm`.
class JitCompileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class JitKernel final : public engine::Kernel {
 public:
  // `kernel` must verify (the driver's prepareKernel). `params` holds one value per kernel
  // parameter (std::invalid_argument otherwise). JitCompileError when LLVM fails.
  explicit JitKernel(const ir::Kernel& kernel, std::vector<double> params = {});
  ~JitKernel() override;
  JitKernel(const JitKernel&) = delete;
  JitKernel& operator=(const JitKernel&) = delete;

  const engine::KernelSignature& signature() const override { return signature_; }
  void bindBuffer(std::size_t slot, std::span<double> data) override;
  void bindIndexBuffer(std::size_t slot, std::span<const engine::Index> data) override;
  void bindTable(std::size_t slot, std::span<const double> values, double table_dt) override;
  void bindSpikes(engine::SpikeOutput* output) override;
  void run(const engine::KernelClock& clock, const engine::KernelDomain& domain) override;

  // Seconds spent optimising and compiling this kernel.
  double compileSeconds() const { return compile_seconds_; }

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
  engine::KernelSignature signature_;
  std::vector<ir::BufferSlot> slots_;
  std::vector<double> params_;
  std::vector<void*> buffers_;
  std::vector<std::uint64_t> sizes_;
  std::vector<JitTable> tables_;
  engine::SpikeOutput* output_ = nullptr;
  JitKernelFunction function_ = nullptr;
  double compile_seconds_ = 0;
};

std::unique_ptr<engine::Kernel> makeJitKernel(const ir::Kernel& kernel, std::vector<double> params = {});

// The kernel's LLVM IR after the O3 pipeline the JIT runs, as text (`snnc emit llvm`).
std::string optimizedLlvmIr(const ir::Kernel& kernel);

}  // namespace snn::jit
