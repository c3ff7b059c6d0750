// The spike exchange: with an interval of min_delay steps, spikes are held back and delivered
// at the end of each interval, and the delay queues fed that way deliver exactly what they
// deliver when fed at once (the property an MPI exchange relies on).
#include "vm/engine/spike_exchange.h"

#include <cstdint>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "vm/engine/spike_queue.h"
#include "vm/engine/synapse_storage.h"
#include "vm/random/counter_rng.h"

using namespace snn::engine;

namespace {

std::vector<Index> spikesOf(Step step, std::size_t source, Index n, double q) {
  std::vector<Index> out;
  for (Index i = 0; i < n; ++i)
    if (snn::random::uniform(11, static_cast<std::uint32_t>(source), static_cast<std::uint64_t>(i),
                             static_cast<std::uint64_t>(step), 0) < q)
      out.push_back(i);
  return out;
}

struct Delivery {
  std::size_t source;
  Step step;
  std::vector<Index> spikes;
  Step delivered_at;
};

struct RecordingSink final : SpikeSink {
  Step now = 0;
  std::vector<Delivery> deliveries;
  void deliver(std::size_t source, Step step, std::span<const Index> spikes) override {
    deliveries.push_back({source, step, {spikes.begin(), spikes.end()}, now});
  }
};

// Pushes into one homogeneous queue per source and one heterogeneous queue (source 0's
// connection).
struct QueueSink final : SpikeSink {
  std::vector<HomogeneousSpikeQueue>* homogeneous;
  HeterogeneousSpikeQueue* heterogeneous;
  void deliver(std::size_t source, Step step, std::span<const Index> spikes) override {
    (*homogeneous)[source].push(step, spikes);
    if (source == 0) heterogeneous->push(step, spikes);
  }
};

}  // namespace

TEST_CASE("exchangeInterval is the minimum delay, at least one step") {
  CHECK(exchangeInterval(0) == 1);
  CHECK(exchangeInterval(1) == 1);
  CHECK(exchangeInterval(15) == 15);
  CHECK_THROWS_AS(LocalSpikeExchange(1, 0), std::invalid_argument);
}

TEST_CASE("local exchange: interval 1 passes spikes on in their own step") {
  LocalSpikeExchange exchange(2, 1);
  RecordingSink sink;
  const std::vector<Index> a{1, 4}, b{0};
  for (Step t = 0; t < 3; ++t) {
    sink.now = t;
    exchange.submit(1, t, a);
    exchange.submit(0, t, b);
    exchange.exchange(t, sink);
  }
  REQUIRE(sink.deliveries.size() == 6);
  for (const Delivery& d : sink.deliveries) CHECK(d.delivered_at == d.step);
  CHECK(sink.deliveries[0].source == 0);  // grouped by source within an exchange
  CHECK(sink.deliveries[1].spikes == a);
  CHECK_THROWS_AS(exchange.submit(2, 0, a), std::out_of_range);
}

TEST_CASE("local exchange: interval 4 holds spikes back until the end of their interval") {
  const DelaySteps interval = 4;
  LocalSpikeExchange exchange(2, interval);
  RecordingSink sink;
  std::vector<std::vector<std::vector<Index>>> submitted(2);
  for (Step t = 0; t < 40; ++t) {
    sink.now = t;
    for (std::size_t source = 0; source < 2; ++source) {
      std::vector<Index> first = spikesOf(t, source, 30, 0.1),
                         second = spikesOf(t + 1000, source, 30, 0.1);
      exchange.submit(source, t, first);
      exchange.submit(source, t, second);  // two submits of one step arrive as one batch
      first.insert(first.end(), second.begin(), second.end());
      submitted[source].push_back(first);
    }
    exchange.exchange(t, sink);
  }
  std::vector<std::vector<std::vector<Index>>> received(2, std::vector<std::vector<Index>>(40));
  Step previous_source = -1, previous_step = -1, previous_at = -1;
  for (const Delivery& d : sink.deliveries) {
    CHECK(d.delivered_at % interval == interval - 1);
    CHECK(d.delivered_at >= d.step);
    CHECK(d.delivered_at <= d.step + static_cast<Step>(interval) - 1);
    if (d.delivered_at == previous_at) {  // within one exchange: by source, then by step
      const bool ordered =
          static_cast<Step>(d.source) > previous_source ||
          (static_cast<Step>(d.source) == previous_source && d.step > previous_step);
      CHECK(ordered);
    }
    previous_source = static_cast<Step>(d.source), previous_step = d.step,
    previous_at = d.delivered_at;
    CHECK(received[d.source][static_cast<std::size_t>(d.step)].empty());  // once per step
    received[d.source][static_cast<std::size_t>(d.step)] = d.spikes;
  }
  CHECK(received == submitted);
}

TEST_CASE("delay queues fed every min_delay steps deliver what they deliver when fed at once") {
  // Connection of source 0: 3 sources x 6 targets, delays 3..7 steps; source 1: homogeneous 3.
  Connectivity c;
  c.n_pre = 3;
  c.n_post = 6;
  c.row_offsets = {0, 4, 6, 9};
  c.post = {0, 2, 3, 5, 1, 4, 0, 1, 2};
  SynapseStorage storage(std::move(c));
  storage.setDelaySteps(std::vector<DelaySteps>{3, 7, 4, 3, 5, 6, 7, 3, 4});
  const DelaySteps min_delay = 3, max_delay = 7;
  REQUIRE(storage.minDelaySteps() == min_delay);

  std::vector<HomogeneousSpikeQueue> direct_homogeneous(2, HomogeneousSpikeQueue(max_delay));
  std::vector<HomogeneousSpikeQueue> late_homogeneous(2, HomogeneousSpikeQueue(max_delay));
  HeterogeneousSpikeQueue direct_heterogeneous(storage), late_heterogeneous(storage);
  LocalSpikeExchange exchange(2, exchangeInterval(min_delay));
  QueueSink sink;
  sink.homogeneous = &late_homogeneous;
  sink.heterogeneous = &late_heterogeneous;

  std::size_t warmed = 0;
  for (Step t = 0; t < 500; ++t) {
    for (std::size_t source = 0; source < 2; ++source) {
      std::vector<Index> spikes = spikesOf(t, source, 3, 0.3);
      direct_homogeneous[source].push(t, spikes);
      if (source == 0) direct_heterogeneous.push(t, spikes);
      exchange.submit(source, t, spikes);
    }
    exchange.exchange(t, sink);
    for (std::size_t source = 0; source < 2; ++source)
      for (DelaySteps d = min_delay; d <= max_delay; ++d) {
        std::span<const Index> x = direct_homogeneous[source].due(t, d);
        std::span<const Index> y = late_homogeneous[source].due(t, d);
        REQUIRE(std::vector<Index>(x.begin(), x.end()) == std::vector<Index>(y.begin(), y.end()));
      }
    std::span<const Index> x = direct_heterogeneous.due(t), y = late_heterogeneous.due(t);
    REQUIRE(std::vector<Index>(x.begin(), x.end()) == std::vector<Index>(y.begin(), y.end()));
    if (t == 250) warmed = exchange.capacityBytes();
  }
  CHECK(warmed > 0);
  CHECK(exchange.capacityBytes() == warmed);
}
