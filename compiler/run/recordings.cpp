// Which monitor a print or an output file reads; see recordings.h.
#include "compiler/run/recordings.h"

#include <algorithm>
#include <cmath>

namespace snn::run {

const engine::SpikeRecording* spikeRecordingOf(const engine::Simulation& simulation,
                                               std::size_t group) {
  const engine::SpikeRecording* best = nullptr;
  for (const auto& r : simulation.spikeRecordings()) {
    if (r.group != group) continue;
    if (!best || r.first_step < best->first_step) best = &r;
  }
  return best;
}

const engine::RateRecording* rateRecordingOf(const engine::Simulation& simulation,
                                             std::size_t group) {
  const engine::RateRecording* best = nullptr;
  for (const auto& r : simulation.rateRecordings()) {
    if (r.group != group) continue;
    if (!best || r.first_step < best->first_step) best = &r;
  }
  return best;
}

engine::Step recordedSteps(const engine::Simulation& simulation,
                           const engine::SpikeRecording& recording) {
  return std::max<engine::Step>(0, simulation.currentStep() - recording.first_step);
}

std::size_t psdSegmentLength(double dt, std::size_t samples) {
  const double wanted = std::round(kPsdSegmentSeconds / dt);
  const std::size_t length =
      wanted >= 1 && wanted < 1e12 ? static_cast<std::size_t>(wanted) : std::size_t{1};
  return std::max<std::size_t>(1, std::min(length, samples));
}

}  // namespace snn::run
