// The front end as one call: load a file and its imports, parse, resolve and check. Shared by
// every snnc command (check, emit, run) so that they all see the same diagnostics.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "compiler/diagnostics/diagnostics.h"
#include "compiler/parse/module_loader.h"
#include "compiler/sema/check.h"
#include "compiler/source/source_manager.h"

namespace snn::driver {

struct FrontendResult {
  parse::Program program;
  std::unique_ptr<sema::CheckedProgram> checked;  // null when parsing failed
};

// The standard library directory: $SNN_STDLIB, else the stdlib/ of the source tree this snnc
// was built from, else stdlib/ next to the executable's parent directory (an installed snnc).
std::filesystem::path stdlibDirectory();

// Parses and checks `file`. Checking is skipped when a file does not parse, since a broken
// tree would only produce follow-on errors.
// `before_check`, when given, may change the parsed program first (command-line overrides).
FrontendResult runFrontend(SourceManager& sources, const std::filesystem::path& file,
                           Diagnostics& diags,
                           const std::function<void(parse::Program&)>& before_check = {});

// Runs `work` on a thread with a large stack. The parser and the checker recurse on the
// nesting of expressions; their own limits keep that depth bounded, and the large stack keeps
// the bound far from the default 8 MiB.
void runWithLargeStack(const std::function<void()>& work);

}  // namespace snn::driver
