// Delay queues: a spike reaches its synapses exactly `delay` steps later (0 and the ring's
// maximum included), batches of one step add up, per-synapse delays deliver each synapse at its
// own step in a fixed order, misuse is refused, and a warmed-up queue stops allocating.
#include "vm/engine/spike_queue.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "vm/engine/synapse_storage.h"
#include "vm/random/counter_rng.h"

using namespace snn::engine;

namespace {

std::vector<Index> toVector(std::span<const Index> s) {
  return {s.begin(), s.end()};
}

// A reproducible spike pattern: each of n neurons spikes in a step with probability q.
std::vector<Index> spikesOf(Step step, Index n, double q, std::uint32_t stream) {
  std::vector<Index> out;
  for (Index i = 0; i < n; ++i)
    if (snn::random::uniform(7, stream, static_cast<std::uint64_t>(i),
                             static_cast<std::uint64_t>(step), 0) < q)
      out.push_back(i);
  return out;
}

// 4 sources, 5 targets; rows of 1, 2, 3 and 0 synapses (an empty row is covered too).
SynapseStorage smallStorage() {
  Connectivity c;
  c.n_pre = 4;
  c.n_post = 5;
  c.row_offsets = {0, 1, 3, 6, 6};
  c.post = {4, 0, 2, 1, 2, 3};
  return SynapseStorage(std::move(c));
}

}  // namespace

TEST_CASE("delayToSteps rounds delay/dt and refuses what is not a delay") {
  CHECK(delayToSteps(1e-3, 1e-4) == 10);  // 9.999999999999998 rounds to 10
  CHECK(delayToSteps(0.0, 1e-4) == 0);
  CHECK(delayToSteps(0.125, 0.25) == 1);  // exactly half a step: away from zero
  CHECK(delayToSteps(0.37, 0.25) == 1);
  CHECK(delayToSteps(0.38, 0.25) == 2);
  CHECK_THROWS_AS(delayToSteps(-1e-3, 1e-4), std::domain_error);
  CHECK_THROWS_AS(delayToSteps(std::nan(""), 1e-4), std::domain_error);
  CHECK_THROWS_AS(delayToSteps(INFINITY, 1e-4), std::domain_error);
  CHECK_THROWS_AS(delayToSteps(1e-3, 0.0), std::domain_error);
  CHECK_THROWS_AS(delayToSteps(1e6, 1e-4), std::domain_error);  // 1e10 steps
}

TEST_CASE("homogeneous queue: a spike arrives exactly delay steps later, 0 and max included") {
  const DelaySteps max_delay = 5;
  HomogeneousSpikeQueue queue(max_delay);
  CHECK(queue.maxDelaySteps() == max_delay);
  const std::vector<Index> spike{3};
  for (Step t = 0; t < 30; ++t) {
    if (t == 7) queue.push(t, spike);  // pushed before the step's propagation, as scheduled
    for (DelaySteps d = 0; d <= max_delay; ++d) {
      std::span<const Index> due = queue.due(t, d);
      if (t == 7 + static_cast<Step>(d)) {
        REQUIRE(due.size() == 1);
        CHECK(due[0] == 3);
      } else {
        CHECK_MESSAGE(due.empty(), "step ", t, " delay ", d);
      }
    }
  }
}

TEST_CASE("homogeneous queue: random traffic matches a map of step -> spikes") {
  const DelaySteps max_delay = 4;
  HomogeneousSpikeQueue queue(max_delay);
  std::map<Step, std::vector<Index>> pushed;
  for (Step t = 0; t < 300; ++t) {
    std::vector<Index> a = spikesOf(t, 50, 0.1, 1), b = spikesOf(t, 50, 0.05, 2);
    // Two pushes in one step add up, in push order (several spikes into one slot).
    queue.push(t, a);
    queue.push(t, b);
    std::vector<Index>& all = pushed[t];
    all.insert(all.end(), a.begin(), a.end());
    all.insert(all.end(), b.begin(), b.end());
    for (DelaySteps d = 0; d <= max_delay; ++d) {
      std::vector<Index> expected = t >= d ? pushed[t - d] : std::vector<Index>{};
      REQUIRE(toVector(queue.due(t, d)) == expected);
    }
  }
}

TEST_CASE("homogeneous queue: misuse is refused") {
  HomogeneousSpikeQueue queue(2);
  const std::vector<Index> spike{1};
  queue.push(10, spike);
  CHECK_THROWS_AS(queue.push(7, spike), std::logic_error);  // slot reused by step 10
  CHECK_NOTHROW(queue.push(8, spike));                      // still held: a late push
  CHECK(toVector(queue.due(10, 2)) == std::vector<Index>{1});
  CHECK_THROWS_AS(queue.due(10, 3), std::logic_error);
  CHECK_THROWS_AS(queue.push(-1, spike), std::logic_error);
  CHECK(queue.due(1, 2).empty());  // before step 0
  HomogeneousSpikeQueue zero(0);
  zero.push(0, spike);
  CHECK(toVector(zero.due(0, 0)) == std::vector<Index>{1});  // zero delay: this same step
}

TEST_CASE("homogeneous queue: no allocation after warm-up") {
  HomogeneousSpikeQueue queue(3);
  std::vector<Index> batch;
  std::size_t warmed = 0;
  for (Step t = 0; t < 400; ++t) {
    // Batch sizes cycle through 0..19, so every slot sees the largest batch within 80 steps.
    batch.assign(static_cast<std::size_t>(t % 20), 1);
    queue.push(t, batch);
    if (t == 100) warmed = queue.capacityBytes();
  }
  CHECK(warmed > 0);
  CHECK(queue.capacityBytes() == warmed);
}

TEST_CASE("heterogeneous queue: each synapse arrives after its own delay") {
  SynapseStorage storage = smallStorage();
  storage.setDelaySteps(std::vector<DelaySteps>{3, 0, 1, 2, 3, 0});
  REQUIRE(storage.heterogeneousDelays());
  HeterogeneousSpikeQueue queue(storage);
  CHECK(queue.slotCount() == 4);
  std::map<Step, std::vector<Index>> spikes;
  for (Step t = 0; t < 200; ++t) {
    spikes[t] = spikesOf(t, 4, 0.3, 3);
    queue.push(t, spikes[t]);
    // Expected order: by spike step, then by order in the batch, then ascending in the row.
    std::vector<Index> expected;
    for (Step s = std::max<Step>(0, t - 3); s <= t; ++s)
      for (Index pre : spikes[s])
        for (Index syn = storage.rowBegin(pre); syn < storage.rowEnd(pre); ++syn)
          if (s + static_cast<Step>(storage.delaySteps(syn)) == t) expected.push_back(syn);
    REQUIRE(toVector(queue.due(t)) == expected);
  }
}

TEST_CASE("heterogeneous queue: zero and maximal delays, several spikes into one slot") {
  SynapseStorage storage = smallStorage();
  // Row 2 (synapses 3, 4, 5) has delays 0, 5, 0: two synapses of one spike in one slot.
  storage.setDelaySteps(std::vector<DelaySteps>{2, 5, 5, 0, 5, 0});
  HeterogeneousSpikeQueue queue(storage, 10);
  CHECK(queue.slotCount() == 6);
  const std::vector<Index> row1{1}, row2{2}, both{1, 2};
  queue.push(10, row2);
  CHECK(toVector(queue.due(10)) == std::vector<Index>{3, 5});  // zero delay: same step
  for (Step t = 11; t < 15; ++t) CHECK(queue.due(t).empty());
  CHECK(toVector(queue.due(15)) == std::vector<Index>{4});  // the ring's maximum
  queue.push(16, both);
  queue.push(16, row1);  // a second push into the same slots appends
  CHECK(toVector(queue.due(16)) == std::vector<Index>{3, 5});
  for (Step t = 17; t < 21; ++t) CHECK(queue.due(t).empty());
  CHECK(toVector(queue.due(21)) == std::vector<Index>{1, 2, 4, 1, 2});
}

TEST_CASE("heterogeneous queue: misuse is refused") {
  SynapseStorage storage = smallStorage();
  storage.setDelaySteps(std::vector<DelaySteps>{2, 1, 1, 3, 3, 3});
  HeterogeneousSpikeQueue queue(storage);
  const std::vector<Index> spike{0};
  CHECK(queue.due(0).empty());
  CHECK_THROWS_AS(queue.due(2), std::logic_error);  // step 1 skipped
  CHECK(queue.due(1).empty());
  CHECK(queue.due(2).empty());
  // A spike of step 1 with a minimum delay of 1 would arrive in step 2, already delivered.
  CHECK_THROWS_AS(queue.push(1, spike), std::logic_error);
  CHECK_NOTHROW(queue.push(2, spike));  // arrives in step 4
  CHECK_THROWS_AS(HeterogeneousSpikeQueue(storage, -1), std::logic_error);
}

TEST_CASE("heterogeneous queue: uniform delays in the storage, and no allocation after warm-up") {
  SynapseStorage storage = smallStorage();
  storage.setDelaySteps(DelaySteps{2});
  REQUIRE(!storage.heterogeneousDelays());
  HeterogeneousSpikeQueue queue(storage);
  const std::vector<Index> all{0, 1, 2, 3};
  std::size_t warmed = 0;
  for (Step t = 0; t < 100; ++t) {
    queue.push(t, all);
    std::span<const Index> due = queue.due(t);
    CHECK(due.size() == (t >= 2 ? 6u : 0u));
    if (t == 10) warmed = queue.capacityBytes();
  }
  CHECK(warmed > 0);
  CHECK(queue.capacityBytes() == warmed);
}
