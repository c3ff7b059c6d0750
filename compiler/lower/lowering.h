// Internal to compiler/lower: the state shared by the lowering of one experiment's populations,
// connections and protocol (group_lowering.cpp, connection_lowering.cpp, lower.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "compiler/equations/integrators.h"
#include "compiler/equations/symbolic_builder.h"
#include "compiler/lower/kernel_context.h"
#include "compiler/lower/lower.h"
#include "compiler/lower/statements.h"

namespace snn::lower {

// Random streams: each population and connection owns a block of kStreamsPerOwner streams, one
// per kind of kernel, so adding a kernel to one never shifts another's numbers.
inline constexpr std::uint32_t kStreamsPerOwner = 8;
enum class StreamKind : std::uint32_t {
  Init,
  Update,
  Threshold,
  Reset,
  OnPre,
  OnPost,
  Delay,
  Other
};

// A user-facing failure: the message, and where to point.
struct LoweringFailure {
  std::string message;
  SourceRange range;
};

class Lowerer {
 public:
  Lowerer(const sema::CheckedProgram& program, const equations::EquationsProgram& equations,
          const sema::CheckedExperiment& experiment, const LoweringOptions& options,
          const KernelFactory& factory, Diagnostics& diags)
      : program_(program),
        equations_(equations),
        experiment_(experiment),
        options_(options),
        factory_(factory),
        diags_(diags) {}

  std::optional<LoweredExperiment> run();

 private:
  // group_lowering.cpp
  engine::GroupPlan lowerGroup(std::size_t index);
  void lowerNeuronGroup(const sema::CheckedPopulation& p, std::size_t index, engine::GroupPlan& g);
  void lowerPoissonGroup(const sema::CheckedPopulation& p, std::size_t index, engine::GroupPlan& g);
  void lowerSpikeGenerator(const sema::CheckedPopulation& p, engine::GroupPlan& g);
  // connection_lowering.cpp
  engine::ConnectionPlan lowerConnection(std::size_t index);
  // lower.cpp
  std::unique_ptr<engine::Kernel> lowerAssignment(const sema::CheckedAssign& assign);

 public:
  // Shared helpers.
  std::uint32_t stream(bool connection, std::size_t owner, StreamKind kind) const;
  // `cold`: see ir::Kernel::cold (the diagnose twins).
  std::unique_ptr<engine::Kernel> finish(KernelContext& kernel, bool cold = false);
  // Runs `body`, turning LoweringError into a diagnostic at `fallback` (or the node's origin).
  template <typename F>
  bool guard(SourceRange fallback, F&& body);
  void fail(const std::string& message, SourceRange range);
  // The integration step of one set of ODEs (clock-driven) with the population's parameters.
  std::optional<equations::IntegrationStep> integrationStep(const sema::CheckedModel& model,
                                                            const equations::SystemAnalysis& system,
                                                            equations::Method method,
                                                            const std::vector<double>& parameters,
                                                            SourceRange where);
  // Applies an integration step to a kernel: new values of every ODE variable; where
  // `not_refractory` is false, the values of `frozen` (the step of frozenSystem()) instead, or
  // without it the old values of `(unless refractory)` variables; then the non-finite check
  // ("_fault", the old values kept where it fails). With `diagnose`, the kernel instead stores
  // each new value into "new.<variable>" (vm/engine/plan.h). Returns the updated names.
  std::vector<std::string> applyStep(const sema::CheckedModel& model,
                                     const equations::IntegrationStep& step, KernelContext& kernel,
                                     std::optional<ir::ValueId> not_refractory, bool diagnose,
                                     const equations::IntegrationStep* frozen = nullptr);

  const sema::CheckedProgram& program_;
  const equations::EquationsProgram& equations_;
  const sema::CheckedExperiment& experiment_;
  const LoweringOptions& options_;
  const KernelFactory& factory_;
  Diagnostics& diags_;
  bool failed_ = false;
  std::map<std::string, const sema::CheckedLet*> tables_;  // timed arrays used, by name
};

template <typename F>
bool Lowerer::guard(SourceRange fallback, F&& body) {
  try {
    body();
    return true;
  } catch (const LoweringError& e) {
    fail(e.what, e.where ? e.where->range : fallback);
  } catch (const LoweringFailure& e) {
    fail(e.message, e.range.valid() ? e.range : fallback);
  }
  return false;
}

// The system as Brian2 integrates it for a refractory neuron: the `(unless refractory)`
// equations have a zero right-hand side (their variables are held), the others see them held.
equations::SystemAnalysis frozenSystem(const sema::CheckedModel& model,
                                       const equations::SystemAnalysis& system);

// The unit of a dimension for outputs ("volt", "1").
std::string unitName(const units::Dimension& dim);

}  // namespace snn::lower
