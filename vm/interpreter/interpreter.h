// The bytecode interpreter: what the engine calls to run one kernel over one domain.
//
// The engine makes one ExecutionContext per kernel when it loads the model: the constructor
// verifies the bytecode and allocates the registers, the only allocation the interpreter ever
// makes. It then binds the kernel's slots to its own arrays (once, and again only if an array
// moves), and before each call sets what changes: the clock, the domain, the spike list's
// contents. run() allocates nothing and checks, in time proportional to the slots and the
// domain, everything that would otherwise make it touch memory it was not given; any problem
// is an InterpreterError (a bug of the caller or the compiler), never a crash.
//
// Semantics of one call: the uniform section runs once, then the body runs over the domain in
// batches of kBatchSize elements, each instruction over the whole batch before the next. Writes
// are therefore visible to later instructions of every element of the batch, and scatters and
// accumulations apply in element order (several synapses onto one target add up in order).
// Spikes are appended in domain order when the kernel has one `spike`. A context is one
// kernel's state: threads that run the same kernel need a context each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "vm/interpreter/bytecode.h"

namespace snn::interpreter {

// A timed array: values[k] holds from k * dt. Sampling at time x follows Brian2's TimedArray:
// index = int((x / epsilon + 0.5) / K), clamped to the table, with K the power of two at least
// 8 * dt / (the simulation's dt) and epsilon = dt / K, which is robust to rounding in x.
struct TableView {
  std::span<const double> values;
  double dt = 0;
};

// The kernel's spike output, storage owned by the engine. run() appends after `size`.
struct SpikeList {
  std::span<std::int64_t> storage;
  std::size_t size = 0;

  std::span<const std::int64_t> spikes() const { return storage.first(size); }
  void clear() { size = 0; }
};

// The instruction sets the body loop is compiled for (x86-64 micro-architecture levels, where the
// compiler has them). Every one gives the same bits; the wider ones are faster. A context uses
// the best this CPU has unless told otherwise (tests run them all).
enum class InstructionSet : std::uint8_t { Baseline, X86_64_V3, X86_64_V4 };

// Compiled in and supported by this CPU, from the baseline up.
std::span<const InstructionSet> availableInstructionSets();
std::string_view name(InstructionSet set);

// A register word: an f64, an i64, or a bool as the f64 0.0 or 1.0.
union Word {
  double f;
  std::int64_t i;
};

// Bad bindings or out-of-range indices found while running. The instruction that finds an
// out-of-range index applies nothing to that batch; earlier batches and earlier instructions of
// the same batch have been applied.
class InterpreterError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Frame;  // execute.h
// Runs one section of a kernel; one per instruction set (execute.h).
using SectionFunction = void (*)(const Instruction* ip, Word* regs, Word* scalars, std::size_t rows,
                                 Frame& frame);

class ExecutionContext {
 public:
  // Verifies the kernel (BytecodeError listing every problem) and allocates its registers.
  // `kernel` must outlive the context and not move: run() checks it is given the same object.
  explicit ExecutionContext(const BytecodeKernel& kernel);
  ExecutionContext(const ExecutionContext&) = delete;
  ExecutionContext& operator=(const ExecutionContext&) = delete;

  // Binding: slot numbers are the kernel's (the IR's). A span of the wrong kind for the slot,
  // or a slot out of range, is an InterpreterError.
  void bindBuffer(std::uint32_t slot, std::span<double> data);
  void bindIndexBuffer(std::uint32_t slot, std::span<const std::int64_t> data);
  void bindParams(std::span<const double> params);      // at least kernel.params.size() values
  void bindTable(std::uint32_t slot, TableView table);  // at least one value, dt > 0
  void bindSpikes(SpikeList* spikes);

  // Per call.
  void setClock(std::uint64_t step, double time, double dt) {
    step_ = step;
    time_ = time;
    dt_ = dt;
  }
  void setSeed(std::uint64_t seed) { seed_ = seed; }
  void setDomain(std::size_t count) {  // elements 0 .. count-1
    domain_count_ = count;
    domain_elements_ = {};
    explicit_domain_ = false;
  }
  void setDomain(std::span<const std::int64_t> elements) {  // these elements, in this order
    domain_count_ = elements.size();
    domain_elements_ = elements;
    explicit_domain_ = true;
  }

  // One of availableInstructionSets(), else an InterpreterError.
  void setInstructionSet(InstructionSet set);
  InstructionSet instructionSet() const { return instruction_set_; }

  const BytecodeKernel& kernel() const { return *kernel_; }
  // The register arena, for tests that check run() does not reallocate it.
  const Word* registerArena() const { return arena_.get(); }

 private:
  friend void run(const BytecodeKernel& kernel, ExecutionContext& context);
  struct AlignedDelete {
    void operator()(Word* p) const;
  };

  const BytecodeKernel* kernel_;
  std::vector<std::span<double>> buffers_;
  std::vector<std::span<const std::int64_t>> index_buffers_;
  std::vector<char> buffer_bound_;
  std::vector<TableView> tables_;
  std::vector<char> table_bound_;
  std::span<const double> params_;
  bool params_bound_ = false;
  SpikeList* spikes_ = nullptr;
  std::uint64_t step_ = 0;
  std::uint64_t seed_ = 0;
  double time_ = 0;
  double dt_ = 0;
  std::size_t domain_count_ = 0;
  std::span<const std::int64_t> domain_elements_;
  bool explicit_domain_ = false;
  // What the code needs, found once at construction.
  std::vector<char> element_addressed_;  // buffer slots read or written at e
  bool uses_spikes_ = false;
  bool uses_tables_ = false;
  InstructionSet instruction_set_ = InstructionSet::Baseline;
  SectionFunction body_ = nullptr;                // the loop compiled for instruction_set_
  std::unique_ptr<Word[], AlignedDelete> arena_;  // vector registers, then scalar registers
  Word* vector_registers_ = nullptr;
  Word* scalar_registers_ = nullptr;
};

// Runs `kernel` once over the context's domain. `context` must have been made for `kernel`.
void run(const BytecodeKernel& kernel, ExecutionContext& context);

}  // namespace snn::interpreter
