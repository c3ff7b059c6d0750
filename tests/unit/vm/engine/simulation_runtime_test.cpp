// A Simulation's guarantees around the step loop: NaN and infinities stop the run with where and
// when, memory refusals come before anything large is allocated, a stop flag interrupts between
// steps and leaves a state that continues exactly, seeds alone decide the random numbers, and a
// warmed-up run allocates nothing (the counting allocator of tests/unit/vm/interpreter).
#include "vm/engine/simulation.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/unit/support/engine_kernels.h"
#include "tests/unit/vm/interpreter/allocation_counter.h"

namespace snn::engine {
namespace {

using ir::Domain;
using ir::KernelBuilder;
using ir::Opcode;
using ir::ValueId;
using testing::loadAt;
using testing::storeAt;
using testing::vmKernel;

constexpr double kDt = 1e-4;

// A Poisson group: spike when rand() < rate * dt (stream 1); V-less, like lowering's.
GroupPlan poissonGroup(std::string name, Index n, double rate) {
  GroupPlan g = testing::group(std::move(name), n, {});
  g.kind = GroupKind::Poisson;
  g.model = "poisson";
  g.threshold = vmKernel(g.name + ".threshold", Domain::Neurons, [&](KernelBuilder& b) {
    b.emitSpike(b.op(Opcode::Lt, b.rand(1, b.element()), b.constant(rate * kDt)));
  });
  return g;
}

// A leaky integrator driven by synapses: v decays, spikes above 1 and resets to 0.
GroupPlan leakyGroup(std::string name, Index n) {
  GroupPlan g = testing::group(std::move(name), n, {{"v", 0.0}});
  g.update = vmKernel(g.name + ".update", Domain::Neurons, [](KernelBuilder& b) {
    storeAt(b, "v", b.op(Opcode::Mul, loadAt(b, "v"), b.constant(0.99)));
    storeAt(b, "_fault", b.constant(0.0));
  });
  g.threshold = vmKernel(g.name + ".threshold", Domain::Neurons, [](KernelBuilder& b) {
    b.emitSpike(b.op(Opcode::Gt, loadAt(b, "v"), b.constant(1.0)));
  });
  g.reset = vmKernel(g.name + ".reset", Domain::Spiking,
                     [](KernelBuilder& b) { storeAt(b, "v", b.constant(0.0)); });
  g.fault_variables = {"v"};
  return g;
}

// Poisson sources -> leaky targets (p = 0.1, delay 0.5 ms, on pre: v += w) plus a
// poisson_input: every random path of the engine in one network.
SimulationPlan randomNetwork(std::uint64_t seed) {
  SimulationPlan plan;
  plan.dt = kDt;
  plan.seed = seed;
  plan.groups.push_back(poissonGroup("P", 200, 50.0));
  plan.groups.push_back(leakyGroup("L", 100));
  ConnectionPlan c = testing::connection("P->L", 0, 1, ConnectionRule::Probability);
  c.probability = 0.1;
  c.stream = 2;
  c.delay = 0.5e-3;
  c.variables.push_back({"w", "1", 0.3});
  c.on_pre = vmKernel("P->L.on_pre", Domain::Synapses, [](KernelBuilder& b) {
    ValueId e = b.element();
    b.accumulate("post.v", b.loadIndex("post_index", e), b.load("w", e));
  });
  plan.connections.push_back(std::move(c));
  plan.poisson_inputs.push_back({1, "v", 100, 10.0, 0.05, 3});
  return plan;
}

TEST_CASE("Simulation runtime: a NaN or infinity stops the run with group, neuron, time, value") {
  SimulationPlan plan;
  plan.dt = kDt;
  // x *= 10 each step; neuron 3 starts at 1e300 and overflows in step 8 (1e309).
  GroupPlan g = testing::group("E", 5, {{"x", 1.0}, {"y", 0.0}});
  g.init = vmKernel("E.init", Domain::Neurons, [](KernelBuilder& b) {
    ValueId is3 = b.op(Opcode::Eq, b.op(Opcode::IntToFloat, b.element()), b.constant(3.0));
    storeAt(b, "x", b.op(Opcode::Select, is3, b.constant(1e300), b.constant(1.0)));
  });
  // Lowering's pattern: compute, keep the old value where the new one is not finite, and
  // mark the element with a NaN in _fault; the diagnose twin stores the new values aside so
  // that the engine can name the variable.
  g.update = vmKernel("E.update", Domain::Neurons, [](KernelBuilder& b) {
    ValueId x = loadAt(b, "x");
    ValueId next = b.op(Opcode::Mul, x, b.constant(10.0));
    ValueId finite = b.op(Opcode::Lt, b.op(Opcode::Abs, next), b.constant(INFINITY));
    storeAt(b, "x", b.op(Opcode::Select, finite, next, x));
    storeAt(b, "_fault", b.op(Opcode::Select, finite, b.constant(0.0), b.constant(NAN)));
  });
  g.diagnose = vmKernel("E.update.diagnose", Domain::Neurons, [](KernelBuilder& b) {
    storeAt(b, "new.x", b.op(Opcode::Mul, loadAt(b, "x"), b.constant(10.0)));
    storeAt(b, "new.y", loadAt(b, "y"));
  });
  g.fault_variables = {"y", "x"};
  plan.groups.push_back(std::move(g));
  Simulation sim(std::move(plan));
  try {
    sim.run(100);
    FAIL("no error");
  } catch (const NonFiniteError& e) {
    CHECK(e.owner == "E");
    CHECK(e.index == 3);
    CHECK(e.variable == "x");
    CHECK(e.time == doctest::Approx(8 * kDt));
    CHECK(e.last_finite == doctest::Approx(1e308));
    CHECK(std::string(e.what()) ==
          "E.x became infinite at t = 0.8 ms in neuron 3 (last finite value 1e+308 SI)");
  }
  CHECK(sim.currentStep() == 8);
  CHECK(sim.groupVariable(0, "x")[3] == doctest::Approx(1e308));
  CHECK(sim.groupVariable(0, "x")[0] == doctest::Approx(1e9));
}

TEST_CASE("Simulation runtime: a huge all-to-all is refused before it is allocated") {
  SimulationPlan plan;
  plan.dt = kDt;
  plan.groups.push_back(testing::group("A", 1000000, {}));
  plan.groups.push_back(testing::group("B", 1000000, {}));
  ConnectionPlan c = testing::connection("A->B", 0, 1, ConnectionRule::All);
  c.variables.push_back({"w", "1", 0.0});
  plan.connections.push_back(std::move(c));
  SimulationOptions options;
  options.memory_limit = std::uint64_t{1} << 30;
  const auto start = std::chrono::steady_clock::now();
  try {
    Simulation sim(std::move(plan), options);
    FAIL("no refusal");
  } catch (const MemoryRefusal& e) {
    // 10^12 synapses of 32 bytes (post, pre, post-side id, w) and 16 MB of offsets.
    CHECK(e.estimate_bytes == 32'000'000'000'000ull + 16'000'016ull);
    CHECK(e.limit_bytes == std::uint64_t{1} << 30);
    CHECK(std::string(e.what()) ==
          "connection A->B would need 29.1 TiB for its 1000000000000 synapses, more than the "
          "1.00 GiB of memory left (limit 1.00 GiB, 0 B held already)");
  }
  // Generating 10^12 synapses would take hours: the refusal came first.
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("Simulation runtime: a rule whose count is unknown is capped at what fits") {
  // p(i, j) = 1: 1000 x 1000 = 10^6 synapses of 24 bytes, against a limit of 1 MiB: generation
  // stops at the 43000-odd synapses that fit and the connection is refused.
  SimulationPlan plan;
  plan.dt = kDt;
  plan.groups.push_back(testing::group("A", 1000, {}));
  plan.groups.push_back(testing::group("B", 1000, {}));
  ConnectionPlan c = testing::connection("A->B", 0, 1, ConnectionRule::PairProbability);
  c.pair_probability = vmKernel("A->B.p", Domain::Pairs,
                                [](KernelBuilder& b) { storeAt(b, "result", b.constant(1.0)); });
  plan.connections.push_back(std::move(c));
  SimulationOptions options;
  options.memory_limit = 1 << 20;
  CHECK_THROWS_WITH_AS(Simulation(std::move(plan), options),
                       doctest::Contains("connection A->B would need 22.9 MiB for up to 1000000 "
                                         "synapses"),
                       MemoryRefusal);

  // The same rule with p = 0.001 fits: the bound alone is no reason to refuse.
  SimulationPlan sparse;
  sparse.dt = kDt;
  sparse.groups.push_back(testing::group("A", 1000, {}));
  sparse.groups.push_back(testing::group("B", 1000, {}));
  ConnectionPlan s = testing::connection("A->B", 0, 1, ConnectionRule::PairProbability);
  s.pair_probability = vmKernel("A->B.p", Domain::Pairs,
                                [](KernelBuilder& b) { storeAt(b, "result", b.constant(0.001)); });
  sparse.connections.push_back(std::move(s));
  Simulation sim(std::move(sparse), options);
  CHECK(sim.synapseCount(0) > 800);
  CHECK(sim.synapseCount(0) < 1200);
  CHECK(sim.memoryBytes() == static_cast<std::uint64_t>(sim.synapseCount(0)) * 24 + 2002 * 8);
}

TEST_CASE("Simulation runtime: recordings that would outgrow the limit refuse the run") {
  SimulationPlan plan;
  plan.dt = kDt;
  plan.groups.push_back(testing::group("A", 1000, {{"x", 0.0}}));
  SimulationOptions options;
  options.memory_limit = 1 << 20;  // 1 MiB
  Simulation sim(std::move(plan), options);
  std::vector<Index> all(1000);
  for (Index i = 0; i < 1000; ++i) all[static_cast<std::size_t>(i)] = i;
  sim.recordState(false, 0, "x", all, 10);
  // 100 rows of 1000 values + a step each: 800,800 bytes fit in 1 MiB; 200 rows do not.
  CHECK(sim.run(1000) == RunOutcome::Completed);
  CHECK(sim.memoryBytes() == 100 * 8008 + 1000 * 8);
  try {
    sim.run(1000);
    FAIL("no refusal");
  } catch (const MemoryRefusal& e) {
    CHECK(e.estimate_bytes == 100 * 8008);
    CHECK(e.limit_bytes == (1 << 20) - (100 * 8008 + 1000 * 8));
  }
  CHECK(sim.currentStep() == 1000);  // refused before any step

  // Spike monitors are estimated at 100 Hz per neuron: 1000 neurons for 1 s are 1.6 MB.
  sim.recordSpikes(0);
  CHECK_THROWS_WITH_AS(sim.run(10000), doctest::Contains("100 Hz per neuron"), MemoryRefusal);
  CHECK_THROWS_AS(sim.recordState(false, 0, "x", {1000}, 1), std::out_of_range);
  CHECK_THROWS_AS(sim.recordState(false, 0, "x", {0}, 0), std::out_of_range);
  CHECK_THROWS_AS(sim.recordState(true, 0, "w", {0}, 1), std::out_of_range);
}

TEST_CASE("Simulation runtime: the stop flag interrupts between steps; the run continues exactly") {
  auto record = [](Simulation& sim) {
    sim.recordSpikes(1);
    sim.recordState(false, 1, "v", {0, 1, 2}, 1);
  };
  Simulation reference(randomNetwork(5));
  record(reference);
  CHECK(reference.run(300) == RunOutcome::Completed);

  Simulation interrupted(randomNetwork(5));
  record(interrupted);
  std::atomic<bool> stop{false};
  interrupted.scheduleAt(120, [&](Simulation&) { stop = true; });
  CHECK(interrupted.run(300, &stop) == RunOutcome::Interrupted);
  CHECK(interrupted.currentStep() == 121);
  stop = false;
  CHECK(interrupted.run(179, &stop) == RunOutcome::Completed);
  CHECK(interrupted.currentStep() == 300);

  const SpikeRecording& a = reference.spikeRecordings()[0];
  const SpikeRecording& b = interrupted.spikeRecordings()[0];
  CHECK(a.indices.size() > 50);  // the network does spike
  CHECK(a.indices == b.indices);
  CHECK(a.steps == b.steps);
  CHECK(reference.stateRecordings()[0].values == interrupted.stateRecordings()[0].values);
}

TEST_CASE("Simulation runtime: the same seed gives identical recordings, another seed not") {
  auto simulate = [](std::uint64_t seed) {
    auto sim = std::make_unique<Simulation>(randomNetwork(seed));
    sim->recordSpikes(0);
    sim->recordSpikes(1);
    sim->recordState(false, 1, "v", {0, 50, 99}, 1);
    sim->run(400);
    return sim;
  };
  auto one = simulate(11), two = simulate(11), other = simulate(12);
  for (std::size_t r = 0; r < 2; ++r) {
    CHECK(one->spikeRecordings()[r].indices == two->spikeRecordings()[r].indices);
    CHECK(one->spikeRecordings()[r].steps == two->spikeRecordings()[r].steps);
    CHECK(one->spikeRecordings()[r].indices != other->spikeRecordings()[r].indices);
  }
  CHECK(one->stateRecordings()[0].values == two->stateRecordings()[0].values);
  CHECK(one->stateRecordings()[0].values != other->stateRecordings()[0].values);
  CHECK(std::vector<Index>(one->synapsePost(0).begin(), one->synapsePost(0).end()) ==
        std::vector<Index>(two->synapsePost(0).begin(), two->synapsePost(0).end()));
  CHECK(std::vector<Index>(one->synapsePost(0).begin(), one->synapsePost(0).end()) !=
        std::vector<Index>(other->synapsePost(0).begin(), other->synapsePost(0).end()));
}

TEST_CASE("Simulation runtime: a warmed-up run allocates nothing") {
  // The network of randomNetwork with periodic sources and a poisson_input of weight 0: every
  // phase runs, and the activity repeats, so buffers stop growing once they have seen a period
  // (random activity would set a new largest batch now and then, and that batch's buffer would
  // grow once, as it should).
  SimulationPlan plan = randomNetwork(21);
  std::vector<std::pair<Index, Step>> pattern;
  for (Step step = 0; step < 10000; ++step)
    for (Index i = 0; i < 200; ++i)
      if ((step + 7 * i) % 25 == 0) pattern.emplace_back(i, step);
  plan.groups[0] = testing::spikeGenerator("P", 200, pattern);
  plan.poisson_inputs[0].weight = 0.0;
  // Add on_post, a summed variable, per-synapse delays and a connection update.
  plan.groups[1].variables.push_back({"I", "1", 0.0});
  ConnectionPlan c = testing::connection("L->L", 1, 1, ConnectionRule::Probability);
  c.probability = 0.2;
  c.stream = 4;
  c.variables.push_back({"u", "1", 0.0});
  c.delay_kernel = vmKernel("L->L.delay", Domain::AllSynapses, [](KernelBuilder& b) {
    ValueId j = b.op(Opcode::IntToFloat, b.loadIndex("post_index", b.element()));
    storeAt(b, "delay", b.op(Opcode::Mul, b.constant(1e-5), j));
  });
  c.on_pre = vmKernel("L->L.on_pre", Domain::Synapses, [](KernelBuilder& b) {
    ValueId e = b.element();
    b.accumulate("post.v", b.loadIndex("post_index", e), b.constant(0.2));
  });
  c.on_post = vmKernel("L->L.on_post", Domain::Synapses, [](KernelBuilder& b) {
    storeAt(b, "u", b.op(Opcode::Add, loadAt(b, "u"), b.constant(1.0)));
  });
  c.update = vmKernel("L->L.update", Domain::AllSynapses, [](KernelBuilder& b) {
    storeAt(b, "u", b.op(Opcode::Mul, loadAt(b, "u"), b.constant(0.9)));
    storeAt(b, "_fault", b.constant(0.0));
  });
  SummedPlan summed;
  summed.target_variable = "I";
  summed.kernel = vmKernel("L->L.summed", Domain::AllSynapses, [](KernelBuilder& b) {
    ValueId e = b.element();
    b.accumulate("post.I", b.loadIndex("post_index", e), b.load("u", e));
  });
  c.summed.push_back(std::move(summed));
  plan.connections.push_back(std::move(c));
  Simulation sim(std::move(plan));
  sim.recordState(false, 1, "v", {0, 1, 2, 3}, 3);
  sim.recordRate(1);
  sim.run(1000);  // warm-up: queues and synapse id lists reach their working sizes
  const std::size_t before = snn::testing::allocationCount();
  sim.run(2000);
  // Reserving the two recordings (3 vectors) before the loop; the loop itself allocated nothing.
  CHECK(snn::testing::allocationCount() - before == 3);
  CHECK(sim.spikeRecordings().empty());
  CHECK(sim.stateRecordings()[0].steps.size() == 1000);
  const std::size_t spikes = sim.recordSpikes(1);
  const std::size_t mid = snn::testing::allocationCount();
  sim.run(2000);
  const std::size_t recorded = sim.spikeRecordings()[spikes].indices.size();
  CHECK(recorded > 100);
  // Spike recordings grow geometrically: two vectors, about log2(recorded) times each.
  CHECK(snn::testing::allocationCount() - mid <=
        3 + 2 * static_cast<std::size_t>(std::log2(static_cast<double>(recorded)) + 2));
}

}  // namespace
}  // namespace snn::engine

namespace snn::engine {
namespace {

TEST_CASE("Simulation runtime: user errors found while building name what failed") {
  auto expectError = [](SimulationPlan plan, std::string owner, std::string text) {
    CAPTURE(text);
    try {
      Simulation sim(std::move(plan));
      FAIL("no error");
    } catch (const SimulationError& e) {
      CHECK(e.owner == owner);
      CHECK(std::string(e.what()).find(text) != std::string::npos);
    }
  };
  auto generator = [](std::vector<std::pair<Index, Step>> spikes) {
    SimulationPlan plan;
    plan.dt = 1e-4;
    plan.groups.push_back(testing::spikeGenerator("G", 3, std::move(spikes)));
    return plan;
  };
  expectError(generator({{0, 1}, {3, 2}}), "G", "spike index 3 outside [0, 3)");
  expectError(generator({{0, 1}, {1, 1}, {0, 1}}), "G", "neuron 0 spikes twice in step 1");
  expectError(generator({{0, 4}, {1, 2}}), "G", "sorted");

  SimulationPlan input;
  input.dt = 1e-4;
  input.groups.push_back(testing::group("P", 2, {{"x", 0.0}}));
  input.poisson_inputs.push_back({0, "x", 10, 20000.0, 1.0, 0});
  expectError(std::move(input), "poisson_input(P.x)", "rate * dt = 20000 Hz * 0.0001 s = 2");

  SimulationPlan delayed;
  delayed.dt = 1e-4;
  delayed.groups.push_back(testing::group("A", 2, {}));
  ConnectionPlan c = testing::connection("A->A", 0, 0, ConnectionRule::All);
  c.delay = -1e-3;
  delayed.connections.push_back(std::move(c));
  expectError(std::move(delayed), "A->A", "the delay -0.001 s");

  SimulationPlan no_dt;
  no_dt.experiment = "x";
  no_dt.dt = 0;
  expectError(std::move(no_dt), "x", "dt = 0 s");
}

}  // namespace
}  // namespace snn::engine
