// CSR checks, the post-side index (a counting sort by target, stable in synapse id), and the
// per-synapse variables and delays.
#include "vm/engine/synapse_storage.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace snn::engine {

namespace {

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();

std::uint64_t saturatingMul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > kSaturated / a) return kSaturated;
  return a * b;
}

std::uint64_t saturatingAdd(std::uint64_t a, std::uint64_t b) {
  return b > kSaturated - a ? kSaturated : a + b;
}

}  // namespace

std::uint64_t SynapseStorage::estimateBytes(std::uint64_t n_pre, std::uint64_t n_post,
                                            std::uint64_t n_synapses, std::uint64_t n_variables,
                                            bool heterogeneous_delays) {
  std::uint64_t per_synapse = saturatingAdd(3 * sizeof(Index), saturatingMul(n_variables, 8));
  if (heterogeneous_delays) per_synapse = saturatingAdd(per_synapse, sizeof(DelaySteps));
  std::uint64_t offsets =
      saturatingMul(saturatingAdd(saturatingAdd(n_pre, n_post), 2), sizeof(Index));
  return saturatingAdd(saturatingMul(n_synapses, per_synapse), offsets);
}

SynapseStorage::SynapseStorage(Connectivity c) : n_pre_(c.n_pre), n_post_(c.n_post) {
  if (c.n_pre < 0 || c.n_post < 0) throw std::invalid_argument("synapses: negative neuron count");
  if (c.row_offsets.size() != static_cast<std::size_t>(c.n_pre) + 1 || c.row_offsets[0] != 0 ||
      c.row_offsets.back() != static_cast<Index>(c.post.size()))
    throw std::invalid_argument("synapses: row offsets do not match the neuron and synapse counts");
  pre_.resize(c.post.size());
  for (Index i = 0; i < c.n_pre; ++i) {
    const Index begin = c.row_offsets[static_cast<std::size_t>(i)];
    const Index end = c.row_offsets[static_cast<std::size_t>(i) + 1];
    if (end < begin) throw std::invalid_argument("synapses: row offsets decrease");
    for (Index s = begin; s < end; ++s) {
      const Index j = c.post[static_cast<std::size_t>(s)];
      if (j < 0 || j >= c.n_post)
        throw std::invalid_argument(
            fmt::format("synapses: synapse {} targets neuron {}, outside [0, {})", s, j, c.n_post));
      if (s > begin && j <= c.post[static_cast<std::size_t>(s) - 1])
        throw std::invalid_argument(
            fmt::format("synapses: row {} is not strictly ascending at synapse {}", i, s));
      pre_[static_cast<std::size_t>(s)] = i;
    }
  }
  row_offsets_ = std::move(c.row_offsets);
  post_ = std::move(c.post);

  // Counting sort by target; scanning ids in ascending order keeps each target's list ascending.
  post_offsets_.assign(static_cast<std::size_t>(n_post_) + 1, 0);
  for (Index j : post_) ++post_offsets_[static_cast<std::size_t>(j) + 1];
  for (std::size_t j = 1; j < post_offsets_.size(); ++j) post_offsets_[j] += post_offsets_[j - 1];
  post_order_.resize(post_.size());
  std::vector<Index> fill(post_offsets_.begin(), post_offsets_.end() - 1);
  for (std::size_t s = 0; s < post_.size(); ++s)
    post_order_[static_cast<std::size_t>(fill[static_cast<std::size_t>(post_[s])]++)] =
        static_cast<Index>(s);
}

std::span<const Index> SynapseStorage::synapsesOnto(Index post) const {
  const auto begin = static_cast<std::size_t>(post_offsets_[static_cast<std::size_t>(post)]);
  const auto end = static_cast<std::size_t>(post_offsets_[static_cast<std::size_t>(post) + 1]);
  return std::span<const Index>(post_order_).subspan(begin, end - begin);
}

void SynapseStorage::appendRows(std::span<const Index> pres, std::vector<Index>& out) const {
  for (Index i : pres)
    for (Index s = rowBegin(i), end = rowEnd(i); s < end; ++s) out.push_back(s);
}

void SynapseStorage::appendOnto(std::span<const Index> posts, std::vector<Index>& out) const {
  for (Index j : posts) {
    std::span<const Index> ids = synapsesOnto(j);
    out.insert(out.end(), ids.begin(), ids.end());
  }
}

std::span<double> SynapseStorage::addVariable(std::string name, double initial_value) {
  if (hasVariable(name))
    throw std::invalid_argument(fmt::format("synapses: variable '{}' exists already", name));
  variables_.push_back({std::move(name), std::vector<double>(post_.size(), initial_value)});
  return variables_.back().values;
}

bool SynapseStorage::hasVariable(std::string_view name) const {
  return std::any_of(variables_.begin(), variables_.end(),
                     [&](const Variable& v) { return v.name == name; });
}

std::span<double> SynapseStorage::variable(std::string_view name) {
  for (Variable& v : variables_)
    if (v.name == name) return v.values;
  throw std::out_of_range(fmt::format("synapses: no variable '{}'", name));
}

std::span<const double> SynapseStorage::variable(std::string_view name) const {
  return const_cast<SynapseStorage*>(this)->variable(name);
}

std::vector<std::string> SynapseStorage::variableNames() const {
  std::vector<std::string> names;
  for (const Variable& v : variables_) names.push_back(v.name);
  return names;
}

void SynapseStorage::setDelaySteps(DelaySteps uniform_delay) {
  delay_steps_.clear();
  delay_steps_.shrink_to_fit();
  min_delay_ = max_delay_ = uniform_delay;
}

void SynapseStorage::setDelaySteps(std::vector<DelaySteps> per_synapse) {
  if (per_synapse.size() != post_.size())
    throw std::invalid_argument(
        fmt::format("synapses: {} delays for {} synapses", per_synapse.size(), post_.size()));
  if (per_synapse.empty()) return setDelaySteps(DelaySteps{0});
  auto [lo, hi] = std::minmax_element(per_synapse.begin(), per_synapse.end());
  if (*lo == *hi) return setDelaySteps(*lo);
  min_delay_ = *lo;
  max_delay_ = *hi;
  delay_steps_ = std::move(per_synapse);
}

DelaySteps SynapseStorage::delaySteps(Index synapse) const {
  return delay_steps_.empty() ? min_delay_ : delay_steps_[static_cast<std::size_t>(synapse)];
}

std::uint64_t SynapseStorage::memoryBytes() const {
  return estimateBytes(static_cast<std::uint64_t>(n_pre_), static_cast<std::uint64_t>(n_post_),
                       post_.size(), variables_.size(), heterogeneousDelays());
}

}  // namespace snn::engine
