// The interpreter: execution contexts, the checks before a call, and the call itself; see
// interpreter.h. The loop that runs a section is in execute.inc, compiled once per instruction
// set (execute.h); this file picks the variant and holds what is compiled only once: the
// inputs (random numbers, timed arrays) and the errors.
#include "vm/interpreter/interpreter.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>

#include <fmt/format.h>

#include "vm/interpreter/execute.h"
#include "vm/random/counter_rng.h"

namespace snn::interpreter {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kArenaAlignment = 64;

[[noreturn]] [[gnu::cold]] [[gnu::noinline]] void fail(const BytecodeKernel& k, std::string what) {
  throw InterpreterError(fmt::format("kernel `{}`: {}", k.name, what));
}

struct Variant {
  InstructionSet set;
  SectionFunction body;
};

// The variants compiled in and supported by this CPU, baseline first.
std::span<const Variant> variants() {
  static const auto table = [] {
    std::array<Variant, 3> all{};
    std::size_t count = 0;
    all[count++] = {InstructionSet::Baseline, &executeBodyBaseline};
#if SNN_VM_X86_64_LEVELS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v3"))
      all[count++] = {InstructionSet::X86_64_V3, &executeBodyX86_64_V3};
    if (__builtin_cpu_supports("x86-64-v4"))
      all[count++] = {InstructionSet::X86_64_V4, &executeBodyX86_64_V4};
#endif
    return std::make_pair(all, count);
  }();
  return std::span<const Variant>(table.first.data(), table.second);
}

}  // namespace

// --- out of line parts of the loop (execute.h)

void failIndexOutOfRange(const Frame& f, Op op, std::uint16_t slot, const Word* index,
                         std::size_t n, std::size_t size) {
  std::int64_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (static_cast<std::uint64_t>(index[i].i) >= size) {
      bad = index[i].i;
      break;
    }
  }
  fail(*f.kernel, fmt::format("`{}`: index {} out of range for buffer `{}` of {} elements",
                              opInfo(op).mnemonic, bad, f.kernel->buffers[slot].name, size));
}

void failSpikeListFull(const Frame& f) {
  fail(*f.kernel, fmt::format("the spike list is full ({} spikes)", f.spikes->storage.size()));
}

void failExtraExecuted(const Frame& f) {
  fail(*f.kernel, "an `extra` word was executed");
}

void sampleTable(Word* __restrict r, const Word* __restrict at, std::size_t n, const TableView& t,
                 double sim_dt) {
  // Brian2's TimedArray (brian2/input/timedarray.py, _find_K and the C++ template).
  const double k = std::max(std::exp2(std::ceil(std::log2(8.0 / sim_dt * t.dt))), 1.0);
  const double epsilon = t.dt / k;
  const std::size_t last = t.values.size() - 1;
  const double* values = t.values.data();
  for (std::size_t i = 0; i < n; ++i) {
    double x = at[i].f;
    if (std::isnan(x)) {
      r[i].f = kNaN;
      continue;
    }
    double position = (x / epsilon + 0.5) / k;
    std::size_t index = position < 1 ? 0
                        : position >= static_cast<double>(last)
                            ? last
                            : static_cast<std::size_t>(position);
    r[i].f = values[index];
  }
}

// The draw of a random instruction: stream in A, draw index in B:C of its `extra` word.
void randomRows(Word* __restrict r, const Word* __restrict element, std::size_t n, const Frame& f,
                const Instruction& extra, bool normal) {
  const std::uint32_t stream = extra.a;
  const std::uint64_t draw = (std::uint64_t{extra.b} << 16) | extra.c;
  const std::uint64_t first = static_cast<std::uint64_t>(element[0].i);
  bool contiguous = true;
  for (std::size_t i = 0; i < n; ++i)
    contiguous &= static_cast<std::uint64_t>(element[i].i) == first + i;
  if (contiguous && first < random::kElementLimit && random::kElementLimit - first >= n) {
    // The common case (element = e over a range): the batched fill, bit-identical to the scalar.
    double values[kBatchSize];
    std::span<double> out(values, n);
    if (normal) {
      random::normalFill(f.seed, stream, f.step, draw, first, out);
    } else {
      random::uniformFill(f.seed, stream, f.step, draw, first, out);
    }
    for (std::size_t i = 0; i < n; ++i) r[i].f = values[i];
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t e = element[i].i;
    if (e < 0 || static_cast<std::uint64_t>(e) >= random::kElementLimit) {
      fail(*f.kernel, fmt::format("random number for element {}, outside 0..2^40", e));
    }
    r[i].f = normal ? random::normal(f.seed, stream, static_cast<std::uint64_t>(e), f.step, draw)
                    : random::uniform(f.seed, stream, static_cast<std::uint64_t>(e), f.step, draw);
  }
}

std::span<const InstructionSet> availableInstructionSets() {
  static const auto sets = [] {
    std::array<InstructionSet, 3> out{};
    std::size_t count = 0;
    for (const Variant& v : variants()) out[count++] = v.set;
    return std::make_pair(out, count);
  }();
  return std::span<const InstructionSet>(sets.first.data(), sets.second);
}

std::string_view name(InstructionSet set) {
  switch (set) {
    case InstructionSet::Baseline:
      return "baseline";
    case InstructionSet::X86_64_V3:
      return "x86-64-v3";
    case InstructionSet::X86_64_V4:
      return "x86-64-v4";
  }
  return "?";
}

void ExecutionContext::AlignedDelete::operator()(Word* p) const {
  ::operator delete[](p, std::align_val_t{kArenaAlignment});
}

ExecutionContext::ExecutionContext(const BytecodeKernel& kernel) : kernel_(&kernel) {
  auto problems = verifyBytecode(kernel);
  if (!problems.empty()) {
    std::string text = fmt::format("kernel `{}` has invalid bytecode:", kernel.name);
    for (const auto& p : problems) text += "\n  " + p;
    throw BytecodeError(text);
  }
  std::size_t slots = kernel.buffers.size();
  buffers_.assign(slots, {});
  index_buffers_.assign(slots, {});
  buffer_bound_.assign(slots, 0);
  element_addressed_.assign(slots, 0);
  tables_.assign(kernel.tables.size(), {});
  table_bound_.assign(kernel.tables.size(), 0);
  for (const auto* code : {&kernel.uniform_code, &kernel.body_code}) {
    for (const Instruction& inst : *code) {
      switch (static_cast<Op>(inst.op)) {
        case Op::LoadE:
        case Op::LoadIndexE:
        case Op::StoreE:
        case Op::AccumulateE:
          element_addressed_[inst.c] = 1;
          break;
        case Op::Spike:
          uses_spikes_ = true;
          break;
        case Op::Timed:
          uses_tables_ = true;
          break;
        default:
          break;
      }
    }
  }
  instruction_set_ = variants().back().set;
  body_ = variants().back().body;
  std::size_t words =
      std::size_t{kernel.num_vector_registers} * kBatchSize + kernel.num_scalar_registers;
  arena_.reset(static_cast<Word*>(
      ::operator new[](words * sizeof(Word), std::align_val_t{kArenaAlignment})));
  std::memset(static_cast<void*>(arena_.get()), 0, words * sizeof(Word));
  vector_registers_ = arena_.get();
  scalar_registers_ = arena_.get() + std::size_t{kernel.num_vector_registers} * kBatchSize;
  for (std::size_t c = 0; c < kernel.constants.size(); ++c) {
    scalar_registers_[kernel.firstConstantRegister() + c].i =
        std::bit_cast<std::int64_t>(kernel.constants[c].bits);
  }
}

void ExecutionContext::bindBuffer(std::uint32_t slot, std::span<double> data) {
  if (slot >= kernel_->buffers.size() || kernel_->buffers[slot].is_index) {
    fail(*kernel_, fmt::format("buffer slot {} is not an f64 buffer", slot));
  }
  buffers_[slot] = data;
  buffer_bound_[slot] = 1;
}

void ExecutionContext::bindIndexBuffer(std::uint32_t slot, std::span<const std::int64_t> data) {
  if (slot >= kernel_->buffers.size() || !kernel_->buffers[slot].is_index) {
    fail(*kernel_, fmt::format("buffer slot {} is not an index buffer", slot));
  }
  index_buffers_[slot] = data;
  buffer_bound_[slot] = 1;
}

void ExecutionContext::bindParams(std::span<const double> params) {
  if (params.size() < kernel_->params.size()) {
    fail(*kernel_, fmt::format("{} parameters bound, the kernel has {}", params.size(),
                               kernel_->params.size()));
  }
  params_ = params;
  params_bound_ = true;
}

void ExecutionContext::bindTable(std::uint32_t slot, TableView table) {
  if (slot >= kernel_->tables.size())
    fail(*kernel_, fmt::format("table slot {} out of range", slot));
  if (table.values.empty() || !(table.dt > 0) || !std::isfinite(table.dt)) {
    fail(*kernel_, fmt::format("table `{}` needs at least one value and a positive dt",
                               kernel_->tables[slot]));
  }
  tables_[slot] = table;
  table_bound_[slot] = 1;
}

void ExecutionContext::bindSpikes(SpikeList* spikes) {
  spikes_ = spikes;
}

void ExecutionContext::setInstructionSet(InstructionSet set) {
  for (const Variant& v : variants()) {
    if (v.set != set) continue;
    instruction_set_ = set;
    body_ = v.body;
    return;
  }
  fail(*kernel_, fmt::format("the {} loop is not available on this machine", name(set)));
}

void run(const BytecodeKernel& kernel, ExecutionContext& ctx) {
  if (&kernel != ctx.kernel_) {
    fail(kernel, fmt::format("the execution context was made for kernel `{}`", ctx.kernel_->name));
  }
  // Bindings: every slot the code touches must be bound.
  for (std::size_t slot = 0; slot < kernel.buffers.size(); ++slot) {
    if (!ctx.buffer_bound_[slot])
      fail(kernel, fmt::format("buffer `{}` is not bound", kernel.buffers[slot].name));
  }
  for (std::size_t slot = 0; slot < kernel.tables.size(); ++slot) {
    if (!ctx.table_bound_[slot])
      fail(kernel, fmt::format("table `{}` is not bound", kernel.tables[slot]));
  }
  if (!kernel.params.empty() && !ctx.params_bound_) fail(kernel, "parameters are not bound");
  if (ctx.uses_spikes_ && ctx.spikes_ == nullptr) fail(kernel, "no spike list is bound");
  if (ctx.uses_tables_ && !(ctx.dt_ > 0 && std::isfinite(ctx.dt_))) {
    fail(kernel, fmt::format("dt = {} s: timed arrays need a positive dt", ctx.dt_));
  }
  if (ctx.step_ >= random::kStepLimit)
    fail(kernel, fmt::format("step {} is beyond 2^40", ctx.step_));

  const std::size_t count = ctx.domain_count_;
  if (count == 0) return;
  // The domain: elements must be valid random counters and within every buffer read or
  // written at e, so the .e forms run unchecked.
  std::uint64_t end = count;
  if (ctx.explicit_domain_) {
    std::int64_t lo = 0, hi = 0;
    for (std::int64_t e : ctx.domain_elements_) {
      lo = std::min(lo, e);
      hi = std::max(hi, e);
    }
    if (lo < 0) fail(kernel, fmt::format("the domain has the negative element {}", lo));
    end = static_cast<std::uint64_t>(hi) + 1;
  }
  if (end > random::kElementLimit)
    fail(kernel, fmt::format("the domain reaches element {}, beyond 2^40", end - 1));
  for (std::size_t slot = 0; slot < kernel.buffers.size(); ++slot) {
    if (!ctx.element_addressed_[slot]) continue;
    std::size_t size =
        kernel.buffers[slot].is_index ? ctx.index_buffers_[slot].size() : ctx.buffers_[slot].size();
    if (size < end) {
      fail(kernel, fmt::format("buffer `{}` has {} elements, the domain reaches element {}",
                               kernel.buffers[slot].name, size, end - 1));
    }
  }

  Word* scalars = ctx.scalar_registers_;
  scalars[kTimeRegister].f = ctx.time_;
  scalars[kDtRegister].f = ctx.dt_;
  scalars[kCountRegister].i = static_cast<std::int64_t>(count);
  for (std::size_t p = 0; p < kernel.params.size(); ++p)
    scalars[kFirstParamRegister + p].f = ctx.params_[p];

  Frame frame{&kernel,
              ctx.buffers_.data(),
              ctx.index_buffers_.data(),
              ctx.tables_.data(),
              ctx.explicit_domain_ ? ctx.domain_elements_.data() : nullptr,
              0,
              ctx.spikes_,
              ctx.seed_,
              ctx.step_,
              ctx.dt_};
  executeUniform(kernel.uniform_code.data(), scalars, scalars, 1, frame);
  const SectionFunction body = ctx.body_;
  for (std::size_t base = 0; base < count; base += kBatchSize) {
    frame.base = base;
    body(kernel.body_code.data(), ctx.vector_registers_, scalars,
         std::min(kBatchSize, count - base), frame);
  }
}

}  // namespace snn::interpreter
