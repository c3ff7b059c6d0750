// Command-line changes to a model without editing it: `--set E.tau=20ms`, `--set dt=0.05ms`,
// `--seed 7`, `--duration 2s`. Each value is parsed as a `.snn` expression from a buffer of its
// own (named after the option, so a diagnostic points into the option's text) and put into the
// syntax tree of the root file's experiments before checking: sema then checks names and
// dimensions exactly as if the value had been written in the file, with the same diagnostics.
//
//  - `P.param=VALUE`  the argument `param = VALUE` of population P (`LIF[100](param = ...)`),
//                     or of a named connect P's synapse model (`using STDP(param = ...)`)
//  - `dt=VALUE`, `seed=VALUE` the experiment settings (`--seed N` is `--set seed=N`)
//  - `--duration T`   the duration of the experiment's `run` (it must have exactly one)
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/diagnostics/diagnostics.h"
#include "compiler/parse/module_loader.h"
#include "compiler/source/source_manager.h"

namespace snn::driver {

struct Overrides {
  std::vector<std::string> sets;  // "NAME=VALUE", as given
  std::optional<std::string> seed;
  std::optional<std::string> duration;

  bool empty() const { return sets.empty() && !seed && !duration; }
  // For run.json: {"E.tau", "20ms"}, {"seed", "7"}, {"duration", "2s"}.
  std::vector<std::pair<std::string, std::string>> list() const;
};

// Applies the overrides to every experiment of the root module (the last one). Problems that
// are not about the value (an unknown population, a malformed `--set`) are reported as
// UnknownOverride; the values themselves are checked by sema afterwards.
void applyOverrides(const Overrides& overrides, SourceManager& sources, parse::Program& program,
                    Diagnostics& diags);

}  // namespace snn::driver
