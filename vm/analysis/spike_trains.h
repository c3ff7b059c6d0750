// Measures of recorded spike trains, for `print "{mean_rate(E):.1f} Hz"` and the rate plots.
//
// Input is what a spike monitor records, like Brian2's SpikeMonitor: parallel arrays of neuron
// index and spike time (seconds, stamped at the start of the step, LANGUAGE.md section 4), plus
// the population size. Spikes need not be sorted. Definitions, chosen to match what Brian2 users
// compute by hand:
//  - meanRate = spikes / (num_neurons * duration), in Hz; NaN for no neurons or duration <= 0.
//  - cvIsi: per neuron, CV = std(ISI) / mean(ISI) with the population std (ddof = 0, numpy's
//    default), over neurons with at least 2 ISIs (3 spikes); a single ISI would give CV = 0 and
//    pull the mean down. The result is the plain mean of those CVs, NaN if no neuron qualifies.
//  - populationRate: like PopulationRateMonitor, bin b of width w counts the spikes with
//    t_start + b w <= t < t_start + (b + 1) w and divides by num_neurons * w (Hz). Spike times
//    are multiples of dt only up to rounding, so bins are found as floor((t - t_start) / w + 1e-6):
//    a spike stamped a rounding error below a bin edge still lands in the bin it belongs to.
//    Spikes outside [t_start, t_start + num_bins w) are not counted.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace snn::analysis {

struct SpikeData {
  std::span<const std::uint32_t> neuron;  // neuron[k] < num_neurons
  std::span<const double> time_s;         // same length as neuron
  std::uint32_t num_neurons = 0;
};

// Each function checks its input: std::invalid_argument if the arrays differ in length,
// std::out_of_range for a neuron index >= num_neurons.
std::uint64_t spikeCount(const SpikeData& spikes);
std::vector<std::uint64_t> spikeCountPerNeuron(const SpikeData& spikes);
double meanRate(const SpikeData& spikes, double duration_s);

std::vector<double> cvIsiPerNeuron(const SpikeData& spikes);  // NaN for neurons with < 2 ISIs
double cvIsi(const SpikeData& spikes);

std::vector<double> populationRate(const SpikeData& spikes, double t_start_s, double bin_width_s,
                                   std::size_t num_bins);

}  // namespace snn::analysis
