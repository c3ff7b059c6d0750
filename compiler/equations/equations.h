// The equations stage's entry point: every model's ODEs analysed (ode_analysis.h) and given an
// integration method (method_choice.h), with diagnostics for methods that do not apply.
//
// It runs on sema's output and skips a model in which sema reported an error (its tables may
// have holes there), so that one run of `snnc check` shows sema's errors and this stage's.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "compiler/diagnostics/diagnostics.h"
#include "compiler/equations/method_choice.h"
#include "compiler/equations/ode_analysis.h"
#include "compiler/sema/checked_program.h"
#include "compiler/sema/summary.h"

namespace snn::equations {

struct ModelEquations {
  ModelAnalysis analysis;
  ModelMethods methods;
};

class EquationsProgram {
 public:
  // The analysis of a model, or null when it was skipped (errors in it).
  const ModelEquations* find(const sema::CheckedModel& model) const;
  // The method of one ODE and why, for `snnc check -v`: "exact (linear with constant
  // coefficients)", "euler (declared)"; "not analysed" for a skipped model.
  std::string describeMethod(const sema::CheckedModel& model, const sema::CheckedOde& ode) const;
  // describeMethod as the hook sema's summary takes; refers to *this, which must outlive it.
  sema::IntegrationMethodHook methodHook() const;

 private:
  friend EquationsProgram analyzeEquations(const sema::CheckedProgram&, Diagnostics&);
  std::unordered_map<const sema::CheckedModel*, std::unique_ptr<ModelEquations>> models_;
};

EquationsProgram analyzeEquations(const sema::CheckedProgram& program, Diagnostics& diags);

}  // namespace snn::equations
