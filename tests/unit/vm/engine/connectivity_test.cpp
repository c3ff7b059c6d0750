// Connection generation: every rule gives valid CSR arrays, the statistics that theory predicts
// (binomial counts and in-degrees for a constant p, exact degrees and uniform choices for fixed
// degrees), conditions that remove exactly the pairs they exclude, the same synapses for the same
// seed on any thread count or batch size, and no N x N work or memory for sparse rules.
#include "vm/engine/connectivity.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "tests/unit/vm/statistics.h"
#include "vm/engine/synapse_storage.h"
#include "vm/random/bernoulli.h"
#include "vm/random/counter_rng.h"
#include "vm/random/log_pmf.h"

using namespace snn::engine;

namespace {

using Pairs = std::vector<std::pair<Index, Index>>;

// Checks the CSR invariants and that the post-side index is a permutation consistent with the
// rows; returns the pairs.
Pairs checkedPairs(const Connectivity& c) {
  REQUIRE(c.row_offsets.size() == static_cast<std::size_t>(c.n_pre) + 1);
  REQUIRE(c.row_offsets.front() == 0);
  REQUIRE(c.row_offsets.back() == static_cast<Index>(c.post.size()));
  Pairs pairs;
  for (Index i = 0; i < c.n_pre; ++i) {
    const auto begin = static_cast<std::size_t>(c.row_offsets[static_cast<std::size_t>(i)]);
    const auto end = static_cast<std::size_t>(c.row_offsets[static_cast<std::size_t>(i) + 1]);
    REQUIRE(begin <= end);
    for (std::size_t s = begin; s < end; ++s) {
      REQUIRE(c.post[s] >= 0);
      REQUIRE(c.post[s] < c.n_post);
      if (s > begin) REQUIRE(c.post[s] > c.post[s - 1]);
      pairs.emplace_back(i, c.post[s]);
    }
  }
  SynapseStorage storage{Connectivity(c)};
  std::vector<std::uint8_t> seen(c.post.size(), 0);
  for (Index j = 0; j < c.n_post; ++j) {
    Index previous = -1;
    for (Index s : storage.synapsesOnto(j)) {
      REQUIRE(storage.postIndex()[static_cast<std::size_t>(s)] == j);
      REQUIRE(s > previous);
      REQUIRE(seen[static_cast<std::size_t>(s)] == 0);
      seen[static_cast<std::size_t>(s)] = 1;
      previous = s;
    }
  }
  REQUIRE(std::all_of(seen.begin(), seen.end(), [](std::uint8_t x) { return x == 1; }));
  return pairs;
}

GenerationOptions options(std::uint64_t seed, std::uint32_t stream, unsigned threads = 1,
                          std::size_t batch = 4096) {
  GenerationOptions o;
  o.seed = seed;
  o.stream = stream;
  o.threads = threads;
  o.batch_size = batch;
  return o;
}

const PairCondition kNotSelf = [](std::span<const Index> pre, std::span<const Index> post,
                                  std::span<std::uint8_t> keep) {
  for (std::size_t k = 0; k < pre.size(); ++k) keep[k] = pre[k] != post[k];
};

std::vector<double> inDegrees(const Connectivity& c) {
  std::vector<double> degree(static_cast<std::size_t>(c.n_post), 0.0);
  for (Index j : c.post) degree[static_cast<std::size_t>(j)] += 1;
  return degree;
}

// Observed counts of each degree value against n_neurons * Binomial(trials, p).
bool degreesLookBinomial(const std::vector<double>& degrees, std::uint64_t trials, double p) {
  const auto top = static_cast<std::size_t>(*std::max_element(degrees.begin(), degrees.end()));
  const auto twice_mean = static_cast<std::size_t>(2.0 * static_cast<double>(trials) * p);
  std::vector<double> observed(std::max(top + 1, twice_mean + 1), 0.0);
  for (double d : degrees) observed[static_cast<std::size_t>(d)] += 1;
  std::vector<double> expected(observed.size());
  for (std::size_t k = 0; k < expected.size(); ++k)
    expected[k] =
        static_cast<double>(degrees.size()) * std::exp(snn::random::logBinomialPmf(k, trials, p));
  return snn::test::chiSquare(observed, expected).acceptable();
}

}  // namespace

TEST_CASE("all: every pair, or every pair where the condition holds") {
  Connectivity all = connectAll(7, 5, nullptr, options(1, 1));
  Pairs pairs = checkedPairs(all);
  CHECK(pairs.size() == 35);
  CHECK(pairs[6] == std::pair<Index, Index>{1, 1});

  Connectivity no_self = connectAll(50, 50, kNotSelf, options(1, 1, 1, 7));
  pairs = checkedPairs(no_self);
  CHECK(pairs.size() == 50 * 49);
  for (auto [i, j] : pairs) CHECK(i != j);
  CHECK(connectAll(0, 10, nullptr, options(1, 1)).size() == 0);
  CHECK(connectAll(10, 0, kNotSelf, options(1, 1)).size() == 0);
}

TEST_CASE("one_to_one: (i, i), optionally filtered; sizes must match") {
  Pairs pairs = checkedPairs(connectOneToOne(100, 100, nullptr, options(1, 1)));
  REQUIRE(pairs.size() == 100);
  for (std::size_t k = 0; k < pairs.size(); ++k)
    CHECK(pairs[k] == std::pair<Index, Index>(Index(k), Index(k)));
  PairCondition even = [](std::span<const Index> pre, std::span<const Index>,
                          std::span<std::uint8_t> keep) {
    for (std::size_t k = 0; k < pre.size(); ++k) keep[k] = pre[k] % 2 == 0;
  };
  pairs = checkedPairs(connectOneToOne(100, 100, even, options(1, 1, 3, 8)));
  CHECK(pairs.size() == 50);
  for (auto [i, j] : pairs) CHECK((i == j && i % 2 == 0));
  CHECK_THROWS_AS(connectOneToOne(100, 99, nullptr, options(1, 1)), ConnectivityError);
}

TEST_CASE("constant p: N = 2000 x 2000, p = 0.02 has binomial counts and in-degrees") {
  const Index n = 2000;
  const double p = 0.02;
  Connectivity c = connectWithProbability(n, n, p, nullptr, options(42, 3));
  checkedPairs(c);
  const double pairs = double(n) * double(n);
  const double mean = pairs * p, sigma = std::sqrt(pairs * p * (1 - p));
  CHECK(std::abs(double(c.size()) - mean) < 5 * sigma);
  CHECK(degreesLookBinomial(inDegrees(c), n, p));
  std::vector<double> out_degrees;
  for (Index i = 0; i < n; ++i)
    out_degrees.push_back(
        double(c.row_offsets[std::size_t(i) + 1] - c.row_offsets[std::size_t(i)]));
  CHECK(degreesLookBinomial(out_degrees, n, p));
  // The generator is geometric skipping over each row, element = row, step 0: bit for bit.
  std::vector<std::uint64_t> rows;
  for (Index i = 0; i < n; ++i)
    snn::random::bernoulliIndices(p, n, 42, 3, std::uint64_t(i), 0, rows);
  CHECK(c.post == std::vector<Index>(rows.begin(), rows.end()));
  // A wrong p would fail the in-degree check: 0.021 is 2.5 sigma per neuron away.
  CHECK(!degreesLookBinomial(
      inDegrees(connectWithProbability(n, n, 0.021, nullptr, options(42, 3))), n, p));
}

TEST_CASE("constant p: `i != j` removes self-connections and only those") {
  const Index n = 2000;
  Connectivity plain = connectWithProbability(n, n, 0.02, nullptr, options(5, 9));
  std::size_t evaluated = 0;
  PairCondition counting = [&](std::span<const Index> pre, std::span<const Index> post,
                               std::span<std::uint8_t> keep) {
    evaluated += pre.size();  // single-threaded here: counting is safe
    kNotSelf(pre, post, keep);
  };
  Connectivity filtered = connectWithProbability(n, n, 0.02, counting, options(5, 9));
  Pairs a = checkedPairs(plain), b = checkedPairs(filtered);
  Pairs self_removed;
  std::size_t self = 0;
  for (auto pr : a) {
    if (pr.first == pr.second)
      ++self;
    else
      self_removed.push_back(pr);
  }
  CHECK(self > 10);  // about 40 expected: the test has something to remove
  CHECK(b == self_removed);
  CHECK(evaluated == a.size());  // the condition ran on the candidates only, not on 4e6 pairs
}

TEST_CASE("constant p: p = 0, p = 1 and invalid p") {
  CHECK(connectWithProbability(30, 40, 0.0, nullptr, options(1, 1)).size() == 0);
  CHECK(checkedPairs(connectWithProbability(30, 40, 1.0, nullptr, options(1, 1))).size() == 1200);
  CHECK_THROWS_AS(connectWithProbability(30, 40, 1.5, nullptr, options(1, 1)), ConnectivityError);
  CHECK_THROWS_AS(connectWithProbability(30, 40, std::nan(""), nullptr, options(1, 1)),
                  ConnectivityError);
  CHECK_THROWS_AS(connectWithProbability(-1, 40, 0.5, nullptr, options(1, 1)), ConnectivityError);
  CHECK_THROWS_AS(connectWithProbability(30, 40, 0.5, nullptr, options(1, 70000)),
                  ConnectivityError);
}

TEST_CASE("determinism: same seed, same synapses on any thread count and batch size") {
  const PairProbability distance = [](std::span<const Index> pre, std::span<const Index> post,
                                      std::span<double> p) {
    for (std::size_t k = 0; k < pre.size(); ++k)
      p[k] = std::exp(-std::abs(double(pre[k] - post[k])) / 10.0);
  };
  const PairCondition odd_sum = [](std::span<const Index> pre, std::span<const Index> post,
                                   std::span<std::uint8_t> keep) {
    for (std::size_t k = 0; k < pre.size(); ++k) keep[k] = (pre[k] + post[k]) % 3 != 0;
  };
  auto generate = [&](int rule, GenerationOptions o) {
    switch (rule) {
      case 0:
        return connectWithProbability(300, 200, 0.1, nullptr, o);
      case 1:
        return connectWithProbability(300, 200, 0.1, odd_sum, o);
      case 2:
        return connectWithPairProbability(300, 200, distance, odd_sum, o);
      case 3:
        return connectFixedIndegree(300, 200, 17, odd_sum, o);
      case 4:
        return connectFixedOutdegree(300, 200, 17, nullptr, o);
      default:
        return connectAll(300, 200, odd_sum, o);
    }
  };
  for (int rule = 0; rule < 6; ++rule) {
    CAPTURE(rule);
    Connectivity reference = generate(rule, options(77, 4));
    REQUIRE(reference.size() > 0);
    for (unsigned threads : {2u, 3u, 8u})
      for (std::size_t batch : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
        Connectivity other = generate(rule, options(77, 4, threads, batch));
        CHECK(other.post == reference.post);
        CHECK(other.row_offsets == reference.row_offsets);
      }
    if (rule != 5) {                                                 // all-to-all has no randomness
      CHECK(generate(rule, options(77, 5)).post != reference.post);  // another connection
      CHECK(generate(rule, options(78, 4)).post != reference.post);  // another seed
    }
  }
}

TEST_CASE("p(i, j): a uniform test per pair against the counter-based RNG") {
  const PairProbability distance = [](std::span<const Index> pre, std::span<const Index> post,
                                      std::span<double> p) {
    for (std::size_t k = 0; k < pre.size(); ++k)
      p[k] = std::exp(-std::abs(double(pre[k] - post[k])) / 10.0);
  };
  const Index n_pre = 400, n_post = 300;
  Connectivity c = connectWithPairProbability(n_pre, n_post, distance, nullptr, options(3, 2));
  Pairs pairs = checkedPairs(c);
  Pairs expected;
  double mean = 0, variance = 0;
  for (Index i = 0; i < n_pre; ++i)
    for (Index j = 0; j < n_post; ++j) {
      const double p = std::exp(-std::abs(double(i - j)) / 10.0);
      mean += p, variance += p * (1 - p);
      if (snn::random::uniform(3, 2, std::uint64_t(i), 0, std::uint64_t(j)) < p)
        expected.emplace_back(i, j);
    }
  CHECK(pairs == expected);
  CHECK(std::abs(double(pairs.size()) - mean) < 5 * std::sqrt(variance));
  // Pairs far apart almost never connect; neighbours very often.
  std::size_t far = 0, near = 0;
  for (auto [i, j] : pairs) (std::abs(i - j) > 100 ? far : near) += 1;
  CHECK(far == 0);
  CHECK(near > 1000);
}

TEST_CASE("p(i, j): the condition guards the probability, and bad probabilities are errors") {
  // p = 1 / |i - j| is infinite on the diagonal: the condition i != j must keep p away from it.
  const PairProbability inverse = [](std::span<const Index> pre, std::span<const Index> post,
                                     std::span<double> p) {
    for (std::size_t k = 0; k < pre.size(); ++k) p[k] = 1.0 / std::abs(double(pre[k] - post[k]));
  };
  Pairs pairs =
      checkedPairs(connectWithPairProbability(100, 100, inverse, kNotSelf, options(8, 1)));
  CHECK(!pairs.empty());
  for (auto [i, j] : pairs) CHECK(i != j);
  // Every neighbour pair has p = 1.
  CHECK(std::count_if(pairs.begin(), pairs.end(),
                      [](auto pr) { return std::abs(pr.first - pr.second) == 1; }) == 198);
  try {
    connectWithPairProbability(100, 100, inverse, nullptr, options(8, 1));
    FAIL("expected an error for p = inf");
  } catch (const ConnectivityError& e) {
    CHECK(std::string(e.what()) ==
          "connect: probability inf for the pair i = 0, j = 0; it must be in [0, 1]");
  }
  const PairProbability negative = [](std::span<const Index>, std::span<const Index>,
                                      std::span<double> p) {
    for (double& x : p) x = -0.1;
  };
  CHECK_THROWS_AS(connectWithPairProbability(10, 10, negative, nullptr, options(8, 1)),
                  ConnectivityError);
}

TEST_CASE("j = f(i): one target per source, range-checked, with an optional condition") {
  const TargetMap half = [](std::span<const Index> pre, std::span<Index> post) {
    for (std::size_t k = 0; k < pre.size(); ++k) post[k] = pre[k] / 2;
  };
  Pairs pairs = checkedPairs(connectExplicit(100, 50, half, nullptr, options(1, 1, 2, 16)));
  REQUIRE(pairs.size() == 100);
  for (auto [i, j] : pairs) CHECK(j == i / 2);
  PairCondition below_20 = [](std::span<const Index>, std::span<const Index> post,
                              std::span<std::uint8_t> keep) {
    for (std::size_t k = 0; k < post.size(); ++k) keep[k] = post[k] < 20;
  };
  CHECK(checkedPairs(connectExplicit(100, 50, half, below_20, options(1, 1))).size() == 40);
  const TargetMap twice = [](std::span<const Index> pre, std::span<Index> post) {
    for (std::size_t k = 0; k < pre.size(); ++k) post[k] = 2 * pre[k];
  };
  try {
    connectExplicit(100, 150, twice, nullptr, options(1, 1));
    FAIL("expected an error for j = 150");
  } catch (const ConnectivityError& e) {
    CHECK(std::string(e.what()) ==
          "connect: j = 150 for i = 75, outside the target population [0, 150)");
  }
}

TEST_CASE("fixed_indegree: exactly k distinct sources per target, chosen uniformly") {
  const Index n_pre = 500, n_post = 300, k = 40;
  Connectivity c = connectFixedIndegree(n_pre, n_post, k, nullptr, options(6, 2));
  checkedPairs(c);  // rows strictly ascending: no duplicate pair
  std::vector<double> in = inDegrees(c);
  CHECK(std::all_of(in.begin(), in.end(), [&](double d) { return d == double(k); }));
  // Each source is picked by each target with probability k / n_pre: Binomial out-degrees.
  std::vector<double> out;
  for (Index i = 0; i < n_pre; ++i)
    out.push_back(double(c.row_offsets[std::size_t(i) + 1] - c.row_offsets[std::size_t(i)]));
  CHECK(degreesLookBinomial(out, n_post, double(k) / double(n_pre)));

  // All 10 subsets of 2 out of 5 are equally likely.
  Connectivity small = connectFixedIndegree(5, 20000, 2, nullptr, options(6, 3));
  SynapseStorage storage{Connectivity(small)};
  std::map<std::pair<Index, Index>, double> subsets;
  for (Index j = 0; j < 20000; ++j) {
    std::span<const Index> ids = storage.synapsesOnto(j);
    REQUIRE(ids.size() == 2);
    subsets[{storage.preIndex()[std::size_t(ids[0])], storage.preIndex()[std::size_t(ids[1])]}] +=
        1;
  }
  REQUIRE(subsets.size() == 10);
  std::vector<double> observed, expected(10, 2000.0);
  for (auto& [pair, count] : subsets) observed.push_back(count);
  CHECK(snn::test::chiSquare(observed, expected).acceptable());
}

TEST_CASE("fixed_indegree with `i != j`: exactly k sources, none of them the target itself") {
  const Index n = 200, k = 199;  // every other neuron: the condition leaves exactly k
  Connectivity c = connectFixedIndegree(n, n, k, kNotSelf, options(9, 1, 3, 5));
  Pairs pairs = checkedPairs(c);
  CHECK(pairs.size() == std::size_t(n * k));
  for (auto [i, j] : pairs) CHECK(i != j);
  std::vector<double> in = inDegrees(c);
  CHECK(std::all_of(in.begin(), in.end(), [&](double d) { return d == double(k); }));
  // Uniform among the allowed: target j excludes source j % 10, and picks 3 of the 9 others.
  PairCondition not_same_mod = [](std::span<const Index> pre, std::span<const Index> post,
                                  std::span<std::uint8_t> keep) {
    for (std::size_t k = 0; k < pre.size(); ++k) keep[k] = pre[k] != post[k] % 10;
  };
  Connectivity excluded = connectFixedIndegree(10, 30000, 3, not_same_mod, options(9, 2));
  std::vector<double> per_source(10, 0.0), expected(10, 30000.0 * 3 / 9 * 0.9);
  for (Index i = 0; i < 10; ++i)
    per_source[std::size_t(i)] =
        double(excluded.row_offsets[std::size_t(i) + 1] - excluded.row_offsets[std::size_t(i)]);
  for (auto [i, j] : checkedPairs(excluded)) REQUIRE(i != j % 10);
  CHECK(snn::test::chiSquare(per_source, expected).acceptable());
}

TEST_CASE("fixed degrees: impossible requests are errors, k = 0 and k = n are exact") {
  CHECK_THROWS_AS(connectFixedIndegree(10, 5, 11, nullptr, options(1, 1)), ConnectivityError);
  CHECK_THROWS_AS(connectFixedOutdegree(10, 5, 6, nullptr, options(1, 1)), ConnectivityError);
  CHECK_THROWS_AS(connectFixedIndegree(10, 5, -1, nullptr, options(1, 1)), ConnectivityError);
  try {
    connectFixedIndegree(10, 10, 10, kNotSelf, options(1, 1));
    FAIL("expected an error: only 9 sources satisfy i != j");
  } catch (const ConnectivityError& e) {
    CHECK(std::string(e.what()) ==
          "connect: fixed_indegree = 10: target 0 has only 9 sources where the condition holds");
  }
  CHECK(connectFixedIndegree(10, 5, 0, nullptr, options(1, 1)).size() == 0);
  CHECK(checkedPairs(connectFixedIndegree(10, 5, 10, nullptr, options(1, 1))).size() == 50);
  CHECK(checkedPairs(connectFixedOutdegree(10, 5, 5, nullptr, options(1, 1))).size() == 50);
}

TEST_CASE("fixed_outdegree: exactly k distinct targets per source, chosen uniformly") {
  const Index n_pre = 300, n_post = 500, k = 25;
  Connectivity c = connectFixedOutdegree(n_pre, n_post, k, kNotSelf, options(4, 4));
  Pairs pairs = checkedPairs(c);
  for (Index i = 0; i < n_pre; ++i)
    CHECK(c.row_offsets[std::size_t(i) + 1] - c.row_offsets[std::size_t(i)] == k);
  for (auto [i, j] : pairs) CHECK(i != j);
  // In-degrees: sources i < 300 exclude target i, so target j < 300 is chosen by each of 299
  // sources with probability k / 499; targets j >= 300 by 300 sources.
  std::vector<double> in = inDegrees(c);
  CHECK(
      degreesLookBinomial(std::vector<double>(in.begin(), in.begin() + 300), 299, double(k) / 499));
  CHECK(degreesLookBinomial(std::vector<double>(in.begin() + 300, in.end()), 300, double(k) / 499));
}

TEST_CASE("no N x N: 100000 x 100000 at p = 1e-5 takes time and memory for its synapses only") {
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  const auto start = std::chrono::steady_clock::now();
  Connectivity c = connectWithProbability(100000, 100000, 1e-5, nullptr, options(12, 1, 2));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  const double mean = 1e5, sigma = std::sqrt(1e5 * (1 - 1e-5));
  CHECK(std::abs(double(c.size()) - mean) < 5 * sigma);
  // The arrays are exactly as large as the synapses need (10^5 entries, not 10^10).
  CHECK(c.post.capacity() == c.post.size());
  CHECK(c.row_offsets.size() == 100001);
  // 10^10 pairs tested one by one would take minutes; geometric skipping takes milliseconds
  // (the bound leaves room for sanitizers and a loaded machine).
  CHECK(seconds < 10.0);
  // Peak memory of the process grew by far less than an N x N bit matrix (1.25 GB).
  CHECK((after.ru_maxrss - before.ru_maxrss) * 1024.0 < 200e6);
  checkedPairs(c);
}

TEST_CASE("max_synapses stops generation with an error instead of exhausting memory") {
  GenerationOptions o = options(1, 1);
  o.max_synapses = 1000;
  CHECK_THROWS_AS(connectAll(100, 100, nullptr, o), ConnectivityError);
  CHECK_THROWS_AS(connectAll(100, 100, kNotSelf, o), ConnectivityError);
  CHECK_THROWS_AS(connectWithProbability(1000, 1000, 0.5, nullptr, o), ConnectivityError);
  CHECK_THROWS_AS(connectFixedIndegree(100, 100, 11, nullptr, o), ConnectivityError);
  CHECK(connectFixedIndegree(100, 100, 10, nullptr, o).size() == 1000);
  // The bound used to refuse before generating: above the mean by 6 sigma, capped at all pairs.
  CHECK(synapseCountBound(2000, 2000, 0.02) ==
        std::uint64_t(std::ceil(80000 + 6 * std::sqrt(78400.0))));
  CHECK(synapseCountBound(10, 10, 1.0) == 100);
  CHECK(synapseCountBound(10, 10, 0.0) == 0);
}
