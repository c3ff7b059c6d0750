// The simulation engine: owns the state of every group and connection of a plan and advances it
// step by step in Brian2's default schedule. Shared by every back end (the kernels are opaque,
// kernel.h); the protocol (runs, assignments, `at` blocks, prints) is driven from outside through
// this interface, so the engine stays a mechanism.
//
// One step from t to t + dt:
//   0. actions scheduled at this step (scheduleAt: `at` blocks)
//   1. state monitors record the values at t (when (step - start) % every == 0)
//   2. summed variables: each target variable is zeroed, then every summed kernel accumulates
//   3. updates: every group's `update`, then every connection's clock-driven `update`; then the
//      "_fault" check (NonFiniteError)
//   4. thresholds: every group's `threshold` (neurons, Poisson groups), spike generators emit
//      their spikes of this step; spike monitors record (a spike is stamped t)
//   5. synapses: spikes are exchanged and pushed into the delay queues; for each connection in
//      plan order, `on_pre` on the synapses whose spikes arrive now (zero delay: this step); then
//      for each connection `on_post` on the synapses onto the neurons that spiked in this step;
//      then poisson inputs add their draws
//   6. resets: every group's `reset` on its spiking neurons
//   7. rate monitors record spikes / (N dt)
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "vm/engine/indices.h"
#include "vm/engine/plan.h"

namespace snn::engine {

// A variable became NaN or infinite: the run stops at the end of the step's update phase.
class NonFiniteError : public std::runtime_error {
 public:
  NonFiniteError(std::string message, std::string owner, Index index, std::string variable,
                 double time, double last_finite);
  std::string owner;  // group or connection name
  Index index;        // neuron or synapse
  std::string variable;
  double time;         // seconds: the start of the step whose update failed
  double last_finite;  // SI: the value before that step
};

// What a run or a connection would need is more memory than the limit: refused before allocating.
class MemoryRefusal : public std::runtime_error {
 public:
  MemoryRefusal(std::string message, std::uint64_t estimate_bytes, std::uint64_t limit_bytes);
  std::uint64_t estimate_bytes;
  std::uint64_t limit_bytes;
  std::string owner;  // the connection refused; empty for recordings  // what was left: the limit less what the simulation held already
};

// A user error found while running (a connection probability outside [0, 1], a target index
// out of range, ...), with the name of what failed; the driver adds the source location.
class SimulationError : public std::runtime_error {
 public:
  SimulationError(std::string message, std::string owner);
  std::string owner;
};

struct SimulationOptions {
  // Bytes the simulation may hold (synapses, monitors); 0: MemAvailable of /proc/meminfo (or
  // unlimited where there is none).
  std::uint64_t memory_limit = 0;
  // Threads for connection generation and for the calls of concurrent kernels over ranges
  // (neuron updates and thresholds, clock-driven synapse updates); 1: the calling thread only.
  unsigned threads = 1;
  // A call is split only when elements x work per element (KernelSignature) reaches this:
  // below, waking the workers costs more than it saves. Tests set 0 to split everything.
  std::size_t min_parallel_work = 1000000;
};

struct SpikeRecording {
  std::size_t group = 0;
  Step first_step = 0;  // the first step recorded; mean rates divide by the time since
  std::vector<Index> indices;
  std::vector<Step> steps;
};

struct RateRecording {
  std::size_t group = 0;
  Step first_step = 0;
  std::vector<double> rates;  // Hz, one per step
};

struct StateRecording {
  bool of_connection = false;
  std::size_t owner = 0;
  std::string variable;
  std::vector<Index> indices;  // recorded neurons or synapses
  Step every = 1;              // steps between samples
  std::vector<Step> steps;     // when each row was taken
  std::vector<double> values;  // row-major: steps.size() rows of indices.size() values (SI)
};

enum class RunOutcome : std::uint8_t { Completed, Interrupted };

class Simulation {
 public:
  // Allocates every group (variables at their initial values, then `init`), generates every
  // connection in plan order (refusing, with MemoryRefusal, one whose estimated storage exceeds
  // the limit), runs their `init` and delay kernels, and binds every kernel. Throws
  // SimulationError for user errors found on the way.
  Simulation(SimulationPlan plan, SimulationOptions options = {});
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  const SimulationPlan& plan() const;
  Step currentStep() const;  // the next step to run; t = currentStep() * dt
  double currentTime() const;

  // Monitors start recording at the next step. They return an index into the recordings.
  std::size_t recordSpikes(std::size_t group);
  std::size_t recordRate(std::size_t group);
  // every_steps >= 1; indices must be in range (std::out_of_range otherwise).
  std::size_t recordState(bool of_connection, std::size_t owner, std::string variable,
                          std::vector<Index> indices, Step every_steps);

  // Runs `steps` steps. Before starting, refuses (MemoryRefusal) when the monitors would grow
  // past the memory limit (spike monitors estimated from 100 Hz per neuron). Checks `stop`
  // (when given) between steps; when it is set, returns Interrupted after the current step.
  //
  // `progress`, when given, is called with the number of steps done so far every
  // `progress_interval` steps (and not at all for shorter runs): the driver's progress line.
  RunOutcome run(Step steps, const std::atomic<bool>* stop = nullptr,
                 const std::function<void(Step done)>& progress = {},
                 Step progress_interval = 1000);

  // Runs `action` at the start of step `step` (phase 0), once; actions of one step run in the
  // order they were scheduled. A step already past runs at the start of the next run.
  void scheduleAt(Step step, std::function<void(Simulation&)> action);

  // Runs a kernel over some neurons of a group or synapses of a connection now (assignments of
  // the protocol). The kernel is bound like the group's (connection's) own kernels.
  void runOnGroup(std::size_t group, Kernel& kernel, std::span<const Index> elements);
  void runOnConnection(std::size_t connection, Kernel& kernel, std::span<const Index> elements);

  // State, for prints, plots and outputs. std::out_of_range for an unknown name.
  std::span<const double> groupVariable(std::size_t group, std::string_view name) const;
  std::span<const double> connectionVariable(std::size_t connection, std::string_view name) const;
  Index groupSize(std::size_t group) const;
  Index synapseCount(std::size_t connection) const;
  std::span<const Index> synapsePre(std::size_t connection) const;
  std::span<const Index> synapsePost(std::size_t connection) const;

  const std::vector<SpikeRecording>& spikeRecordings() const;
  const std::vector<RateRecording>& rateRecordings() const;
  const std::vector<StateRecording>& stateRecordings() const;

  // Bytes held by synapses and recordings now.
  std::uint64_t memoryBytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace snn::engine
