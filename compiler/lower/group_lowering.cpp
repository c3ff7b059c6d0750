// Populations: neuron groups (init, update, threshold, reset), Poisson groups and spike
// generators; see lower.h.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "compiler/lower/lowering.h"

namespace snn::lower {

using ir::Opcode;
using ir::ValueId;

namespace {

// Brian2 starts lastspike far in the past (-10000 s), so that every neuron may spike at t = 0;
// a finite value keeps (t - lastspike) / dt finite.
constexpr double kNeverSpiked = -1e4;

// A model for code that has none (a Poisson group's rate): names resolve to built-ins and lets.
const sema::CheckedModel& emptyModel() {
  static const sema::CheckedModel model;
  return model;
}

std::vector<std::string> stateNames(const sema::CheckedModel& model) {
  std::vector<std::string> names;
  for (const auto& s : model.states) names.push_back(s.name);
  return names;
}

// Emits the spikes; the engine sets lastspike and not_refractory of the neurons that spiked
// (vm/engine/plan.h), so a threshold kernel stores nothing.
void markSpikes(KernelContext& k, ValueId spike) {
  k.builder().emitSpike(spike);
}

}  // namespace

engine::GroupPlan Lowerer::lowerGroup(std::size_t index) {
  const auto& p = experiment_.populations[index];
  engine::GroupPlan g;
  g.name = p.name;
  g.size = p.size;
  g.model = p.modelName();
  g.variables.push_back({"lastspike", "second", kNeverSpiked});
  switch (p.kind) {
    case sema::PopulationKind::Neuron:
      g.kind = engine::GroupKind::Neuron;
      lowerNeuronGroup(p, index, g);
      break;
    case sema::PopulationKind::Poisson:
      g.kind = engine::GroupKind::Poisson;
      lowerPoissonGroup(p, index, g);
      break;
    case sema::PopulationKind::SpikeGenerator:
      g.kind = engine::GroupKind::SpikeGenerator;
      lowerSpikeGenerator(p, g);
      break;
  }
  return g;
}

void Lowerer::lowerNeuronGroup(const sema::CheckedPopulation& p, std::size_t index,
                               engine::GroupPlan& g) {
  const sema::CheckedModel& model = *p.model;
  const SourceRange where = model.decl ? model.decl->name_range : SourceRange{};
  for (const auto& s : model.states) g.variables.push_back({s.name, unitName(s.dim), 0.0});
  g.variables.push_back({"not_refractory", "1", 1.0});
  auto configure = [&](KernelContext& k) {
    k.own_names = stateNames(model);
    k.parameters = p.parameter_values;
    k.size = static_cast<double>(p.size);
    k.dt = experiment_.dt;
  };

  // init: the model's initial values in dependency order, then the population's initialisers.
  guard(p.decl ? p.decl->name_range : where, [&] {
    KernelContext k(p.name + ".init", ir::Domain::Neurons, KernelShape::Neuron,
                    stream(false, index, StreamKind::Init));
    configure(k);
    equations::SymbolicBuilder symbols(program_, model);
    bool any = false;
    for (std::size_t s : model.state_init_order) {
      if (!model.states[s].init) continue;
      k.setOwn(model.states[s].name, k.lower(symbols.build(*model.states[s].init)));
      any = true;
    }
    for (const auto& init : p.initialisers) {
      k.setOwn(model.states.at(init.state).name, k.lower(symbols.build(*init.value)));
      any = true;
    }
    if (any) g.init = finish(k);
  });

  // Refractoriness as Brian2 2.5 computes it, at the start of the state update (so the step in
  // which a neuron leaves refractoriness integrates already): refractory while
  // int((t - lastspike)/dt + 1e-3) < K = int(refractory/dt + 1e-3), both sides non-negative so
  // that int() is floor(); or, for a condition, refractory after a spike until it stops holding.
  // t and lastspike are both step * dt (the engine sets lastspike), so (t - lastspike)/dt is an
  // integer n up to rounding far below 1e-3 (2^40 steps give 3e-4 of a step), and n >= K is
  // t - lastspike >= (K - 1/2) dt: the same answer without a division per neuron per step,
  // which was most of a vectorised LIF update. K folds to a constant when refractory does.
  auto notRefractory = [&](KernelContext& k, equations::SymbolicBuilder& symbols) -> ValueId {
    auto& b = k.builder();
    if (model.refractory_kind == sema::RefractoryKind::Time && model.refractory) {
      ValueId ref = k.asFloat(k.lower(symbols.build(*model.refractory)));
      ValueId steps = b.op(Opcode::Floor, b.op(Opcode::Add, b.op(Opcode::Div, ref, k.timeStep()),
                                               b.constant(1e-3)));
      ValueId bound = b.op(Opcode::Mul, b.op(Opcode::Sub, steps, b.constant(0.5)), k.timeStep());
      ValueId since = b.op(Opcode::Sub, b.time(), k.own("lastspike"));
      return b.op(Opcode::Ge, since, bound);
    }
    if (model.refractory_kind == sema::RefractoryKind::Condition && model.refractory) {
      ValueId cond = k.asBool(k.lower(symbols.build(*model.refractory)));
      ValueId was = b.op(Opcode::Ne, k.own("not_refractory"), b.constant(0.0));
      return b.op(Opcode::Or, was, b.op(Opcode::Not, cond));
    }
    return b.constantBool(true);
  };
  const bool refractory = model.refractory_kind != sema::RefractoryKind::None && model.refractory;

  // update: refractoriness, then the integration step.
  const equations::ModelEquations* eq = equations_.find(model);
  bool updates_refractoriness = false;
  bool fused_threshold = false;
  if (eq && !eq->analysis.clock_driven.empty() && eq->methods.clock_driven) {
    auto step = integrationStep(model, eq->analysis.clock_driven, eq->methods.clock_driven->method,
                                p.parameter_values, where);
    std::optional<equations::IntegrationStep> frozen;
    bool any_unless = false;
    for (const auto& ode : model.odes) any_unless = any_unless || ode.unless_refractory;
    if (step && refractory && any_unless) {
      frozen = integrationStep(model, frozenSystem(model, eq->analysis.clock_driven),
                               eq->methods.clock_driven->method, p.parameter_values, where);
      if (!frozen) step.reset();
    }
    if (step) {
      // The update, and its cold twin that the engine runs on one neuron to name the variable
      // that became non-finite.
      for (bool diagnose : {false, true}) {
        guard(where, [&] {
          KernelContext k(p.name + (diagnose ? ".update.diagnose" : ".update"), ir::Domain::Neurons,
                          KernelShape::Neuron, stream(false, index, StreamKind::Update));
          configure(k);
          equations::SymbolicBuilder symbols(program_, model);
          std::optional<ValueId> not_refractory;
          if (refractory) {
            not_refractory = notRefractory(k, symbols);
            if (!diagnose) k.setOwn("not_refractory", *not_refractory);
            updates_refractoriness = true;
          }
          auto names =
              applyStep(model, *step, k, not_refractory, diagnose, frozen ? &*frozen : nullptr);
          if (diagnose) {
            g.diagnose = finish(k, /*cold=*/true);
            return;
          }
          g.fault_variables = std::move(names);
          // The threshold, fused: tested on the new values in the same pass over the neurons
          // (vm/engine/plan.h). The engine sets lastspike and not_refractory of spiking neurons.
          if (model.threshold) {
            ValueId fires = k.asBool(k.lower(symbols.build(*model.threshold)));
            ValueId spike =
                not_refractory ? k.builder().op(Opcode::And, fires, *not_refractory) : fires;
            markSpikes(k, spike);
            fused_threshold = true;
          }
          g.update = finish(k);
        });
      }
    }
  }

  // threshold, when there is no update to fuse it into: the condition where not refractory.
  if (model.threshold && !fused_threshold) {
    guard(model.threshold->range, [&] {
      KernelContext k(p.name + ".threshold", ir::Domain::Neurons, KernelShape::Neuron,
                      stream(false, index, StreamKind::Threshold));
      configure(k);
      auto& b = k.builder();
      equations::SymbolicBuilder symbols(program_, model);
      ValueId not_refractory =
          updates_refractoriness ? k.asBool(k.own("not_refractory")) : notRefractory(k, symbols);
      ValueId fires = k.asBool(k.lower(symbols.build(*model.threshold)));
      ValueId spike = b.op(Opcode::And, fires, not_refractory);
      // Without an update kernel, the refractory state computed here is stored here.
      if (!updates_refractoriness && refractory) k.setOwn("not_refractory", not_refractory);
      markSpikes(k, spike);
      g.threshold = finish(k);
    });
  }

  // reset: on the neurons that spiked.
  if (model.reset && !model.reset->empty()) {
    guard(where, [&] {
      KernelContext k(p.name + ".reset", ir::Domain::Spiking, KernelShape::Neuron,
                      stream(false, index, StreamKind::Reset));
      configure(k);
      equations::SymbolicBuilder symbols(program_, model);
      lowerBlock(*model.reset, program_, k, symbols,
                 [&](const ast::LValue& lv, const sema::Resolution& r) -> WriteTarget {
                   if (r.kind != sema::SymbolKind::State || r.index >= model.states.size()) {
                     throw LoweringFailure{
                         fmt::format("`{}` cannot be assigned in a reset", lv.name), lv.range};
                   }
                   return {false, false, model.states[r.index].name};
                 });
      g.reset = finish(k);
    });
  }
}

void Lowerer::lowerPoissonGroup(const sema::CheckedPopulation& p, std::size_t index,
                                engine::GroupPlan& g) {
  if (!p.rate) return;
  guard(p.rate->range, [&] {
    KernelContext k(p.name + ".threshold", ir::Domain::Neurons, KernelShape::Neuron,
                    stream(false, index, StreamKind::Threshold));
    k.size = static_cast<double>(p.size);
    k.dt = experiment_.dt;
    auto& b = k.builder();
    equations::SymbolicBuilder symbols(program_, emptyModel());
    // Brian2's PoissonGroup: rand() < rate * dt.
    ValueId rate = k.asFloat(k.lower(symbols.build(*p.rate)));
    ValueId spike =
        b.op(Opcode::Lt, b.rand(stream(false, index, StreamKind::Threshold), k.element()),
             b.op(Opcode::Mul, rate, k.timeStep()));
    markSpikes(k, spike);
    g.threshold = finish(k);
  });
}

namespace {

// `index,time` lines; see docs/language.md (spike generators).
void readSpikeFile(const std::filesystem::path& path, std::vector<std::int64_t>& indices,
                   std::vector<double>& times) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot be read");
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    if (number == 1 && line.find("index") != std::string::npos) continue;  // the header
    auto comma = line.find(',');
    if (comma == std::string::npos) {
      throw std::runtime_error(
          fmt::format("line {}: expected `index,time`, found `{}`", number, line));
    }
    try {
      std::size_t used = 0;
      std::string index_text = line.substr(0, comma), time_text = line.substr(comma + 1);
      long long i = std::stoll(index_text, &used);
      if (index_text.find_first_not_of(" \t", used) != std::string::npos)
        throw std::invalid_argument("");
      double t = std::stod(time_text, &used);
      if (time_text.find_first_not_of(" \t", used) != std::string::npos)
        throw std::invalid_argument("");
      indices.push_back(i);
      times.push_back(t);
    } catch (const std::logic_error&) {
      throw std::runtime_error(fmt::format(
          "line {}: expected a whole index and a time in seconds, found `{}`", number, line));
    }
  }
}

}  // namespace

void Lowerer::lowerSpikeGenerator(const sema::CheckedPopulation& p, engine::GroupPlan& g) {
  std::vector<std::int64_t> indices = p.spike_indices;
  std::vector<double> times = p.spike_times;
  SourceRange where = p.decl ? p.decl->name_range : SourceRange{};
  if (p.decl) {
    for (const auto& a : p.decl->arguments) {
      if (a.name == "file" && a.value) where = a.value->range;
    }
  }
  if (!p.spike_file.empty()) {
    std::filesystem::path path = p.spike_file;
    if (path.is_relative()) path = options_.base_directory / path;
    try {
      readSpikeFile(path, indices, times);
    } catch (const std::runtime_error& e) {
      diags_.report(DiagnosticKind::SpikeFileError, where, p.spike_file, e.what())
          .note(where, fmt::format("read from `{}`", path.string()));
      failed_ = true;
      return;
    }
  }
  const double dt = experiment_.dt;
  std::vector<std::size_t> order(indices.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::vector<engine::Step> steps(indices.size());
  for (std::size_t k = 0; k < indices.size(); ++k) {
    if (indices[k] < 0 || indices[k] >= p.size) {
      fail(fmt::format("spike {} has index {}, outside 0..{}", k, indices[k], p.size - 1), where);
      return;
    }
    if (!std::isfinite(times[k]) || times[k] < 0) {
      fail(
          fmt::format("spike {} has time {} s; times must be finite and not negative", k, times[k]),
          where);
      return;
    }
    steps[k] = static_cast<engine::Step>(std::llround(times[k] / dt));
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return steps[a] < steps[b]; });
  std::set<std::pair<engine::Step, std::int64_t>> seen;
  for (std::size_t k : order) {
    if (!seen.insert({steps[k], indices[k]}).second) {
      // Brian2 refuses this too: a neuron spikes at most once per step.
      fail(fmt::format("neuron {} spikes twice in the step at {} s (dt = {} s); a neuron can spike "
                       "once per step",
                       indices[k], static_cast<double>(steps[k]) * dt, dt),
           where);
      return;
    }
    g.generator_indices.push_back(indices[k]);
    g.generator_steps.push_back(steps[k]);
  }
}

std::vector<std::string> Lowerer::applyStep(const sema::CheckedModel& model,
                                            const equations::IntegrationStep& step,
                                            KernelContext& k, std::optional<ValueId> not_refractory,
                                            bool diagnose,
                                            const equations::IntegrationStep* frozen) {
  auto& b = k.builder();
  struct Update {
    std::string name;
    ValueId old_value, new_value;
  };
  std::vector<Update> updates;
  // Every new value from the old ones first: no variable sees another's new value.
  for (const auto& u : step.updates) {
    const std::string& name = model.states.at(u.state).name;
    updates.push_back({name, k.own(name), k.asFloat(k.lower(u.value))});
  }
  std::vector<std::string> names;
  for (std::size_t n = 0; n < updates.size(); ++n) {
    auto& u = updates[n];
    if (not_refractory && frozen) {
      // Brian2 multiplies the (unless refractory) derivatives by not_refractory inside the
      // integration: a refractory neuron's other variables see those variables held.
      const equations::Expr& held = frozen->updates.at(n).value;
      if (!(held == step.updates[n].value)) {
        u.new_value = b.op(Opcode::Select, *not_refractory, u.new_value, k.asFloat(k.lower(held)));
      }
    } else if (not_refractory && model.odes.at(step.updates[n].ode).unless_refractory) {
      u.new_value = b.op(Opcode::Select, *not_refractory, u.new_value, u.old_value);
    }
    names.push_back(u.name);
  }
  if (updates.empty()) return names;
  if (diagnose) {
    // The cold twin of the update (vm/engine/plan.h): each new value, stored aside.
    for (const auto& u : updates) b.store("new." + u.name, k.element(), u.new_value);
    return names;
  }
  // 0 * x is 0 when x is finite and NaN otherwise, so the sum is 0 exactly when every new
  // value is finite: one multiplication and one addition per variable.
  // (Starting from +0 makes the sum +0, never -0, so that the engine's scan for nonzero bit
  // patterns stays on its fast path.)
  ValueId probe = b.constant(0.0);
  for (const auto& u : updates) {
    probe = b.op(Opcode::Add, probe, b.op(Opcode::Mul, u.new_value, b.constant(0.0)));
  }
  b.store("_fault", k.element(), probe);
  ValueId all_ok = b.op(Opcode::Eq, probe, b.constant(0.0));
  for (auto& u : updates) {
    // A step that would make a variable non-finite is not applied to the element, so that the
    // engine's error shows the last finite values.
    k.setOwn(u.name, b.op(Opcode::Select, all_ok, u.new_value, u.old_value));
  }
  return names;
}

}  // namespace snn::lower
