// The program checker: file-level lets first (models use them), then every model, then every
// experiment (they use models). See check.h.
#include "compiler/sema/check.h"

#include "compiler/sema/experiment_checker.h"
#include "compiler/sema/let_checker.h"
#include "compiler/sema/model_checker.h"
#include "compiler/sema/reporter.h"
#include "compiler/sema/scope.h"

namespace snn::sema {

CheckedProgram check(std::span<const ast::Module> modules, Diagnostics& diags) {
  CheckedProgram program;
  Reporter reporter(diags);
  SemaState state(reporter, program);

  std::vector<const ast::LetDecl*> lets;
  for (const auto& module : modules)
    for (const auto& let : module.lets) lets.push_back(&let);
  checkFileLets(state, lets);

  for (const auto& module : modules) {
    for (const auto& model : module.models) {
      // Model names live apart from variables (they appear only after `population X =` and
      // `using`), so only the built-in generators' names are taken.
      if (model.name == kPoissonGenerator || model.name == kSpikeGenerator) {
        reporter.report(DiagnosticKind::ReservedName, model.name_range, model.name);
      } else if (auto [it, inserted] = state.model_decls.emplace(model.name, &model); !inserted) {
        reporter.report(DiagnosticKind::DuplicateDefinition, model.name_range, model.name)
            .note(it->second->name_range, "first defined here");
      }
      // Checked even when misnamed, so that errors inside are reported too; only the first
      // model of a name is found by findModel.
      program.models.push_back(std::make_unique<CheckedModel>());
      checkModel(state, model, *program.models.back());
    }
  }

  std::size_t experiments = 0;
  for (const auto& module : modules) experiments += module.experiments.size();
  program.experiments.reserve(experiments);
  std::unordered_map<std::string, SourceRange> experiment_names;
  for (const auto& module : modules) {
    for (const auto& experiment : module.experiments) {
      if (auto [it, inserted] = experiment_names.emplace(experiment.name, experiment.name_range);
          !inserted) {
        reporter.report(DiagnosticKind::DuplicateDefinition, experiment.name_range, experiment.name)
            .note(it->second, "first defined here");
      }
      program.experiments.emplace_back();
      checkExperiment(state, experiment, program.experiments.back());
    }
  }
  return program;
}

}  // namespace snn::sema
