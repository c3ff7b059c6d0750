// Building a Simulation from its plan: allocating every group and running its `init`,
// generating every connection (after a memory check), computing delays, binding every kernel
// (kernel_binding.cpp), and setting up spike delivery. What can go wrong here splits in two: a
// name or a shape the engine does not know is a lowering bug (std::logic_error naming the
// kernel and the buffer); a rule that cannot be satisfied, a delay or a rate out of range is
// the user's (SimulationError naming what failed).
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "vm/engine/connectivity.h"
#include "vm/engine/memory_limit.h"
#include "vm/engine/simulation_impl.h"
#include "vm/random/counter_rng.h"

namespace snn::engine {
namespace {

bool hasPairKernel(const ConnectionPlan& c) {
  return c.condition || c.pair_probability || c.target_map;
}

// Synapses a connection will have, before generating it: exact when the rule fixes the count,
// else an upper bound (a condition only removes synapses).
struct CountEstimate {
  std::uint64_t count = 0;
  bool exact = false;
};

CountEstimate estimateCount(const ConnectionPlan& c, Index n_pre, Index n_post) {
  const auto pre = static_cast<std::uint64_t>(n_pre), post = static_cast<std::uint64_t>(n_post);
  const bool conditional = c.condition != nullptr;
  switch (c.rule) {
    case ConnectionRule::All:
      return {saturatingMul(pre, post), !conditional};
    case ConnectionRule::OneToOne:
      return {pre, !conditional};
    case ConnectionRule::Probability:
      // A probability outside [0, 1] is reported by generation, with its message.
      if (!(c.probability >= 0.0 && c.probability <= 1.0)) return {0, false};
      return {synapseCountBound(n_pre, n_post, c.probability), false};
    case ConnectionRule::PairProbability:
      return {saturatingMul(pre, post), false};
    case ConnectionRule::Explicit:
      return {pre, !conditional};
    case ConnectionRule::FixedIndegree:
      // An impossible degree is reported by generation; count nothing for it here.
      if (c.fixed_count < 0 || c.fixed_count > n_pre) return {0, false};
      return {saturatingMul(static_cast<std::uint64_t>(c.fixed_count), post), true};
    case ConnectionRule::FixedOutdegree:
      if (c.fixed_count < 0 || c.fixed_count > n_post) return {0, false};
      return {saturatingMul(static_cast<std::uint64_t>(c.fixed_count), pre), true};
  }
  return {saturatingMul(pre, post), false};
}

// connectivity.cpp's message when generation stops at GenerationOptions::max_synapses.
bool isSynapseLimitError(const ConnectivityError& e) {
  return std::string_view(e.what()).find("this experiment can store") != std::string_view::npos;
}

// A pair kernel called by connection generation: binds the batch and the output, runs over the
// batch. Its slots are looked up once.
class PairKernelCall {
 public:
  PairKernelCall(Kernel& kernel, const KernelClock& clock) : kernel_(&kernel), clock_(clock) {
    const KernelSignature& s = kernel.signature();
    for (std::size_t slot = 0; slot < s.buffers.size(); ++slot) {
      if (s.buffers[slot].name == "pair.pre") pre_slot_ = slot;
      if (s.buffers[slot].name == "pair.post") post_slot_ = slot;
      if (s.buffers[slot].name == "result") result_slot_ = slot;
    }
    if (result_slot_ == kNone) failBinding(kernel, "result", "is missing: a pair kernel writes it");
  }

  void operator()(std::span<const Index> pre, std::span<const Index> post,
                  std::span<double> result) {
    if (pre_slot_ != kNone) kernel_->bindIndexBuffer(pre_slot_, pre);
    if (post_slot_ != kNone) kernel_->bindIndexBuffer(post_slot_, post);
    kernel_->bindBuffer(result_slot_, result);
    kernel_->run(clock_, KernelDomain::range(pre.size()));
  }

 private:
  Kernel* kernel_;
  KernelClock clock_;
  std::size_t pre_slot_ = kNone, post_slot_ = kNone, result_slot_ = kNone;
};

}  // namespace

KernelClock Simulation::Impl::clock() const {
  return {step, static_cast<double>(step) * plan.dt, plan.dt, plan.seed};
}

Simulation::Impl::Impl(Simulation& owner_, SimulationPlan plan_, SimulationOptions options_)
    : owner(owner_), plan(std::move(plan_)), options(options_) {
  validatePlan();
  memory_limit = options.memory_limit != 0 ? options.memory_limit : availableMemoryBytes();
  if (options.threads > 1) pool = std::make_unique<ThreadPool>(options.threads);
  // Sized once: kernels hold spans into these states, which must never move.
  groups.resize(plan.groups.size());
  connections.resize(plan.connections.size());
  for (std::size_t g = 0; g < groups.size(); ++g) setUpGroup(g);
  for (std::size_t c = 0; c < connections.size(); ++c) setUpConnection(c);
  setUpDelivery();
  setUpPoissonInputs();
}

void Simulation::Impl::validatePlan() const {
  if (!(plan.dt > 0) || !std::isfinite(plan.dt))
    throw SimulationError(fmt::format("dt = {} s; it must be positive", plan.dt), plan.experiment);
  for (const GroupPlan& g : plan.groups) {
    if (g.size < 0) throw std::logic_error(fmt::format("group `{}` of size {}", g.name, g.size));
    if (static_cast<std::uint64_t>(g.size) >= random::kElementLimit)
      throw SimulationError(fmt::format("{} has {} neurons, more than 2^40", g.name, g.size),
                            g.name);
  }
  for (const ConnectionPlan& c : plan.connections) {
    if (c.source >= plan.groups.size() || c.target >= plan.groups.size())
      throw std::logic_error(fmt::format("connection `{}` joins groups {} and {} of {}", c.name,
                                         c.source, c.target, plan.groups.size()));
  }
  for (const PoissonInputPlan& p : plan.poisson_inputs) {
    if (p.group >= plan.groups.size())
      throw std::logic_error(
          fmt::format("poisson_input into group {} of {}", p.group, plan.groups.size()));
  }
}

void Simulation::Impl::setUpGroup(std::size_t g) {
  GroupPlan& gp = plan.groups[g];
  GroupState& gs = groups[g];
  gs.size = gp.size;
  const auto n = static_cast<std::size_t>(gp.size);
  for (const VariableSpec& v : gp.variables) {
    if (gs.find(v.name) != nullptr)
      throw std::logic_error(fmt::format("group `{}` has two variables `{}`", gp.name, v.name));
    gs.names.push_back(v.name);
    gs.values.emplace_back(n, v.initial);
  }
  for (const std::string& f : gp.fault_variables)
    if (gs.find(f) == nullptr)
      throw std::logic_error(
          fmt::format("group `{}`: fault variable `{}` is not a variable", gp.name, f));
  if (gp.update) {
    gs.fault = gs.names.size();
    gs.names.push_back("_fault");
    gs.values.emplace_back(n, 0.0);
  }
  gs.spike_storage.assign(n, 0);
  gs.spikes = {gs.spike_storage, 0};
  gs.lastspike = gs.find("lastspike");  // after the last emplace: values no longer move
  gs.not_refractory = gs.find("not_refractory");

  if (gp.kind == GroupKind::SpikeGenerator) {
    if (gp.threshold)
      throw std::logic_error(fmt::format("spike generator `{}` has a threshold kernel", gp.name));
    if (gp.generator_indices.size() != gp.generator_steps.size())
      throw std::logic_error(fmt::format("spike generator `{}`: {} indices for {} steps", gp.name,
                                         gp.generator_indices.size(), gp.generator_steps.size()));
    // The same neuron twice in one step would break the spike list's room of one per neuron.
    std::vector<Step> last_step(n, -1);
    for (std::size_t k = 0; k < gp.generator_steps.size(); ++k) {
      const Index i = gp.generator_indices[k];
      const Step s = gp.generator_steps[k];
      if (i < 0 || i >= gp.size)
        throw SimulationError(
            fmt::format("{}: spike index {} outside [0, {})", gp.name, i, gp.size), gp.name);
      if (s < 0 || (k > 0 && s < gp.generator_steps[k - 1]))
        throw SimulationError(
            fmt::format("{}: spike times must be non-negative and sorted (step {} after {})",
                        gp.name, s, k > 0 ? gp.generator_steps[k - 1] : 0),
            gp.name);
      if (last_step[static_cast<std::size_t>(i)] == s)
        throw SimulationError(fmt::format("{}: neuron {} spikes twice in step {} (t = {:g} ms)",
                                          gp.name, i, s, static_cast<double>(s) * plan.dt * 1e3),
                              gp.name);
      last_step[static_cast<std::size_t>(i)] = s;
    }
  }

  for (Kernel* k : {gp.init.get(), gp.update.get(), gp.threshold.get(), gp.reset.get()}) {
    if (k == nullptr) continue;
    bindGroupKernel(g, *k);
    const bool may_spike = k == gp.threshold.get() || (k == gp.update.get() && !gp.threshold);
    if (k->signature().emits_spikes && !may_spike)
      throw std::logic_error(
          fmt::format("kernel `{}` emits spikes but is not a threshold", k->signature().name));
  }
  if (gp.threshold) gp.threshold->bindSpikes(&gs.spikes);
  gs.update_spikes = gp.update && gp.update->signature().emits_spikes;
  if (gs.update_spikes) gp.update->bindSpikes(&gs.spikes);
  if (gp.init) gp.init->run(clock(), KernelDomain::range(n));
}

void Simulation::Impl::setUpConnection(std::size_t c) {
  ConnectionPlan& cp = plan.connections[c];
  ConnectionState& cs = connections[c];
  const Index n_pre = groups[cp.source].size, n_post = groups[cp.target].size;
  const std::uint64_t n_variables = cp.variables.size() + (cp.update ? 1 : 0);
  const bool heterogeneous = cp.delay_kernel != nullptr;
  const KernelClock at_start = clock();

  // Memory: refuse before generating when the count is known, else cap generation at what fits.
  const CountEstimate count = estimateCount(cp, n_pre, n_post);
  const auto pre = static_cast<std::uint64_t>(n_pre), post = static_cast<std::uint64_t>(n_post);
  const std::uint64_t estimate =
      SynapseStorage::estimateBytes(pre, post, count.count, n_variables, heterogeneous);
  const std::uint64_t held = heldBytes();
  const std::uint64_t available = saturatingSub(memory_limit, held);
  auto refuse = [&](std::uint64_t bytes, std::string_view what) {
    MemoryRefusal refusal(
        fmt::format("connection {} would need {} for {}, more than the {} of memory left "
                    "(limit {}, {} held already)",
                    cp.name, formatBytes(bytes), what, formatBytes(available),
                    formatBytes(memory_limit), formatBytes(held)),
        bytes, available);
    refusal.owner = cp.name;
    throw refusal;
  };
  GenerationOptions generation;
  generation.seed = plan.seed;
  generation.stream = cp.stream;
  // Kernels are not thread-safe (one execution context each), and generation calls the pair
  // callbacks from every thread at once: one thread while any pair kernel exists.
  generation.threads = hasPairKernel(cp) ? 1u : std::max(1u, options.threads);
  if (estimate > available) {
    if (count.exact) refuse(estimate, fmt::format("its {} synapses", count.count));
    const std::uint64_t fixed =
        SynapseStorage::estimateBytes(pre, post, 0, n_variables, heterogeneous);
    const std::uint64_t per_synapse =
        SynapseStorage::estimateBytes(pre, post, 1, n_variables, heterogeneous) - fixed;
    generation.max_synapses = available < fixed ? 0 : (available - fixed) / per_synapse;
  }

  // Pair kernels see the groups (initialised above) and the candidate pairs.
  std::vector<double> scratch;
  const ExtraBuffer pair_buffers[] = {
      {"pair.pre", true, {}, {}}, {"pair.post", true, {}, {}}, {"result", false, {}, {}}};
  std::optional<PairKernelCall> condition_call, probability_call, target_call;
  for (Kernel* k : {cp.condition.get(), cp.pair_probability.get(), cp.target_map.get()}) {
    if (k != nullptr) bindConnectionKernel(c, *k, pair_buffers, false);
  }
  PairCondition condition;
  if (cp.condition) {
    condition_call.emplace(*cp.condition, at_start);
    condition = [&](std::span<const Index> i, std::span<const Index> j,
                    std::span<std::uint8_t> keep) {
      scratch.resize(i.size());
      (*condition_call)(i, j, scratch);
      for (std::size_t k = 0; k < keep.size(); ++k) keep[k] = scratch[k] != 0.0 ? 1 : 0;
    };
  }
  PairProbability probability;
  if (cp.pair_probability) {
    probability_call.emplace(*cp.pair_probability, at_start);
    probability = [&](std::span<const Index> i, std::span<const Index> j, std::span<double> p) {
      (*probability_call)(i, j, p);
    };
  }
  TargetMap target;
  if (cp.target_map) {
    target_call.emplace(*cp.target_map, at_start);
    target = [&](std::span<const Index> i, std::span<Index> j) {
      scratch.resize(i.size());
      (*target_call)(i, i, scratch);  // "pair.post" has no meaning yet: bound to i
      for (std::size_t k = 0; k < j.size(); ++k) {
        const double x = scratch[k];
        // Out-of-range integers are left to generation, which names the pair; what is not an
        // index at all is reported here rather than converted into one.
        if (!(std::isfinite(x) && x == std::trunc(x) && std::fabs(x) < 0x1p62))
          throw ConnectivityError(
              fmt::format("connect: j = {} for i = {} is not a neuron index", x, i[k]));
        j[k] = static_cast<Index>(x);
      }
    };
  }

  Connectivity generated;
  try {
    switch (cp.rule) {
      case ConnectionRule::All:
        generated = connectAll(n_pre, n_post, condition, generation);
        break;
      case ConnectionRule::OneToOne:
        generated = connectOneToOne(n_pre, n_post, condition, generation);
        break;
      case ConnectionRule::Probability:
        generated = connectWithProbability(n_pre, n_post, cp.probability, condition, generation);
        break;
      case ConnectionRule::PairProbability:
        if (!cp.pair_probability)
          throw std::logic_error(fmt::format("connection `{}`: p(i, j) without a kernel", cp.name));
        generated = connectWithPairProbability(n_pre, n_post, probability, condition, generation);
        break;
      case ConnectionRule::Explicit:
        if (!cp.target_map)
          throw std::logic_error(
              fmt::format("connection `{}`: j = f(i) without a kernel", cp.name));
        generated = connectExplicit(n_pre, n_post, target, condition, generation);
        break;
      case ConnectionRule::FixedIndegree:
        generated = connectFixedIndegree(n_pre, n_post, cp.fixed_count, condition, generation);
        break;
      case ConnectionRule::FixedOutdegree:
        generated = connectFixedOutdegree(n_pre, n_post, cp.fixed_count, condition, generation);
        break;
    }
  } catch (const ConnectivityError& e) {
    if (generation.max_synapses != std::numeric_limits<std::uint64_t>::max() &&
        isSynapseLimitError(e))
      refuse(estimate, fmt::format("up to {} synapses (it stopped at {}, the most that fit)",
                                   count.count, generation.max_synapses));
    throw SimulationError(fmt::format("{}: {}", cp.name, e.what()), cp.name);
  }

  cs.storage = SynapseStorage(std::move(generated));
  cs.generated = true;
  const auto size = static_cast<std::size_t>(cs.storage.size());
  for (const VariableSpec& v : cp.variables) {
    if (v.name == "pre_index" || v.name == "post_index" || v.name.starts_with("pre.") ||
        v.name.starts_with("post.") || cs.storage.hasVariable(v.name))
      throw std::logic_error(
          fmt::format("connection `{}`: variable name `{}` is taken", cp.name, v.name));
    cs.storage.addVariable(v.name, v.initial);
  }
  if (cp.update) cs.fault = cs.storage.addVariable("_fault", 0.0);
  for (const std::string& f : cp.fault_variables)
    if (!cs.storage.hasVariable(f))
      throw std::logic_error(
          fmt::format("connection `{}`: fault variable `{}` is not a variable", cp.name, f));

  if (cp.init) {
    bindConnectionKernel(c, *cp.init, {});
    cp.init->run(at_start, KernelDomain::range(size));
  }
  try {
    if (cp.delay) {
      if (cp.delay_kernel)
        throw std::logic_error(fmt::format("connection `{}` has two delays", cp.name));
      cs.storage.setDelaySteps(delayToSteps(*cp.delay, plan.dt));
    } else if (cp.delay_kernel) {
      std::vector<double> seconds(size, 0.0);
      const ExtraBuffer delay_buffer[] = {{"delay", false, seconds, {}}};
      bindConnectionKernel(c, *cp.delay_kernel, delay_buffer);
      cp.delay_kernel->run(at_start, KernelDomain::range(size));
      std::vector<DelaySteps> steps(size);
      for (std::size_t s = 0; s < size; ++s) {
        try {
          steps[s] = delayToSteps(seconds[s], plan.dt);
        } catch (const std::domain_error&) {
          throw SimulationError(
              fmt::format("{}: synapse {} ({} -> {}) has the delay {} s; a delay must be finite, "
                          "non-negative and below 2^32 steps",
                          cp.name, s, cs.storage.preIndex()[s], cs.storage.postIndex()[s],
                          seconds[s]),
              cp.name);
        }
      }
      cs.storage.setDelaySteps(std::move(steps));
    } else {
      cs.storage.setDelaySteps(DelaySteps{0});
    }
  } catch (const std::domain_error&) {
    throw SimulationError(fmt::format("{}: the delay {} s is negative, infinite or beyond 2^32 "
                                      "steps",
                                      cp.name, cp.delay.value_or(0.0)),
                          cp.name);
  }

  for (Kernel* k : {cp.on_pre.get(), cp.on_post.get(), cp.update.get()}) {
    if (k != nullptr) bindConnectionKernel(c, *k, {});
  }
  for (SummedPlan& summed : cp.summed) {
    if (!summed.kernel)
      throw std::logic_error(fmt::format("connection `{}`: summed `{}` without a kernel", cp.name,
                                         summed.target_variable));
    bindConnectionKernel(c, *summed.kernel, {});
  }
  for (Kernel* k :
       {cp.init.get(), cp.on_pre.get(), cp.on_post.get(), cp.update.get(), cp.delay_kernel.get()}) {
    if (k != nullptr && k->signature().emits_spikes)
      throw std::logic_error(
          fmt::format("kernel `{}` emits spikes but is not a threshold", k->signature().name));
  }
}

void Simulation::Impl::setUpDelivery() {
  const std::size_t n_groups = groups.size();
  source_queues.resize(n_groups);
  heterogeneous_from.assign(n_groups, {});
  std::vector<std::optional<DelaySteps>> longest(n_groups);
  std::optional<DelaySteps> shortest;
  for (std::size_t c = 0; c < connections.size(); ++c) {
    const ConnectionPlan& cp = plan.connections[c];
    if (!cp.on_pre) continue;
    ConnectionState& cs = connections[c];
    const SynapseStorage& storage = cs.storage;
    shortest = std::min(shortest.value_or(storage.minDelaySteps()), storage.minDelaySteps());
    if (std::find(spike_sources.begin(), spike_sources.end(), cp.source) == spike_sources.end())
      spike_sources.push_back(cp.source);
    if (storage.heterogeneousDelays()) {
      cs.arrivals = std::make_unique<HeterogeneousSpikeQueue>(storage, step);
      heterogeneous_from[cp.source].push_back(c);
    } else {
      longest[cp.source] =
          std::max(longest[cp.source].value_or(storage.minDelaySteps()), storage.minDelaySteps());
    }
  }
  std::sort(spike_sources.begin(), spike_sources.end());
  for (std::size_t g = 0; g < n_groups; ++g)
    if (longest[g]) source_queues[g].emplace(*longest[g]);
  // Exchanging once per shortest delay loses nothing (spike_exchange.h); in one process it only
  // batches the pushes, and it is where an MPI exchange replaces LocalSpikeExchange.
  exchange = std::make_unique<LocalSpikeExchange>(n_groups, exchangeInterval(shortest.value_or(0)));

  // Summed targets: each distinct array is zeroed once per step, then every kernel adds to it.
  for (const ConnectionPlan& cp : plan.connections) {
    for (const SummedPlan& summed : cp.summed) {
      const std::size_t g = summed.on_post ? cp.target : cp.source;
      std::vector<double>* values = groups[g].find(summed.target_variable);
      if (values == nullptr)
        throw std::logic_error(
            fmt::format("connection `{}`: summed target `{}` is not a variable "
                        "of `{}`",
                        cp.name, summed.target_variable, plan.groups[g].name));
      const bool seen =
          std::any_of(summed_targets.begin(), summed_targets.end(),
                      [&](std::span<double> t) { return t.data() == values->data(); });
      if (!seen) summed_targets.emplace_back(*values);
    }
  }
}

void Simulation::Impl::setUpPoissonInputs() {
  for (const PoissonInputPlan& p : plan.poisson_inputs) {
    const std::string owner_name =
        fmt::format("poisson_input({}.{})", plan.groups[p.group].name, p.variable);
    std::vector<double>* target = groups[p.group].find(p.variable);
    if (target == nullptr)
      throw std::logic_error(fmt::format("{}: `{}` is not a variable of `{}`", owner_name,
                                         p.variable, plan.groups[p.group].name));
    const double probability = p.rate * plan.dt;
    if (p.n < 0 || static_cast<std::uint64_t>(p.n) >= random::kBinomialTrialsLimit)
      throw SimulationError(fmt::format("{}: n = {} must be in [0, 2^53)", owner_name, p.n),
                            owner_name);
    if (!(probability >= 0.0 && probability <= 1.0))
      throw SimulationError(fmt::format("{}: rate * dt = {} Hz * {} s = {}; it must be in [0, 1]",
                                        owner_name, p.rate, plan.dt, probability),
                            owner_name);
    if (p.stream >= random::kStreamLimit)
      throw std::logic_error(fmt::format("{}: random stream {} beyond 2^16", owner_name, p.stream));
    poisson_inputs.push_back({*target,
                              random::BinomialSampler(static_cast<std::uint64_t>(p.n), probability),
                              p.weight, p.stream});
  }
}

}  // namespace snn::engine
