// `snnc run`: one experiment from its checked form to its output folder. Lowers it, builds the
// simulation, walks the protocol (records, runs, assignments, `at` blocks, prints, plots) in
// order, and writes the outputs. The engine is a mechanism; the order of the protocol lives
// here.
#pragma once

#include <atomic>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "compiler/diagnostics/diagnostics.h"
#include "compiler/equations/equations.h"
#include "compiler/sema/checked_program.h"
#include "vm/engine/simulation.h"

namespace snn::driver {

struct RunOptions {
  std::filesystem::path out_dir;  // empty: out/<experiment>
  std::string backend = "jit";
  unsigned threads = 1;
  std::size_t min_parallel_work = engine::SimulationOptions{}.min_parallel_work;
  std::string source_file;
  double parse_seconds = 0, check_seconds = 0;
  const std::atomic<bool>* stop = nullptr;  // Ctrl-C
  bool hold_time_in_stages = false;
  std::vector<std::pair<std::string, std::string>> overrides;  // for run.json
  bool progress = false;  // a progress line on stderr (a terminal, and not --quiet)
  bool summary = true;    // one line on stderr at the end (not with --quiet)
};

enum class RunStatus { Completed, Interrupted, Failed };

// Prints the experiment's lines on `out`, errors on `err` (run-time errors) or in `diags`
// (lowering errors, with source ranges).
RunStatus runExperiment(const sema::CheckedProgram& program,
                        const equations::EquationsProgram& equations,
                        const sema::CheckedExperiment& experiment, const RunOptions& options,
                        Diagnostics& diags, std::ostream& out, std::ostream& err);

}  // namespace snn::driver
