// Lookups on the checked program; see checked_program.h.
#include "compiler/sema/checked_program.h"

namespace snn::sema {

std::string Type::describe() const {
  switch (kind) {
    case TypeKind::Boolean:
      return "a condition";
    case TypeKind::Error:
      return "an erroneous value";
    case TypeKind::Quantity:
      break;
  }
  return is_list ? "a list of " + dim.toUnitString() : dim.toUnitString();
}

const char* spelling(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Parameter:
      return "parameter";
    case SymbolKind::State:
      return "state variable";
    case SymbolKind::SubExpression:
      return "sub-expression";
    case SymbolKind::Builtin:
      return "built-in variable";
    case SymbolKind::Noise:
      return "white noise";
    case SymbolKind::Unit:
      return "unit";
    case SymbolKind::PreVariable:
      return "presynaptic variable";
    case SymbolKind::PostVariable:
      return "postsynaptic variable";
    case SymbolKind::Let:
      return "constant";
    case SymbolKind::TimedArray:
      return "timed array";
    case SymbolKind::Function:
      return "built-in function";
    case SymbolKind::Population:
      return "population";
    case SymbolKind::Connection:
      return "connection";
    case SymbolKind::SynapseVariable:
      return "synapse variable";
  }
  return "name";
}

const Type* ExprTables::typeOf(const ast::Expr* e) const {
  auto it = types.find(e);
  return it == types.end() ? nullptr : &it->second;
}
const Resolution* ExprTables::resolutionOf(const ast::Expr* e) const {
  auto it = resolutions.find(e);
  return it == resolutions.end() ? nullptr : &it->second;
}
const Resolution* ExprTables::targetOf(const ast::LValue* lv) const {
  auto it = targets.find(lv);
  return it == targets.end() ? nullptr : &it->second;
}

std::optional<CheckedModel::VariableRef> CheckedModel::findVariable(std::string_view name) const {
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    if (parameters[k].name == name) {
      return VariableRef{SymbolKind::Parameter, k, Type::quantity(parameters[k].dim),
                         parameters[k].decl ? parameters[k].decl->name_range : SourceRange{}};
    }
  }
  for (std::size_t k = 0; k < states.size(); ++k) {
    if (states[k].name == name) {
      return VariableRef{SymbolKind::State, k, Type::quantity(states[k].dim),
                         states[k].decl ? states[k].decl->name_range : SourceRange{}};
    }
  }
  for (std::size_t k = 0; k < subexpressions.size(); ++k) {
    if (subexpressions[k].name == name) {
      return VariableRef{
          SymbolKind::SubExpression, k, subexpressions[k].type,
          subexpressions[k].decl ? subexpressions[k].decl->name_range : SourceRange{}};
    }
  }
  if (isNeuron() && name == "lastspike") {
    return VariableRef{SymbolKind::Builtin,
                       0,
                       Type::quantity(units::Dimension::base(units::BaseDimension::Time)),
                       {}};
  }
  return std::nullopt;
}

const CheckedParameter* CheckedModel::findParameter(std::string_view name) const {
  for (const auto& p : parameters)
    if (p.name == name) return &p;
  return nullptr;
}

std::string CheckedPopulation::modelName() const {
  switch (kind) {
    case PopulationKind::Neuron:
      return model ? model->name : std::string();
    case PopulationKind::Poisson:
      return "poisson";
    case PopulationKind::SpikeGenerator:
      return "spikes";
  }
  return {};
}

std::optional<CheckedModel::VariableRef> CheckedPopulation::findVariable(
    std::string_view name) const {
  if (model) return model->findVariable(name);
  if (name == "lastspike") {
    return CheckedModel::VariableRef{
        SymbolKind::Builtin,
        0,
        Type::quantity(units::Dimension::base(units::BaseDimension::Time)),
        {}};
  }
  return std::nullopt;
}

const CheckedPopulation* CheckedExperiment::findPopulation(std::string_view name) const {
  for (const auto& p : populations)
    if (p.name == name) return &p;
  return nullptr;
}

const CheckedConnect* CheckedExperiment::findConnect(std::string_view name) const {
  for (const auto& c : connects)
    if (!c.name.empty() && c.name == name) return &c;
  return nullptr;
}

const CheckedModel* CheckedProgram::findModel(std::string_view name) const {
  for (const auto& m : models)
    if (m->name == name) return m.get();
  return nullptr;
}

const CheckedLet* CheckedProgram::findLet(std::string_view name) const {
  for (const auto& l : lets)
    if (l.name == name) return &l;
  return nullptr;
}

}  // namespace snn::sema
