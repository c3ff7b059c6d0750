// snnc: the command-line entry point. Each subcommand is a thin layer over the pipeline
// stages; exit codes are 0 (clean), 1 (errors in the model), 2 (wrong usage).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "compiler/ast/tree_dump.h"
#include "compiler/codegen/bytecode_compiler.h"
#include "compiler/diagnostics/diagnostic_renderer.h"
#include "compiler/driver/backend.h"
#include "vm/engine/simulation.h"
#include "compiler/driver/experiment_runner.h"
#include "compiler/driver/frontend.h"
#include "compiler/driver/overrides.h"
#include "compiler/equations/equations.h"
#include "compiler/ir/printer.h"
#include "compiler/lower/lower.h"
#include "compiler/lsp/server.h"
#include "compiler/sema/check.h"

namespace {

using namespace snn;

constexpr int kExitClean = 0;
constexpr int kExitErrors = 1;
constexpr int kExitUsage = 2;

struct CommonOptions {
  std::string colour = "auto";
};

bool useColour(const CommonOptions& options) {
  if (options.colour == "always") return true;
  if (options.colour == "never") return false;
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) && !std::getenv("NO_COLOR") && term && std::string(term) != "dumb";
}

void printDiagnostics(const Diagnostics& diags, const SourceManager& sources,
                      const CommonOptions& options) {
  RenderOptions render;
  render.colour = useColour(options);
  renderDiagnostics(diags, sources, std::cerr, render);
  if (std::string summary = diagnosticSummary(diags); !summary.empty()) {
    std::cerr << summary << '\n';
  }
}

// Lowers every experiment; keeps the kernels in `kernels` when given.
void lowerAll(const sema::CheckedProgram& program, const equations::EquationsProgram& equations,
              const std::string& file, Diagnostics& diags, std::vector<ir::Kernel>* kernels) {
  std::vector<ir::Kernel> discarded;
  lower::LoweringOptions lowering;
  lowering.base_directory = std::filesystem::path(file).parent_path();
  for (const auto& experiment : program.experiments) {
    lower::lowerExperiment(program, equations, experiment, lowering,
                           driver::collectingFactory(kernels ? *kernels : discarded), diags);
  }
}

int runCheck(const std::vector<std::string>& files, bool verbose,
             const driver::Overrides& overrides, const CommonOptions& options) {
  int status = kExitClean;
  for (const auto& file : files) {
    SourceManager sources;
    Diagnostics diags;
    driver::runWithLargeStack([&] {
      auto result = driver::runFrontend(sources, file, diags, [&](parse::Program& program) {
        driver::applyOverrides(overrides, sources, program, diags);
      });
      if (!result.checked) return;
      // The equations stage checks declared integration methods and chooses the others.
      auto analysed = equations::analyzeEquations(*result.checked, diags);
      // Lowering finds what only compiling shows (an `exact` that cannot be built, a spike
      // file that cannot be read): `check` compiles every experiment, without running it.
      if (!diags.hasErrors()) lowerAll(*result.checked, analysed, file, diags, nullptr);
      if (verbose && !diags.hasErrors()) {
        sema::printModelSummary(
            *result.checked, std::cout, analysed.methodHook(),
            sema::modelsOfRootFile(*result.checked, result.program.modules.back()));
      }
    });
    printDiagnostics(diags, sources, options);
    if (diags.hasErrors()) status = kExitErrors;
  }
  return status;
}

// `--backend jit` or `emit llvm` in an snnc built without LLVM.
bool refuseWithoutJit() {
  if (driver::jitAvailable()) return false;
  std::cerr << "snnc: this snnc was built without LLVM (cmake -DSNN_WITH_JIT=OFF), so it has no "
               "JIT: use --backend vm\n";
  return true;
}

int runEmit(const std::string& what, const std::string& file, const CommonOptions& options) {
  if (what == "llvm" && refuseWithoutJit()) return kExitUsage;
  SourceManager sources;
  Diagnostics diags;
  driver::runWithLargeStack([&] {
    auto result = driver::runFrontend(sources, file, diags);
    if (diags.hasErrors()) return;
    if (what == "ast") {
      // The root file is the last module of the program.
      std::cout << ast::dumpTree(result.program.modules.back());
      return;
    }
    auto analysed = equations::analyzeEquations(*result.checked, diags);
    if (diags.hasErrors()) return;
    std::vector<ir::Kernel> kernels;
    lowerAll(*result.checked, analysed, file, diags, &kernels);
    if (diags.hasErrors()) return;
    for (const auto& kernel : kernels) {
      if (what == "ir") {
        std::cout << ir::printKernel(kernel) << '\n';
      } else if (what == "llvm") {
        std::cout << driver::optimizedLlvmIr(kernel) << '\n';
      } else {
        std::cout << codegen::disassemble(codegen::compileToBytecode(kernel)) << '\n';
      }
    }
  });
  printDiagnostics(diags, sources, options);
  return diags.hasErrors() ? kExitErrors : kExitClean;
}

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int) { g_interrupted.store(true); }

// The back end: --backend, else SNN_BACKEND (the test suite runs every model on both back ends
// this way), else the JIT (the VM in an snnc built without LLVM). Empty after printing why
// SNN_BACKEND means nothing.
std::string chosenBackend(const std::string& option) {
  if (!option.empty()) return option;
  if (const char* value = std::getenv("SNN_BACKEND")) {
    const std::string chosen = value;
    if (chosen == "vm" || chosen == "jit") return chosen;
    std::cerr << "snnc: SNN_BACKEND=" << chosen << " is not a back end: use vm or jit (or unset it)\n";
    return {};
  }
  return driver::jitAvailable() ? "jit" : "vm";
}

// Elements x work per element below which a kernel call stays on one thread: the engine's
// default, or SNN_MIN_PARALLEL_WORK (0 splits every call: the tests check that threads never
// change a result). Empty after printing why the variable means nothing.
std::optional<std::size_t> minParallelWork() {
  const char* value = std::getenv("SNN_MIN_PARALLEL_WORK");
  if (value == nullptr) return engine::SimulationOptions{}.min_parallel_work;
  char* end = nullptr;
  errno = 0;
  const unsigned long long parsed = std::strtoull(value, &end, 10);
  if (end != value && *end == '\0' && errno == 0 && value[0] != '-') return static_cast<std::size_t>(parsed);
  std::cerr << "snnc: SNN_MIN_PARALLEL_WORK=" << value
            << " is not a count: give a non-negative whole number (or unset it)\n";
  return std::nullopt;
}

struct RunCommand {
  std::string file;
  std::string out_dir;
  std::string backend;    // empty: chosenBackend() decides
  unsigned threads = 0;  // 0: every core
  std::string experiment;
  driver::Overrides overrides;
  bool quiet = false;
};

// --set NAME=VALUE (repeatable), --seed N, --duration T: on `run` and `check`.
void addOverrideOptions(CLI::App* command, driver::Overrides& overrides) {
  command->add_option("--set", overrides.sets,
                      "Change a parameter or setting without editing the file: P.param=VALUE "
                      "(e.g. E.tau=20ms), dt=VALUE, seed=N; repeatable")
      ->take_all();
  command->add_option("--seed", overrides.seed, "The random seed (same as --set seed=N)");
  command->add_option("--duration", overrides.duration,
                      "The duration of the experiment's run (e.g. 2s); it must have one `run`");
}

int runRun(const RunCommand& command, const CommonOptions& options) {
  const std::string backend = chosenBackend(command.backend);
  const std::optional<std::size_t> min_parallel_work = minParallelWork();
  if (backend.empty() || !min_parallel_work) return kExitUsage;
  if (backend == "jit" && refuseWithoutJit()) return kExitUsage;
  using Clock = std::chrono::steady_clock;
  SourceManager sources;
  Diagnostics diags;
  int status = kExitClean;
  driver::runWithLargeStack([&] {
    auto start = Clock::now();
    auto result = driver::runFrontend(sources, command.file, diags, [&](parse::Program& program) {
      driver::applyOverrides(command.overrides, sources, program, diags);
    });
    double front = std::chrono::duration<double>(Clock::now() - start).count();
    if (!result.checked || diags.hasErrors()) return;
    auto analysed = equations::analyzeEquations(*result.checked, diags);
    if (diags.hasErrors()) return;
    double checked = std::chrono::duration<double>(Clock::now() - start).count();
    // The experiments of the file given (not of its imports), or the one asked for.
    std::vector<const sema::CheckedExperiment*> chosen;
    for (const auto& e : result.checked->experiments) {
      if (command.experiment.empty() || e.name == command.experiment) chosen.push_back(&e);
    }
    if (chosen.empty()) {
      std::cerr << "snnc run: " << command.file << " has no experiment"
                << (command.experiment.empty() ? "" : " named `" + command.experiment + "`")
                << "; nothing to run\n";
      status = kExitUsage;
      return;
    }
    if (chosen.size() > 1 && !command.out_dir.empty()) {
      std::cerr << "snnc run: " << command.file
                << " has several experiments; with --out, pick one with --experiment\n";
      status = kExitUsage;
      return;
    }
    std::signal(SIGINT, onInterrupt);
    for (const auto* experiment : chosen) {
      driver::RunOptions run;
      run.out_dir = command.out_dir;
      run.backend = backend;
      run.threads = command.threads != 0 ? command.threads
                                         : std::max(1u, std::thread::hardware_concurrency());
      run.min_parallel_work = *min_parallel_work;
      run.source_file = command.file;
      run.parse_seconds = front;
      run.check_seconds = checked - front;
      run.stop = &g_interrupted;
      run.overrides = command.overrides.list();
      run.progress = !command.quiet && isatty(STDERR_FILENO);
      run.summary = !command.quiet;
      auto outcome = driver::runExperiment(*result.checked, analysed, *experiment, run, diags,
                                           std::cout, std::cerr);
      if (outcome == driver::RunStatus::Interrupted) {
        status = 130;
        return;
      }
      if (outcome == driver::RunStatus::Failed) return;
    }
  });
  printDiagnostics(diags, sources, options);
  if (diags.hasErrors()) return kExitErrors;
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"snnc: the compiler and simulator of .snn spiking neural network models"};
  app.set_version_flag("--version", std::string("snnc ") + SNN_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // `snnc check --color=never x.snn` as well as `snnc --color=never check x.snn`
  CommonOptions options;
  app.add_option("--color,--colour", options.colour,
                 "Colour diagnostics: auto (on a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.footer(
      "Examples:\n"
      "  snnc check examples/ei_network.snn      report errors, if any\n"
      "  snnc check -v examples/hh_neuron.snn    also list each model's variables and units\n"
      "  snnc emit ast examples/lif_step.snn     print the syntax tree\n"
      "  snnc emit ir examples/lif_step.snn      print the kernels the model compiles to\n"
      "  snnc run examples/ei_network.snn        simulate; results in out/ei_network/\n"
      "Exit status: 0 clean, 1 errors in a model, 2 wrong usage.");

  auto* check = app.add_subcommand("check", "Parse and check models (names, types, units); print diagnostics");
  std::vector<std::string> check_files;
  bool verbose = false;
  check->add_option("files", check_files, "Model files (.snn)")->required();
  check->add_flag("-v,--verbose", verbose,
                  "Print each model's parameters, state variables and sub-expressions with units");
  driver::Overrides check_overrides;
  addOverrideOptions(check, check_overrides);

  auto* emit = app.add_subcommand("emit", "Print an intermediate form of a model");
  std::string emit_what;
  std::string emit_file;
  emit->add_option("form", emit_what,
                   "What to print: ast (the syntax tree), ir (the kernels), bytecode (the VM's "
                   "code), llvm (the JIT's optimised LLVM IR)")
      ->required()
      ->check(CLI::IsMember({"ast", "ir", "bytecode", "llvm"}));
  emit->add_option("file", emit_file, "Model file (.snn)")->required();

  auto* run = app.add_subcommand("run", "Check, compile and simulate a model's experiments; write the results");
  RunCommand run_command;
  run->add_option("file", run_command.file, "Model file (.snn)")->required();
  run->add_option("--out,-o", run_command.out_dir,
                  "Output folder (default: out/<experiment>/ for each experiment)");
  run->add_option("--backend", run_command.backend,
                  "Where kernels run (default: jit, or $SNN_BACKEND): jit (native code through "
                  "LLVM) or vm (the bytecode VM: one thread, for debugging)")
      ->check(CLI::IsMember({"vm", "jit"}));
  run->add_option("--threads,-j", run_command.threads,
                  "Threads for neuron updates and connection generation (default: every core); "
                  "results do not depend on it")
      ->check(CLI::Range(1u, 1024u));
  run->add_option("--experiment", run_command.experiment,
                  "Run only this experiment of the file (default: all of them, in order)");
  addOverrideOptions(run, run_command.overrides);
  run->add_flag("-q,--quiet", run_command.quiet,
                "No progress line and no summary on stderr (diagnostics are still shown)");

  auto* lsp = app.add_subcommand("lsp", "Serve the Language Server Protocol on stdin/stdout (for editors)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  try {
    if (*check) return runCheck(check_files, verbose, check_overrides, options);
    if (*emit) return runEmit(emit_what, emit_file, options);
    if (*run) return runRun(run_command, options);
    if (*lsp) return snn::lsp::serve(std::cin, std::cout);
  } catch (const std::exception& e) {
    std::cerr << "snnc: internal error: " << e.what()
              << "\nThis is a bug in snnc; please report it with the model that caused it.\n";
    return 3;
  }
  return kExitUsage;
}
