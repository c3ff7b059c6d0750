// `let NAME = value`: named constants and timed arrays, at file level (visible in every model
// and experiment of the program) or inside an experiment (visible after it, in that
// experiment). A value is a constant expression (numbers, units, other lets; a list is fine)
// or `timed(values, dt = T)`, a time series that models call as `NAME(t)`.
#pragma once

#include <vector>

#include "compiler/sema/checked_program.h"
#include "compiler/sema/scope.h"

namespace snn::sema {

// Checks one let with `resolver` providing the names its value may use.
CheckedLet checkLet(SemaState& state, const ast::LetDecl& decl, NameResolver& resolver);

// Declares and checks all file-level lets (in dependency order), filling state.program.lets
// (in declaration order), state.file_lets and state.file_let_ok.
void checkFileLets(SemaState& state, const std::vector<const ast::LetDecl*>& lets);

}  // namespace snn::sema
