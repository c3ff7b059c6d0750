// The synapses of one connection, stored the way spike propagation reads them.
//
// A presynaptic spike touches every synapse of its neuron's row, so synapses are stored by
// presynaptic neuron (CSR): synapse ids are positions, row i owns ids [row_offsets[i],
// row_offsets[i+1]), and within a row the targets ascend. Every per-synapse array (post index,
// pre index, the model's variables, delays) is indexed by that id, so a kernel over "the
// synapses of the spiking neurons" reads contiguous runs. `on post` and summed variables walk
// the other way, from a postsynaptic neuron to its synapses: a post-side index (CSC-like) lists,
// for each target, the ids of the synapses that reach it, in ascending id (so ascending pre)
// order. It is a permutation of the ids, not a second copy of the variables.
//
// Arrays are plain std::vectors handed out as spans: a GPU or distributed back end replaces this
// class by one with the same accessors (a rank of an MPI run would hold the synapses onto its
// own postsynaptic neurons, rows still indexed by the global presynaptic index, as in NEST).
//
// Memory: estimateBytes() gives what a connection will hold before anything is allocated, so
// the engine can refuse an experiment with the estimate instead of dying half-way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vm/engine/indices.h"

namespace snn::engine {

// Synapses in CSR order, as connection generation produces them (connectivity.h): row_offsets
// has n_pre + 1 entries starting at 0, post has one entry per synapse, each row's targets
// strictly ascending.
struct Connectivity {
  Index n_pre = 0;
  Index n_post = 0;
  std::vector<Index> row_offsets{0};
  std::vector<Index> post;

  std::size_t size() const { return post.size(); }
};

class SynapseStorage {
 public:
  // Bytes a SynapseStorage of n_synapses synapses with n_variables f64 variables will hold:
  // post, pre and post-side ids (8 bytes each per synapse), the variables (8 each), delay steps
  // (4, only when heterogeneous), and the two offset arrays (8 per neuron). Saturates at
  // UINT64_MAX instead of wrapping. Generation's own temporaries stay below this figure (see
  // connectivity.h), so it bounds the peak as well.
  static std::uint64_t estimateBytes(std::uint64_t n_pre, std::uint64_t n_post,
                                     std::uint64_t n_synapses, std::uint64_t n_variables,
                                     bool heterogeneous_delays);

  SynapseStorage() = default;
  // Takes the arrays over and builds the pre index and the post-side index. Throws
  // std::invalid_argument when the arrays break the CSR invariants above.
  explicit SynapseStorage(Connectivity connectivity);

  Index preCount() const { return n_pre_; }
  Index postCount() const { return n_post_; }
  Index size() const { return static_cast<Index>(post_.size()); }

  // Row i: synapse ids [rowBegin(i), rowEnd(i)).
  Index rowBegin(Index pre) const { return row_offsets_[static_cast<std::size_t>(pre)]; }
  Index rowEnd(Index pre) const { return row_offsets_[static_cast<std::size_t>(pre) + 1]; }
  std::span<const Index> rowOffsets() const { return row_offsets_; }
  std::span<const Index> postIndex() const { return post_; }
  std::span<const Index> preIndex() const { return pre_; }

  // Post side: the ids of the synapses onto `post` are postOrder()[postOffsets()[post] ..
  // postOffsets()[post + 1]), ascending.
  std::span<const Index> postOffsets() const { return post_offsets_; }
  std::span<const Index> postOrder() const { return post_order_; }
  std::span<const Index> synapsesOnto(Index post) const;

  // Appends the ids of every synapse of the given presynaptic neurons (rows), in the order of
  // `pres`, then ascending within a row; of every synapse onto the given targets likewise.
  // Reuses `out`'s capacity: no allocation once it has grown to the largest batch.
  void appendRows(std::span<const Index> pres, std::vector<Index>& out) const;
  void appendOnto(std::span<const Index> posts, std::vector<Index>& out) const;

  // Per-synapse f64 variables, by name. addVariable throws std::invalid_argument when the name
  // exists; variable() throws std::out_of_range when it does not. Spans stay valid while the
  // storage lives (adding another variable does not move existing data).
  std::span<double> addVariable(std::string name, double initial_value = 0.0);
  bool hasVariable(std::string_view name) const;
  std::span<double> variable(std::string_view name);
  std::span<const double> variable(std::string_view name) const;
  std::vector<std::string> variableNames() const;  // in order of addition

  // Delays, in steps. One value for the whole connection, or one per synapse; setDelaySteps
  // with per-synapse values that are all equal stores one value (Brian2 does the same), so
  // heterogeneousDelays() is true only when the queue really has to sort by synapse.
  void setDelaySteps(DelaySteps uniform_delay);
  void setDelaySteps(std::vector<DelaySteps> per_synapse);  // size() entries
  bool heterogeneousDelays() const { return !delay_steps_.empty(); }
  DelaySteps delaySteps(Index synapse) const;
  std::span<const DelaySteps> perSynapseDelaySteps() const { return delay_steps_; }
  DelaySteps minDelaySteps() const { return min_delay_; }
  DelaySteps maxDelaySteps() const { return max_delay_; }

  // What the storage holds now, counted like estimateBytes (sizes, not capacities).
  std::uint64_t memoryBytes() const;

 private:
  struct Variable {
    std::string name;
    std::vector<double> values;
  };

  Index n_pre_ = 0;
  Index n_post_ = 0;
  std::vector<Index> row_offsets_{0};
  std::vector<Index> post_;
  std::vector<Index> pre_;
  std::vector<Index> post_offsets_{0};
  std::vector<Index> post_order_;
  std::vector<Variable> variables_;
  std::vector<DelaySteps> delay_steps_;  // empty: every synapse has min_delay_
  DelaySteps min_delay_ = 0;
  DelaySteps max_delay_ = 0;
};

}  // namespace snn::engine
