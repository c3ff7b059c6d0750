// libFuzzer target over the whole front end: UTF-8 check, lexer, parser, AST builder, printer
// and checker, on one in-memory file. Any crash, hang, sanitizer report or unbounded
// allocation is a bug. Inputs that once failed live in regressions/ and are replayed by the
// normal test suite (tests/unit/fuzz/fuzz_regressions_test.cpp), so they stay fixed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/parse/parser.h"
#include "tests/fuzz/frontend_once.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Model files are small; very long inputs only slow the search down.
  if (size > 64 * 1024) return -1;
  snn::fuzz::runFrontendOnce(std::string(reinterpret_cast<const char*>(data), size));
  // The parser's prediction caches grow with every new input; a fuzzer sees millions.
  static unsigned runs = 0;
  if (++runs % 1000 == 0) snn::parse::clearParserCaches();
  return 0;
}
