// The single-process spike exchange: buffers per source, flushed at the end of each interval.
#include "vm/engine/spike_exchange.h"

#include <stdexcept>

#include <fmt/format.h>

namespace snn::engine {

LocalSpikeExchange::LocalSpikeExchange(std::size_t source_count, DelaySteps interval)
    : held_(source_count), interval_(interval) {
  if (interval == 0) throw std::invalid_argument("spike exchange: the interval must be at least 1");
}

void LocalSpikeExchange::submit(std::size_t source, Step step, std::span<const Index> spikes) {
  if (source >= held_.size())
    throw std::out_of_range(fmt::format("spike exchange: source {} of {}", source, held_.size()));
  if (spikes.empty()) return;
  Held& held = held_[source];
  if (!held.batches.empty() && held.batches.back().step > step)
    throw std::logic_error(fmt::format("spike exchange: step {} submitted after step {}", step,
                                       held.batches.back().step));
  const std::size_t begin = held.spikes.size();
  held.spikes.insert(held.spikes.end(), spikes.begin(), spikes.end());
  held.batches.push_back({step, begin, held.spikes.size()});
}

void LocalSpikeExchange::exchange(Step step, SpikeSink& sink) {
  if ((step + 1) % static_cast<Step>(interval_) != 0) return;
  for (std::size_t source = 0; source < held_.size(); ++source) {
    Held& held = held_[source];
    // Several batches of one step (several submits) are delivered as one.
    std::size_t b = 0;
    while (b < held.batches.size()) {
      std::size_t e = b + 1;
      while (e < held.batches.size() && held.batches[e].step == held.batches[b].step) ++e;
      const std::span<const Index> all(held.spikes);
      sink.deliver(
          source, held.batches[b].step,
          all.subspan(held.batches[b].begin, held.batches[e - 1].end - held.batches[b].begin));
      b = e;
    }
    held.batches.clear();
    held.spikes.clear();
  }
}

std::size_t LocalSpikeExchange::capacityBytes() const {
  std::size_t bytes = 0;
  for (const Held& held : held_)
    bytes += held.batches.capacity() * sizeof(Batch) + held.spikes.capacity() * sizeof(Index);
  return bytes;
}

}  // namespace snn::engine
