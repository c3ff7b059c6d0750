// Implementation of runFrontendOnce; see frontend_once.h.
#include "tests/fuzz/frontend_once.h"

#include "compiler/ast/printer.h"
#include "compiler/diagnostics/diagnostic_renderer.h"
#include "compiler/diagnostics/diagnostics.h"
#include "compiler/parse/module_loader.h"
#include "compiler/parse/parser.h"
#include "compiler/equations/equations.h"
#include "compiler/codegen/bytecode_compiler.h"
#include "compiler/ir/passes.h"
#include "compiler/ir/verifier.h"
#include "compiler/lower/lower.h"
#include "compiler/sema/check.h"

namespace snn::fuzz {

std::size_t runFrontendOnce(std::string text) {
  SourceManager sources;
  Diagnostics diags;
  FileId file = sources.addBuffer("fuzz.snn", std::move(text));
  parse::Program program;
  program.modules.push_back(parse::parseFile(sources, file, diags));
  if (!diags.hasErrors()) {
    // The printer must produce text that parses again without errors.
    std::string printed = ast::printModule(program.modules.back());
    Diagnostics reparse;
    FileId again = sources.addBuffer("printed.snn", printed);
    (void)parse::parseFile(sources, again, reparse);
    if (reparse.hasErrors()) __builtin_trap();
    auto checked = sema::check(program, diags);
    auto analysed = equations::analyzeEquations(checked, diags);
    if (!diags.hasErrors()) {
      // Lowering every experiment: each kernel must verify before and after optimisation and
      // compile to bytecode that verifies. Nothing runs (a fuzzed experiment may be huge).
      auto compile = [](ir::Kernel kernel) -> std::unique_ptr<engine::Kernel> {
        if (!ir::verify(kernel).empty()) __builtin_trap();
        ir::optimize(kernel);
        if (!ir::verify(kernel).empty()) __builtin_trap();
        if (!interpreter::verifyBytecode(codegen::compileToBytecode(kernel)).empty()) __builtin_trap();
        return nullptr;
      };
      for (const auto& experiment : checked.experiments) {
        (void)lower::lowerExperiment(checked, analysed, experiment, {}, compile, diags);
      }
    }
  }
  // Rendering touches every range: it must stay inside the file.
  for (const auto& d : diags.all()) (void)renderDiagnostic(d, sources);
  return diags.errorCount();
}

}  // namespace snn::fuzz
