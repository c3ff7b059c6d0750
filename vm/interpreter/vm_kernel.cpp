// VmKernel: the engine's Kernel interface over an ExecutionContext; see vm_kernel.h.
#include "vm/interpreter/vm_kernel.h"

#include <limits>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace snn::interpreter {
namespace {

static_assert(std::is_same_v<engine::Index, std::int64_t>,
              "engine indices are bound to the interpreter's i64 buffers in place");

engine::KernelSignature signatureOf(const BytecodeKernel& code) {
  engine::KernelSignature s;
  s.name = code.name;
  for (const BufferInfo& b : code.buffers) s.buffers.push_back({b.name, b.is_index, b.written});
  s.tables = code.tables;
  for (const Instruction& inst : code.body_code)
    s.emits_spikes |= static_cast<Op>(inst.op) == Op::Spike;
  return s;
}

std::uint32_t slotOf(std::size_t slot) {
  // A slot beyond 32 bits is out of range for any kernel; the context reports it by number.
  return slot > std::numeric_limits<std::uint32_t>::max()
             ? std::numeric_limits<std::uint32_t>::max()
             : static_cast<std::uint32_t>(slot);
}

}  // namespace

VmKernel::VmKernel(BytecodeKernel code, std::vector<double> params)
    : code_(std::move(code)),
      params_(std::move(params)),
      signature_(signatureOf(code_)),
      context_(code_) {
  if (params_.size() != code_.params.size()) {
    throw std::invalid_argument(fmt::format("kernel `{}` has {} parameters, {} values given",
                                            code_.name, code_.params.size(), params_.size()));
  }
  if (!params_.empty()) context_.bindParams(params_);
}

void VmKernel::bindBuffer(std::size_t slot, std::span<double> data) {
  context_.bindBuffer(slotOf(slot), data);
}

void VmKernel::bindIndexBuffer(std::size_t slot, std::span<const engine::Index> data) {
  context_.bindIndexBuffer(slotOf(slot), data);
}

void VmKernel::bindTable(std::size_t slot, std::span<const double> values, double table_dt) {
  context_.bindTable(slotOf(slot), TableView{values, table_dt});
}

void VmKernel::bindSpikes(engine::SpikeOutput* output) {
  output_ = output;
  context_.bindSpikes(output == nullptr ? nullptr : &spikes_);
}

void VmKernel::run(const engine::KernelClock& clock, const engine::KernelDomain& domain) {
  context_.setClock(static_cast<std::uint64_t>(clock.step), clock.t, clock.dt);
  context_.setSeed(clock.seed);
  if (domain.explicit_elements) {
    context_.setDomain(domain.elements);
  } else {
    // The engine splits ranges only for concurrent() kernels, which these are not.
    if (domain.first != 0) throw std::logic_error("VM kernels run whole ranges only");
    context_.setDomain(domain.count);
  }
  if (output_ != nullptr) {
    spikes_.storage = output_->storage;
    spikes_.size = output_->size;
  }
  interpreter::run(code_, context_);
  if (output_ != nullptr) output_->size = spikes_.size;
}

std::unique_ptr<engine::Kernel> makeVmKernel(BytecodeKernel code, std::vector<double> params) {
  return std::make_unique<VmKernel>(std::move(code), std::move(params));
}

}  // namespace snn::interpreter
