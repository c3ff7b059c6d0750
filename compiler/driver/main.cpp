// snnc: the command-line entry point. Each subcommand is a thin layer over the pipeline
// stages; exit codes are 0 (clean), 1 (errors in the model), 2 (wrong usage).
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "compiler/ast/tree_dump.h"
#include "compiler/diagnostics/diagnostic_renderer.h"
#include "compiler/driver/frontend.h"
#include "compiler/equations/equations.h"
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

int runCheck(const std::vector<std::string>& files, bool verbose, const CommonOptions& options) {
  int status = kExitClean;
  for (const auto& file : files) {
    SourceManager sources;
    Diagnostics diags;
    driver::runWithLargeStack([&] {
      auto result = driver::runFrontend(sources, file, diags);
      if (!result.checked) return;
      // The equations stage checks declared integration methods and chooses the others.
      auto analysed = equations::analyzeEquations(*result.checked, diags);
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

int runEmit(const std::string& what, const std::string& file, const CommonOptions& options) {
  SourceManager sources;
  Diagnostics diags;
  driver::runWithLargeStack([&] {
    auto result = driver::runFrontend(sources, file, diags);
    if (diags.hasErrors()) return;
    if (what == "ast") {
      // The root file is the last module of the program.
      std::cout << ast::dumpTree(result.program.modules.back());
    }
  });
  printDiagnostics(diags, sources, options);
  return diags.hasErrors() ? kExitErrors : kExitClean;
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
      "Exit status: 0 clean, 1 errors in a model, 2 wrong usage.");

  auto* check = app.add_subcommand("check", "Parse and check models (names, types, units); print diagnostics");
  std::vector<std::string> check_files;
  bool verbose = false;
  check->add_option("files", check_files, "Model files (.snn)")->required();
  check->add_flag("-v,--verbose", verbose,
                  "Print each model's parameters, state variables and sub-expressions with units");

  auto* emit = app.add_subcommand("emit", "Print an intermediate form of a model");
  std::string emit_what;
  std::string emit_file;
  emit->add_option("form", emit_what, "What to print: ast (the syntax tree)")
      ->required()
      ->check(CLI::IsMember({"ast"}));
  emit->add_option("file", emit_file, "Model file (.snn)")->required();

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
    if (*check) return runCheck(check_files, verbose, options);
    if (*emit) return runEmit(emit_what, emit_file, options);
  } catch (const std::exception& e) {
    std::cerr << "snnc: internal error: " << e.what()
              << "\nThis is a bug in snnc; please report it with the model that caused it.\n";
    return 3;
  }
  return kExitUsage;
}
