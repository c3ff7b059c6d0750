// Connections in a Simulation: generation through pair kernels (condition, p(i, j), j = f(i))
// called back from connectivity.h, summed variables (zeroed once per step, several connections
// adding up), synapse counts per rule, what the user gets wrong (SimulationError naming the
// connection) and what lowering gets wrong (std::logic_error naming kernel and buffer).
#include "vm/engine/simulation.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/unit/support/engine_kernels.h"

namespace snn::engine {
namespace {

using ir::Domain;
using ir::KernelBuilder;
using ir::Opcode;
using ir::ValueId;
using testing::loadAt;
using testing::storeAt;
using testing::vmKernel;

ValueId pairPre(KernelBuilder& b) {
  return b.op(Opcode::IntToFloat, b.loadIndex("pair.pre", b.element()));
}
ValueId pairPost(KernelBuilder& b) {
  return b.op(Opcode::IntToFloat, b.loadIndex("pair.post", b.element()));
}
void storeResult(KernelBuilder& b, ValueId condition) {
  storeAt(b, "result", b.op(Opcode::Select, condition, b.constant(1.0), b.constant(0.0)));
}

SimulationPlan twoGroups(Index n_pre, Index n_post) {
  SimulationPlan plan;
  plan.dt = 1e-4;
  plan.seed = 99;
  plan.groups.push_back(testing::group("A", n_pre, {{"x", 0.0}}));
  plan.groups.push_back(testing::group("B", n_post, {{"x", 0.0}}));
  return plan;
}

TEST_CASE(
    "Simulation connections: a condition kernel over pairs (all, i != j and pre.x < post.x)") {
  SimulationPlan plan = twoGroups(30, 30);
  // A.x = i, B.x = 2 i; keep i != j and A.x[i] < B.x[j]: reads both groups' arrays.
  plan.groups[0].init = vmKernel("A.init", Domain::Neurons, [](KernelBuilder& b) {
    storeAt(b, "x", b.op(Opcode::IntToFloat, b.element()));
  });
  plan.groups[1].init = vmKernel("B.init", Domain::Neurons, [](KernelBuilder& b) {
    storeAt(b, "x", b.op(Opcode::Mul, b.constant(2.0), b.op(Opcode::IntToFloat, b.element())));
  });
  ConnectionPlan c = testing::connection("A->B", 0, 1, ConnectionRule::All);
  c.condition = vmKernel("A->B.condition", Domain::Pairs, [](KernelBuilder& b) {
    ValueId i = b.loadIndex("pair.pre", b.element()), j = b.loadIndex("pair.post", b.element());
    ValueId differ = b.op(Opcode::Ne, b.op(Opcode::IntToFloat, i), b.op(Opcode::IntToFloat, j));
    ValueId below = b.op(Opcode::Lt, b.load("pre.x", i), b.load("post.x", j));
    storeResult(b, b.op(Opcode::And, differ, below));
  });
  plan.connections.push_back(std::move(c));
  Simulation sim(std::move(plan));
  std::set<std::pair<Index, Index>> expected;
  for (Index i = 0; i < 30; ++i)
    for (Index j = 0; j < 30; ++j)
      if (i != j && i < 2 * j) expected.insert({i, j});
  REQUIRE(sim.synapseCount(0) == static_cast<Index>(expected.size()));
  std::set<std::pair<Index, Index>> got;
  for (Index s = 0; s < sim.synapseCount(0); ++s)
    got.insert({sim.synapsePre(0)[static_cast<std::size_t>(s)],
                sim.synapsePost(0)[static_cast<std::size_t>(s)]});
  CHECK(got == expected);
}

TEST_CASE("Simulation connections: p(i, j) and j = f(i) kernels") {
  SUBCASE("p(i, j) = 1 where j = i + 1, 0 elsewhere: a chain") {
    SimulationPlan plan = twoGroups(50, 50);
    ConnectionPlan c = testing::connection("A->B", 0, 1, ConnectionRule::PairProbability);
    c.pair_probability = vmKernel("A->B.p", Domain::Pairs, [](KernelBuilder& b) {
      storeResult(b, b.op(Opcode::Eq, pairPost(b), b.op(Opcode::Add, pairPre(b), b.constant(1.0))));
    });
    plan.connections.push_back(std::move(c));
    Simulation sim(std::move(plan));
    REQUIRE(sim.synapseCount(0) == 49);
    for (std::size_t s = 0; s < 49; ++s) {
      CHECK(sim.synapsePre(0)[s] == static_cast<Index>(s));
      CHECK(sim.synapsePost(0)[s] == static_cast<Index>(s) + 1);
    }
  }
  SUBCASE("p(i, j) = 0.5 everywhere keeps about half of the pairs") {
    SimulationPlan plan = twoGroups(100, 100);
    ConnectionPlan c = testing::connection("A->B", 0, 1, ConnectionRule::PairProbability);
    c.pair_probability = vmKernel("A->B.p", Domain::Pairs,
                                  [](KernelBuilder& b) { storeAt(b, "result", b.constant(0.5)); });
    plan.connections.push_back(std::move(c));
    Simulation sim(std::move(plan));
    CHECK(std::abs(sim.synapseCount(0) - 5000) < 5 * 50);  // sd = sqrt(10000 / 4) = 50
  }
  SUBCASE("j = (i * 3) mod 20") {
    SimulationPlan plan = twoGroups(40, 20);
    ConnectionPlan c = testing::connection("A->B", 0, 1, ConnectionRule::Explicit);
    c.target_map = vmKernel("A->B.j", Domain::Pairs, [](KernelBuilder& b) {
      storeAt(b, "result",
              b.op(Opcode::Mod, b.op(Opcode::Mul, pairPre(b), b.constant(3.0)), b.constant(20.0)));
    });
    plan.connections.push_back(std::move(c));
    Simulation sim(std::move(plan));
    REQUIRE(sim.synapseCount(0) == 40);
    for (std::size_t s = 0; s < 40; ++s) {
      CHECK(sim.synapsePre(0)[s] == static_cast<Index>(s));
      CHECK(sim.synapsePost(0)[s] == static_cast<Index>(s * 3 % 20));
    }
  }
  SUBCASE("a target outside the population is the user's error, named by the connection") {
    SimulationPlan plan = twoGroups(10, 5);
    ConnectionPlan c = testing::connection("A->B", 0, 1, ConnectionRule::Explicit);
    c.target_map = vmKernel("A->B.j", Domain::Pairs, [](KernelBuilder& b) {
      storeAt(b, "result", b.op(Opcode::Add, pairPre(b), b.constant(0.0)));
    });
    plan.connections.push_back(std::move(c));
    try {
      Simulation sim(std::move(plan));
      FAIL("no error");
    } catch (const SimulationError& e) {
      CHECK(e.owner == "A->B");
      CHECK(std::string(e.what()).find("j = 5 for i = 5") != std::string::npos);
    }
  }
  SUBCASE("a target that is not an integer is an error too") {
    SimulationPlan plan = twoGroups(10, 10);
    ConnectionPlan c = testing::connection("A->B", 0, 1, ConnectionRule::Explicit);
    c.target_map = vmKernel("A->B.j", Domain::Pairs, [](KernelBuilder& b) {
      storeAt(b, "result", b.op(Opcode::Div, pairPre(b), b.constant(2.0)));
    });
    plan.connections.push_back(std::move(c));
    CHECK_THROWS_WITH_AS(Simulation(std::move(plan)), doctest::Contains("j = 0.5 for i = 1"),
                         SimulationError);
  }
}

TEST_CASE("Simulation connections: counts per rule; threads do not change the synapses") {
  auto make = [](ConnectionRule rule, double p, Index k, unsigned threads) {
    SimulationPlan plan = twoGroups(200, 150);
    ConnectionPlan c = testing::connection("A->B", 0, 1, rule);
    c.probability = p;
    c.fixed_count = k;
    c.stream = 3;
    plan.connections.push_back(std::move(c));
    SimulationOptions options;
    options.threads = threads;
    return std::make_unique<Simulation>(std::move(plan), options);
  };
  CHECK(make(ConnectionRule::All, 0, 0, 1)->synapseCount(0) == 200 * 150);
  CHECK(make(ConnectionRule::FixedIndegree, 0, 7, 1)->synapseCount(0) == 7 * 150);
  CHECK(make(ConnectionRule::FixedOutdegree, 0, 7, 1)->synapseCount(0) == 7 * 200);
  auto one = make(ConnectionRule::Probability, 0.1, 0, 1);
  auto four = make(ConnectionRule::Probability, 0.1, 0, 4);
  CHECK(std::abs(one->synapseCount(0) - 3000) < 5 * 43);  // sd = sqrt(30000 * 0.09) ~ 52
  REQUIRE(one->synapseCount(0) == four->synapseCount(0));
  CHECK(std::equal(one->synapsePost(0).begin(), one->synapsePost(0).end(),
                   four->synapsePost(0).begin()));
  CHECK_THROWS_WITH_AS(make(ConnectionRule::FixedIndegree, 0, 201, 1),
                       doctest::Contains("only 200 sources"), SimulationError);
  CHECK_THROWS_WITH_AS(make(ConnectionRule::OneToOne, 0, 0, 1), doctest::Contains("A->B"),
                       SimulationError);
  CHECK_THROWS_AS(make(ConnectionRule::Probability, 1.5, 0, 1), SimulationError);
}

TEST_CASE("Simulation connections: summed variables are zeroed once per step and add up") {
  SimulationPlan plan;
  plan.dt = 1e-4;
  plan.groups.push_back(testing::group("A", 3, {{"x", 1.0}}));
  plan.groups.push_back(testing::group("B", 2, {{"x", 10.0}}));
  plan.groups.push_back(testing::group("T", 2, {{"I", 123.0}}));
  // post.I = w * pre.x (summed) from both A (w = 1) and B (w = 0.5), all to all:
  // T.I = 3 * 1 * 1 + 2 * 0.5 * 10 = 13 for every target, every step.
  for (std::size_t source : {0u, 1u}) {
    ConnectionPlan c =
        testing::connection(source == 0 ? "A->T" : "B->T", source, 2, ConnectionRule::All);
    c.variables.push_back({"w", "1", source == 0 ? 1.0 : 0.5});
    SummedPlan summed;
    summed.target_variable = "I";
    summed.kernel = vmKernel(c.name + ".summed", Domain::AllSynapses, [](KernelBuilder& b) {
      ValueId e = b.element();
      ValueId x = b.load("pre.x", b.loadIndex("pre_index", e));
      b.accumulate("post.I", b.loadIndex("post_index", e), b.op(Opcode::Mul, b.load("w", e), x));
    });
    c.summed.push_back(std::move(summed));
    plan.connections.push_back(std::move(c));
  }
  Simulation sim(std::move(plan));
  const std::size_t m = sim.recordState(false, 2, "I", {0, 1}, 1);
  sim.run(4);
  const StateRecording& r = sim.stateRecordings()[m];
  REQUIRE(r.values.size() == 8);
  CHECK(r.values[0] == 123.0);  // before the first step's sums
  CHECK(r.values[1] == 123.0);
  for (std::size_t k = 2; k < 8; ++k) CHECK(r.values[k] == 13.0);
  CHECK(sim.groupVariable(2, "I")[1] == 13.0);
}

TEST_CASE("Simulation connections: synapse init and a NaN in a synapse's update") {
  SimulationPlan plan = twoGroups(2, 3);
  ConnectionPlan c = testing::connection("A->B", 0, 1, ConnectionRule::All);
  c.variables.push_back({"g", "1", 0.0});
  // init: g = j + 0.5; update: g = 1 / (g - 2.5), infinite for j = 2 in the first step.
  c.init = vmKernel("A->B.init", Domain::AllSynapses, [](KernelBuilder& b) {
    ValueId j = b.op(Opcode::IntToFloat, b.loadIndex("post_index", b.element()));
    storeAt(b, "g", b.op(Opcode::Add, j, b.constant(0.5)));
  });
  c.update = vmKernel("A->B.update", Domain::AllSynapses, [](KernelBuilder& b) {
    ValueId g = loadAt(b, "g");
    ValueId next = b.op(Opcode::Div, b.constant(1.0), b.op(Opcode::Sub, g, b.constant(2.5)));
    ValueId finite = b.op(Opcode::Lt, b.op(Opcode::Abs, next), b.constant(INFINITY));
    storeAt(b, "g", b.op(Opcode::Select, finite, next, g));
    storeAt(b, "_fault", b.op(Opcode::Select, finite, b.constant(0.0), b.constant(NAN)));
  });
  // The cold twin: the same step, the new value stored aside.
  c.diagnose = vmKernel("A->B.update.diagnose", Domain::AllSynapses, [](KernelBuilder& b) {
    ValueId g = loadAt(b, "g");
    storeAt(b, "new.g", b.op(Opcode::Div, b.constant(1.0), b.op(Opcode::Sub, g, b.constant(2.5))));
  });
  c.fault_variables = {"g"};
  plan.connections.push_back(std::move(c));
  Simulation sim(std::move(plan));
  CHECK(sim.connectionVariable(0, "g")[1] == 1.5);
  try {
    sim.run(10);
    FAIL("no error");
  } catch (const NonFiniteError& e) {
    // Synapse ids: row 0 = (0,0), (0,1), (0,2): the first fault is synapse 2.
    CHECK(e.owner == "A->B");
    CHECK(e.index == 2);
    CHECK(e.variable == "g");
    CHECK(e.time == 0.0);
    CHECK(e.last_finite == 2.5);
    CHECK(std::string(e.what()) ==
          "A->B.g became infinite at t = 0 ms in synapse 2 (last finite value 2.5 SI)");
  }
}

TEST_CASE("Simulation connections: lowering bugs are logic errors naming kernel and buffer") {
  auto plan_with = [](std::string buffer, bool index) {
    SimulationPlan plan = twoGroups(3, 3);
    ConnectionPlan c = testing::connection("A->B", 0, 1, ConnectionRule::OneToOne);
    c.on_pre = vmKernel("A->B.on_pre", Domain::Synapses, [&](KernelBuilder& b) {
      if (index) {
        storeAt(b, "post.x", b.op(Opcode::IntToFloat, b.loadIndex(buffer, b.element())));
      } else {
        storeAt(b, "post.x", b.load(buffer, b.element()));
      }
    });
    plan.connections.push_back(std::move(c));
    return plan;
  };
  CHECK_THROWS_WITH_AS(Simulation(plan_with("w", false)),
                       "kernel `A->B.on_pre`: buffer `w` is not a variable of connection `A->B`",
                       std::logic_error);
  CHECK_THROWS_WITH_AS(Simulation(plan_with("pre.y", false)),
                       "kernel `A->B.on_pre`: buffer `pre.y` is not a variable of `A`",
                       std::logic_error);
  CHECK_THROWS_WITH_AS(Simulation(plan_with("pre.x", true)), doctest::Contains("read as indices"),
                       std::logic_error);
  CHECK_THROWS_WITH_AS(Simulation(plan_with("pair.pre", true)), doctest::Contains("`pair.pre`"),
                       std::logic_error);
  Simulation fine(plan_with("pre.x", false));
  CHECK(fine.synapseCount(0) == 3);

  SimulationPlan group_plan = twoGroups(3, 3);
  group_plan.groups[0].update = vmKernel("A.update", Domain::Neurons, [](KernelBuilder& b) {
    storeAt(b, "V", b.timed("I_ext", b.time()));
  });
  CHECK_THROWS_WITH_AS(Simulation(std::move(group_plan)),
                       "kernel `A.update`: buffer `V` is not a variable of `A`", std::logic_error);
}

TEST_CASE("Simulation connections: timed arrays are bound by name") {
  SimulationPlan plan = twoGroups(2, 1);
  plan.tables.push_back({"drive", {1.0, 2.0, 3.0}, 2e-4});
  plan.groups[0].update = vmKernel("A.update", Domain::Neurons, [](KernelBuilder& b) {
    storeAt(b, "x", b.timed("drive", b.time()));
    storeAt(b, "_fault", b.constant(0.0));
  });
  Simulation sim(std::move(plan));
  const std::size_t m = sim.recordState(false, 0, "x", {1}, 1);
  sim.run(7);
  // x is set in step s to drive(t_s): recorded one step later. drive holds each value 2 steps.
  const std::vector<double> expected = {0, 1, 1, 2, 2, 3, 3};
  CHECK(sim.stateRecordings()[m].values == expected);

  SimulationPlan missing = twoGroups(2, 1);
  missing.groups[0].update = vmKernel("A.update", Domain::Neurons, [](KernelBuilder& b) {
    storeAt(b, "x", b.timed("drive", b.time()));
  });
  CHECK_THROWS_WITH_AS(Simulation(std::move(missing)),
                       "kernel `A.update`: no timed array `drive` in the plan", std::logic_error);
}

}  // namespace
}  // namespace snn::engine
