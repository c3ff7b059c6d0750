// Recordings: spike, rate and state monitors, what they will cost before a run, and recording
// itself in the schedule's phases 1 (states at t), 4 (spikes, stamped with their step) and 7
// (population rates). A monitor records from the step after the one in which it is added, so
// a monitor added between two runs starts with the next run.
//
// Cost model of a run of S steps (the figure MemoryRefusal compares): a state monitor of k
// indices takes k * 8 + 8 bytes per sampled step, a rate monitor 8 bytes per step, a spike
// monitor 16 bytes per spike, estimated at 100 Hz per neuron (an upper figure for cortical
// models; a network firing faster than that grows past the estimate, not past the machine's
// memory, because the estimate is only a refusal threshold).
#include <algorithm>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "vm/engine/memory_limit.h"
#include "vm/engine/simulation_impl.h"

namespace snn::engine {
namespace {

constexpr double kEstimatedRateHz = 100.0;

// Sampled steps of a monitor (start, every) in [from, from + steps).
std::uint64_t sampledSteps(Step start, Step every, Step from, Step steps) {
  const Step end = from + steps;
  Step first = start;
  if (from > start) first = start + (from - start + every - 1) / every * every;
  if (first >= end) return 0;
  return static_cast<std::uint64_t>((end - 1 - first) / every + 1);
}

template <typename T>
std::uint64_t bytesOf(const std::vector<T>& v) {
  return static_cast<std::uint64_t>(v.size()) * sizeof(T);
}

}  // namespace

Step Simulation::Impl::nextRecordedStep() const {
  return in_step ? step + 1 : step;
}

std::size_t Simulation::recordSpikes(std::size_t group) {
  Impl& s = *impl_;
  if (group >= s.groups.size())
    throw std::out_of_range(fmt::format("group {} of {}", group, s.groups.size()));
  SpikeRecording r;
  r.group = group;
  r.first_step = s.nextRecordedStep();
  s.spike_recordings.push_back(std::move(r));
  s.spike_monitors.push_back({s.spike_recordings.size() - 1, group, s.nextRecordedStep()});
  return s.spike_recordings.size() - 1;
}

std::size_t Simulation::recordRate(std::size_t group) {
  Impl& s = *impl_;
  if (group >= s.groups.size())
    throw std::out_of_range(fmt::format("group {} of {}", group, s.groups.size()));
  const Step start = s.nextRecordedStep();
  RateRecording r;
  r.group = group;
  r.first_step = start;
  s.rate_recordings.push_back(std::move(r));
  s.rate_monitors.push_back({s.rate_recordings.size() - 1, group, start});
  return s.rate_recordings.size() - 1;
}

std::size_t Simulation::recordState(bool of_connection, std::size_t owner, std::string variable,
                                    std::vector<Index> indices, Step every_steps) {
  Impl& s = *impl_;
  if (every_steps < 1)
    throw std::out_of_range(fmt::format("recording every {} steps", every_steps));
  std::span<const double> data;
  std::string_view owner_name;
  if (of_connection) {
    if (owner >= s.connections.size())
      throw std::out_of_range(fmt::format("connection {} of {}", owner, s.connections.size()));
    owner_name = s.plan.connections[owner].name;
    const SynapseStorage& storage = s.connections[owner].storage;
    if (!storage.hasVariable(variable))
      throw std::out_of_range(fmt::format("`{}` is not a variable of {}", variable, owner_name));
    data = storage.variable(variable);
  } else {
    if (owner >= s.groups.size())
      throw std::out_of_range(fmt::format("group {} of {}", owner, s.groups.size()));
    owner_name = s.plan.groups[owner].name;
    const std::vector<double>* values = s.groups[owner].find(variable);
    if (values == nullptr)
      throw std::out_of_range(fmt::format("`{}` is not a variable of {}", variable, owner_name));
    data = *values;
  }
  for (Index i : indices)
    if (i < 0 || static_cast<std::size_t>(i) >= data.size())
      throw std::out_of_range(fmt::format("{}.{}[{}]: index out of range (size {})", owner_name,
                                          variable, i, data.size()));
  StateRecording r;
  r.of_connection = of_connection;
  r.owner = owner;
  r.variable = std::move(variable);
  r.indices = std::move(indices);
  r.every = every_steps;
  s.state_recordings.push_back(std::move(r));
  s.state_monitors.push_back(
      {s.state_recordings.size() - 1, data, s.nextRecordedStep(), every_steps});
  return s.state_recordings.size() - 1;
}

void Simulation::Impl::recordStates() {
  for (const StateMonitor& m : state_monitors) {
    if (step < m.start || (step - m.start) % m.every != 0) continue;
    StateRecording& r = state_recordings[m.recording];
    r.steps.push_back(step);
    for (Index i : r.indices) r.values.push_back(m.data[static_cast<std::size_t>(i)]);
  }
}

void Simulation::Impl::recordSpikes() {
  for (const SpikeMonitor& m : spike_monitors) {
    if (step < m.start) continue;
    SpikeRecording& r = spike_recordings[m.recording];
    std::span<const Index> spikes = groups[m.group].spiking();
    r.indices.insert(r.indices.end(), spikes.begin(), spikes.end());
    r.steps.insert(r.steps.end(), spikes.size(), step);
  }
}

void Simulation::Impl::recordRates() {
  for (const RateMonitor& m : rate_monitors) {
    if (step < m.start) continue;
    const Index n = groups[m.group].size;
    const double count = static_cast<double>(groups[m.group].spikes.size);
    rate_recordings[m.recording].rates.push_back(
        n == 0 ? 0.0 : count / (static_cast<double>(n) * plan.dt));
  }
}

std::uint64_t Simulation::Impl::monitorGrowthBytes(Step steps) const {
  std::uint64_t bytes = 0;
  for (const StateMonitor& m : state_monitors) {
    const StateRecording& r = state_recordings[m.recording];
    const std::uint64_t row = saturatingAdd(saturatingMul(r.indices.size(), 8), 8);
    bytes = saturatingAdd(bytes, saturatingMul(sampledSteps(m.start, m.every, step, steps), row));
  }
  for (const RateMonitor& m : rate_monitors) {
    const Step from = std::max(step, m.start);
    const Step n = std::max<Step>(0, step + steps - from);
    bytes = saturatingAdd(bytes, saturatingMul(static_cast<std::uint64_t>(n), 8));
  }
  for (const SpikeMonitor& m : spike_monitors) {
    const double spikes = static_cast<double>(groups[m.group].size) * kEstimatedRateHz *
                          static_cast<double>(steps) * plan.dt;
    const double b = 16.0 * spikes;
    bytes = saturatingAdd(bytes, b >= 1.8e19 ? kUnlimitedMemory : static_cast<std::uint64_t>(b));
  }
  return bytes;
}

void Simulation::Impl::reserveMonitors(Step steps) {
  // State and rate recordings grow by a known amount: reserve it so that the loop does not
  // allocate. (The growth check above has just said it fits.)
  for (const StateMonitor& m : state_monitors) {
    StateRecording& r = state_recordings[m.recording];
    const std::uint64_t rows = sampledSteps(m.start, m.every, step, steps);
    r.steps.reserve(r.steps.size() + rows);
    r.values.reserve(r.values.size() + rows * r.indices.size());
  }
  for (const RateMonitor& m : rate_monitors) {
    std::vector<double>& rates = rate_recordings[m.recording].rates;
    const Step from = std::max(step, m.start);
    rates.reserve(rates.size() + static_cast<std::size_t>(std::max<Step>(0, step + steps - from)));
  }
}

std::uint64_t Simulation::Impl::recordingBytes() const {
  std::uint64_t bytes = 0;
  for (const SpikeRecording& r : spike_recordings) bytes += bytesOf(r.indices) + bytesOf(r.steps);
  for (const RateRecording& r : rate_recordings) bytes += bytesOf(r.rates);
  for (const StateRecording& r : state_recordings)
    bytes += bytesOf(r.values) + bytesOf(r.steps) + bytesOf(r.indices);
  return bytes;
}

std::uint64_t Simulation::Impl::heldBytes() const {
  std::uint64_t bytes = recordingBytes();
  for (const ConnectionState& c : connections)
    if (c.generated) bytes = saturatingAdd(bytes, c.storage.memoryBytes());
  return bytes;
}

}  // namespace snn::engine
