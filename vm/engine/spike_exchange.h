// Where the spikes of a step go between the threshold test and synaptic propagation.
//
// In one process a spike can be pushed into the delay queues as soon as it happens. Distributed
// simulators (NEST, Arbor) instead gather the spikes of every process and exchange them once
// every min_delay steps: a spike of step s is only needed at step s + min_delay, so a collective
// exchange per min_delay steps loses nothing and amortises the communication. The engine talks
// to that choice through SpikeExchange only: it submits each step's local spikes, then calls
// exchange() once per step before propagation, and the exchange hands batches to a SpikeSink
// (the delay queues of each source population) when it has them. LocalSpikeExchange is the
// single-process implementation; with interval() > 1 it holds spikes back exactly like an MPI
// exchange would, which lets the tests show that late delivery changes nothing. An MPI
// implementation gathers (source, step, spikes) records with MPI_Allgatherv in exchange().
//
// Ordering: batches reach the sink grouped by source, then in step order, then in submission
// order, whatever the interval; an MPI exchange must sort the gathered records by (source, step,
// neuron) so that the result does not depend on the number of processes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "vm/engine/indices.h"

namespace snn::engine {

class SpikeSink {
 public:
  // The spikes of population `source` (global indices) in step `step`.
  virtual void deliver(std::size_t source, Step step, std::span<const Index> spikes) = 0;

 protected:
  ~SpikeSink() = default;
};

class SpikeExchange {
 public:
  virtual ~SpikeExchange() = default;
  // Steps between two deliveries; at most the smallest delay of the model (or 1 when it is 0).
  virtual DelaySteps interval() const = 0;
  // The spikes of this process's neurons of population `source` in step `step`.
  virtual void submit(std::size_t source, Step step, std::span<const Index> spikes) = 0;
  // Called once per step, after every submit() of the step and before propagation. Delivers
  // every spike held back when `step` ends an interval (steps k*interval() - 1).
  virtual void exchange(Step step, SpikeSink& sink) = 0;
};

// The interval that loses nothing: spikes of step s are delivered at the latest at step
// s + interval - 1, before the earliest arrival s + min_delay.
inline DelaySteps exchangeInterval(DelaySteps min_delay_steps) {
  return min_delay_steps == 0 ? 1 : min_delay_steps;
}

class LocalSpikeExchange final : public SpikeExchange {
 public:
  LocalSpikeExchange(std::size_t source_count, DelaySteps interval);

  DelaySteps interval() const override { return interval_; }
  void submit(std::size_t source, Step step, std::span<const Index> spikes) override;
  void exchange(Step step, SpikeSink& sink) override;

  std::size_t capacityBytes() const;

 private:
  struct Batch {
    Step step;
    std::size_t begin, end;  // into Held::spikes
  };
  struct Held {
    std::vector<Batch> batches;
    std::vector<Index> spikes;
  };
  std::vector<Held> held_;  // one per source
  DelaySteps interval_;
};

}  // namespace snn::engine
