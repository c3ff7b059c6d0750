// Shared by the tests of compiler/run/: a checked experiment from .snn text, and a simulation of
// it built from a hand-made plan that needs no compiled kernels. Spike generators give known
// spikes; neuron groups keep the values their initial values or a C++ `init` kernel give them;
// connections use the rule `all`. The tests play the driver's part: they add the monitors and
// run the steps themselves, so they control exactly what was recorded.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "compiler/run/print.h"
#include "compiler/run/run_view.h"
#include "tests/unit/sema/sema_helpers.h"
#include "vm/engine/kernel.h"
#include "vm/engine/plan.h"
#include "vm/engine/simulation.h"

namespace snn::testing {

// A kernel written in C++: `body` gets the clock, the domain and the bound buffers in the order
// of `buffers` (all f64, all written).
class FunctionKernel final : public engine::Kernel {
 public:
  using Body = std::function<void(const engine::KernelClock&, const engine::KernelDomain&,
                                  std::vector<std::span<double>>&)>;

  FunctionKernel(std::string name, std::vector<std::string> buffers, Body body)
      : body_(std::move(body)) {
    signature_.name = std::move(name);
    for (auto& b : buffers) signature_.buffers.push_back({std::move(b), false, true});
    spans_.resize(signature_.buffers.size());
  }
  const engine::KernelSignature& signature() const override { return signature_; }
  void bindBuffer(std::size_t slot, std::span<double> data) override { spans_.at(slot) = data; }
  void bindIndexBuffer(std::size_t, std::span<const engine::Index>) override {}
  void bindTable(std::size_t, std::span<const double>, double) override {}
  void bindSpikes(engine::SpikeOutput*) override {}
  void run(const engine::KernelClock& clock, const engine::KernelDomain& domain) override {
    body_(clock, domain, spans_);
  }

 private:
  engine::KernelSignature signature_;
  std::vector<std::span<double>> spans_;
  Body body_;
};

// An init kernel that sets variable `name` of element e to value(e).
inline std::unique_ptr<engine::Kernel> initKernel(std::string name,
                                                  std::function<double(engine::Index)> value) {
  return std::make_unique<FunctionKernel>(
      "init", std::vector<std::string>{std::move(name)},
      [value](const engine::KernelClock&, const engine::KernelDomain& d,
              std::vector<std::span<double>>& b) {
        for (std::size_t e = 0; e < d.count; ++e) b[0][e] = value(static_cast<engine::Index>(e));
      });
}

// The plan of an experiment as lowering would shape it, without kernels: one group per
// population (states at 0, or at `initial[P.X]`; neurons also get `lastspike`), spike
// generators with their spikes at round(t / dt), one connection per connect with rule `all` and
// its synapse variables (at 0 or `initial[S.w]`).
inline engine::SimulationPlan planFor(const sema::CheckedExperiment& e,
                                      const std::map<std::string, double>& initial = {}) {
  engine::SimulationPlan plan;
  plan.experiment = e.name;
  plan.dt = e.dt;
  plan.seed = e.seed.value_or(0);
  auto start = [&](const std::string& key) {
    auto it = initial.find(key);
    return it == initial.end() ? 0.0 : it->second;
  };
  for (const auto& p : e.populations) {
    engine::GroupPlan g;
    g.name = p.name;
    g.size = p.size;
    g.model = p.modelName();
    if (p.kind == sema::PopulationKind::Neuron && p.model) {
      g.kind = engine::GroupKind::Neuron;
      for (const auto& s : p.model->states)
        g.variables.push_back({s.name, s.dim.toUnitString(), start(p.name + "." + s.name)});
    } else {
      g.kind = p.kind == sema::PopulationKind::Poisson ? engine::GroupKind::Poisson
                                                       : engine::GroupKind::SpikeGenerator;
    }
    g.variables.push_back({"lastspike", "second", -std::numeric_limits<double>::infinity()});
    if (p.kind == sema::PopulationKind::SpikeGenerator) {
      std::vector<std::size_t> order(p.spike_times.size());
      std::iota(order.begin(), order.end(), std::size_t{0});
      auto step = [&](std::size_t k) {
        return static_cast<engine::Step>(std::llround(p.spike_times[k] / e.dt));
      };
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return step(a) < step(b); });
      for (std::size_t k : order) {
        g.generator_indices.push_back(p.spike_indices[k]);
        g.generator_steps.push_back(step(k));
      }
    }
    plan.groups.push_back(std::move(g));
  }
  for (const auto& c : e.connects) {
    engine::ConnectionPlan cp;
    cp.name = c.name.empty() ? e.populations[c.source].name + "->" + e.populations[c.target].name
                             : c.name;
    cp.source = c.source;
    cp.target = c.target;
    cp.rule = engine::ConnectionRule::All;
    for (const auto& v : c.inline_variables)
      cp.variables.push_back({v.name, v.type.dim.toUnitString(), start(cp.name + "." + v.name)});
    if (c.synapse) {
      for (const auto& s : c.synapse->states)
        cp.variables.push_back({s.name, s.dim.toUnitString(), start(cp.name + "." + s.name)});
    }
    cp.delay = c.delay_time.value_or(0.0);
    plan.connections.push_back(std::move(cp));
  }
  return plan;
}

// A checked program with one experiment, and the simulation a test builds for it.
struct RunFixture {
  std::unique_ptr<Checked> checked;
  const sema::CheckedExperiment* experiment = nullptr;
  std::unique_ptr<engine::Simulation> simulation;

  run::RunView view() const { return {&checked->program, experiment, simulation.get()}; }

  // The k-th print statement of the experiment.
  const sema::CheckedPrint& print(std::size_t k = 0) const {
    std::size_t seen = 0;
    for (const auto& step : experiment->steps) {
      if (const auto* p = std::get_if<sema::CheckedPrint>(&step)) {
        if (seen++ == k) return *p;
      }
    }
    FAIL("no print " << k);
    throw std::logic_error("unreachable");
  }

  // The line of print k, failing the test on a RunTimeError.
  std::string line(std::size_t k = 0) const {
    auto result = run::formatPrint(view(), print(k));
    if (const auto* error = std::get_if<run::RunTimeError>(&result)) {
      FAIL_CHECK("print " << k << " failed at " << checked->at(error->range) << ": "
                          << error->message);
      return {};
    }
    return std::get<std::string>(result);
  }

  // The error of print k, failing the test if it printed.
  run::RunTimeError error(std::size_t k = 0) const {
    auto result = run::formatPrint(view(), print(k));
    if (const auto* line = std::get_if<std::string>(&result)) {
      FAIL_CHECK("print " << k << " printed `" << *line << "` instead of failing");
      return {};
    }
    return std::get<run::RunTimeError>(result);
  }
};

// Checks `source` (which must be clean) and builds the simulation of its first experiment from
// planFor(), after `adjust` has had its say on the plan.
inline RunFixture makeRun(const std::string& source,
                          const std::function<void(engine::SimulationPlan&)>& adjust = {},
                          const std::map<std::string, double>& initial = {}) {
  RunFixture f;
  f.checked = checkText(source);
  INFO(f.checked->all());
  REQUIRE_FALSE(f.checked->diags.hasErrors());
  REQUIRE(f.checked->program.experiments.size() == 1);
  f.experiment = &f.checked->program.experiments[0];
  engine::SimulationPlan plan = planFor(*f.experiment, initial);
  if (adjust) adjust(plan);
  f.simulation = std::make_unique<engine::Simulation>(std::move(plan));
  return f;
}

}  // namespace snn::testing
