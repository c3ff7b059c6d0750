// The bytecode interpreter as an engine kernel (vm/engine/kernel.h): the engine binds and calls
// every kernel through the same interface, whether bytecode runs it here or native code from
// the LLVM back end. A VmKernel owns its bytecode and the one execution context the interpreter
// needs per kernel, so the engine holds nothing interpreter-specific.
//
// The signature is read off the bytecode: its buffer slots (kind and whether written), its
// tables, and whether its code contains the `spike` op. Parameters (the bytecode's `param`
// slots) are not part of the engine's contract: lowering folds what is uniform into constants
// or hands the values in here, once, in the kernel's parameter order.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "vm/engine/kernel.h"
#include "vm/interpreter/bytecode.h"
#include "vm/interpreter/interpreter.h"

namespace snn::interpreter {

class VmKernel final : public engine::Kernel {
 public:
  // Verifies the bytecode (BytecodeError). `params` must hold one value per kernel parameter
  // (std::invalid_argument otherwise).
  explicit VmKernel(BytecodeKernel code, std::vector<double> params = {});
  VmKernel(const VmKernel&) = delete;
  VmKernel& operator=(const VmKernel&) = delete;

  const engine::KernelSignature& signature() const override { return signature_; }
  void bindBuffer(std::size_t slot, std::span<double> data) override;
  void bindIndexBuffer(std::size_t slot, std::span<const engine::Index> data) override;
  void bindTable(std::size_t slot, std::span<const double> values, double table_dt) override;
  void bindSpikes(engine::SpikeOutput* output) override;
  void run(const engine::KernelClock& clock, const engine::KernelDomain& domain) override;

  const BytecodeKernel& code() const { return code_; }
  // For tests and benchmarks that pick the loop's instruction set.
  ExecutionContext& context() { return context_; }

 private:
  BytecodeKernel code_;  // before context_, which points at it
  std::vector<double> params_;
  engine::KernelSignature signature_;
  ExecutionContext context_;
  // The interpreter's spike list mirrors the engine's SpikeOutput around each call (the same
  // storage, two structs because neither library may depend on the other's).
  SpikeList spikes_;
  engine::SpikeOutput* output_ = nullptr;
};

std::unique_ptr<engine::Kernel> makeVmKernel(BytecodeKernel code, std::vector<double> params = {});

}  // namespace snn::interpreter
