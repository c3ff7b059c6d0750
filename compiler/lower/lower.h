// Lowering: a checked experiment becomes a SimulationPlan (vm/engine/plan.h), every piece of
// model code an IR kernel (compiler/ir) that the back end turns into something the engine runs.
//
// What becomes a kernel, per population: `init` (model defaults in dependency order, then the
// population's initialisers), `update` (the integration step of the chosen method, with
// `(unless refractory)` and the non-finite check), `threshold` (refractoriness, the condition,
// lastspike; a Poisson group's draw) and `reset`; per connection: the rule's condition,
// probability or target map over candidate pairs, `init` and `delay` over the synapses, `on pre`
// and `on post` (event-driven variables first advanced exactly from their last update), the
// clock-driven update and each summed variable; and every assignment of the protocol.
//
// Parameters are constants of each population (overrides applied), so they are folded into the
// kernels: a population's `exp(-dt/tau)` is one number. Random streams are numbered from the
// position of each population and connection in the experiment, so the same model gives the
// same numbers whatever the back end.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

#include "compiler/diagnostics/diagnostics.h"
#include "compiler/equations/equations.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/checked_program.h"
#include "vm/engine/plan.h"

namespace snn::lower {

// Turns a verified IR kernel into what the engine runs (bytecode, native code), or records it
// (`snnc emit ir`) and returns null.
using KernelFactory = std::function<std::unique_ptr<engine::Kernel>(ir::Kernel kernel)>;

struct LoweredExperiment {
  engine::SimulationPlan plan;
  // The kernel of each assignment of the protocol (between runs and in `at` blocks).
  std::unordered_map<const ast::AssignStmt*, std::unique_ptr<engine::Kernel>> assignments;
};

struct LoweringOptions {
  // Brian2 evaluates `t` at the stages' own times in rk2/rk4/heun; docs/language.md.
  bool hold_time_in_stages = false;
  // Where relative spike files are read from (the directory of the .snn file).
  std::filesystem::path base_directory;
};

// std::nullopt when something could not be lowered (reported in diags with its source range).
std::optional<LoweredExperiment> lowerExperiment(const sema::CheckedProgram& program,
                                                 const equations::EquationsProgram& equations,
                                                 const sema::CheckedExperiment& experiment,
                                                 const LoweringOptions& options,
                                                 const KernelFactory& factory, Diagnostics& diags);

}  // namespace snn::lower
