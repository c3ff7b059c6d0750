// Synapse storage: CSR invariants are enforced, the pre index and the post-side index agree
// with the rows, variables and delays behave, and the memory estimate counts what is stored.
#include "vm/engine/synapse_storage.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

using namespace snn::engine;

namespace {

// 3 sources, 4 targets:  0 -> {1, 3},  1 -> {},  2 -> {0, 1, 2, 3}.
Connectivity example() {
  Connectivity c;
  c.n_pre = 3;
  c.n_post = 4;
  c.row_offsets = {0, 2, 2, 6};
  c.post = {1, 3, 0, 1, 2, 3};
  return c;
}

std::vector<Index> toVector(std::span<const Index> s) {
  return {s.begin(), s.end()};
}

}  // namespace

TEST_CASE("synapse storage: rows, pre index and post-side index") {
  SynapseStorage s(example());
  CHECK(s.preCount() == 3);
  CHECK(s.postCount() == 4);
  CHECK(s.size() == 6);
  CHECK(s.rowBegin(0) == 0);
  CHECK(s.rowEnd(0) == 2);
  CHECK(s.rowBegin(1) == s.rowEnd(1));
  CHECK(toVector(s.preIndex()) == std::vector<Index>{0, 0, 2, 2, 2, 2});
  CHECK(toVector(s.postIndex()) == std::vector<Index>{1, 3, 0, 1, 2, 3});
  CHECK(toVector(s.postOffsets()) == std::vector<Index>{0, 1, 3, 4, 6});
  CHECK(toVector(s.synapsesOnto(0)) == std::vector<Index>{2});
  CHECK(toVector(s.synapsesOnto(1)) == std::vector<Index>{0, 3});
  CHECK(toVector(s.synapsesOnto(3)) == std::vector<Index>{1, 5});
  // The post-side index is a permutation of the synapse ids, consistent with postIndex().
  std::vector<Index> order = toVector(s.postOrder());
  std::sort(order.begin(), order.end());
  CHECK(order == std::vector<Index>{0, 1, 2, 3, 4, 5});
  for (Index j = 0; j < s.postCount(); ++j)
    for (Index syn : s.synapsesOnto(j)) CHECK(s.postIndex()[static_cast<std::size_t>(syn)] == j);

  std::vector<Index> out{99};
  const std::vector<Index> pres{2, 1, 0}, posts{3, 1};
  s.appendRows(pres, out);
  CHECK(out == std::vector<Index>{99, 2, 3, 4, 5, 0, 1});
  out.clear();
  s.appendOnto(posts, out);
  CHECK(out == std::vector<Index>{1, 5, 0, 3});
}

TEST_CASE("synapse storage: broken CSR arrays are refused") {
  auto broken = [](auto edit) {
    Connectivity c = example();
    edit(c);
    return c;
  };
  CHECK_THROWS_AS(SynapseStorage(broken([](Connectivity& c) { c.post[0] = 4; })),
                  std::invalid_argument);
  CHECK_THROWS_AS(SynapseStorage(broken([](Connectivity& c) { c.post[0] = -1; })),
                  std::invalid_argument);
  CHECK_THROWS_AS(SynapseStorage(broken([](Connectivity& c) { c.post[1] = 1; })),  // duplicate
                  std::invalid_argument);
  CHECK_THROWS_AS(SynapseStorage(broken([](Connectivity& c) {
                    c.row_offsets = {0, 3, 2, 6};
                  })),
                  std::invalid_argument);
  CHECK_THROWS_AS(SynapseStorage(broken([](Connectivity& c) {
                    c.row_offsets = {0, 2, 6};
                  })),
                  std::invalid_argument);
  CHECK_THROWS_AS(SynapseStorage(broken([](Connectivity& c) { c.post.pop_back(); })),
                  std::invalid_argument);
  CHECK_THROWS_AS(SynapseStorage(broken([](Connectivity& c) { c.n_post = -1; })),
                  std::invalid_argument);
  SynapseStorage empty(Connectivity{});
  CHECK(empty.size() == 0);
  CHECK(empty.postOrder().empty());
}

TEST_CASE("synapse storage: variables by name") {
  SynapseStorage s(example());
  std::span<double> w = s.addVariable("w", 0.5);
  REQUIRE(w.size() == 6);
  CHECK(std::all_of(w.begin(), w.end(), [](double x) { return x == 0.5; }));
  w[3] = 2.0;
  // Adding more variables does not move the data of earlier ones.
  for (int k = 0; k < 20; ++k) s.addVariable("x" + std::to_string(k));
  CHECK(s.variable("w").data() == w.data());
  CHECK(s.variable("w")[3] == 2.0);
  CHECK(s.variable("x7")[0] == 0.0);
  CHECK(s.hasVariable("x19"));
  CHECK(!s.hasVariable("y"));
  CHECK_THROWS_AS(s.addVariable("w"), std::invalid_argument);
  CHECK_THROWS_AS(s.variable("y"), std::out_of_range);
  const SynapseStorage& cs = s;
  CHECK(cs.variable("w").size() == 6);
  std::vector<std::string> names = s.variableNames();
  REQUIRE(names.size() == 21);
  CHECK(names[0] == "w");
  CHECK(names[20] == "x19");
}

TEST_CASE("synapse storage: delays, uniform or per synapse") {
  SynapseStorage s(example());
  CHECK(!s.heterogeneousDelays());
  CHECK(s.maxDelaySteps() == 0);
  s.setDelaySteps(DelaySteps{4});
  CHECK(!s.heterogeneousDelays());
  CHECK(s.delaySteps(5) == 4);
  CHECK(s.minDelaySteps() == 4);
  s.setDelaySteps(std::vector<DelaySteps>{1, 9, 3, 3, 2, 1});
  CHECK(s.heterogeneousDelays());
  CHECK(s.minDelaySteps() == 1);
  CHECK(s.maxDelaySteps() == 9);
  CHECK(s.delaySteps(1) == 9);
  s.setDelaySteps(std::vector<DelaySteps>(6, 7));  // all equal: stored as one value
  CHECK(!s.heterogeneousDelays());
  CHECK(s.perSynapseDelaySteps().empty());
  CHECK(s.delaySteps(2) == 7);
  CHECK_THROWS_AS(s.setDelaySteps(std::vector<DelaySteps>{1, 2}), std::invalid_argument);
}

TEST_CASE("synapse storage: the memory estimate counts what is stored") {
  // 100 synapses, 2 variables: 100 * (3 * 8 + 2 * 8) + (10 + 20 + 2) * 8.
  CHECK(SynapseStorage::estimateBytes(10, 20, 100, 2, false) == 4256);
  CHECK(SynapseStorage::estimateBytes(10, 20, 100, 2, true) == 4656);
  // 10^12 synapses would need 40 TB: reported, not wrapped around.
  CHECK(SynapseStorage::estimateBytes(1000000, 1000000, 1000000000000, 2, false) ==
        40000000000000ull + 2000002 * 8);
  CHECK(SynapseStorage::estimateBytes(1, 1, std::numeric_limits<std::uint64_t>::max() / 2, 1,
                                      false) == std::numeric_limits<std::uint64_t>::max());
  SynapseStorage s(example());
  s.addVariable("w");
  s.setDelaySteps(std::vector<DelaySteps>{1, 2, 3, 4, 5, 6});
  CHECK(s.memoryBytes() == SynapseStorage::estimateBytes(3, 4, 6, 1, true));
  const std::uint64_t counted = (s.postIndex().size() + s.preIndex().size() + s.postOrder().size() +
                                 s.rowOffsets().size() + s.postOffsets().size()) *
                                    8 +
                                s.variable("w").size() * 8 + s.perSynapseDelaySteps().size() * 4;
  CHECK(s.memoryBytes() == counted);
}
