// The two delay rings. The slot arithmetic avoids a division per synapse: the arrival slot of a
// synapse is the spike's slot plus its delay, wrapped once.
#include "vm/engine/spike_queue.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace snn::engine {

DelaySteps delayToSteps(double delay_seconds, double dt_seconds) {
  if (!(dt_seconds > 0) || !std::isfinite(dt_seconds))
    throw std::domain_error(
        fmt::format("delay: dt must be positive and finite, not {}", dt_seconds));
  if (!(delay_seconds >= 0) || !std::isfinite(delay_seconds))
    throw std::domain_error(
        fmt::format("delay: must be finite and not negative, not {} s", delay_seconds));
  const double steps = std::round(delay_seconds / dt_seconds);
  if (!(steps < 0x1p32))
    throw std::domain_error(fmt::format("delay: {} s is {} steps of {} s, beyond 2^32",
                                        delay_seconds, steps, dt_seconds));
  return static_cast<DelaySteps>(steps);
}

HomogeneousSpikeQueue::HomogeneousSpikeQueue(DelaySteps max_delay_steps)
    : slots_(static_cast<std::size_t>(max_delay_steps) + 1) {}

void HomogeneousSpikeQueue::push(Step step, std::span<const Index> spikes) {
  if (step < 0 || step + static_cast<Step>(slots_.size()) <= newest_)
    throw std::logic_error(
        fmt::format("spike queue: step {} pushed after step {}, beyond the {} steps the ring holds",
                    step, newest_, slots_.size()));
  Slot& slot = slots_[static_cast<std::size_t>(step % static_cast<Step>(slots_.size()))];
  if (slot.step != step) {
    slot.step = step;
    slot.spikes.clear();
  }
  slot.spikes.insert(slot.spikes.end(), spikes.begin(), spikes.end());
  if (step > newest_) newest_ = step;
}

std::span<const Index> HomogeneousSpikeQueue::due(Step step, DelaySteps delay_steps) const {
  if (delay_steps >= slots_.size())
    throw std::logic_error(fmt::format("spike queue: delay of {} steps in a ring of {} slots",
                                       delay_steps, slots_.size()));
  const Step from = step - static_cast<Step>(delay_steps);
  if (from < 0) return {};
  const Slot& slot = slots_[static_cast<std::size_t>(from % static_cast<Step>(slots_.size()))];
  if (slot.step != from) return {};
  return slot.spikes;
}

std::size_t HomogeneousSpikeQueue::capacityBytes() const {
  std::size_t bytes = 0;
  for (const Slot& slot : slots_) bytes += slot.spikes.capacity() * sizeof(Index);
  return bytes;
}

HeterogeneousSpikeQueue::HeterogeneousSpikeQueue(const SynapseStorage& synapses, Step first_step)
    : synapses_(&synapses),
      slots_(static_cast<std::size_t>(synapses.maxDelaySteps()) + 1),
      next_due_(first_step) {
  if (first_step < 0) throw std::logic_error("spike queue: negative first step");
}

void HeterogeneousSpikeQueue::push(Step step, std::span<const Index> spikes) {
  if (step < 0 || step + static_cast<Step>(synapses_->minDelaySteps()) < next_due_)
    throw std::logic_error(fmt::format(
        "spike queue: spikes of step {} with delays from {} steps pushed after step {} was "
        "delivered",
        step, synapses_->minDelaySteps(), next_due_ - 1));
  const auto size = static_cast<Step>(slots_.size());
  const Step base = step % size;
  const std::span<const DelaySteps> delays = synapses_->perSynapseDelaySteps();
  const DelaySteps uniform = synapses_->minDelaySteps();
  for (Index pre : spikes) {
    for (Index s = synapses_->rowBegin(pre), end = synapses_->rowEnd(pre); s < end; ++s) {
      const DelaySteps d = delays.empty() ? uniform : delays[static_cast<std::size_t>(s)];
      Step index = base + static_cast<Step>(d);
      if (index >= size) index -= size;
      Slot& slot = slots_[static_cast<std::size_t>(index)];
      const Step arrival = step + static_cast<Step>(d);
      if (slot.step != arrival) {
        slot.step = arrival;
        slot.synapses.clear();
      }
      slot.synapses.push_back(s);
    }
  }
}

std::span<const Index> HeterogeneousSpikeQueue::due(Step step) {
  if (step != next_due_)
    throw std::logic_error(
        fmt::format("spike queue: due({}) called when step {} was expected", step, next_due_));
  next_due_ = step + 1;
  const Slot& slot = slots_[static_cast<std::size_t>(step % static_cast<Step>(slots_.size()))];
  if (slot.step != step) return {};
  return slot.synapses;
}

std::size_t HeterogeneousSpikeQueue::capacityBytes() const {
  std::size_t bytes = 0;
  for (const Slot& slot : slots_) bytes += slot.synapses.capacity() * sizeof(Index);
  return bytes;
}

}  // namespace snn::engine
