// Loads a program: the root file and, transitively, every file it imports, each parsed once.
// Import resolution: relative to the importing file's directory first, then to the standard
// library directory; `import "stdlib/x.snn"` also finds stdlib_dir/x.snn.
#pragma once

#include <filesystem>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostics.h"
#include "compiler/source/source_manager.h"

namespace snn::parse {

struct Program {
  // Imported files first, in dependency order (a file comes after every file it imports), the
  // root file last. A file whose parse failed is still present (with no declarations).
  std::vector<ast::Module> modules;
};

// Errors: an unreadable root file is FileNotReadable without a location; a missing import is
// ImportNotFound at the import's string; a cycle is ImportCycle naming the chain
// (`a.snn -> b.snn -> a.snn`) at the import that closes it.
Program loadProgram(SourceManager& sources, const std::filesystem::path& root_file,
                    const std::filesystem::path& stdlib_dir, Diagnostics& diags);

}  // namespace snn::parse
