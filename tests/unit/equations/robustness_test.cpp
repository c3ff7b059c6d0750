// The equations stage on whatever sema lets through: the fuzzer's corpus and past crashes
// (tests/fuzz/), every lit test, and models whose inlined sub-expressions would be
// exponentially large as trees. No crash, no hang, and no error on models that are correct.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/parse/parser.h"
#include "tests/unit/equations/equations_helpers.h"

namespace snn {
namespace {

namespace fs = std::filesystem;
using equations::Expr;

// Parses one file (imports are not followed), checks it and runs the equations stage.
// Returns the number of errors the equations stage added, or -1 when the file was not
// analysed (a syntax error).
int runStage(const std::string& text) {
  SourceManager sources;
  Diagnostics diags;
  FileId file = sources.addBuffer("input.snn", text);
  std::vector<ast::Module> modules;
  modules.push_back(parse::parseFile(sources, file, diags));
  if (diags.hasErrors()) return -1;
  auto program = sema::check(std::span<const ast::Module>(modules), diags);
  const std::size_t before = diags.errorCount();
  auto eq = equations::analyzeEquations(program, diags);
  CHECK(diags.errorCount() <= Diagnostics::kMaxErrors + 1);
  // Every ODE of every analysed model has a description.
  for (const auto& m : program.models) {
    for (const auto& ode : m->odes) CHECK_FALSE(eq.describeMethod(*m, ode).empty());
  }
  return static_cast<int>(diags.errorCount() - before);
}

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("the fuzzer's corpus, past crashes and the lit tests go through the equations stage") {
  const fs::path root = SNN_SOURCE_DIR;
  std::size_t files = 0;
  for (const char* folder : {"tests/fuzz/corpus", "tests/fuzz/regressions", "tests/lit"}) {
    if (!fs::is_directory(root / folder)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      if (!entry.is_regular_file()) continue;
      CAPTURE(entry.path().string());
      const int added = runStage(readAll(entry.path()));
      const std::string name = entry.path().filename().string();
      // Only the tests of this stage's own diagnostics may fail it.
      const bool expects_errors =
          name.starts_with("method_not_applicable") || name.starts_with("noise_not_linear") ||
          name.starts_with("equations_method") || name.starts_with("equations_noise_not_linear");
      if (!expects_errors) CHECK(added <= 0);
      ++files;
    }
  }
  CHECK(files > 50);
}

TEST_CASE("sub-expressions shared 2^40 times are analysed in linear time") {
  std::string text = "neuron Deep {\n    state { V : volt;  w : volt }\n    equations {\n";
  text += "        dV/dt = (s40 / 1e12 - V + w) / ms\n        dw/dt = -w / ms\n";
  text += "        s0 = V : volt\n";
  for (int k = 1; k <= 40; ++k) {
    text += fmt::format("        s{} = s{} + s{} : volt\n", k, k - 1, k - 1);
  }
  text += "    }\n}\n";
  auto c = testing::checkText(text);
  CHECK_CLEAN(c);
  const auto start = std::chrono::steady_clock::now();
  auto eq = equations::analyzeEquations(c->program, c->diags);
  const auto* m = eq.find(c->checkedModel("Deep"));
  REQUIRE(m);
  REQUIRE(m->analysis.clock_driven.linear);
  // dV/dt = (2^40 V / 1e12 - V + w) / ms: A[0][0] = (2^40 / 1e12 - 1) / ms.
  testing::Values values{&c->checkedModel("Deep"), {}};
  CHECK(testing::eval(m->analysis.clock_driven.linear->A[0][0], values) ==
        doctest::Approx((std::ldexp(1.0, 40) / 1e12 - 1) / 1e-3));
  Expr dv = testing::odeRhs(*c, "Deep", "V");
  Expr d = equations::differentiate(dv, testing::stateLeaf(*c, "Deep", "V"));
  CHECK(testing::eval(d, values) == doctest::Approx((std::ldexp(1.0, 40) / 1e12 - 1) / 1e-3));
  // Two separately built copies compare equal quickly.
  CHECK(testing::odeRhs(*c, "Deep", "V") == dv);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 5.0);
}

}  // namespace
}  // namespace snn
