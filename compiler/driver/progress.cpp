// The progress line; see progress.h.
#include "compiler/driver/progress.h"

#include <cmath>

#include <fmt/format.h>

namespace snn::driver {

namespace {

// "1.2 s", "3 min 20 s", "2 h 05 min".
std::string humanDuration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return "?";
  if (seconds < 60) return fmt::format("{:.0f} s", std::ceil(seconds));
  if (seconds < 3600) {
    const int s = static_cast<int>(seconds);
    return fmt::format("{} min {:02} s", s / 60, s % 60);
  }
  const int m = static_cast<int>(seconds / 60);
  return fmt::format("{} h {:02} min", m / 60, m % 60);
}

}  // namespace

ProgressLine::ProgressLine(bool enabled, std::string label, double start_time, double duration)
    : enabled_(enabled),
      label_(std::move(label)),
      start_time_(start_time),
      duration_(duration),
      started_(Clock::now()),
      last_drawn_(started_) {}

ProgressLine::~ProgressLine() {
  if (drawn_) std::fputs("\r\033[2K", stderr);  // erase the line
}

std::string ProgressLine::format(const std::string& label, double start_time, double simulated,
                                 double duration, double wall) {
  const double fraction = duration > 0 ? simulated / duration : 1.0;
  const double speed = wall > 0 ? simulated / wall : 0.0;
  const double left = speed > 0 ? (duration - simulated) / speed : NAN;
  return fmt::format("{}: t = {:.3f} s ({:3.0f}%), {:.3g} simulated s per s, {} left", label,
                     start_time + simulated, 100 * fraction, speed, humanDuration(left));
}

void ProgressLine::update(double simulated) {
  if (!enabled_) return;
  const auto now = Clock::now();
  const double wall = std::chrono::duration<double>(now - started_).count();
  // Quiet for the first second (short runs show nothing), then at most 5 redraws a second.
  if (wall < 1.0 || std::chrono::duration<double>(now - last_drawn_).count() < 0.2) return;
  last_drawn_ = now;
  drawn_ = true;
  std::fputs(("\r\033[2K" + format(label_, start_time_, simulated, duration_, wall)).c_str(),
             stderr);
  std::fflush(stderr);
}

}  // namespace snn::driver
