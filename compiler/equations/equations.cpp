// The equations stage over a whole program; see equations.h.
#include "compiler/equations/equations.h"

namespace snn::equations {
namespace {

// Whether sema reported an error inside the model's declaration.
bool hasErrorsIn(const sema::CheckedModel& model, const Diagnostics& diags) {
  if (!model.decl) return true;
  const SourceRange r = model.decl->range;
  for (const auto& d : diags.all()) {
    if (d.severity < Severity::Error || !d.range.valid()) continue;
    if (d.range.file == r.file && r.begin <= d.range.begin && d.range.end <= r.end) return true;
  }
  return false;
}

}  // namespace

const ModelEquations* EquationsProgram::find(const sema::CheckedModel& model) const {
  auto it = models_.find(&model);
  return it == models_.end() ? nullptr : it->second.get();
}

std::string EquationsProgram::describeMethod(const sema::CheckedModel& model,
                                             const sema::CheckedOde& ode) const {
  const ModelEquations* m = find(model);
  if (!m) return "not analysed";
  const auto& choice = ode.event_driven ? m->methods.event_driven : m->methods.clock_driven;
  return choice ? choice->describe() : std::string("not analysed");
}

sema::IntegrationMethodHook EquationsProgram::methodHook() const {
  return [this](const sema::CheckedModel& model, const sema::CheckedOde& ode) {
    return describeMethod(model, ode);
  };
}

EquationsProgram analyzeEquations(const sema::CheckedProgram& program, Diagnostics& diags) {
  EquationsProgram out;
  for (const auto& model : program.models) {
    if (hasErrorsIn(*model, diags)) continue;
    auto m = std::make_unique<ModelEquations>();
    m->analysis = analyzeModel(program, *model);
    m->methods = chooseMethods(program, *model, m->analysis, diags);
    out.models_.emplace(model.get(), std::move(m));
  }
  return out;
}

}  // namespace snn::equations
