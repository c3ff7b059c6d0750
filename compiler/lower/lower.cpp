// The lowering of one experiment: populations, connections, inputs, timed arrays and the
// protocol's assignments; see lower.h.
#include "compiler/lower/lower.h"

#include <fmt/format.h>

#include "compiler/equations/exact.h"
#include "compiler/equations/integrators.h"
#include "compiler/lower/lowering.h"

namespace snn::lower {

using ir::ValueId;

std::string unitName(const units::Dimension& dim) {
  return dim.isDimensionless() ? "1" : dim.toUnitString();
}

std::uint32_t Lowerer::stream(bool connection, std::size_t owner, StreamKind kind) const {
  // Stream 0 is left unused; owners are numbered populations first, then connections, then
  // poisson inputs (owner >= populations + connections).
  std::size_t number = connection ? experiment_.populations.size() + owner : owner;
  return static_cast<std::uint32_t>(1 + number * kStreamsPerOwner +
                                    static_cast<std::uint32_t>(kind));
}

void Lowerer::fail(const std::string& message, SourceRange range) {
  diags_.report(DiagnosticKind::CannotLower, range, message);
  failed_ = true;
}

std::unique_ptr<engine::Kernel> Lowerer::finish(KernelContext& kernel, bool cold) {
  for (const auto* let : kernel.tablesUsed()) tables_[let->name] = let;
  ir::Kernel taken = kernel.take();
  taken.cold = cold;
  return factory_(std::move(taken));
}

equations::SystemAnalysis frozenSystem(const sema::CheckedModel& model,
                                       const equations::SystemAnalysis& system) {
  equations::SystemAnalysis frozen = system;
  const equations::Expr zero = equations::constant(0.0);
  for (std::size_t k = 0; k < frozen.odes.size(); ++k) {
    auto& ode = frozen.odes[k];
    if (!model.odes.at(ode.ode).unless_refractory) continue;
    ode.rhs = zero;
    ode.drift = zero;
    for (auto& term : ode.noise) term.factor = zero;
    if (ode.conditionally_linear)
      ode.conditionally_linear = equations::ConditionallyLinear{zero, zero};
    if (frozen.linear) {
      for (auto& entry : frozen.linear->A.at(k)) entry = zero;
      frozen.linear->b.at(k) = zero;
    }
  }
  return frozen;
}

std::optional<equations::IntegrationStep> Lowerer::integrationStep(
    const sema::CheckedModel& model, const equations::SystemAnalysis& system,
    equations::Method method, const std::vector<double>& parameters, SourceRange where) {
  if (method == equations::Method::Exact) {
    auto values = [&](const equations::Node& leaf) -> std::optional<double> {
      if (leaf.op == equations::Op::Constant) return leaf.value;
      if (leaf.op == equations::Op::Parameter && leaf.index < parameters.size()) {
        return parameters[leaf.index];
      }
      if (leaf.op == equations::Op::Builtin && leaf.builtin == sema::BuiltinVariable::Dt) {
        return experiment_.dt;
      }
      return std::nullopt;
    };
    auto result = equations::integrateExact(system, values, experiment_.dt);
    if (auto* failure = std::get_if<equations::ExactFailure>(&result)) {
      SourceRange at =
          failure->term && failure->term->origin ? failure->term->origin->range : where;
      diags_.report(DiagnosticKind::MethodNotApplicable, at, "exact",
                    fmt::format("the equations of `{}`", model.name), failure->reason);
      failed_ = true;
      return std::nullopt;
    }
    return std::get<equations::IntegrationStep>(std::move(result));
  }
  equations::IntegratorOptions options;
  options.hold_time = options_.hold_time_in_stages;
  auto step = equations::integrate(system, method, options);
  if (!step) {
    fail(fmt::format("`{}` cannot integrate the equations of `{}`", equations::spelling(method),
                     model.name),
         where);
  }
  return step;
}

std::unique_ptr<engine::Kernel> Lowerer::lowerAssignment(const sema::CheckedAssign& assign) {
  const ast::AssignStmt& stmt = *assign.stmt;
  std::unique_ptr<engine::Kernel> result;
  guard(stmt.target.range, [&] {
    if (!stmt.value) throw LoweringFailure{"an assignment without a value", stmt.target.range};
    if (!assign.of_connect) {
      const auto& p = experiment_.populations.at(assign.owner);
      if (!p.model) {
        throw LoweringFailure{fmt::format("`{}` has no variables to assign", p.name),
                              stmt.target.range};
      }
      KernelContext k(fmt::format("{}.{} {}", p.name, assign.variable, ast::spelling(stmt.op)),
                      ir::Domain::Neurons, KernelShape::Neuron,
                      stream(false, assign.owner, StreamKind::Other));
      k.own_names.clear();
      for (const auto& s : p.model->states) k.own_names.push_back(s.name);
      k.parameters = p.parameter_values;
      k.size = static_cast<double>(p.size);
      k.dt = experiment_.dt;
      equations::SymbolicBuilder symbols(program_, *p.model);
      ValueId v = k.lower(symbols.build(*stmt.value));
      lower::lowerAssignment({false, false, assign.variable}, stmt.op, v, k, std::nullopt);
      result = finish(k);
    } else {
      const auto& c = experiment_.connects.at(assign.owner);
      const auto& source = experiment_.populations[c.source];
      const auto& target = experiment_.populations[c.target];
      std::string name = c.name.empty() ? source.name + "->" + target.name : c.name;
      KernelContext k(fmt::format("{}.{} {}", name, assign.variable, ast::spelling(stmt.op)),
                      ir::Domain::AllSynapses, KernelShape::Synapse,
                      stream(true, assign.owner, StreamKind::Other));
      if (c.synapse) {
        for (const auto& s : c.synapse->states) k.own_names.push_back(s.name);
        k.parameters = c.synapse_parameter_values;
      } else {
        for (const auto& v : c.inline_variables) k.own_names.push_back(v.name);
      }
      k.n_pre = static_cast<double>(source.size);
      k.n_post = static_cast<double>(target.size);
      k.dt = experiment_.dt;
      static const sema::CheckedModel no_model;
      equations::SymbolicBuilder symbols(program_, c.synapse ? *c.synapse : no_model);
      ValueId v = k.lower(symbols.build(*stmt.value));
      lower::lowerAssignment({false, false, assign.variable}, stmt.op, v, k, std::nullopt);
      result = finish(k);
    }
  });
  return result;
}

std::optional<LoweredExperiment> Lowerer::run() {
  LoweredExperiment out;
  engine::SimulationPlan& plan = out.plan;
  plan.experiment = experiment_.name;
  plan.dt = experiment_.dt;
  plan.seed = experiment_.seed.value_or(0);
  for (std::size_t k = 0; k < experiment_.populations.size(); ++k) {
    plan.groups.push_back(lowerGroup(k));
  }
  for (std::size_t k = 0; k < experiment_.connects.size(); ++k) {
    plan.connections.push_back(lowerConnection(k));
  }
  std::size_t inputs = 0;
  auto lowerAssignments = [&](const std::vector<sema::CheckedAssign>& list) {
    for (const auto& a : list) out.assignments[a.stmt] = lowerAssignment(a);
  };
  for (const auto& step : experiment_.steps) {
    if (const auto* a = std::get_if<sema::CheckedAssign>(&step)) {
      out.assignments[a->stmt] = lowerAssignment(*a);
    } else if (const auto* at = std::get_if<sema::CheckedAt>(&step)) {
      lowerAssignments(at->assignments);
    } else if (const auto* input = std::get_if<sema::CheckedPoissonInput>(&step)) {
      engine::PoissonInputPlan p;
      p.group = input->population;
      p.variable = input->variable;
      p.n = input->n;
      p.rate = input->rate;
      p.weight = input->weight;
      std::size_t owner = experiment_.populations.size() + experiment_.connects.size() + inputs++;
      p.stream = static_cast<std::uint32_t>(1 + owner * kStreamsPerOwner);
      plan.poisson_inputs.push_back(std::move(p));
    }
  }
  for (const auto& [name, let] : tables_) {
    plan.tables.push_back({name, let->values, let->dt});
  }
  if (failed_) return std::nullopt;
  return out;
}

std::optional<LoweredExperiment> lowerExperiment(const sema::CheckedProgram& program,
                                                 const equations::EquationsProgram& equations,
                                                 const sema::CheckedExperiment& experiment,
                                                 const LoweringOptions& options,
                                                 const KernelFactory& factory, Diagnostics& diags) {
  Lowerer lowerer(program, equations, experiment, options, factory, diags);
  return lowerer.run();
}

}  // namespace snn::lower
