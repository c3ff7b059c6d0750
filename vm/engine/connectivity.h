// Generation of the synapses of a `connect`, for every rule of the language, without an N x N
// matrix: memory is O(synapses + neurons), and time is O(synapses) for every rule except a
// probability that depends on the pair, which has to look at every pair once (streaming).
//
// Randomness. Every random number is a pure function of (seed, the connection's stream,
// element = the row being generated, step = 0, draw index), so the synapses depend on nothing
// but the seed and the stream: not on the thread count, the batch size, or the order in which
// rows are generated. Per rule (the draw layout is fixed: changing it changes every network):
//  - constant p: geometric skipping over the row's targets (vm/random/bernoulli.h), element =
//    pre index. O(kept candidates).
//  - p(i, j): pair (i, j) is kept when uniform(seed, stream, i, 0, j) < p(i, j); one Philox
//    block serves two neighbouring targets.
//  - fixed_indegree k: for each target j (element = j), a partial Fisher-Yates shuffle of the
//    sources; the first k candidates that pass the condition are its sources. fixed_outdegree
//    likewise with element = source i. The integer in [0, n) of draw w uses the 64-bit word
//    (hi << 32 | lo) of slot w % 2 of Philox block w / 2 (words 2s, 2s+1), by Lemire's
//    multiply-and-reject method, which is exactly unbiased; rejections take the next word.
//    Taking the first k passing candidates of a uniformly random permutation gives a uniformly
//    random k-subset of the passing sources, so a condition (`i != j`) never skews the choice.
//  - all, one_to_one, j = f(i): no randomness.
//
// Callbacks. Conditions, probabilities and target maps will be compiled IR kernels evaluated
// over candidate pairs (the IR's Domain::Pairs), so they take whole batches: parallel spans of
// pre and post indices (at most GenerationOptions::batch_size pairs) and an output span of the
// same length. A batch may span several rows; pairs come in ascending (pre, post) order except
// for fixed degrees, where they come in the order of the shuffle. The engine calls them from
// several threads at once when threads > 1, so they must not keep mutable state. An empty
// std::function means "no condition".
//  - A condition is evaluated only on candidates: after the random test for a constant p (cheap
//    when p is small), and before the probability for p(i, j), so that `p = 1/abs(i-j) if i != j`
//    never evaluates p where the condition excludes the pair.
//  - A probability must lie in [0, 1]: anything else (NaN included) is an error that names the
//    pair, rather than Brian2's silent `rand() < p`.
//  - j = f(i) gives one target per source (the language has no generator syntax); a target
//    outside [0, N_post) is an error, as docs/language.md says, and is checked before the
//    condition so that a compiled condition never reads post.X out of bounds.
//
// Errors (user errors at run time: the engine reports them with the connect's source range)
// are thrown as ConnectivityError; when several threads fail, the one for the lowest rows wins,
// so the message does not depend on the thread count.
//
// Result: a Connectivity in CSR order (sorted by (pre, post)), ready for SynapseStorage. Peak
// memory during generation stays within SynapseStorage::estimateBytes of the result: per-thread
// buffers of 8 bytes per synapse (exact for all and the fixed degrees, up to twice that while a
// vector grows for the random rules) plus the final 8 bytes per synapse, against the storage's
// 24 + 8 per variable; plus O(neurons) per thread (one Fisher-Yates array for fixed degrees).
// GenerationOptions::max_synapses stops generation early (with an error) when a rule whose count is
// not known in advance (p(i, j), conditions) produces more than the engine can store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>

#include "vm/engine/indices.h"
#include "vm/engine/synapse_storage.h"

namespace snn::engine {

class ConnectivityError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// keep[k] = 1 when the condition holds for (pre[k], post[k]), else 0.
using PairCondition = std::function<void(std::span<const Index> pre, std::span<const Index> post,
                                         std::span<std::uint8_t> keep)>;
// p[k] = the connection probability of (pre[k], post[k]).
using PairProbability = std::function<void(std::span<const Index> pre, std::span<const Index> post,
                                           std::span<double> p)>;
// post[k] = the target of source pre[k] (`j = f(i)`).
using TargetMap = std::function<void(std::span<const Index> pre, std::span<Index> post)>;

struct GenerationOptions {
  std::uint64_t seed = 0;
  std::uint32_t stream = 0;       // the connection's own stream: below random::kStreamLimit
  unsigned threads = 1;           // rows are split into this many contiguous blocks (0 means 1)
  std::size_t batch_size = 4096;  // pairs per callback call (at least 1)
  std::uint64_t max_synapses = std::numeric_limits<std::uint64_t>::max();
};

// Every pair (i, j) (where the condition holds).
Connectivity connectAll(Index n_pre, Index n_post, const PairCondition& condition,
                        const GenerationOptions& options);
// (i, i) for every i (where the condition holds); the populations must have the same size.
Connectivity connectOneToOne(Index n_pre, Index n_post, const PairCondition& condition,
                             const GenerationOptions& options);
// Each pair independently with a constant probability p (where the condition holds).
Connectivity connectWithProbability(Index n_pre, Index n_post, double p,
                                    const PairCondition& condition,
                                    const GenerationOptions& options);
// Each pair where the condition holds, independently with probability probability(i, j).
Connectivity connectWithPairProbability(Index n_pre, Index n_post,
                                        const PairProbability& probability,
                                        const PairCondition& condition,
                                        const GenerationOptions& options);
// (i, target(i)) for every i (where the condition holds).
Connectivity connectExplicit(Index n_pre, Index n_post, const TargetMap& target,
                             const PairCondition& condition, const GenerationOptions& options);
// Each target gets exactly k distinct sources among those where the condition holds, uniformly.
Connectivity connectFixedIndegree(Index n_pre, Index n_post, Index k,
                                  const PairCondition& condition, const GenerationOptions& options);
// Each source gets exactly k distinct targets among those where the condition holds, uniformly.
Connectivity connectFixedOutdegree(Index n_pre, Index n_post, Index k,
                                   const PairCondition& condition,
                                   const GenerationOptions& options);

// For the memory check before generation, with a constant p: the mean plus 6 standard
// deviations of the Binomial(n_pre * n_post, p) synapse count (exceeded with probability
// ~1e-9), capped at n_pre * n_post. (all, one_to_one and the fixed degrees have exact counts:
// n_pre * n_post, n_pre, k * n_post and k * n_pre; a condition only lowers them.)
std::uint64_t synapseCountBound(Index n_pre, Index n_post, double p);

}  // namespace snn::engine
