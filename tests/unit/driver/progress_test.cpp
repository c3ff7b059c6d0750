// The progress line's text: the numbers a user reads while a long run goes on.
#include <doctest/doctest.h>

#include "compiler/driver/progress.h"

namespace snn::driver {

TEST_CASE("the progress line shows simulated time, percentage, speed and time left") {
  // Half of a 1 s run, starting at t = 2 s, done in 0.25 s of wall time: 2 simulated s per s,
  // 0.5 s of simulation left at that speed = 0.25 s, shown rounded up to whole seconds.
  CHECK(ProgressLine::format("E", 2.0, 0.5, 1.0, 0.25) ==
        "E: t = 2.500 s ( 50%), 2 simulated s per s, 1 s left");
  // Slow runs: minutes and hours.
  CHECK(ProgressLine::format("net", 0.0, 1.0, 100.0, 10.0) ==
        "net: t = 1.000 s (  1%), 0.1 simulated s per s, 16 min 30 s left");
  CHECK(ProgressLine::format("net", 0.0, 1.0, 1000.0, 100.0) ==
        "net: t = 1.000 s (  0%), 0.01 simulated s per s, 27 h 45 min left");
}

TEST_CASE("a disabled progress line draws nothing") {
  // Nothing to observe on stderr here beyond not crashing; the driver only enables it on a
  // terminal. update() before a second has passed is silent in any case.
  ProgressLine line(false, "E", 0.0, 1.0);
  line.update(0.5);
  CHECK(ProgressLine::format("E", 0.0, 1.0, 1.0, 1.0).find("100%") != std::string::npos);
}

}  // namespace snn::driver
