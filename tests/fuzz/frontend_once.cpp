// Implementation of runFrontendOnce; see frontend_once.h.
#include "tests/fuzz/frontend_once.h"

#include "compiler/ast/printer.h"
#include "compiler/diagnostics/diagnostic_renderer.h"
#include "compiler/diagnostics/diagnostics.h"
#include "compiler/parse/module_loader.h"
#include "compiler/parse/parser.h"
#include "compiler/equations/equations.h"
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
    (void)equations::analyzeEquations(checked, diags);
  }
  // Rendering touches every range: it must stay inside the file.
  for (const auto& d : diags.all()) (void)renderDiagnostic(d, sources);
  return diags.errorCount();
}

}  // namespace snn::fuzz
