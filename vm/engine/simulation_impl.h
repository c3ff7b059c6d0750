// The state behind Simulation (simulation.h), shared by the files that implement it:
// simulation_setup.cpp (allocation, connection generation), kernel_binding.cpp (names to
// arrays), simulation.cpp (the step loop and the public interface) and monitors.cpp
// (recordings). Private to vm/engine.
//
// Every array a kernel is bound to is allocated once, at its final size, before the kernel is
// bound, and never resized: group variables are vectors made at the group's size, synapse
// variables live in SynapseStorage (whose spans stay valid), and the state vectors are
// reserved before they are filled, so no binding ever dangles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vm/engine/kernel.h"
#include "vm/engine/plan.h"
#include "vm/engine/simulation.h"
#include "vm/engine/spike_exchange.h"
#include "vm/engine/spike_queue.h"
#include "vm/engine/thread_pool.h"
#include "vm/engine/synapse_storage.h"
#include "vm/random/binomial.h"

namespace snn::engine {

inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);

struct GroupState {
  Index size = 0;
  std::vector<std::string> names;           // the plan's variables, then "_fault" if any
  std::vector<std::vector<double>> values;  // parallel to names, each of `size` values
  std::size_t fault = kNone;                // index of "_fault" in values
  std::vector<Index> spike_storage;         // `size` entries: room for every neuron
  SpikeOutput spikes;                       // this step's spikes, in spike_storage
  std::size_t generator_cursor = 0;         // next entry of the plan's generator lists
  // "lastspike" and "not_refractory" when the group has them: the engine sets them for the
  // neurons that spiked (plan.h), so that threshold kernels write nothing.
  std::vector<double>* lastspike = nullptr;
  bool update_spikes = false;  // the update kernel has the threshold fused in (plan.h)
  std::vector<double>* not_refractory = nullptr;

  std::vector<double>* find(std::string_view name);
  const std::vector<double>* find(std::string_view name) const;
  std::span<const Index> spiking() const { return {spike_storage.data(), spikes.size}; }
};

struct ConnectionState {
  SynapseStorage storage;
  bool generated = false;   // storage holds the connection's synapses (counted in heldBytes)
  std::span<double> fault;  // "_fault" when the connection has `update`
  // on_pre with per-synapse delays: the connection's own queue. Homogeneous delays share the
  // source group's queue (Impl::source_queues).
  std::unique_ptr<HeterogeneousSpikeQueue> arrivals;
  std::vector<Index> pre_ids;   // on_pre domain, reused every step
  std::vector<Index> post_ids;  // on_post domain, reused every step
  // With threads: each thread's share of a synaptic kernel's domain (the synapses whose target
  // neuron is in its slice), reused every step.
  std::vector<std::vector<Index>> thread_ids;
};

struct SpikeMonitor {
  std::size_t recording;
  std::size_t group;
  Step start;
};

struct RateMonitor {
  std::size_t recording;
  std::size_t group;
  Step start;
};

struct StateMonitor {
  std::size_t recording;
  std::span<const double> data;  // the recorded variable
  Step start;
  Step every;
};

struct PoissonInputState {
  std::span<double> target;
  random::BinomialSampler sampler;
  double weight;
  std::uint32_t stream;
};

// A lowering bug in a kernel's signature (kernel_binding.cpp).
[[noreturn]] void failBinding(const Kernel& kernel, std::string_view buffer, std::string_view why);

// A scratch buffer a connection kernel may name besides the storage's arrays ("delay",
// "result", "pair.pre", "pair.post").
struct ExtraBuffer {
  std::string_view name;
  bool is_index = false;
  std::span<double> values;
  std::span<const Index> indices;
};

// The Impl is also where the exchange hands its spikes (the delay queues' SpikeSink).
struct Simulation::Impl final : SpikeSink {
  Impl(Simulation& owner, SimulationPlan plan, SimulationOptions options);

  // --- setup (simulation_setup.cpp; the bind* functions in kernel_binding.cpp)
  void validatePlan() const;
  void setUpGroup(std::size_t g);
  void setUpConnection(std::size_t c);
  void setUpDelivery();
  void setUpPoissonInputs();
  void bindGroupKernel(std::size_t g, Kernel& kernel);
  void bindConnectionKernel(std::size_t c, Kernel& kernel, std::span<const ExtraBuffer> extras,
                            bool storage_exists = true);
  void bindTables(Kernel& kernel);
  KernelClock clock() const;

  // --- the step (simulation.cpp)
  void advance();
  // Runs `kernel` over 0 .. size-1, split into slices between the pool's threads when it is
  // concurrent and the call is big enough; the slices' spikes are joined into `spikes` in
  // slice order, so the result is the one-thread result.
  void runRange(Kernel& kernel, const KernelClock& now, std::size_t size, SpikeOutput* spikes);
  // Runs a synaptic kernel (on_pre, on_post) of connection c over `synapses`, split between the
  // threads by target neuron when the kernel writes nothing of the source group: each thread
  // takes the synapses onto its slice of the targets, in list order, so every target sees its
  // synapses' effects in the one-thread order.
  void runSynapses(std::size_t c, Kernel& kernel, const KernelClock& now,
                   std::span<const Index> synapses);
  void runActions();
  void checkFaults();
  // After a fault at `element`: runs the owner's diagnose kernel there and throws the
  // NonFiniteError that names the variable.
  [[noreturn]] void reportFault(bool connection, std::size_t owner, std::size_t element);
  void deliverSpikes();
  void deliver(std::size_t source, Step step, std::span<const Index> spikes) override;

  // --- monitors (monitors.cpp)
  Step nextRecordedStep() const;  // where a monitor added now starts
  void recordStates();
  void recordSpikes();
  void recordRates();
  std::uint64_t monitorGrowthBytes(Step steps) const;
  void reserveMonitors(Step steps);
  std::uint64_t recordingBytes() const;
  std::uint64_t heldBytes() const;

  Simulation& owner;
  SimulationPlan plan;
  SimulationOptions options;
  std::uint64_t memory_limit = 0;
  Step step = 0;         // the next step to run
  bool in_step = false;  // inside advance(): actions run, monitors added now start next step
  bool running = false;  // inside run()

  std::vector<GroupState> groups;
  std::vector<ConnectionState> connections;

  // Delivery: spikes of the sources of on_pre connections go through the exchange into the
  // queues. source_queues[g] serves every homogeneous on_pre connection out of group g;
  // heterogeneous_from[g] lists the on_pre connections out of g with per-synapse delays.
  std::vector<std::size_t> spike_sources;
  std::vector<std::optional<HomogeneousSpikeQueue>> source_queues;
  std::vector<std::vector<std::size_t>> heterogeneous_from;
  std::unique_ptr<LocalSpikeExchange> exchange;

  std::vector<std::span<double>> summed_targets;  // distinct arrays zeroed before the sums
  std::vector<PoissonInputState> poisson_inputs;

  std::vector<SpikeRecording> spike_recordings;
  std::vector<RateRecording> rate_recordings;
  std::vector<StateRecording> state_recordings;
  std::vector<SpikeMonitor> spike_monitors;
  std::vector<RateMonitor> rate_monitors;
  std::vector<StateMonitor> state_monitors;

  // Threads (options.threads > 1) and each slice's spike list.
  std::unique_ptr<ThreadPool> pool;
  std::vector<std::vector<Index>> slice_spikes;
  std::vector<SpikeOutput> slice_outputs;

  // Actions of `at` blocks; a multimap keeps the actions of one step in scheduling order.
  std::multimap<Step, std::function<void(Simulation&)>> actions;
};

}  // namespace snn::engine
