// The CUBA network (Vogels & Abbott 2005, as in Brian2's examples: 3200 excitatory and 800
// inhibitory LIF neurons, p = 0.02, 320,000 synapses) with hand-written kernels: the engine's
// benchmark until lowering produces the same plan from examples/cuba.snn. Skipped by default
// (a Debug build runs the interpreter unoptimised); run it in an optimised build with
//   snn_unit_tests -tc='*CUBA*' --no-skip
// Measured (RelWithDebInfo, this 2-core machine, 1 s at 0.1 ms): 0.27 s CPU for setup and run;
// callgrind (x86-64-v3 loop): about 98 instructions per neuron-step, synapses included, of
// which the interpreter's kernels are 96%.
#include <chrono>
#include <cmath>
#include <string>

#include <doctest/doctest.h>

#include "tests/unit/support/engine_kernels.h"
#include "vm/engine/simulation.h"

namespace snn::engine {
namespace {

using ir::Domain;
using ir::KernelBuilder;
using ir::Opcode;
using ir::ValueId;
using testing::loadAt;
using testing::storeAt;
using testing::vmKernel;

constexpr double kDt = 1e-4, kTaum = 20e-3, kTaue = 5e-3, kTaui = 10e-3;
constexpr double kVt = -50e-3, kVr = -60e-3, kEl = -49e-3, kRefractory = 5e-3;

ValueId decayed(KernelBuilder& b, ValueId g, double tau) {
  return b.op(
      Opcode::Mul, g,
      b.op(Opcode::Exp, b.op(Opcode::Neg, b.op(Opcode::Div, b.timeStep(), b.constant(tau)))));
}

ValueId isFinite(KernelBuilder& b, ValueId x) {
  return b.op(Opcode::Lt, b.op(Opcode::Abs, x), b.constant(INFINITY));
}

// dv/dt = (ge + gi - (v - El)) / taum (unless refractory, Euler), dge/dt = -ge/taue,
// dgi/dt = -gi/taui (exact); v > Vt; reset v = Vr; refractory 5 ms; v starts uniform in
// [Vr, Vt).
GroupPlan cubaGroup(std::string name, Index n, std::int64_t stream) {
  GroupPlan g = testing::group(
      name, n, {{"v", kVr}, {"ge", 0}, {"gi", 0}, {"lastspike", -1e4}, {"not_refractory", 1}});
  g.init = vmKernel(name + ".init", Domain::Neurons, [&](KernelBuilder& b) {
    storeAt(b, "v",
            b.op(Opcode::Add, b.constant(kVr),
                 b.op(Opcode::Mul, b.rand(stream, b.element()), b.constant(kVt - kVr))));
  });
  g.update = vmKernel(name + ".update", Domain::Neurons, [](KernelBuilder& b) {
    ValueId v = loadAt(b, "v"), ge = loadAt(b, "ge"), gi = loadAt(b, "gi");
    ValueId dv =
        b.op(Opcode::Div,
             b.op(Opcode::Sub, b.op(Opcode::Add, ge, gi), b.op(Opcode::Sub, v, b.constant(kEl))),
             b.constant(kTaum));
    ValueId free = b.op(Opcode::Gt, loadAt(b, "not_refractory"), b.constant(0.5));
    ValueId v_next =
        b.op(Opcode::Select, free, b.op(Opcode::Add, v, b.op(Opcode::Mul, b.timeStep(), dv)), v);
    ValueId ge_next = decayed(b, ge, kTaue), gi_next = decayed(b, gi, kTaui);
    ValueId finite = b.op(Opcode::And, isFinite(b, v_next),
                          b.op(Opcode::And, isFinite(b, ge_next), isFinite(b, gi_next)));
    storeAt(b, "v", b.op(Opcode::Select, finite, v_next, v));
    storeAt(b, "ge", b.op(Opcode::Select, finite, ge_next, ge));
    storeAt(b, "gi", b.op(Opcode::Select, finite, gi_next, gi));
    storeAt(b, "_fault", b.op(Opcode::Select, finite, b.constant(0.0), b.constant(NAN)));
  });
  g.fault_variables = {"v"};
  g.threshold = testing::refractoryThreshold(name + ".threshold", "v", kVt, kRefractory);
  g.reset = vmKernel(name + ".reset", Domain::Spiking,
                     [](KernelBuilder& b) { storeAt(b, "v", b.constant(kVr)); });
  return g;
}

TEST_CASE("Simulation bench: CUBA, 4000 neurons, 320k synapses, 1 s" * doctest::skip()) {
  SimulationPlan plan;
  plan.dt = kDt;
  plan.seed = 1;
  plan.groups.push_back(cubaGroup("E", 3200, 1));
  plan.groups.push_back(cubaGroup("I", 800, 2));
  const double we = 60 * 0.27 / 10 * 1e-3, wi = -20 * 4.5 / 10 * 1e-3;
  std::uint32_t stream = 10;
  for (std::size_t source : {0u, 1u}) {
    for (std::size_t target : {0u, 1u}) {
      ConnectionPlan c =
          testing::connection(std::string(source ? "I" : "E") + "->" + (target ? "I" : "E"), source,
                              target, ConnectionRule::Probability);
      c.probability = 0.02;
      c.stream = stream++;
      const std::string variable = source ? "post.gi" : "post.ge";
      const double w = source ? wi : we;
      c.on_pre = vmKernel(c.name + ".on_pre", Domain::Synapses, [&](KernelBuilder& b) {
        b.accumulate(variable, b.loadIndex("post_index", b.element()), b.constant(w));
      });
      plan.connections.push_back(std::move(c));
    }
  }
  const auto start = std::chrono::steady_clock::now();
  Simulation sim(std::move(plan));
  sim.recordSpikes(0);
  sim.recordSpikes(1);
  const auto built = std::chrono::steady_clock::now();
  sim.run(10000);
  const auto done = std::chrono::steady_clock::now();
  Index synapses = 0;
  for (std::size_t c = 0; c < 4; ++c) synapses += sim.synapseCount(c);
  const double rate = static_cast<double>(sim.spikeRecordings()[0].indices.size() +
                                          sim.spikeRecordings()[1].indices.size()) /
                      4000.0;
  MESSAGE("synapses ", synapses, ", setup ", std::chrono::duration<double>(built - start).count(),
          " s, run ", std::chrono::duration<double>(done - built).count(), " s, rate ", rate,
          " Hz");
  CHECK(std::abs(synapses - 320000) < 3000);
  // Brian2's CUBA fires at about 5.7 Hz (exact integration of v; Euler here).
  CHECK(rate > 3.0);
  CHECK(rate < 9.0);
}

}  // namespace
}  // namespace snn::engine
