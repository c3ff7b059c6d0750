// Checking an `experiment`: the protocol of LANGUAGE.md section 3, statement by statement in
// order, because order matters there (a recording must come before the analysis that reads
// it, a population before the connect that uses it, a `let` before its uses).
//
// Name scopes in an experiment (documented in docs/language.md):
//  - population initialisers and assignments `P.X = ...`: P's variables, then lets; `i`, `N`;
//  - connection rules (`p`, `condition`, `j`, `delay`) and synapse initial values: `pre.X`,
//    `post.X` (the two populations' variables), the synapse model's variables, lets; `i`, `j`,
//    `N_pre`, `N_post`;
//  - the `on pre`/`on post` of an inline synapse: the connect's own synapse variables
//    (`w = 0.5 mV` in the body), then the TARGET population's variables (Brian2's rule for
//    unsuffixed names), then lets; `pre.X` and `post.X` name either side explicitly;
//  - print, plot and record: populations, named connects (`S.w`), lets.
#pragma once

#include "compiler/sema/checked_program.h"
#include "compiler/sema/scope.h"

namespace snn::sema {

void checkExperiment(SemaState& state, const ast::ExperimentDecl& decl, CheckedExperiment& out);

}  // namespace snn::sema
