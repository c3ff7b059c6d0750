// The rules of connectivity.h. Each rule is a row worker: it fills the targets of rows
// [begin, end) into a Chunk, and runBlocks() runs the workers of contiguous row blocks on
// threads and concatenates their chunks in row order, which is what makes the result independent
// of the thread count. fixed_indegree generates by target and transposes at the end.
#include "vm/engine/connectivity.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <system_error>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "vm/random/bernoulli.h"
#include "vm/random/counter_rng.h"

namespace snn::engine {

namespace {

// The targets of a block of rows: row_counts[r] for row begin + r, then the targets row by row.
struct Chunk {
  Index begin = 0, end = 0;
  std::vector<Index> row_counts;
  std::vector<Index> targets;
  std::exception_ptr error;
};

void checkSizes(const char* rule, Index n_pre, Index n_post, const GenerationOptions& options) {
  constexpr auto kLimit = static_cast<Index>(random::kElementLimit);
  if (n_pre < 0 || n_post < 0 || n_pre >= kLimit || n_post >= kLimit)
    throw ConnectivityError(
        fmt::format("{}: population sizes {} and {} must be in [0, 2^40)", rule, n_pre, n_post));
  if (options.stream >= random::kStreamLimit)
    throw ConnectivityError(fmt::format("{}: random stream {} beyond 2^16", rule, options.stream));
  if (options.batch_size == 0) throw ConnectivityError(fmt::format("{}: batch size 0", rule));
}

void checkLimit(const Chunk& chunk, const GenerationOptions& options) {
  if (chunk.targets.size() > options.max_synapses)
    throw ConnectivityError(
        fmt::format("connect: more than {} synapses, the most this experiment can store",
                    options.max_synapses));
}

// Runs worker(chunk) on `threads` contiguous blocks of [0, rows) and returns the chunks in row
// order; rethrows the error of the lowest block that failed.
template <typename Worker>
std::vector<Chunk> runBlocks(Index rows, const GenerationOptions& options, Worker&& worker) {
  const Index blocks =
      std::max<Index>(1, std::min<Index>(static_cast<Index>(std::max(1u, options.threads)), rows));
  std::vector<Chunk> chunks(static_cast<std::size_t>(blocks));
  for (Index b = 0; b < blocks; ++b) {
    Chunk& c = chunks[static_cast<std::size_t>(b)];
    c.begin = rows * b / blocks;
    c.end = rows * (b + 1) / blocks;
    c.row_counts.assign(static_cast<std::size_t>(c.end - c.begin), 0);
  }
  auto run = [&](Chunk& c) {
    try {
      worker(c);
      checkLimit(c, options);
    } catch (...) {
      c.error = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t b = 1; b < chunks.size(); ++b) {
    try {
      threads.emplace_back(run, std::ref(chunks[b]));
    } catch (const std::system_error&) {
      run(chunks[b]);  // no thread to be had: the same block, on this one
    }
  }
  run(chunks[0]);
  for (std::thread& t : threads) t.join();
  for (const Chunk& c : chunks)
    if (c.error) std::rethrow_exception(c.error);
  return chunks;
}

Connectivity concatenate(Index n_pre, Index n_post, std::vector<Chunk> chunks,
                         const GenerationOptions& options) {
  Connectivity out;
  out.n_pre = n_pre;
  out.n_post = n_post;
  std::size_t total = 0;
  for (const Chunk& c : chunks) total += c.targets.size();
  if (total > options.max_synapses)
    throw ConnectivityError(
        fmt::format("connect: {} synapses, more than the {} this experiment can store", total,
                    options.max_synapses));
  out.row_offsets.assign(static_cast<std::size_t>(n_pre) + 1, 0);
  out.post.reserve(total);  // exact: no capacity left over in the final arrays
  for (Chunk& c : chunks) {
    for (Index r = 0; r < c.end - c.begin; ++r)
      out.row_offsets[static_cast<std::size_t>(c.begin + r) + 1] =
          c.row_counts[static_cast<std::size_t>(r)];
    out.post.insert(out.post.end(), c.targets.begin(), c.targets.end());
    std::vector<Index>().swap(c.targets);  // free each block as soon as it is copied
  }
  for (std::size_t i = 1; i < out.row_offsets.size(); ++i)
    out.row_offsets[i] += out.row_offsets[i - 1];
  return out;
}

// Pairs waiting for their callbacks. Filled in (pre, post) order; flush() hands the kept pairs
// to the chunk, counting them in their rows.
class PairBatch {
 public:
  PairBatch(const PairCondition& condition, const PairProbability* probability,
            const GenerationOptions& options, Chunk& chunk)
      : condition_(condition), probability_(probability), options_(options), chunk_(chunk) {
    pre_.reserve(options.batch_size);
    post_.reserve(options.batch_size);
  }

  void add(Index i, Index j) {
    pre_.push_back(i);
    post_.push_back(j);
    if (pre_.size() == options_.batch_size) flush();
  }

  void flush() {
    if (pre_.empty()) return;
    if (condition_) compact(evaluateCondition(condition_, pre_, post_, keep_));
    if (probability_ != nullptr && !pre_.empty()) testProbabilities();
    for (std::size_t k = 0; k < pre_.size(); ++k) {
      ++chunk_.row_counts[static_cast<std::size_t>(pre_[k] - chunk_.begin)];
      chunk_.targets.push_back(post_[k]);
    }
    checkLimit(chunk_, options_);
    pre_.clear();
    post_.clear();
  }

  static std::span<const std::uint8_t> evaluateCondition(const PairCondition& condition,
                                                         std::span<const Index> pre,
                                                         std::span<const Index> post,
                                                         std::vector<std::uint8_t>& keep) {
    keep.assign(pre.size(), 0);
    condition(pre, post, keep);
    return keep;
  }

 private:
  void compact(std::span<const std::uint8_t> keep) {
    std::size_t n = 0;
    for (std::size_t k = 0; k < pre_.size(); ++k) {
      if (keep[k] == 0) continue;
      pre_[n] = pre_[k];
      post_[n] = post_[k];
      ++n;
    }
    pre_.resize(n);
    post_.resize(n);
  }

  // Keeps (i, j) when uniform(seed, stream, i, 0, j) < p(i, j).
  void testProbabilities() {
    p_.assign(pre_.size(), 0.0);
    (*probability_)(pre_, post_, p_);
    std::vector<std::uint8_t>& keep = keep_;
    keep.assign(pre_.size(), 0);
    Index block_row = -1, block_index = -1;
    random::PhiloxBlock block{};
    for (std::size_t k = 0; k < pre_.size(); ++k) {
      const double p = p_[k];
      if (!(p >= 0.0 && p <= 1.0))
        throw ConnectivityError(
            fmt::format("connect: probability {} for the pair i = {}, j = {}; it must be in [0, 1]",
                        p, pre_[k], post_[k]));
      const Index i = pre_[k], j = post_[k];
      if (i != block_row || (j >> 1) != block_index) {
        block_row = i;
        block_index = j >> 1;
        block = random::randomBlock(options_.seed, options_.stream, static_cast<std::uint64_t>(i),
                                    0, static_cast<std::uint64_t>(block_index));
      }
      const double u =
          static_cast<double>(random::blockBits53(block, j & 1)) * random::kTwoToMinus53;
      keep[k] = u < p ? 1 : 0;
    }
    compact(keep);
  }

  const PairCondition& condition_;
  const PairProbability* probability_;
  const GenerationOptions& options_;
  Chunk& chunk_;
  std::vector<Index> pre_, post_;
  std::vector<std::uint8_t> keep_;
  std::vector<double> p_;
};

// Uniform integers in [0, n) for one row: draw w is the 64-bit word of slot w % 2 of block
// w / 2, reduced by Lemire's multiply-and-reject ("Fast random integer generation in an
// interval", 2019), exactly unbiased.
class RowIntegers {
 public:
  RowIntegers(const GenerationOptions& options, Index row)
      : seed_(options.seed), stream_(options.stream), row_(static_cast<std::uint64_t>(row)) {}

  std::uint64_t below(std::uint64_t n) {
    std::uint64_t x = next();
    __uint128_t m = static_cast<__uint128_t>(x) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
      while (low < threshold) {
        x = next();
        m = static_cast<__uint128_t>(x) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

 private:
  std::uint64_t next() {
    const unsigned slot = word_ & 1;
    if (slot == 0) block_ = random::randomBlock(seed_, stream_, row_, 0, word_ >> 1);
    ++word_;
    return (std::uint64_t{block_[2 * slot + 1]} << 32) | block_[2 * slot];
  }

  std::uint64_t seed_;
  std::uint32_t stream_;
  std::uint64_t row_;
  std::uint64_t word_ = 0;
  random::PhiloxBlock block_{};
};

// k distinct elements of [0, n) for one row: the first k candidates of a uniformly random
// permutation (partial Fisher-Yates) that pass the condition. The permutation lives in a dense
// array of n entries, owned per thread and restored after each row (O(draws), not O(n)), so a
// block of rows costs O(n) memory once, like one state variable of the population.
class DistinctSampler {
 public:
  DistinctSampler(Index n, const PairCondition& condition, const GenerationOptions& options)
      : n_(n), condition_(condition), options_(options), permutation_(static_cast<std::size_t>(n)) {
    for (Index x = 0; x < n; ++x) permutation_[static_cast<std::size_t>(x)] = x;
  }

  // Appends the k chosen elements to `out`, in the order drawn. `row_is_pre`: the row is a
  // source and the elements are targets (fixed_outdegree), else the reverse.
  void sample(Index row, Index k, bool row_is_pre, std::vector<Index>& out) {
    RowIntegers draws(options_, row);
    Index t = 0, accepted = 0;
    while (accepted < k) {
      if (t == n_) {
        restore(t);
        throw ConnectivityError(
            fmt::format("connect: fixed_{} = {}: {} {} has only {} {} where the condition holds",
                        row_is_pre ? "outdegree" : "indegree", k, row_is_pre ? "source" : "target",
                        row, accepted, row_is_pre ? "targets" : "sources"));
      }
      // Draw as many candidates as are still missing (or as the pool has left).
      const Index want = std::min<Index>(k - accepted, n_ - t);
      candidates_.clear();
      for (Index c = 0; c < want; ++c, ++t) {
        const Index r = t + static_cast<Index>(draws.below(static_cast<std::uint64_t>(n_ - t)));
        std::swap(permutation_[static_cast<std::size_t>(t)],
                  permutation_[static_cast<std::size_t>(r)]);
        swapped_.push_back(r);
        candidates_.push_back(permutation_[static_cast<std::size_t>(t)]);
      }
      if (!condition_) {
        out.insert(out.end(), candidates_.begin(), candidates_.end());
        accepted += want;
        continue;
      }
      for (std::size_t first = 0; first < candidates_.size(); first += options_.batch_size) {
        const std::size_t count = std::min(options_.batch_size, candidates_.size() - first);
        const std::span<const Index> candidates =
            std::span<const Index>(candidates_).subspan(first, count);
        rows_.assign(count, row);
        std::span<const std::uint8_t> keep =
            row_is_pre ? PairBatch::evaluateCondition(condition_, rows_, candidates, keep_)
                       : PairBatch::evaluateCondition(condition_, candidates, rows_, keep_);
        for (std::size_t c = 0; c < count; ++c)
          if (keep[c] != 0) {
            out.push_back(candidates[c]);
            ++accepted;
          }
      }
    }
    restore(t);
  }

 private:
  void restore(Index t) {
    for (Index x = 0; x < t; ++x) permutation_[static_cast<std::size_t>(x)] = x;
    for (Index r : swapped_) permutation_[static_cast<std::size_t>(r)] = r;
    swapped_.clear();
  }

  Index n_;
  const PairCondition& condition_;
  const GenerationOptions& options_;
  std::vector<Index> permutation_;
  std::vector<Index> swapped_, candidates_, rows_;
  std::vector<std::uint8_t> keep_;
};

// random::forEachBernoulli, bit for bit (same draws, same arithmetic), but computing each
// Philox block once for its two draws instead of once per draw: that halves the Philox calls,
// the largest cost of a sparse row. The test compares every row with bernoulliIndices.
template <typename F>
void forEachBernoulliRow(double p, Index n, const GenerationOptions& options, Index row, F&& f) {
  if (p == 0.0) return;
  if (p == 1.0) {
    for (Index j = 0; j < n; ++j) f(j);
    return;
  }
  const double log1m_p = std::log1p(-p);
  random::PhiloxBlock block{};
  const auto count = static_cast<std::uint64_t>(n);
  std::uint64_t j = 0;
  for (std::uint64_t draw = 0; j < count; ++draw) {
    if ((draw & 1) == 0)
      block = random::randomBlock(options.seed, options.stream, static_cast<std::uint64_t>(row), 0,
                                  draw >> 1);
    const double u =
        static_cast<double>(random::blockBits53(block, draw & 1) + 1) * random::kTwoToMinus53;
    const std::uint64_t gap = random::geometricSkip(u, log1m_p);
    if (gap >= count - j) return;
    j += gap;
    f(static_cast<Index>(j));
    ++j;
  }
}

void checkDegree(const char* rule, Index k, Index pool) {
  if (k < 0) throw ConnectivityError(fmt::format("connect: {} = {} is negative", rule, k));
  if (static_cast<std::uint64_t>(pool) >= random::kDrawLimit)
    throw ConnectivityError(fmt::format("connect: {} from {} neurons, more than 2^33", rule, pool));
  if (k > pool)
    throw ConnectivityError(
        fmt::format("connect: {} = {}, but there are only {} {} to choose from", rule, k, pool,
                    std::string_view(rule) == "fixed_indegree" ? "sources" : "targets"));
}

}  // namespace

Connectivity connectAll(Index n_pre, Index n_post, const PairCondition& condition,
                        const GenerationOptions& options) {
  checkSizes("all", n_pre, n_post, options);
  // Without a condition the count is known: refuse before allocating (2^62 keeps the sizes
  // below in range even when the caller sets no limit).
  const std::uint64_t limit = std::min(options.max_synapses, std::uint64_t{1} << 62);
  if (!condition && n_post != 0 &&
      static_cast<std::uint64_t>(n_pre) > limit / static_cast<std::uint64_t>(n_post))
    throw ConnectivityError(
        fmt::format("connect: all: {} x {} synapses, more than the {} this experiment can store",
                    n_pre, n_post, limit));
  return concatenate(
      n_pre, n_post,
      runBlocks(n_pre, options,
                [&](Chunk& c) {
                  if (!condition) {
                    c.targets.reserve(static_cast<std::size_t>((c.end - c.begin) * n_post));
                    for (Index i = c.begin; i < c.end; ++i) {
                      c.row_counts[static_cast<std::size_t>(i - c.begin)] = n_post;
                      for (Index j = 0; j < n_post; ++j) c.targets.push_back(j);
                    }
                    return;
                  }
                  PairBatch batch(condition, nullptr, options, c);
                  for (Index i = c.begin; i < c.end; ++i)
                    for (Index j = 0; j < n_post; ++j) batch.add(i, j);
                  batch.flush();
                }),
      options);
}

Connectivity connectOneToOne(Index n_pre, Index n_post, const PairCondition& condition,
                             const GenerationOptions& options) {
  checkSizes("one_to_one", n_pre, n_post, options);
  if (n_pre != n_post)
    throw ConnectivityError(fmt::format(
        "connect: one_to_one needs populations of one size, not {} and {}", n_pre, n_post));
  return concatenate(n_pre, n_post,
                     runBlocks(n_pre, options,
                               [&](Chunk& c) {
                                 PairBatch batch(condition, nullptr, options, c);
                                 for (Index i = c.begin; i < c.end; ++i) batch.add(i, i);
                                 batch.flush();
                               }),
                     options);
}

Connectivity connectWithProbability(Index n_pre, Index n_post, double p,
                                    const PairCondition& condition,
                                    const GenerationOptions& options) {
  checkSizes("p", n_pre, n_post, options);
  if (!(p >= 0.0 && p <= 1.0))
    throw ConnectivityError(fmt::format("connect: probability {}; it must be in [0, 1]", p));
  return concatenate(n_pre, n_post,
                     runBlocks(n_pre, options,
                               [&](Chunk& c) {
                                 if (!condition) {
                                   for (Index i = c.begin; i < c.end; ++i) {
                                     const std::size_t before = c.targets.size();
                                     forEachBernoulliRow(p, n_post, options, i,
                                                         [&](Index j) { c.targets.push_back(j); });
                                     c.row_counts[static_cast<std::size_t>(i - c.begin)] =
                                         static_cast<Index>(c.targets.size() - before);
                                     checkLimit(c, options);
                                   }
                                   return;
                                 }
                                 PairBatch batch(condition, nullptr, options, c);
                                 for (Index i = c.begin; i < c.end; ++i)
                                   forEachBernoulliRow(p, n_post, options, i,
                                                       [&](Index j) { batch.add(i, j); });
                                 batch.flush();
                               }),
                     options);
}

Connectivity connectWithPairProbability(Index n_pre, Index n_post,
                                        const PairProbability& probability,
                                        const PairCondition& condition,
                                        const GenerationOptions& options) {
  checkSizes("p", n_pre, n_post, options);
  if (static_cast<std::uint64_t>(n_post) >= random::kDrawLimit)
    throw ConnectivityError(
        fmt::format("connect: p(i, j) over {} targets, more than 2^33", n_post));
  if (!probability) throw ConnectivityError("connect: p(i, j) without a probability");
  return concatenate(n_pre, n_post,
                     runBlocks(n_pre, options,
                               [&](Chunk& c) {
                                 PairBatch batch(condition, &probability, options, c);
                                 for (Index i = c.begin; i < c.end; ++i)
                                   for (Index j = 0; j < n_post; ++j) batch.add(i, j);
                                 batch.flush();
                               }),
                     options);
}

Connectivity connectExplicit(Index n_pre, Index n_post, const TargetMap& target,
                             const PairCondition& condition, const GenerationOptions& options) {
  checkSizes("j", n_pre, n_post, options);
  if (!target) throw ConnectivityError("connect: j = f(i) without a target map");
  return concatenate(
      n_pre, n_post,
      runBlocks(n_pre, options,
                [&](Chunk& c) {
                  PairBatch batch(condition, nullptr, options, c);
                  std::vector<Index> pres, posts;
                  for (Index first = c.begin; first < c.end;
                       first += static_cast<Index>(options.batch_size)) {
                    const Index last =
                        std::min(c.end, first + static_cast<Index>(options.batch_size));
                    pres.resize(static_cast<std::size_t>(last - first));
                    for (Index i = first; i < last; ++i)
                      pres[static_cast<std::size_t>(i - first)] = i;
                    posts.assign(pres.size(), 0);
                    target(pres, posts);
                    for (std::size_t k = 0; k < pres.size(); ++k) {
                      if (posts[k] < 0 || posts[k] >= n_post)
                        throw ConnectivityError(fmt::format(
                            "connect: j = {} for i = {}, outside the target population [0, {})",
                            posts[k], pres[k], n_post));
                      batch.add(pres[k], posts[k]);
                    }
                  }
                  batch.flush();
                }),
      options);
}

Connectivity connectFixedOutdegree(Index n_pre, Index n_post, Index k,
                                   const PairCondition& condition,
                                   const GenerationOptions& options) {
  checkSizes("fixed_outdegree", n_pre, n_post, options);
  checkDegree("fixed_outdegree", k, n_post);
  return concatenate(n_pre, n_post,
                     runBlocks(n_pre, options,
                               [&](Chunk& c) {
                                 if (k == 0) return;
                                 c.targets.reserve(static_cast<std::size_t>((c.end - c.begin) * k));
                                 DistinctSampler sampler(n_post, condition, options);
                                 for (Index i = c.begin; i < c.end; ++i) {
                                   const std::size_t first = c.targets.size();
                                   sampler.sample(i, k, true, c.targets);
                                   std::sort(c.targets.begin() + static_cast<std::ptrdiff_t>(first),
                                             c.targets.end());
                                   c.row_counts[static_cast<std::size_t>(i - c.begin)] = k;
                                   checkLimit(c, options);
                                 }
                               }),
                     options);
}

Connectivity connectFixedIndegree(Index n_pre, Index n_post, Index k,
                                  const PairCondition& condition,
                                  const GenerationOptions& options) {
  checkSizes("fixed_indegree", n_pre, n_post, options);
  checkDegree("fixed_indegree", k, n_pre);
  // Blocks of targets, each target's k sources in draw order; row_counts[j] = k.
  std::vector<Chunk> chunks = runBlocks(n_post, options, [&](Chunk& c) {
    if (k == 0) return;
    c.targets.reserve(static_cast<std::size_t>((c.end - c.begin) * k));
    DistinctSampler sampler(n_pre, condition, options);
    for (Index j = c.begin; j < c.end; ++j) {
      sampler.sample(j, k, false, c.targets);
      c.row_counts[static_cast<std::size_t>(j - c.begin)] = k;
      checkLimit(c, options);
    }
  });
  // Transpose by counting sort: scanning targets in ascending order leaves every source's row
  // sorted by target.
  Connectivity out;
  out.n_pre = n_pre;
  out.n_post = n_post;
  std::size_t total = 0;
  for (const Chunk& c : chunks) total += c.targets.size();
  if (total > options.max_synapses)
    throw ConnectivityError(
        fmt::format("connect: {} synapses, more than the {} this experiment can store", total,
                    options.max_synapses));
  out.row_offsets.assign(static_cast<std::size_t>(n_pre) + 1, 0);
  for (const Chunk& c : chunks)
    for (Index i : c.targets) ++out.row_offsets[static_cast<std::size_t>(i) + 1];
  for (std::size_t i = 1; i < out.row_offsets.size(); ++i)
    out.row_offsets[i] += out.row_offsets[i - 1];
  out.post.resize(total);
  std::vector<Index> fill(out.row_offsets.begin(), out.row_offsets.end() - 1);
  for (Chunk& c : chunks) {
    std::size_t s = 0;
    for (Index j = c.begin; j < c.end; ++j)
      for (Index n = 0; n < k; ++n, ++s)
        out.post[static_cast<std::size_t>(fill[static_cast<std::size_t>(c.targets[s])]++)] = j;
    std::vector<Index>().swap(c.targets);
  }
  return out;
}

std::uint64_t synapseCountBound(Index n_pre, Index n_post, double p) {
  const double pairs = static_cast<double>(n_pre) * static_cast<double>(n_post);
  const double q = std::clamp(p, 0.0, 1.0);
  const double bound = std::min(pairs, std::ceil(pairs * q + 6 * std::sqrt(pairs * q * (1 - q))));
  return bound >= 0x1p64 ? std::numeric_limits<std::uint64_t>::max()
                         : static_cast<std::uint64_t>(bound);
}

}  // namespace snn::engine
