// JitKernel; see jit_kernel.h. Compiling is jit_engine.cpp's business; this file binds
// buffers, picks the checked or the fast form per call and turns failure statuses into errors.
#include "compiler/jit/jit_kernel.h"

#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace snn::jit {
namespace {

static_assert(std::is_same_v<engine::Index, std::int64_t>,
              "engine indices are handed to the generated code as i64 in place");

engine::KernelSignature signatureOf(const ir::Kernel& kernel) {
  engine::KernelSignature s;
  s.name = kernel.name;
  for (const ir::BufferSlot& b : kernel.buffers)
    s.buffers.push_back({b.name, b.type == ir::Type::I64, b.written});
  for (const ir::TableSlot& t : kernel.tables) s.tables.push_back(t.name);
  for (const ir::Instruction& inst : kernel.body) {
    s.emits_spikes |= inst.op == ir::Opcode::EmitSpike;
    // An elementary function or a random draw costs about as much as twenty arithmetic
    // instructions.
    bool expensive = inst.op == ir::Opcode::Rand || inst.op == ir::Opcode::Randn ||
                     inst.op == ir::Opcode::Exprel;
#define SNN_ELEMENTARY(Op, base, arity) expensive |= inst.op == ir::Opcode::Op;
#include "vm/math/elementary.def"
#undef SNN_ELEMENTARY
    s.work_per_element += expensive ? 20 : 1;
  }
  return s;
}

// Appends the indices in first .. first+count-1 whose flags are set to `storage` from `size`
// on, in index order; returns the new size. Spikes are rare, so whole words of eight flags are
// skipped at once.
std::uint64_t appendFlagged(const std::uint8_t* flags, std::size_t first, std::size_t count,
                            std::span<engine::Index> storage, std::uint64_t size) {
  const std::size_t end = first + count;
  std::size_t e = first;
  for (; e + 8 <= end; e += 8) {
    std::uint64_t word;
    std::memcpy(&word, flags + e, sizeof word);
    if (word == 0) continue;
    for (std::size_t k = e; k < e + 8; ++k) {
      if (flags[k] == 0) continue;
      if (size >= storage.size()) throw JitError("the spike list is full");
      storage[size++] = static_cast<engine::Index>(k);
    }
  }
  for (; e < end; ++e) {
    if (flags[e] == 0) continue;
    if (size >= storage.size()) throw JitError("the spike list is full");
    storage[size++] = static_cast<engine::Index>(e);
  }
  return size;
}

}  // namespace

JitKernel::JitKernel(const ir::Kernel& kernel, std::vector<double> params, Compile when)
    : signature_(signatureOf(kernel)),
      slots_(kernel.buffers),
      params_(std::move(params)),
      buffers_(kernel.buffers.size(), nullptr),
      sizes_(kernel.buffers.size(), 0),
      tables_(kernel.tables.size()) {
  if (params_.size() != kernel.params.size()) {
    throw std::invalid_argument(fmt::format("kernel `{}` has {} parameters, {} values given",
                                            kernel.name, kernel.params.size(), params_.size()));
  }
  switch (when) {
    case Compile::Now:
      compiled_ = compileKernel(kernel);
      break;
    case Compile::InBackground:
      pending_ = compileInBackground(kernel);
      break;
    case Compile::OnFirstRun:
      deferred_ = std::make_unique<ir::Kernel>(kernel);
      break;
  }
}

JitKernel::~JitKernel() = default;

void JitKernel::compile() {
  // Once, even when threads run parts of the first call; a failure is thrown to every caller
  // and tried again by the next.
  std::call_once(compile_once_, [this] {
    if (compiled_.checked != nullptr) return;
    if (deferred_) {
      compiled_ = compileKernel(*deferred_);
      deferred_.reset();
    } else {
      compiled_ = pending_.get();  // rethrows the compile thread's JitCompileError
    }
  });
}

void JitKernel::bindBuffer(std::size_t slot, std::span<double> data) {
  if (slot >= slots_.size() || slots_[slot].type != ir::Type::F64) {
    throw std::invalid_argument(
        fmt::format("kernel `{}`: slot {} is not a value buffer", signature_.name, slot));
  }
  buffers_[slot] = data.data();
  sizes_[slot] = data.size();
  disjoint_ = writtenBuffersAreDisjoint();
}

void JitKernel::bindIndexBuffer(std::size_t slot, std::span<const engine::Index> data) {
  if (slot >= slots_.size() || slots_[slot].type != ir::Type::I64) {
    throw std::invalid_argument(
        fmt::format("kernel `{}`: slot {} is not an index buffer", signature_.name, slot));
  }
  // The generated code never writes an index buffer (the IR has no store.i).
  buffers_[slot] = const_cast<engine::Index*>(data.data());
  sizes_[slot] = data.size();
  disjoint_ = writtenBuffersAreDisjoint();
}

// The fast form assumes no written buffer overlaps another bound buffer. Engines bind distinct
// arrays, except that a connection from a population to itself may bind one array to two slots
// (a presynaptic and a postsynaptic variable): then the checked form runs.
bool JitKernel::writtenBuffersAreDisjoint() const {
  auto bytes = [&](std::size_t slot) {
    const std::size_t width =
        slots_[slot].type == ir::Type::I64 ? sizeof(engine::Index) : sizeof(double);
    const auto begin = reinterpret_cast<std::uintptr_t>(buffers_[slot]);
    return std::pair{begin, begin + sizes_[slot] * width};
  };
  for (std::size_t a = 0; a < slots_.size(); ++a) {
    if (!slots_[a].written || sizes_[a] == 0) continue;
    const auto [a_begin, a_end] = bytes(a);
    for (std::size_t b = 0; b < slots_.size(); ++b) {
      if (b == a || sizes_[b] == 0) continue;
      const auto [b_begin, b_end] = bytes(b);
      if (a_begin < b_end && b_begin < a_end) return false;
    }
  }
  return true;
}

void JitKernel::bindTable(std::size_t slot, std::span<const double> values, double table_dt) {
  if (slot >= tables_.size()) {
    throw std::invalid_argument(
        fmt::format("kernel `{}`: no table slot {}", signature_.name, slot));
  }
  if (values.empty()) {
    throw std::invalid_argument(
        fmt::format("kernel `{}`: table `{}` is empty", signature_.name, signature_.tables[slot]));
  }
  tables_[slot] = JitTable{values.data(), values.size(), table_dt};
}

void JitKernel::bindSpikes(engine::SpikeOutput* output) {
  output_ = output;
  // The fast form's flags, one per element of any domain the output has room for.
  spike_flags_.assign(output != nullptr && signature_.emits_spikes ? output->storage.size() : 0, 0);
}

void JitKernel::run(const engine::KernelClock& clock, const engine::KernelDomain& domain) {
  runPart(clock, domain, output_);
}

// Touches no member but through const reads and the spike flags of its own elements, so
// threads may run disjoint slices at once.
void JitKernel::runPart(const engine::KernelClock& clock, const engine::KernelDomain& domain,
                        engine::SpikeOutput* output) {
  compile();
  JitArgs args;
  args.buffers = buffers_.data();
  args.buffer_sizes = sizes_.data();
  args.tables = tables_.data();
  args.params = params_.data();
  args.count = static_cast<std::int64_t>(domain.count);
  args.elements = domain.explicit_elements ? domain.elements.data() : nullptr;
  args.first = static_cast<std::int64_t>(domain.first);
  args.step = static_cast<std::uint64_t>(clock.step);
  args.t = clock.t;
  args.dt = clock.dt;
  args.seed = clock.seed;
  std::uint64_t spike_size = 0;
  if (output != nullptr) {
    args.spikes = output->storage.data();
    args.spike_capacity = output->storage.size();
    spike_size = output->size;
  }
  args.spike_size = &spike_size;
  bool fast = compiled_.fast != nullptr && disjoint_ && !domain.explicit_elements;
  if (fast && signature_.emits_spikes) {
    fast = output != nullptr && domain.first + domain.count <= spike_flags_.size();
    args.spike_flags = fast ? spike_flags_.data() : nullptr;
  }
  (fast ? compiled_.fast : compiled_.checked)(&args);
  if (args.spike_flags != nullptr && args.status == kJitOk) {
    spike_size =
        appendFlagged(spike_flags_.data(), domain.first, domain.count, output->storage, spike_size);
  }
  if (output != nullptr) output->size = spike_size;
  switch (args.status) {
    case kJitOk:
      return;
    case kJitIndexOutOfRange: {
      const auto slot = static_cast<std::size_t>(args.error_slot);
      throw JitError(
          fmt::format("kernel `{}`: `{}`: index {} out of range for buffer `{}` of {} elements",
                      signature_.name, ir::info(static_cast<ir::Opcode>(args.error_op)).spelling,
                      args.error_value, signature_.buffers.at(slot).name, sizes_.at(slot)));
    }
    case kJitSpikeListFull:
      throw JitError(fmt::format("kernel `{}`: the spike list is full ({} spikes)", signature_.name,
                                 args.spike_capacity));
    case kJitRandomElementOutOfRange:
      throw JitError(fmt::format("kernel `{}`: random number for element {}, outside 0..2^40",
                                 signature_.name, args.error_value));
    default:
      throw JitError(fmt::format("kernel `{}`: unknown failure {}", signature_.name, args.status));
  }
}

std::unique_ptr<engine::Kernel> makeJitKernel(const ir::Kernel& kernel, std::vector<double> params,
                                              JitKernel::Compile when) {
  return std::make_unique<JitKernel>(kernel, std::move(params), when);
}

}  // namespace snn::jit
