// The simulation loop against independent expectations: a LIF neuron's spike times against the
// analytic inter-spike interval with Brian2's refractoriness rule, the schedule's order (zero
// and non-zero delays, reset after propagation, on_pre before on_post), spike generators and
// rate monitors, Poisson input statistics, `at` actions and protocol kernels. Kernels are
// written here in IR the way lowering writes them (tests/unit/support/engine_kernels.h).
#include "vm/engine/simulation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
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

constexpr double kDt = 1e-4;

std::vector<Step> spikeStepsOf(const SpikeRecording& r, Index neuron) {
  std::vector<Step> out;
  for (std::size_t k = 0; k < r.indices.size(); ++k)
    if (r.indices[k] == neuron) out.push_back(r.steps[k]);
  return out;
}

// Column `column` of a state recording, one value per recorded step.
std::map<Step, double> column(const StateRecording& r, std::size_t column = 0) {
  std::map<Step, double> out;
  for (std::size_t row = 0; row < r.steps.size(); ++row)
    out[r.steps[row]] = r.values[row * r.indices.size() + column];
  return out;
}

// post.<var>[post_index[e]] += amount: the `on pre { x += amount }` of lowering.
std::unique_ptr<Kernel> addToPost(std::string name, std::string variable, double amount) {
  return vmKernel(std::move(name), Domain::Synapses, [&](KernelBuilder& b) {
    ValueId j = b.loadIndex("post_index", b.element());
    b.accumulate("post." + variable, j, b.constant(amount));
  });
}

// --- the LIF neuron

constexpr double kTau = 10e-3, kVReset = -0.060, kVTh = -0.050, kRefractory = 2e-3;
constexpr double kDrive0 = -0.045, kDriveStep = 0.005;

// dV/dt = (I - V) / tau (unless refractory), solved exactly; threshold V > V_th with Brian2's
// refractoriness (not_refractory = int((t - lastspike)/dt + 1e-3) >= int(ref/dt + 1e-3));
// reset V = V_reset. Neuron i is driven towards I = kDrive0 + i * kDriveStep.
GroupPlan lifGroup(Index n) {
  GroupPlan g = testing::group(
      "E", n, {{"V", kVReset}, {"I", 0.0}, {"lastspike", -1e4}, {"not_refractory", 1.0}});
  g.init = vmKernel("E.init", Domain::Neurons, [](KernelBuilder& b) {
    ValueId i = b.op(Opcode::IntToFloat, b.element());
    storeAt(b, "I",
            b.op(Opcode::Add, b.constant(kDrive0), b.op(Opcode::Mul, b.constant(kDriveStep), i)));
  });
  g.update = vmKernel("E.update", Domain::Neurons, [](KernelBuilder& b) {
    ValueId v = loadAt(b, "V"), drive = loadAt(b, "I");
    ValueId decay =
        b.op(Opcode::Exp, b.op(Opcode::Neg, b.op(Opcode::Div, b.timeStep(), b.constant(kTau))));
    ValueId integrated =
        b.op(Opcode::Add, drive, b.op(Opcode::Mul, b.op(Opcode::Sub, v, drive), decay));
    ValueId free = b.op(Opcode::Gt, loadAt(b, "not_refractory"), b.constant(0.5));
    storeAt(b, "V", b.op(Opcode::Select, free, integrated, v));
    storeAt(b, "_fault", b.constant(0.0));
  });
  g.threshold = testing::refractoryThreshold("E.threshold", "V", kVTh, kRefractory);
  g.reset = vmKernel("E.reset", Domain::Spiking,
                     [](KernelBuilder& b) { storeAt(b, "V", b.constant(kVReset)); });
  g.fault_variables = {"V"};
  return g;
}

TEST_CASE("Simulation: a LIF neuron with constant drive spikes at the analytic ISI, refractory") {
  const Index n = 4;
  SimulationPlan plan;
  plan.dt = kDt;
  plan.groups.push_back(lifGroup(n));
  Simulation sim(std::move(plan));
  const std::size_t spikes = sim.recordSpikes(0);
  const std::size_t voltage = sim.recordState(false, 0, "V", {0}, 1);
  REQUIRE(sim.run(2000) == RunOutcome::Completed);
  CHECK(sim.currentStep() == 2000);
  CHECK(sim.currentTime() == doctest::Approx(0.2));

  const SpikeRecording& r = sim.spikeRecordings()[spikes];
  const Step refractory_steps = std::lround(kRefractory / kDt);
  for (Index i = 0; i < n; ++i) {
    CAPTURE(i);
    const double drive = sim.groupVariable(0, "I")[static_cast<std::size_t>(i)];
    CHECK(drive == doctest::Approx(kDrive0 + kDriveStep * static_cast<double>(i)));
    // Time from V_reset to V_th: V(t) = I + (V_reset - I) exp(-t / tau).
    const double charge = kTau * std::log((drive - kVReset) / (drive - kVTh));
    const double in_steps = charge / kDt;
    REQUIRE(in_steps - std::floor(in_steps) > 1e-6);  // no tie at a step boundary
    const auto k = static_cast<Step>(std::ceil(in_steps));
    // The first spike follows k updates from V_reset; a spike is stamped at the start of its
    // step. Afterwards: refractory_steps frozen updates, then k updates again.
    std::vector<Step> expected;
    for (Step s = k - 1; s < 2000; s += refractory_steps + k) expected.push_back(s);
    const std::vector<Step> got = spikeStepsOf(r, i);
    CHECK(got == expected);
    REQUIRE(got.size() >= 3);
    for (std::size_t m = 1; m < got.size(); ++m) {
      const double isi = static_cast<double>(got[m] - got[m - 1]) * kDt;
      CHECK(std::fabs(isi - (kRefractory + charge)) <= kDt);
      CHECK(isi >= kRefractory);
    }
  }
  // Refractoriness: after a spike at s0, V is V_reset at s0 + 1 ... s0 + refractory_steps + 1
  // (recorded at the start of each step), then rises.
  const std::vector<Step> first = spikeStepsOf(r, 0);
  const std::map<Step, double> v = column(sim.stateRecordings()[voltage]);
  for (Step s = first[0] + 1; s <= first[0] + refractory_steps + 1; ++s) {
    CAPTURE(s);
    CHECK(v.at(s) == kVReset);
  }
  CHECK(v.at(first[0] + refractory_steps + 2) > kVReset);
  CHECK(v.at(first[0]) > kVTh - 0.002);  // just below threshold before the crossing update
}

// --- the schedule

TEST_CASE("Simulation: a zero delay acts in the spike's step, a delay d round(d/dt) steps later") {
  const double delays[] = {0.0, 0.3e-3, 1.0e-3};  // 0, 3 and 10 steps
  const Step expected_steps[] = {0, 3, 10};
  SimulationPlan plan;
  plan.dt = kDt;
  plan.groups.push_back(testing::spikeGenerator("G", 1, {{0, 5}}));
  for (int k = 0; k < 3; ++k) {
    plan.groups.push_back(testing::group("T" + std::to_string(k), 1, {{"x", 0.0}}));
    ConnectionPlan c = testing::connection("G->T" + std::to_string(k), 0,
                                           static_cast<std::size_t>(k) + 1, ConnectionRule::All);
    c.delay = delays[k];
    c.on_pre = addToPost(c.name + ".on_pre", "x", 1.0);
    plan.connections.push_back(std::move(c));
  }
  Simulation sim(std::move(plan));
  std::size_t monitors[3];
  for (std::size_t k = 0; k < 3; ++k) monitors[k] = sim.recordState(false, k + 1, "x", {0}, 1);
  sim.run(30);
  for (std::size_t k = 0; k < 3; ++k) {
    CAPTURE(k);
    const std::map<Step, double> x = column(sim.stateRecordings()[monitors[k]]);
    REQUIRE(x.size() == 30);
    // Recorded at the start of a step: the arrival in step 5 + d shows from step 6 + d on.
    const Step arrival = 5 + expected_steps[k];
    for (const auto& [step, value] : x) {
      CAPTURE(step);
      CHECK(value == (step > arrival ? 1.0 : 0.0));
    }
  }
}

TEST_CASE("Simulation: per-synapse delays from a delay kernel arrive each at its own step") {
  SimulationPlan plan;
  plan.dt = kDt;
  plan.groups.push_back(testing::spikeGenerator("G", 1, {{0, 5}, {0, 6}}));
  plan.groups.push_back(testing::group("H", 4, {{"x", 0.0}}));
  ConnectionPlan c = testing::connection("G->H", 0, 1, ConnectionRule::All);
  // delay = (j + 1) * 0.2 ms: 2, 4, 6 and 8 steps; the shortest (2) sets the exchange interval.
  c.delay_kernel = vmKernel("G->H.delay", Domain::AllSynapses, [](KernelBuilder& b) {
    ValueId j = b.op(Opcode::IntToFloat, b.loadIndex("post_index", b.element()));
    storeAt(b, "delay",
            b.op(Opcode::Mul, b.op(Opcode::Add, j, b.constant(1.0)), b.constant(0.2e-3)));
  });
  c.on_pre = addToPost("G->H.on_pre", "x", 1.0);
  plan.connections.push_back(std::move(c));
  Simulation sim(std::move(plan));
  const std::size_t m = sim.recordState(false, 1, "x", {0, 1, 2, 3}, 1);
  sim.run(25);
  const StateRecording& r = sim.stateRecordings()[m];
  REQUIRE(r.steps.size() == 25);
  for (std::size_t j = 0; j < 4; ++j) {
    CAPTURE(j);
    const Step delay = 2 * (static_cast<Step>(j) + 1);
    const std::map<Step, double> x = column(r, j);
    for (const auto& [step, value] : x) {
      CAPTURE(step);
      const double expected = (step > 5 + delay ? 1.0 : 0.0) + (step > 6 + delay ? 1.0 : 0.0);
      CHECK(value == expected);
    }
  }
}

TEST_CASE("Simulation: the reset runs after propagation and overwrites the input of its step") {
  SimulationPlan plan;
  plan.dt = kDt;
  plan.groups.push_back(testing::spikeGenerator("G", 1, {{0, 5}, {0, 6}}));
  GroupPlan n = testing::group("N", 1, {{"V", 0.0}});
  n.threshold = vmKernel("N.threshold", Domain::Neurons, [](KernelBuilder& b) {
    b.emitSpike(b.op(Opcode::Gt, loadAt(b, "V"), b.constant(0.5)));
  });
  n.reset = vmKernel("N.reset", Domain::Spiking,
                     [](KernelBuilder& b) { storeAt(b, "V", b.constant(0.0)); });
  plan.groups.push_back(std::move(n));
  ConnectionPlan c = testing::connection("G->N", 0, 1, ConnectionRule::All);
  c.delay = 0.0;
  c.on_pre = addToPost("G->N.on_pre", "V", 1.0);
  plan.connections.push_back(std::move(c));
  Simulation sim(std::move(plan));
  const std::size_t spikes = sim.recordSpikes(1);
  const std::size_t v = sim.recordState(false, 1, "V", {0}, 1);
  sim.run(10);
  // Step 5: input 1 (no spike yet). Step 6: V = 1 spikes, then receives 1 more (2), then the
  // reset sets 0: the input of the spike step is lost, as in Brian2.
  CHECK(spikeStepsOf(sim.spikeRecordings()[spikes], 0) == std::vector<Step>{6});
  const std::map<Step, double> values = column(sim.stateRecordings()[v]);
  CHECK(values.at(5) == 0.0);
  CHECK(values.at(6) == 1.0);
  CHECK(values.at(7) == 0.0);
  CHECK(values.at(9) == 0.0);
}

TEST_CASE("Simulation: on_pre runs before on_post when pre and post spike in the same step") {
  SimulationPlan plan;
  plan.dt = kDt;
  plan.groups.push_back(testing::spikeGenerator("A", 1, {{0, 3}}));
  plan.groups.push_back(testing::spikeGenerator("B", 1, {{0, 3}}));
  ConnectionPlan c = testing::connection("A->B", 0, 1, ConnectionRule::All);
  c.variables.push_back({"w", "1", 0.0});
  c.delay = 0.0;
  // on pre: w = w + 1; on post: w = w * 10. Pre first gives 10, post first would give 1.
  c.on_pre = vmKernel("A->B.on_pre", Domain::Synapses, [](KernelBuilder& b) {
    storeAt(b, "w", b.op(Opcode::Add, loadAt(b, "w"), b.constant(1.0)));
  });
  c.on_post = vmKernel("A->B.on_post", Domain::Synapses, [](KernelBuilder& b) {
    storeAt(b, "w", b.op(Opcode::Mul, loadAt(b, "w"), b.constant(10.0)));
  });
  plan.connections.push_back(std::move(c));
  Simulation sim(std::move(plan));
  const std::size_t w = sim.recordState(true, 0, "w", {0}, 1);
  sim.run(6);
  const std::map<Step, double> values = column(sim.stateRecordings()[w]);
  CHECK(values.at(3) == 0.0);
  CHECK(values.at(4) == 10.0);
  CHECK(sim.connectionVariable(0, "w")[0] == 10.0);
}

TEST_CASE("Simulation: spike generators emit at their steps; rate = count / (N dt)") {
  const std::vector<std::pair<Index, Step>> spikes = {{0, 0}, {2, 0}, {1, 3}, {3, 3},
                                                      {0, 3}, {2, 9}, {1, 12}};
  SimulationPlan plan;
  plan.dt = kDt;
  plan.groups.push_back(testing::spikeGenerator("G", 4, spikes));
  Simulation sim(std::move(plan));
  const std::size_t all = sim.recordSpikes(0);
  const std::size_t rate = sim.recordRate(0);
  sim.run(8);
  // A monitor added between runs records from the next run on.
  const std::size_t late = sim.recordSpikes(0);
  sim.run(8);

  const SpikeRecording& r = sim.spikeRecordings()[all];
  REQUIRE(r.indices.size() == spikes.size());
  for (std::size_t k = 0; k < spikes.size(); ++k) {
    CHECK(r.indices[k] == spikes[k].first);
    CHECK(r.steps[k] == spikes[k].second);
  }
  const SpikeRecording& l = sim.spikeRecordings()[late];
  CHECK(l.indices == std::vector<Index>{2, 1});
  CHECK(l.steps == std::vector<Step>{9, 12});

  const RateRecording& rates = sim.rateRecordings()[rate];
  CHECK(rates.first_step == 0);
  REQUIRE(rates.rates.size() == 16);
  for (Step s = 0; s < 16; ++s) {
    CAPTURE(s);
    const auto count =
        std::count_if(spikes.begin(), spikes.end(), [&](const auto& p) { return p.second == s; });
    CHECK(rates.rates[static_cast<std::size_t>(s)] ==
          doctest::Approx(static_cast<double>(count) / (4 * kDt)).epsilon(1e-12));
  }
  CHECK(rates.rates[0] == doctest::Approx(5000.0));  // 2 of 4 neurons in 0.1 ms
}

TEST_CASE("Simulation: poisson_input gives weight * Binomial(n, rate dt), mean and variance") {
  const std::int64_t n_inputs = 1000;
  const double rate = 5.0, weight = 0.1;
  const Index neurons = 100;
  const Step steps = 2000;
  SimulationPlan plan;
  plan.dt = kDt;
  plan.seed = 1234;
  GroupPlan p = testing::group("P", neurons, {{"x", 0.0}});
  // x = 0 in the update: the monitor then sees exactly one step's input.
  p.update = vmKernel("P.update", Domain::Neurons, [](KernelBuilder& b) {
    storeAt(b, "x", b.constant(0.0));
    storeAt(b, "_fault", b.constant(0.0));
  });
  plan.groups.push_back(std::move(p));
  plan.poisson_inputs.push_back({0, "x", n_inputs, rate, weight, 7});
  Simulation sim(std::move(plan));
  std::vector<Index> all(static_cast<std::size_t>(neurons));
  for (Index i = 0; i < neurons; ++i) all[static_cast<std::size_t>(i)] = i;
  const std::size_t m = sim.recordState(false, 0, "x", all, 1);
  sim.run(steps + 1);
  const StateRecording& r = sim.stateRecordings()[m];
  // Row 0 is before any input.
  double sum = 0, sum2 = 0;
  std::size_t samples = 0;
  for (std::size_t k = r.indices.size(); k < r.values.size(); ++k) {
    const double counts = r.values[k] / weight;
    REQUIRE(std::fabs(counts - std::round(counts)) < 1e-9);  // whole events only
    sum += r.values[k];
    sum2 += r.values[k] * r.values[k];
    ++samples;
  }
  REQUIRE(samples == static_cast<std::size_t>(neurons * steps));
  const double q = rate * kDt;
  const double mean_count = static_cast<double>(n_inputs) * q;
  const double var_count = mean_count * (1 - q);
  const double mu4_count = var_count * (1 + 3 * (static_cast<double>(n_inputs) - 2) * q * (1 - q));
  const double m_samples = static_cast<double>(samples);
  const double mean = sum / m_samples;
  const double variance = sum2 / m_samples - mean * mean;
  CHECK(std::fabs(mean - weight * mean_count) < 5 * weight * std::sqrt(var_count / m_samples));
  const double var_expected = weight * weight * var_count;
  const double var_sd =
      weight * weight * std::sqrt((mu4_count - var_count * var_count) / m_samples);
  CHECK(std::fabs(variance - var_expected) < 5 * var_sd);
  // Not a constant: the Binomial's variance is far from 0.
  CHECK(variance > 0.5 * var_expected);
}

TEST_CASE("Simulation: `at` actions run at the start of their step; protocol kernels") {
  SimulationPlan plan;
  plan.dt = kDt;
  plan.groups.push_back(testing::group("N", 3, {{"x", 0.0}}));
  Simulation sim(std::move(plan));
  std::unique_ptr<Kernel> set7 = vmKernel(
      "N.x = 7", Domain::Neurons, [](KernelBuilder& b) { storeAt(b, "x", b.constant(7.0)); });
  std::unique_ptr<Kernel> add_t = vmKernel("N.x += t", Domain::Neurons, [](KernelBuilder& b) {
    storeAt(b, "x", b.op(Opcode::Add, loadAt(b, "x"), b.time()));
  });
  std::vector<int> order;
  sim.scheduleAt(3, [&](Simulation& s) {
    order.push_back(1);
    const Index one[] = {1};
    s.runOnGroup(0, *set7, one);
  });
  sim.scheduleAt(3, [&](Simulation&) { order.push_back(2); });
  sim.scheduleAt(2, [&](Simulation&) { order.push_back(0); });
  const std::size_t m = sim.recordState(false, 0, "x", {0, 1}, 1);
  sim.run(5);
  CHECK(order == std::vector<int>{0, 1, 2});
  const StateRecording& r = sim.stateRecordings()[m];
  const std::map<Step, double> x1 = column(r, 1);
  CHECK(x1.at(2) == 0.0);
  CHECK(x1.at(3) == 7.0);  // phase 0 before the monitor's phase 1
  CHECK(column(r, 0).at(4) == 0.0);

  // Between runs: a kernel sees t of the next step; an action for a past step runs at the start
  // of the next run.
  const Index zero[] = {0};
  sim.runOnGroup(0, *add_t, zero);
  CHECK(sim.groupVariable(0, "x")[0] == doctest::Approx(5 * kDt));
  bool late = false;
  sim.scheduleAt(1, [&](Simulation& s) {
    late = true;
    CHECK(s.currentStep() == 5);
  });
  sim.run(1);
  CHECK(late);
  CHECK_THROWS_AS(sim.runOnGroup(0, *set7, std::vector<Index>{3}), std::out_of_range);
  CHECK_THROWS_AS(sim.groupVariable(0, "y"), std::out_of_range);
}

}  // namespace
}  // namespace snn::engine
