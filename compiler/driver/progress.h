// The progress line of long runs on a terminal: simulated time, percentage, simulated seconds
// per wall second and the time left, redrawn in place on stderr at most a few times a second.
// Nothing is shown for runs that end within about a second, when stderr is not a terminal, or
// with --quiet; the line is erased when the run ends, so the final output is the same either way.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace snn::driver {

class ProgressLine {
 public:
  // `enabled`: stderr is a terminal and --quiet was not given.
  ProgressLine(bool enabled, std::string label, double start_time, double duration);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // `simulated`: seconds of the run done so far.
  void update(double simulated);

  // The text for `simulated` seconds done after `wall` seconds (for tests).
  static std::string format(const std::string& label, double start_time, double simulated,
                            double duration, double wall);

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  std::string label_;
  double start_time_, duration_;
  Clock::time_point started_, last_drawn_;
  bool drawn_ = false;
};

}  // namespace snn::driver
