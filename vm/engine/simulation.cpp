// The step loop and the public face of Simulation; see simulation.h for the schedule. Setup is
// in simulation_setup.cpp, recordings in monitors.cpp.
//
// The loop is a fixed sequence of phases over the plan's groups and connections in plan order.
// It allocates nothing once warmed up: spike lists have room for every neuron from the start,
// the synapse id lists and the queues keep their capacity, and state and rate recordings are
// reserved for the whole run before it starts (spike recordings grow geometrically: their size
// is not known in advance).
#include "vm/engine/simulation.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "vm/engine/memory_limit.h"
#include "vm/engine/simulation_impl.h"
#include "vm/random/counter_rng.h"

namespace snn::engine {
namespace {

// The first nonzero entry, or kNone. Most steps have no fault at all, so blocks are first
// screened with an OR of their bit patterns, which vectorises; only a block with a bit set (a
// fault code, or a -0.0) is looked at entry by entry.
// Scanned every step over every neuron's fault slot: a tenth of a CUBA step's instructions with
// SSE2, so the widest vectors the CPU has are picked at load time.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
std::size_t firstNonzero(std::span<const double> values) {
  constexpr std::size_t kBlock = 32;
  const std::size_t n = values.size();
  const double* v = values.data();
  std::size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    std::uint64_t bits = 0;
    for (std::size_t j = 0; j < kBlock; ++j) bits |= std::bit_cast<std::uint64_t>(v[i + j]);
    if (bits == 0) continue;
    for (std::size_t j = 0; j < kBlock; ++j)
      if (v[i + j] != 0.0) return i + j;
  }
  for (; i < n; ++i)
    if (v[i] != 0.0) return i;
  return kNone;
}

}  // namespace

// --- errors

NonFiniteError::NonFiniteError(std::string message, std::string owner_, Index index_,
                               std::string variable_, double time_, double last_finite_)
    : std::runtime_error(std::move(message)),
      owner(std::move(owner_)),
      index(index_),
      variable(std::move(variable_)),
      time(time_),
      last_finite(last_finite_) {}

MemoryRefusal::MemoryRefusal(std::string message, std::uint64_t estimate_bytes_,
                             std::uint64_t limit_bytes_)
    : std::runtime_error(std::move(message)),
      estimate_bytes(estimate_bytes_),
      limit_bytes(limit_bytes_) {}

SimulationError::SimulationError(std::string message, std::string owner_)
    : std::runtime_error(std::move(message)), owner(std::move(owner_)) {}

// --- one step

void Simulation::Impl::runActions() {
  while (!actions.empty() && actions.begin()->first <= step) {
    // Taken out first: the action may schedule more (even for this step: they run next).
    auto node = actions.extract(actions.begin());
    node.mapped()(owner);
  }
}

void Simulation::Impl::checkFaults() {
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const GroupState& gs = groups[g];
    if (gs.fault == kNone) continue;
    const std::size_t e = firstNonzero(gs.values[gs.fault]);
    if (e != kNone) reportFault(false, g, e);
  }
  for (std::size_t c = 0; c < connections.size(); ++c) {
    const ConnectionState& cs = connections[c];
    if (cs.fault.empty()) continue;
    const std::size_t e = firstNonzero(cs.fault);
    if (e != kNone) reportFault(true, c, e);
  }
}

void Simulation::Impl::reportFault(bool connection, std::size_t owner, std::size_t element) {
  const std::string& name = connection ? plan.connections[owner].name : plan.groups[owner].name;
  const std::vector<std::string>& variables =
      connection ? plan.connections[owner].fault_variables : plan.groups[owner].fault_variables;
  Kernel* diagnose =
      connection ? plan.connections[owner].diagnose.get() : plan.groups[owner].diagnose.get();
  if (diagnose == nullptr || variables.empty())
    throw std::logic_error(fmt::format("`{}`: a fault without a diagnose kernel", name));
  // The cold path: the diagnose kernel recomputes the step for this element and stores each
  // new value aside, in scratch arrays of the owner's size (allocating is fine here).
  const std::size_t size = connection ? static_cast<std::size_t>(connections[owner].storage.size())
                                      : static_cast<std::size_t>(groups[owner].size);
  std::vector<std::vector<double>> scratch(variables.size(), std::vector<double>(size, 0.0));
  std::vector<std::string> scratch_names;
  for (const auto& v : variables) scratch_names.push_back("new." + v);
  const KernelSignature& signature = diagnose->signature();
  if (connection) {
    std::vector<ExtraBuffer> extras;
    for (std::size_t k = 0; k < variables.size(); ++k) {
      ExtraBuffer extra;
      extra.name = scratch_names[k];
      extra.values = scratch[k];
      extras.push_back(extra);
    }
    bindConnectionKernel(owner, *diagnose, extras);
  } else {
    for (std::size_t slot = 0; slot < signature.buffers.size(); ++slot) {
      const std::string& buffer = signature.buffers[slot].name;
      auto it = std::find(scratch_names.begin(), scratch_names.end(), buffer);
      if (it != scratch_names.end()) {
        diagnose->bindBuffer(slot, scratch[static_cast<std::size_t>(it - scratch_names.begin())]);
      } else if (std::vector<double>* values = groups[owner].find(buffer)) {
        diagnose->bindBuffer(slot, *values);
      } else {
        throw std::logic_error(
            fmt::format("kernel `{}`: `{}` is not a variable of `{}`", signature.name, buffer, name));
      }
    }
    bindTables(*diagnose);
  }
  const Index index = static_cast<Index>(element);
  diagnose->run(clock(), KernelDomain::list(std::span<const Index>(&index, 1)));
  for (std::size_t k = 0; k < variables.size(); ++k) {
    const double computed = scratch[k][element];
    if (std::isfinite(computed)) continue;
    const double t = static_cast<double>(step) * plan.dt;
    const double last = connection ? connections[owner].storage.variable(variables[k])[element]
                                   : (*groups[owner].find(variables[k]))[element];
    throw NonFiniteError(
        fmt::format("{}.{} became {} at t = {:g} ms in {} {} (last finite value {:g} SI)", name,
                    variables[k], std::isnan(computed) ? "NaN" : "infinite", t * 1e3,
                    connection ? "synapse" : "neuron", element, last),
        name, index, variables[k], t, last);
  }
  throw std::logic_error(
      fmt::format("`{}`: a fault at element {} that its diagnose kernel does not reproduce", name,
                  element));
}

void Simulation::Impl::deliverSpikes() {
  for (std::size_t g : spike_sources) {
    std::span<const Index> spikes = groups[g].spiking();
    if (!spikes.empty()) exchange->submit(g, step, spikes);
  }
  exchange->exchange(step, *this);
}

void Simulation::Impl::deliver(std::size_t source, Step spike_step, std::span<const Index> spikes) {
  if (source_queues[source]) source_queues[source]->push(spike_step, spikes);
  for (std::size_t c : heterogeneous_from[source])
    connections[c].arrivals->push(spike_step, spikes);
}

void Simulation::Impl::advance() {
  in_step = true;
  // 0. `at` actions
  runActions();
  const KernelClock now = clock();

  // 1. state monitors: the values at t
  recordStates();

  // 2. summed variables
  for (std::span<double> target : summed_targets) std::fill(target.begin(), target.end(), 0.0);
  for (std::size_t c = 0; c < connections.size(); ++c) {
    const auto size = static_cast<std::size_t>(connections[c].storage.size());
    for (SummedPlan& summed : plan.connections[c].summed)
      summed.kernel->run(now, KernelDomain::range(size));
  }

  // 3. updates, then the fault check
  for (std::size_t g = 0; g < groups.size(); ++g) {
    groups[g].spikes.size = 0;
    if (Kernel* k = plan.groups[g].update.get())
      runRange(*k, now, static_cast<std::size_t>(groups[g].size), &groups[g].spikes);
  }
  for (std::size_t c = 0; c < connections.size(); ++c) {
    if (Kernel* k = plan.connections[c].update.get())
      runRange(*k, now, static_cast<std::size_t>(connections[c].storage.size()), nullptr);
  }
  checkFaults();

  // 4. thresholds and spike generators; spike monitors
  for (std::size_t g = 0; g < groups.size(); ++g) {
    GroupState& gs = groups[g];
    const GroupPlan& gp = plan.groups[g];
    if (gp.threshold || gs.update_spikes) {
      // A fused threshold has emitted its spikes in phase 3 already.
      if (gp.threshold) runRange(*gp.threshold, now, static_cast<std::size_t>(gs.size), &gs.spikes);
      // Brian2's thresholder: a neuron that spikes becomes refractory and remembers when.
      for (Index i : gs.spiking()) {
        const auto k = static_cast<std::size_t>(i);
        if (gs.lastspike) (*gs.lastspike)[k] = now.t;
        if (gs.not_refractory) (*gs.not_refractory)[k] = 0.0;
      }
    } else if (gp.kind == GroupKind::SpikeGenerator) {
      const std::size_t n = gp.generator_steps.size();
      std::size_t& k = gs.generator_cursor;
      while (k < n && gp.generator_steps[k] < step) ++k;  // only before the first step run
      while (k < n && gp.generator_steps[k] == step) {
        const Index i = gp.generator_indices[k++];
        gs.spike_storage[gs.spikes.size++] = i;
        if (gs.lastspike) (*gs.lastspike)[static_cast<std::size_t>(i)] = now.t;
      }
    }
  }
  recordSpikes();

  // 5. synapses: on_pre (delayed), on_post (this step), poisson inputs
  if (!spike_sources.empty()) deliverSpikes();
  for (std::size_t c = 0; c < connections.size(); ++c) {
    const ConnectionPlan& cp = plan.connections[c];
    if (!cp.on_pre) continue;
    ConnectionState& cs = connections[c];
    std::span<const Index> synapses;
    if (cs.arrivals) {
      synapses = cs.arrivals->due(step);
    } else {
      std::span<const Index> pres = source_queues[cp.source]->due(step, cs.storage.minDelaySteps());
      if (pres.empty()) continue;
      cs.pre_ids.clear();
      cs.storage.appendRows(pres, cs.pre_ids);
      synapses = cs.pre_ids;
    }
    if (!synapses.empty()) runSynapses(c, *cp.on_pre, now, synapses);
  }
  for (std::size_t c = 0; c < connections.size(); ++c) {
    const ConnectionPlan& cp = plan.connections[c];
    if (!cp.on_post) continue;
    std::span<const Index> posts = groups[cp.target].spiking();
    if (posts.empty()) continue;
    ConnectionState& cs = connections[c];
    cs.post_ids.clear();
    cs.storage.appendOnto(posts, cs.post_ids);
    if (!cs.post_ids.empty()) runSynapses(c, *cp.on_post, now, cs.post_ids);
  }
  // Draw layout: the count of input events of neuron i in step s is
  // BinomialSampler(n, rate * dt)(seed, stream, element = i, step = s), which owns every draw
  // index of that counter (random/binomial.h); the input's own stream keeps it apart from
  // every kernel's draws.
  for (PoissonInputState& input : poisson_inputs) {
    const auto s = static_cast<std::uint64_t>(step);
    double* target = input.target.data();
    for (std::size_t i = 0; i < input.target.size(); ++i)
      target[i] += input.weight * static_cast<double>(input.sampler(plan.seed, input.stream, i, s));
  }

  // 6. resets
  for (std::size_t g = 0; g < groups.size(); ++g) {
    Kernel* k = plan.groups[g].reset.get();
    std::span<const Index> spikes = groups[g].spiking();
    if (k != nullptr && !spikes.empty()) k->run(now, KernelDomain::list(spikes));
  }

  // 7. rate monitors
  recordRates();
  ++step;
  in_step = false;
}

void Simulation::Impl::runRange(Kernel& kernel, const KernelClock& now, std::size_t size,
                                SpikeOutput* spikes) {
  // Slices are whole multiples of 64 elements, so vector loops see whole vectors.
  constexpr std::size_t kAlign = 64;
  const std::size_t work = size * std::max<std::size_t>(1, kernel.signature().work_per_element);
  const std::size_t threads = pool ? pool->size() : 1;
  if (threads == 1 || !kernel.concurrent() || work < options.min_parallel_work || size < 2 * kAlign) {
    kernel.run(now, KernelDomain::range(size));
    return;
  }
  const std::size_t parts = std::min(threads, size / kAlign);
  const std::size_t per = (size / parts + kAlign - 1) / kAlign * kAlign;
  const bool emits = spikes != nullptr && kernel.signature().emits_spikes;
  if (slice_outputs.size() < parts) {
    slice_spikes.resize(parts);
    slice_outputs.resize(parts);
  }
  pool->run(parts, [&](std::size_t p) {
    const std::size_t first = std::min(size, p * per);
    const std::size_t count = std::min(per, size - first);
    SpikeOutput* out = nullptr;
    if (emits) {
      // Grows once per slice (to the slice's size), never during later steps.
      if (slice_spikes[p].size() < count) slice_spikes[p].resize(per);
      slice_outputs[p] = SpikeOutput{slice_spikes[p], 0};
      out = &slice_outputs[p];
    }
    kernel.runPart(now, KernelDomain::slice(first, count), out);
  });
  if (emits) {
    for (std::size_t p = 0; p < parts; ++p) {
      const std::size_t n = slice_outputs[p].size;
      std::copy_n(slice_spikes[p].begin(), n, spikes->storage.begin() + static_cast<std::ptrdiff_t>(spikes->size));
      spikes->size += n;
    }
  }
}

namespace {

// Whether splitting a synaptic kernel's synapses by target keeps every write inside one thread:
// it writes only synapse variables and variables of the target ("post.<var>").
bool writesNoSourceVariable(const KernelSignature& signature) {
  return std::none_of(signature.buffers.begin(), signature.buffers.end(),
                      [](const KernelBufferInfo& b) { return b.written && b.name.starts_with("pre."); });
}

}  // namespace

void Simulation::Impl::runSynapses(std::size_t c, Kernel& kernel, const KernelClock& now,
                                   std::span<const Index> synapses) {
  const std::size_t work = synapses.size() * std::max<std::size_t>(1, kernel.signature().work_per_element);
  const std::size_t threads = pool ? pool->size() : 1;
  if (threads == 1 || !kernel.concurrent() || work < options.min_parallel_work ||
      !writesNoSourceVariable(kernel.signature())) {
    kernel.run(now, KernelDomain::list(synapses));
    return;
  }
  ConnectionState& cs = connections[c];
  const auto targets = static_cast<std::size_t>(groups[plan.connections[c].target].size);
  const std::size_t per = (targets + threads - 1) / threads;
  if (cs.thread_ids.size() < threads) cs.thread_ids.resize(threads);
  std::span<const Index> post = cs.storage.postIndex();
  pool->run(threads, [&](std::size_t p) {
    const auto low = static_cast<Index>(p * per);
    const auto high = static_cast<Index>(std::min(targets, (p + 1) * per));
    std::vector<Index>& mine = cs.thread_ids[p];
    mine.clear();
    for (Index s : synapses) {
      const Index target = post[static_cast<std::size_t>(s)];
      if (target >= low && target < high) mine.push_back(s);
    }
    if (!mine.empty()) kernel.runPart(now, KernelDomain::list(mine), nullptr);
  });
}

// --- Simulation

Simulation::Simulation(SimulationPlan plan, SimulationOptions options)
    : impl_(std::make_unique<Impl>(*this, std::move(plan), options)) {}

Simulation::~Simulation() = default;

const SimulationPlan& Simulation::plan() const {
  return impl_->plan;
}

Step Simulation::currentStep() const {
  return impl_->step;
}

double Simulation::currentTime() const {
  return static_cast<double>(impl_->step) * impl_->plan.dt;
}

RunOutcome Simulation::run(Step steps, const std::atomic<bool>* stop,
                           const std::function<void(Step done)>& progress,
                           Step progress_interval) {
  Impl& s = *impl_;
  if (s.running) throw std::logic_error("Simulation::run called from inside a run");
  if (steps < 0) throw std::invalid_argument(fmt::format("run of {} steps", steps));
  if (steps == 0) return RunOutcome::Completed;
  const auto limit = static_cast<Step>(random::kStepLimit);
  if (steps > limit - s.step)
    throw SimulationError(
        fmt::format("the run would end at step {}, beyond the 2^40 steps random numbers can count",
                    s.step + steps),
        s.plan.experiment);
  const std::uint64_t growth = s.monitorGrowthBytes(steps);
  const std::uint64_t held = s.heldBytes();
  const std::uint64_t available = saturatingSub(s.memory_limit, held);
  if (growth > available)
    throw MemoryRefusal(
        fmt::format("the recordings of a run of {} steps ({:g} s) would need about {} more, "
                    "beyond the {} of memory left (limit {}, {} held already; spike recordings "
                    "are estimated at 100 Hz per neuron)",
                    steps, static_cast<double>(steps) * s.plan.dt, formatBytes(growth),
                    formatBytes(available), formatBytes(s.memory_limit), formatBytes(held)),
        growth, available);
  s.reserveMonitors(steps);

  struct Running {
    bool& flag;
    explicit Running(bool& f) : flag(f) { flag = true; }
    ~Running() { flag = false; }
  } running(s.running);
  for (Step k = 0; k < steps; ++k) {
    try {
      s.advance();
    } catch (...) {
      s.in_step = false;
      throw;
    }
    if (stop != nullptr && k + 1 < steps && stop->load(std::memory_order_relaxed))
      return RunOutcome::Interrupted;
    if (progress && progress_interval > 0 && (k + 1) % progress_interval == 0) progress(k + 1);
  }
  return RunOutcome::Completed;
}

void Simulation::scheduleAt(Step step, std::function<void(Simulation&)> action) {
  impl_->actions.emplace(step, std::move(action));
}

void Simulation::runOnGroup(std::size_t group, Kernel& kernel, std::span<const Index> elements) {
  Impl& s = *impl_;
  if (group >= s.groups.size())
    throw std::out_of_range(fmt::format("group {} of {}", group, s.groups.size()));
  if (kernel.signature().emits_spikes)
    throw std::logic_error(fmt::format("kernel `{}` emits spikes", kernel.signature().name));
  for (Index e : elements)
    if (e < 0 || e >= s.groups[group].size)
      throw std::out_of_range(fmt::format("neuron {} of {} ({} neurons)", e,
                                          s.plan.groups[group].name, s.groups[group].size));
  s.bindGroupKernel(group, kernel);
  kernel.run(s.clock(), KernelDomain::list(elements));
}

void Simulation::runOnConnection(std::size_t connection, Kernel& kernel,
                                 std::span<const Index> elements) {
  Impl& s = *impl_;
  if (connection >= s.connections.size())
    throw std::out_of_range(fmt::format("connection {} of {}", connection, s.connections.size()));
  if (kernel.signature().emits_spikes)
    throw std::logic_error(fmt::format("kernel `{}` emits spikes", kernel.signature().name));
  const Index size = s.connections[connection].storage.size();
  for (Index e : elements)
    if (e < 0 || e >= size)
      throw std::out_of_range(fmt::format("synapse {} of {} ({} synapses)", e,
                                          s.plan.connections[connection].name, size));
  s.bindConnectionKernel(connection, kernel, {});
  kernel.run(s.clock(), KernelDomain::list(elements));
}

std::span<const double> Simulation::groupVariable(std::size_t group, std::string_view name) const {
  const Impl& s = *impl_;
  if (group >= s.groups.size())
    throw std::out_of_range(fmt::format("group {} of {}", group, s.groups.size()));
  const std::vector<double>* values = s.groups[group].find(name);
  if (values == nullptr)
    throw std::out_of_range(
        fmt::format("`{}` is not a variable of {}", name, s.plan.groups[group].name));
  return *values;
}

std::span<const double> Simulation::connectionVariable(std::size_t connection,
                                                       std::string_view name) const {
  const Impl& s = *impl_;
  if (connection >= s.connections.size())
    throw std::out_of_range(fmt::format("connection {} of {}", connection, s.connections.size()));
  const SynapseStorage& storage = s.connections[connection].storage;
  if (!storage.hasVariable(name))
    throw std::out_of_range(
        fmt::format("`{}` is not a variable of {}", name, s.plan.connections[connection].name));
  return storage.variable(name);
}

Index Simulation::groupSize(std::size_t group) const {
  if (group >= impl_->groups.size())
    throw std::out_of_range(fmt::format("group {} of {}", group, impl_->groups.size()));
  return impl_->groups[group].size;
}

Index Simulation::synapseCount(std::size_t connection) const {
  if (connection >= impl_->connections.size())
    throw std::out_of_range(
        fmt::format("connection {} of {}", connection, impl_->connections.size()));
  return impl_->connections[connection].storage.size();
}

std::span<const Index> Simulation::synapsePre(std::size_t connection) const {
  synapseCount(connection);  // range check
  return impl_->connections[connection].storage.preIndex();
}

std::span<const Index> Simulation::synapsePost(std::size_t connection) const {
  synapseCount(connection);
  return impl_->connections[connection].storage.postIndex();
}

const std::vector<SpikeRecording>& Simulation::spikeRecordings() const {
  return impl_->spike_recordings;
}

const std::vector<RateRecording>& Simulation::rateRecordings() const {
  return impl_->rate_recordings;
}

const std::vector<StateRecording>& Simulation::stateRecordings() const {
  return impl_->state_recordings;
}

std::uint64_t Simulation::memoryBytes() const {
  return impl_->heldBytes();
}

}  // namespace snn::engine
