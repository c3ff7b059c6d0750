// The LLVM back end as an engine kernel (vm/engine/kernel.h): an IR kernel compiled to native
// code by ORC's LLJIT, bound and called exactly like the VM's VmKernel (vm/interpreter/
// vm_kernel.h). One LLJIT serves the whole process; each kernel's code lives in its own
// resource tracker and is freed with the kernel.
#pragma once

#include <cstddef>
#include <future>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/jit/jit_engine.h"
#include "compiler/jit/jit_runtime.h"
#include "vm/engine/kernel.h"

namespace snn::jit {

// A kernel that failed while running (an index out of range, a full spike list): a bug.
class JitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class JitKernel final : public engine::Kernel {
 public:
  // When the machine code is made: before the constructor returns, on the compile threads
  // (the first run waits for it), or on the first run (kernels that rarely run at all).
  enum class Compile { Now, InBackground, OnFirstRun };

  // `kernel` must verify (the driver's prepareKernel). `params` holds one value per kernel
  // parameter (std::invalid_argument otherwise). JitCompileError when LLVM fails: from the
  // constructor or, when compiled later, from the first run().
  explicit JitKernel(const ir::Kernel& kernel, std::vector<double> params = {},
                     Compile when = Compile::Now);
  ~JitKernel() override;
  JitKernel(const JitKernel&) = delete;
  JitKernel& operator=(const JitKernel&) = delete;

  const engine::KernelSignature& signature() const override { return signature_; }
  void bindBuffer(std::size_t slot, std::span<double> data) override;
  void bindIndexBuffer(std::size_t slot, std::span<const engine::Index> data) override;
  void bindTable(std::size_t slot, std::span<const double> values, double table_dt) override;
  void bindSpikes(engine::SpikeOutput* output) override;
  void run(const engine::KernelClock& clock, const engine::KernelDomain& domain) override;
  bool concurrent() const override { return true; }
  void runPart(const engine::KernelClock& clock, const engine::KernelDomain& domain,
               engine::SpikeOutput* spikes) override;

  // Compiles now if that is still to be done (run() does it too). JitCompileError.
  void compile();

 private:
  bool writtenBuffersAreDisjoint() const;

  CompiledKernel compiled_;
  std::shared_future<CompiledKernel> pending_;  // Compile::InBackground, until compile()
  std::unique_ptr<ir::Kernel> deferred_;        // Compile::OnFirstRun, until compile()
  engine::KernelSignature signature_;
  std::vector<ir::BufferSlot> slots_;
  std::vector<double> params_;
  std::vector<void*> buffers_;
  std::vector<std::uint64_t> sizes_;
  std::vector<JitTable> tables_;
  engine::SpikeOutput* output_ = nullptr;
  bool disjoint_ = true;  // no written buffer overlaps another: the fast form may run
  std::once_flag compile_once_;
  std::vector<std::uint8_t> spike_flags_;
};

std::unique_ptr<engine::Kernel> makeJitKernel(const ir::Kernel& kernel,
                                              std::vector<double> params = {},
                                              JitKernel::Compile when = JitKernel::Compile::Now);

}  // namespace snn::jit
