// Semantic analysis of a whole program: the entry point of compiler/sema/.
//
// Input: the parsed modules, imports first and the root file last (parse::Program::modules).
// Output: a CheckedProgram (checked_program.h) in which every name is resolved and every
// expression has a dimension; diagnostics for everything wrong, all of them in one run.
//
// Names across modules: models and file-level lets of all modules form one namespace (an
// import brings in everything its file declares, and a name defined twice is an error wherever
// the two definitions are).
#pragma once

#include <span>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostics.h"
#include "compiler/parse/module_loader.h"
#include "compiler/sema/checked_program.h"
#include "compiler/sema/summary.h"

namespace snn::sema {

// The modules must outlive the returned program (it points into their trees).
CheckedProgram check(std::span<const ast::Module> modules, Diagnostics& diags);

// The same for a loaded program (only parse::Program's definition is used: sema does not link
// the parser).
inline CheckedProgram check(const parse::Program& program, Diagnostics& diags) {
  return check(std::span<const ast::Module>(program.modules), diags);
}

}  // namespace snn::sema
