// Synaptic delays: spikes of step s reach their synapses in step s + round(delay / dt).
//
// Two queues, picked per connection by SynapseStorage::heterogeneousDelays():
//
//  - HomogeneousSpikeQueue: one delay for every synapse of a connection. The queue keeps the
//    spike batches (presynaptic indices) of the last max_delay + 1 steps in a ring indexed by
//    the spike's own step; a connection with delay d reads the batch of step t - d at step t
//    and expands it to rows of its CSR. One queue can serve every outgoing connection of a
//    source population (size it from their largest delay), so each spike is stored once. Cost:
//    O(spikes) per step, independent of the number of synapses.
//  - HeterogeneousSpikeQueue: a delay per synapse (Brian2's SpikeQueue, what NEST's per-synapse
//    delays amount to on the delivery side). A spike of step s enqueues each synapse of its row
//    into the slot of its arrival step s + d[syn], modulo max_delay + 1; due(t) returns the
//    synapse ids arriving at t. Cost: O(synapses of the spiking neurons) per step, which
//    delivery pays anyway. NEST's other design, per-neuron input ring buffers on the post side,
//    only works when every event adds a weight into a buffer; our `on pre` runs arbitrary code
//    on synapse variables (STDP), so it needs the synapse, not just the target.
//
// A zero delay acts in the step of the spike: push(t) before due(t) in the same step (the
// schedule's thresholds come before propagation). Slots are stamped with the step they hold,
// so a stale slot is cleared on reuse and never delivered twice; clearing keeps capacity, so
// once the queue has seen its largest batch it does not allocate again.
//
// Pushes may come late, as long as they arrive before the spikes are due: with spikes exchanged
// between processes every min_delay steps (spike_exchange.h), a spike of step s can be pushed up
// to min_delay - 1 steps after s. Order of delivery is the order of pushes, then ascending
// within a row, so the results do not depend on anything but the pushes.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "vm/engine/indices.h"
#include "vm/engine/synapse_storage.h"

namespace snn::engine {

// round(delay / dt), half away from zero, in steps. Throws std::domain_error for a negative or
// non-finite delay, a dt that is not positive, or a delay of 2^32 steps or more.
DelaySteps delayToSteps(double delay_seconds, double dt_seconds);

class HomogeneousSpikeQueue {
 public:
  explicit HomogeneousSpikeQueue(DelaySteps max_delay_steps);

  DelaySteps maxDelaySteps() const { return static_cast<DelaySteps>(slots_.size() - 1); }

  // Appends the spikes of step `step` (several pushes for one step add up). Throws
  // std::logic_error when `step` is older than the ring holds.
  void push(Step step, std::span<const Index> spikes);
  // The spikes of step `step - delay_steps`, i.e. the batch a connection with that delay
  // delivers in `step`. Empty for steps before 0, steps without spikes, and steps pushed over.
  // delay_steps must be at most maxDelaySteps().
  std::span<const Index> due(Step step, DelaySteps delay_steps) const;

  // Bytes of slot capacity: constant once warmed up (tests check there is no allocation).
  std::size_t capacityBytes() const;

 private:
  struct Slot {
    Step step = -1;
    std::vector<Index> spikes;
  };
  std::vector<Slot> slots_;
  Step newest_ = -1;
};

class HeterogeneousSpikeQueue {
 public:
  // Reads the rows and per-synapse delays of `synapses`, which must outlive the queue; the ring
  // has synapses.maxDelaySteps() + 1 slots. `first_step` is the first step due() will be asked.
  explicit HeterogeneousSpikeQueue(const SynapseStorage& synapses, Step first_step = 0);

  std::size_t slotCount() const { return slots_.size(); }

  // Enqueues the synapses of every neuron in `spikes`, which spiked in `step`. Throws
  // std::logic_error when some of them would arrive in a step that due() has already returned.
  void push(Step step, std::span<const Index> spikes);
  // The synapse ids whose events arrive in `step`. Every step from first_step on is asked once,
  // in order (std::logic_error otherwise): a skipped step would drop its events silently.
  std::span<const Index> due(Step step);

  std::size_t capacityBytes() const;

 private:
  struct Slot {
    Step step = -1;
    std::vector<Index> synapses;
  };
  const SynapseStorage* synapses_;
  std::vector<Slot> slots_;
  Step next_due_ = 0;  // the first step due() has not returned yet
};

}  // namespace snn::engine
