// Prints diagnostics the way clang does:
//   model.snn:12:9: error: message [Kind]
//      12 |     V = 5 mV + 2 nA
//         |         ^~~~~~~~~~~
//   model.snn:4:5: note: `V` declared here with unit `volt`
#pragma once

#include <ostream>
#include <string>

#include "compiler/diagnostics/diagnostics.h"
#include "compiler/source/source_manager.h"

namespace snn {

struct RenderOptions {
  bool colour = false;
  bool show_kind = true;
};

std::string renderDiagnostic(const Diagnostic& diagnostic, const SourceManager& sources,
                             const RenderOptions& options = {});
void renderDiagnostics(const Diagnostics& diagnostics, const SourceManager& sources,
                       std::ostream& out, const RenderOptions& options = {});
// "2 errors and 1 warning generated." or an empty string when there is nothing to count.
std::string diagnosticSummary(const Diagnostics& diagnostics);

}  // namespace snn
