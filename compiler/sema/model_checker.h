// Checking one `neuron` or `synapse` declaration: its names, parameters (constant, with SI
// values), states, sub-expressions (in dependency order), ODEs and their flags, threshold,
// reset, refractoriness, method, event handlers and delay.
//
// A synapse model refers to `pre.X` and `post.X`, whose dimensions depend on the populations
// it connects. It is checked twice over: once on its own, with those names unknown (and
// silent), which reports everything that does not involve them; and once per `connect ...
// using` it (checkSynapseUse), with the names bound to the two populations' models, which
// reports missing variables and the mismatches that involve them. Errors both passes find are
// reported once (see reporter.h).
#pragma once

#include <vector>

#include "compiler/sema/checked_program.h"
#include "compiler/sema/scope.h"

namespace snn::sema {

// Checks a model declaration into `out` (whose address the side tables will refer to).
void checkModel(SemaState& state, const ast::ModelDecl& decl, CheckedModel& out);

// Re-checks a synapse model for one connect. Returns the `pre.`/`post.` bindings; errors are
// reported with a note at `connect_note` ("in `connect E -> I using STDP`").
struct SynapseUse {
  const CheckedPopulation* source = nullptr;
  const CheckedPopulation* target = nullptr;
  SourceRange note_range;
  std::string note;
};
std::vector<PrePostBinding> checkSynapseUse(SemaState& state, const CheckedModel& synapse,
                                            const SynapseUse& use);

}  // namespace snn::sema
