// Spike counts, rates and ISI statistics (definitions in spike_trains.h).
#include "vm/analysis/spike_trains.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace snn::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check(const SpikeData& spikes) {
  if (spikes.neuron.size() != spikes.time_s.size()) {
    throw std::invalid_argument("spike data: " + std::to_string(spikes.neuron.size()) +
                                " neuron indices but " + std::to_string(spikes.time_s.size()) +
                                " times");
  }
  for (std::uint32_t i : spikes.neuron) {
    if (i >= spikes.num_neurons) {
      throw std::out_of_range("spike data: neuron index " + std::to_string(i) +
                              " in a population of " + std::to_string(spikes.num_neurons));
    }
  }
}

// The spike times of each neuron, each sorted: a counting sort by neuron.
struct TrainsByNeuron {
  std::vector<std::size_t> begin;  // num_neurons + 1 offsets into times
  std::vector<double> times;
};

TrainsByNeuron groupByNeuron(const SpikeData& spikes) {
  TrainsByNeuron out;
  out.begin.assign(spikes.num_neurons + std::size_t{1}, 0);
  for (std::uint32_t i : spikes.neuron) ++out.begin[i + std::size_t{1}];
  for (std::size_t i = 0; i < spikes.num_neurons; ++i) out.begin[i + 1] += out.begin[i];
  out.times.resize(spikes.time_s.size());
  std::vector<std::size_t> next(out.begin.begin(), out.begin.end() - 1);
  for (std::size_t k = 0; k < spikes.neuron.size(); ++k)
    out.times[next[spikes.neuron[k]]++] = spikes.time_s[k];
  for (std::size_t i = 0; i < spikes.num_neurons; ++i)
    std::sort(out.times.begin() + static_cast<std::ptrdiff_t>(out.begin[i]),
              out.times.begin() + static_cast<std::ptrdiff_t>(out.begin[i + 1]));
  return out;
}

}  // namespace

std::uint64_t spikeCount(const SpikeData& spikes) {
  check(spikes);
  return spikes.neuron.size();
}

std::vector<std::uint64_t> spikeCountPerNeuron(const SpikeData& spikes) {
  check(spikes);
  std::vector<std::uint64_t> counts(spikes.num_neurons, 0);
  for (std::uint32_t i : spikes.neuron) ++counts[i];
  return counts;
}

double meanRate(const SpikeData& spikes, double duration_s) {
  check(spikes);
  if (spikes.num_neurons == 0 || !(duration_s > 0)) return kNaN;
  return static_cast<double>(spikes.neuron.size()) /
         (static_cast<double>(spikes.num_neurons) * duration_s);
}

std::vector<double> cvIsiPerNeuron(const SpikeData& spikes) {
  check(spikes);
  TrainsByNeuron trains = groupByNeuron(spikes);
  std::vector<double> cv(spikes.num_neurons, kNaN);
  for (std::size_t i = 0; i < spikes.num_neurons; ++i) {
    std::size_t first = trains.begin[i], last = trains.begin[i + 1];
    if (last - first < 3) continue;  // fewer than 2 ISIs
    std::size_t n = last - first - 1;
    double sum = 0;
    for (std::size_t k = first + 1; k < last; ++k) sum += trains.times[k] - trains.times[k - 1];
    double mean = sum / static_cast<double>(n);
    if (!(mean > 0)) continue;  // all spikes at one time: no defined CV
    double squares = 0;
    for (std::size_t k = first + 1; k < last; ++k) {
      double d = trains.times[k] - trains.times[k - 1] - mean;
      squares += d * d;
    }
    cv[i] = std::sqrt(squares / static_cast<double>(n)) / mean;
  }
  return cv;
}

double cvIsi(const SpikeData& spikes) {
  std::vector<double> cv = cvIsiPerNeuron(spikes);
  double sum = 0;
  std::size_t count = 0;
  for (double c : cv) {
    if (std::isnan(c)) continue;
    sum += c;
    ++count;
  }
  return count == 0 ? kNaN : sum / static_cast<double>(count);
}

std::vector<double> populationRate(const SpikeData& spikes, double t_start_s, double bin_width_s,
                                   std::size_t num_bins) {
  check(spikes);
  if (!(bin_width_s > 0)) throw std::invalid_argument("population rate: bin width must be > 0");
  std::vector<double> rate(num_bins, 0.0);
  if (spikes.num_neurons == 0) {
    std::fill(rate.begin(), rate.end(), kNaN);
    return rate;
  }
  for (double t : spikes.time_s) {
    double position = std::floor((t - t_start_s) / bin_width_s + 1e-6);
    if (position >= 0 && position < static_cast<double>(num_bins))
      rate[static_cast<std::size_t>(position)] += 1.0;
  }
  const double denominator = static_cast<double>(spikes.num_neurons) * bin_width_s;
  for (double& r : rate) r /= denominator;
  return rate;
}

}  // namespace snn::analysis
