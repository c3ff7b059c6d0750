// run.json: written atomically, parsed back equal; NaN becomes null, bad UTF-8 does not throw.
#include "vm/output/json_writer.h"

#include <cmath>
#include <string>

#include <doctest/doctest.h>

#include "tests/unit/vm/output/scratch_dir.h"

using namespace snn::output;

TEST_CASE("json: a document round-trips through the file") {
  snn::test::ScratchDir dir("json");
  nlohmann::json run = {
      {"experiment", "ei_network"},
      {"seed", 42},
      {"dt_s", 1e-4},
      {"populations", {{{"name", "E"}, {"size", 400}}, {{"name", "I"}, {"size", 100}}}},
      {"unit", "µs"}};
  writeJson(dir.path() / "run.json", run);
  std::string text = snn::test::readFile(dir.path() / "run.json");
  CHECK(text.back() == '\n');
  CHECK(text.find("\n  \"experiment\"") != std::string::npos);  // indented by 2
  CHECK(nlohmann::json::parse(text) == run);
}

TEST_CASE("json: NaN is written as null and invalid UTF-8 is replaced") {
  nlohmann::json doc = {{"rate", std::nan("")}, {"name", std::string("bad\xff")}};
  std::string text = jsonText(doc, -1);
  CHECK(text == "{\"name\":\"bad\xEF\xBF\xBD\",\"rate\":null}\n");
}
