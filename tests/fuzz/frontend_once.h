// One pass of the front end over in-memory text, shared by the fuzzer and by the regression
// test that replays the fuzzer's corpus and crashes in the ordinary test suite.
#pragma once

#include <string>

namespace snn::fuzz {

// Parses, prints back and re-parses, and checks `text`. Returns the number of errors found.
std::size_t runFrontendOnce(std::string text);

}  // namespace snn::fuzz
