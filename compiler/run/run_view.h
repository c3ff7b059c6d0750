// What `print` and the output files read after (or between) runs: the checked experiment, which
// says what the user wrote, and the simulation that ran it, which holds the numbers. The two are
// tied by a convention of lowering: population k of the experiment is group k of the plan, and
// connect k is connection k (an unnamed connect's connection is named "A->B").
#pragma once

#include <string>

#include "compiler/sema/checked_program.h"
#include "compiler/source/source_manager.h"
#include "vm/engine/simulation.h"

namespace snn::run {

struct RunView {
  const sema::CheckedProgram* program = nullptr;
  const sema::CheckedExperiment* experiment = nullptr;
  const engine::Simulation* simulation = nullptr;
};

// A problem found while evaluating a print at run time (a population whose spikes are not
// recorded, a rate recording too short for a spectrum, an index past the synapses that were
// generated): a message in the style of the diagnostics, and the source range it is about.
struct RunTimeError {
  std::string message;
  SourceRange range;
};

}  // namespace snn::run
