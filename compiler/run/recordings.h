// The few rules by which `print`, the output files and plots read the simulation's monitors, kept
// in one place so that `{mean_rate(E)}` and E.spikes.t.npy can never disagree about which
// recording they mean or how long it lasted.
#pragma once

#include <cstddef>

#include "vm/engine/simulation.h"

namespace snn::run {

// The monitor of a group's spikes (rate) that has recorded the longest, i.e. started first; null
// when the group has none. Several monitors of one group only differ in where they start.
const engine::SpikeRecording* spikeRecordingOf(const engine::Simulation& simulation,
                                               std::size_t group);
const engine::RateRecording* rateRecordingOf(const engine::Simulation& simulation,
                                             std::size_t group);

// Steps a spike monitor has covered so far: from the step it started to the simulation's
// current step. The recorded time is that times dt.
engine::Step recordedSteps(const engine::Simulation& simulation,
                           const engine::SpikeRecording& recording);

// The Welch segment of `peak_frequency` and `plot psd`: half a second of samples (a resolution of
// 2 Hz, fine enough to tell 38 Hz from 42 Hz in the gamma band; scipy's default of 256 samples
// would give 39 Hz bins at dt = 0.1 ms), or the whole signal when it is shorter, as
// scipy.signal.welch reduces nperseg. Segments overlap by half.
inline constexpr double kPsdSegmentSeconds = 0.5;
std::size_t psdSegmentLength(double dt, std::size_t samples);

}  // namespace snn::run
