// A simulation as the engine receives it: the populations, connections, inputs and their
// compiled kernels, everything resolved to numbers and names. Lowering (compiler/lower) makes
// it from a checked experiment; the engine (simulation.h) runs it; nothing here knows the
// language. A GPU or distributed back end consumes the same plan.
//
// Naming conventions between lowering and the engine (the kernel signature lists the names; the
// engine binds each to its storage, and refuses a name it does not know):
//
//  Group kernels (element = neuron index):
//    "<var>"            f64: a variable of the group, e.g. "V", "lastspike", "not_refractory"
//    "_fault"           f64, written by `update`: 0, or NaN when one of fault_variables would
//                       have become NaN or infinite in this step (the kernel then keeps the
//                       element's last finite values)
//    "new.<var>"        f64, written by `diagnose` only: the value `update` computed for <var>
//  Connection kernels (element = synapse id; pair kernels: the k-th candidate pair):
//    "<var>"            f64: a variable of the connection's synapses ("w", "lastupdate")
//    "pre.<var>"        f64: a variable of the source group, at the synapse's pre index
//    "post.<var>"       f64: a variable of the target group
//    "pre_index"        i64: each synapse's presynaptic neuron
//    "post_index"       i64: each synapse's postsynaptic neuron
//    "delay"            f64 (delay kernel, element = synapse): the delay in seconds
//    "pair.pre", "pair.post"  i64 (pair kernels): the candidate pair
//    "result"           f64 (pair kernels): the condition (1 or 0), the probability, or the
//                       target index j
//  Tables: timed arrays by the name of their `let`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vm/engine/indices.h"
#include "vm/engine/kernel.h"

namespace snn::engine {

struct VariableSpec {
  std::string name;
  std::string unit;  // for outputs, e.g. "volt", "1", "second"
  double initial = 0;  // SI; the init kernel may overwrite it
};

enum class GroupKind : std::uint8_t { Neuron, Poisson, SpikeGenerator };

struct GroupPlan {
  std::string name;
  GroupKind kind = GroupKind::Neuron;
  Index size = 0;
  std::string model;  // "LIF", "poisson", "spikes"
  std::vector<VariableSpec> variables;
  std::vector<std::string> fault_variables;  // the variables `update` checks, in "_fault" order
  std::unique_ptr<Kernel> init;       // runs once over every neuron at construction (may be null)
  // every step, every neuron: t -> t + dt (may be null). When `threshold` is null, `update`
  // may emit the spikes itself: a threshold fused into the update, tested on the new values
  // (one pass over the neurons instead of two). Its spikes are then the group's spikes of the
  // step, treated exactly as a threshold kernel's.
  std::unique_ptr<Kernel> update;
  // every step, every neuron: emits the spikes (may be null). The engine then sets
  // "lastspike" = t and "not_refractory" = 0 (where the group has them) for each neuron that
  // spiked, as Brian2's thresholder does, so the kernel itself writes nothing.
  std::unique_ptr<Kernel> threshold;
  std::unique_ptr<Kernel> reset;      // every step, on the neurons that spiked (may be null)
  // The cold twin of `update`, run by the engine only after a fault, on the faulty element:
  // it computes the same step and stores each new value into "new.<var>", so that the error
  // can name the variable (the hot kernel only says that one of them failed).
  std::unique_ptr<Kernel> diagnose;
  // Spike generators: spike k of neuron indices[k] in step steps[k]; sorted by step, then as
  // written; no neuron twice in one step.
  std::vector<Index> generator_indices;
  std::vector<Step> generator_steps;
};

enum class ConnectionRule : std::uint8_t {
  All, OneToOne, Probability, PairProbability, Explicit, FixedIndegree, FixedOutdegree };

struct SummedPlan {
  std::string target_variable;  // of the target group (on_post) or the source group
  bool on_post = true;
  std::unique_ptr<Kernel> kernel;  // every step over every synapse: accumulates into
                                   // "post.<var>" (or "pre.<var>"), which the engine zeroes first
};

struct ConnectionPlan {
  std::string name;  // "E->I" when unnamed
  std::size_t source = 0, target = 0;  // group indices
  ConnectionRule rule = ConnectionRule::All;
  double probability = 0;    // Probability
  Index fixed_count = 0;     // FixedIndegree, FixedOutdegree
  std::unique_ptr<Kernel> condition;    // pair kernel, or null
  std::unique_ptr<Kernel> pair_probability;  // PairProbability
  std::unique_ptr<Kernel> target_map;   // Explicit
  std::uint32_t stream = 0;  // random stream of generation (vm/random)
  std::vector<VariableSpec> variables;  // per synapse
  std::unique_ptr<Kernel> init;         // once over every synapse after generation (may be null)
  std::optional<double> delay;          // seconds, the same for every synapse
  std::unique_ptr<Kernel> delay_kernel; // else per synapse ("delay"), run once after init
  std::unique_ptr<Kernel> on_pre;       // on the synapses whose presynaptic spike arrives
  std::unique_ptr<Kernel> on_post;      // on the synapses onto neurons that spiked this step
  std::unique_ptr<Kernel> update;       // clock-driven ODEs: every step, every synapse
  std::vector<SummedPlan> summed;
  std::vector<std::string> fault_variables;  // as GroupPlan, for `update`
  std::unique_ptr<Kernel> diagnose;          // as GroupPlan
};

// poisson_input(target = P.X, n, rate, weight): every step, each neuron of the group receives
// weight * k with k ~ Binomial(n, rate * dt), drawn from (seed, stream, neuron, step).
struct PoissonInputPlan {
  std::size_t group = 0;
  std::string variable;
  std::int64_t n = 0;
  double rate = 0;    // Hz
  double weight = 0;  // SI unit of the variable
  std::uint32_t stream = 0;
};

// A timed array: values[k] holds from k * dt.
struct TablePlan {
  std::string name;
  std::vector<double> values;
  double dt = 0;
};

struct SimulationPlan {
  std::string experiment;
  double dt = 1e-4;  // seconds
  std::uint64_t seed = 0;
  std::vector<TablePlan> tables;
  std::vector<GroupPlan> groups;
  std::vector<ConnectionPlan> connections;  // generated in this order
  std::vector<PoissonInputPlan> poisson_inputs;
};

}  // namespace snn::engine
