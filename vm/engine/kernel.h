// What the engine runs: a compiled kernel, bytecode for the VM today, a native function from the
// LLVM back end later, a GPU kernel after that. The engine knows nothing of how a kernel is
// made; it binds the kernel's named arrays to its own storage once, and calls it with a clock
// and a domain. A kernel's signature (the names of what it reads and writes) is the whole
// contract between lowering and the engine; the naming conventions are in plan.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "vm/engine/indices.h"

namespace snn::engine {

struct KernelBufferInfo {
  std::string name;
  bool is_index = false;  // i64 (neuron or synapse indices) rather than f64 values
  bool written = false;
};

struct KernelSignature {
  std::string name;  // "E.update", "E->I.on_pre", ...
  std::vector<KernelBufferInfo> buffers;  // slot k is buffers[k]
  std::vector<std::string> tables;        // timed arrays, slot k is tables[k]
  bool emits_spikes = false;
  // Instructions per element: a rough cost, for deciding whether a call is worth splitting
  // between threads.
  std::size_t work_per_element = 0;
};

struct KernelClock {
  Step step = 0;
  double t = 0;   // step * dt, seconds
  double dt = 0;  // seconds
  std::uint64_t seed = 0;
};

// The elements one call runs over: first .. first+count-1 when `explicit_elements` is false,
// else exactly `elements` in that order.
struct KernelDomain {
  std::size_t count = 0;
  std::span<const Index> elements;
  bool explicit_elements = false;
  std::size_t first = 0;

  static KernelDomain range(std::size_t n) { return {n, {}, false, 0}; }
  // Part of a range, for a caller that splits one call between threads.
  static KernelDomain slice(std::size_t first, std::size_t n) { return {n, {}, false, first}; }
  static KernelDomain list(std::span<const Index> e) { return {e.size(), e, true, 0}; }
};

// Where a kernel that emits spikes appends them (the elements for which its condition held, in
// domain order). `storage` must have room for the whole domain.
struct SpikeOutput {
  std::span<Index> storage;
  std::size_t size = 0;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual const KernelSignature& signature() const = 0;

  // Slots are indices into signature().buffers / tables. Spans must outlive the kernel's calls
  // and be rebound if their storage moves.
  virtual void bindBuffer(std::size_t slot, std::span<double> data) = 0;
  virtual void bindIndexBuffer(std::size_t slot, std::span<const Index> data) = 0;
  virtual void bindTable(std::size_t slot, std::span<const double> values, double table_dt) = 0;
  virtual void bindSpikes(SpikeOutput* output) = 0;

  // Runs the kernel once over the domain. Must not allocate. Errors (an index out of range: a
  // bug) throw std::runtime_error subclasses.
  virtual void run(const KernelClock& clock, const KernelDomain& domain) = 0;

  // Whether runPart may be called from several threads at once, on disjoint slices of a range
  // (threads split neuron updates this way; vm/engine/thread_pool.h). The VM's kernels keep
  // their registers in the kernel object, so they cannot.
  virtual bool concurrent() const { return false; }
  // As run, but spikes go to `spikes` (each part its own, joined in order by the caller).
  // Only for kernels that are concurrent(); all their bindings must be made before.
  virtual void runPart(const KernelClock& clock, const KernelDomain& domain, SpikeOutput* spikes);
};

inline void Kernel::runPart(const KernelClock&, const KernelDomain&, SpikeOutput*) {
  throw std::logic_error("kernel `" + signature().name + "` cannot run in parts");
}

}  // namespace snn::engine
