// Replays the fuzzer's corpus and every input that once crashed the front end (tests/fuzz/),
// so that the ordinary and the sanitizer test runs keep them fixed without libFuzzer.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/diagnostics/diagnostics.h"
#include "tests/fuzz/frontend_once.h"

namespace {

std::size_t replayFolder(const std::filesystem::path& folder) {
  std::size_t count = 0;
  if (!std::filesystem::is_directory(folder)) return 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    CAPTURE(entry.path().string());
    // Reaching the check at all means no crash, trap or sanitizer report; the cap on reported
    // errors must hold for any input.
    std::size_t errors = snn::fuzz::runFrontendOnce(text.str());
    CHECK(errors <= snn::Diagnostics::kMaxErrors);
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("the fuzzer corpus and past crashes go through the front end") {
  std::filesystem::path root = SNN_SOURCE_DIR;
  std::size_t replayed = replayFolder(root / "tests/fuzz/corpus") +
                         replayFolder(root / "tests/fuzz/regressions");
  CHECK(replayed > 0);
}
