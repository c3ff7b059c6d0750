// Every example's prints and outputs against a kernel-less simulation of it: whatever the
// numbers (nothing integrates, so few neurons spike), each print gives a line or a run-time error
// that points inside the print, never an exception; and the output directory holds exactly the
// files run.json lists. This is the protocol the driver follows, without the kernels.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/parse/module_loader.h"
#include "compiler/run/outputs.h"
#include "compiler/run/print.h"
#include "tests/unit/run/run_helpers.h"
#include "tests/unit/vm/output/scratch_dir.h"

namespace snn {
namespace {

namespace fs = std::filesystem;

void runExample(const fs::path& file) {
  testing::DiagnosticQueries q;
  parse::Program parsed =
      parse::loadProgram(q.sources, file, fs::path(SNN_SOURCE_DIR) / "stdlib", q.diags);
  sema::CheckedProgram program = sema::check(parsed, q.diags);
  INFO(q.all());
  REQUIRE_FALSE(q.diags.hasErrors());
  for (const auto& experiment : program.experiments) {
    engine::SimulationPlan plan = testing::planFor(experiment);
    // A few synapses per target instead of the examples' rules: enough for every code path.
    for (auto& c : plan.connections) {
      c.rule = engine::ConnectionRule::FixedIndegree;
      c.fixed_count = std::min<engine::Index>(3, plan.groups[c.source].size);
    }
    engine::Simulation simulation(std::move(plan));
    // The monitors, in the order of the record statements, as the driver adds them.
    for (const auto& rec : experiment.recordings) {
      switch (rec.kind) {
        case sema::CheckedRecording::Kind::Spikes:
          simulation.recordSpikes(rec.owner);
          break;
        case sema::CheckedRecording::Kind::Rate:
          simulation.recordRate(rec.owner);
          break;
        case sema::CheckedRecording::Kind::Variable: {
          const engine::Index size =
              rec.of_connect ? simulation.synapseCount(rec.owner) : simulation.groupSize(rec.owner);
          const engine::Index hi = rec.hi < 0 ? size : std::min<engine::Index>(rec.hi, size);
          std::vector<engine::Index> indices;
          for (engine::Index k = std::min<engine::Index>(rec.lo, hi); k < hi; ++k)
            indices.push_back(k);
          const auto every = static_cast<engine::Step>(
              rec.every > 0 ? std::max(1.0, std::round(rec.every / experiment.dt)) : 1.0);
          simulation.recordState(rec.of_connect, rec.owner, rec.variable, std::move(indices),
                                 every);
          break;
        }
      }
    }
    simulation.run(50);
    run::RunView view{&program, &experiment, &simulation};
    run::RunSummary summary;
    summary.source_file = file.string();
    for (const auto& step : experiment.steps) {
      const auto* print = std::get_if<sema::CheckedPrint>(&step);
      if (!print) continue;
      auto result = run::formatPrint(view, *print);
      if (const auto* line = std::get_if<std::string>(&result)) {
        summary.printed.push_back(*line);
        continue;
      }
      const auto& error = std::get<run::RunTimeError>(result);
      INFO(file.filename().string() << ": " << error.message);
      CHECK_FALSE(error.message.empty());
      REQUIRE(error.range.valid());
      CHECK(error.range.begin >= print->decl->string_range.begin);
      CHECK(error.range.end <= print->decl->string_range.end);
    }
    test::ScratchDir dir("run-example-" + file.stem().string());
    run::writeOutputs(view, summary, dir.path());
    const auto doc = nlohmann::json::parse(test::readFile(dir.path() / "run.json"));
    std::size_t on_disk = 0;
    for (const auto& e : fs::directory_iterator(dir.path()))
      on_disk += e.path().extension() == ".npy";
    CHECK(doc["files"].size() == on_disk);
    CHECK(doc["printed"].size() == summary.printed.size());
    CHECK(doc["steps"] == 50);
  }
}

TEST_CASE("run: the prints and outputs of every example") {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(SNN_SOURCE_DIR) / "examples"))
    if (e.path().extension() == ".snn") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);
  for (const auto& file : files) {
    CAPTURE(file.filename().string());
    runExample(file);
  }
}

}  // namespace
}  // namespace snn
