// What a run leaves in its output directory: every recording as NumPy .npy files and a run.json
// that says what ran, how long each phase took, what was printed and what each file holds. The
// validation tests and the bench scripts read these; the names and layouts are a contract,
// documented in docs/language.md (section "Outputs"):
//
//   record spikes(P)       P.spikes.i.npy  int64 neuron indices      P.spikes.t.npy float64 s
//   record rate(P)         P.rate.npy      float64 Hz, one per step  P.rate.t.npy   float64 s
//   record P.X[a:b] ...    P.X.npy float64 SI (samples, indices), P.X.t.npy float64 s,
//                          P.X.index.npy int64; the same for `S.w` with the connect's name.
//                          A second recording of the same variable is P.X.2.npy (.t, .index).
//
// Every file goes through vm/output's atomic writer: it appears whole or not at all. run.json is
// removed first and written last, so a folder with a run.json holds a complete set of files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/run/run_view.h"

namespace snn::run {

// What the driver knows about a run besides the simulation: where it came from, how long each
// phase took (wall seconds), whether it stopped early, and what it printed.
struct RunSummary {
  std::string source_file;
  std::string backend = "jit";
  unsigned threads = 1;
  bool partial = false;        // interrupted, or stopped by an error
  std::string partial_reason;  // why, when partial
  double parse_seconds = 0;
  double check_seconds = 0;
  double lower_seconds = 0;
  double setup_seconds = 0;  // creating the simulation: allocation, connection generation
  // The JIT compiles kernels on its own threads during lowering and set-up; what is left is
  // waited for before the first step.
  double compile_wait_seconds = 0;
  // JIT only: kernels compiled before the first step and their cost in CPU seconds summed over
  // the compile threads (IR -> LLVM IR, the O3 pipeline, machine code and linking).
  int jit_kernels = 0;
  double jit_lower_cpu_seconds = 0;
  double jit_optimize_cpu_seconds = 0;
  double jit_codegen_cpu_seconds = 0;
  double run_seconds = 0;    // all `run` statements together
  double simulated_seconds = 0;
  std::vector<std::string> printed;  // the lines of the prints, in order
  std::vector<std::pair<std::string, std::string>>
      overrides;  // `--set P.tau=20ms`: {"P.tau", "20ms"}
};

// One file written, as run.json lists it.
struct OutputFile {
  std::string path;     // relative to the output directory
  std::string meaning;  // "time of each spike of E (the start of its step)"
  std::string unit;     // "second", "hertz", "volt", "1"
  std::string dtype;    // "int64", "float64"
  std::vector<std::uint64_t> shape;
};

// Writes the .npy files of every recording of view.experiment that the simulation holds (none
// when view.simulation is null), in the order of the `record` statements; returns them.
// Creates `dir`. Throws output::OutputError (a std::runtime_error naming the path) on failure.
std::vector<OutputFile> writeRecordings(const RunView& view, const std::filesystem::path& dir);

// The document written as run.json. Keys: experiment, source_file, backend, status ("complete" |
// "partial"), reason (when partial), dt (s), seed, steps, timings {parse, check, lower, setup,
// run, simulated (s), simulated_per_wall_second}, populations [{name, model, size, parameters
// {NAME: {value (SI), unit}}}], connections [{name, source, target, model, synapses, delay (s;
// null when set per synapse)}], overrides [{name, value}], printed [lines], files [{path,
// meaning, unit, dtype, shape}].
nlohmann::json runDocument(const RunView& view, const RunSummary& summary,
                           const std::vector<OutputFile>& files);

// Removes an old DIR/run.json, writes the recordings, then DIR/run.json. Throws
// output::OutputError (a std::runtime_error whose message names the path) on an I/O failure;
// whatever was written completely stays, nothing is left half-written.
void writeOutputs(const RunView& view, const RunSummary& summary, const std::filesystem::path& dir);

}  // namespace snn::run
