// The model summary of `snnc check -v`; see summary.h.
#include "compiler/sema/summary.h"

#include <cmath>
#include <unordered_set>

#include <fmt/format.h>

#include "compiler/units/unit_table.h"

namespace snn::sema {
namespace {

const char* kindName(const CheckedModel& m) {
  return m.isNeuron() ? "neuron" : "synapse";
}

std::string typeText(const Type& t) {
  if (t.isBoolean()) return "condition";
  if (t.isError()) return "(error)";
  return t.dim.toUnitString();
}

}  // namespace

void printModelSummary(const CheckedProgram& program, std::ostream& out) {
  printModelSummary(program, out, nullptr);
}

void printModelSummary(const CheckedProgram& program, std::ostream& out,
                       const IntegrationMethodHook& method_of) {
  printModelSummary(program, out, method_of, nullptr);
}

ModelFilter modelsOfRootFile(const CheckedProgram& program, const ast::Module& root) {
  std::unordered_set<const CheckedModel*> used;
  for (const auto& model : program.models) {
    for (const auto& decl : root.models) {
      if (model->decl == &decl) used.insert(model.get());
    }
  }
  for (const auto& experiment : program.experiments) {
    bool in_root = false;
    for (const auto& decl : root.experiments) in_root = in_root || experiment.decl == &decl;
    if (!in_root) continue;
    for (const auto& population : experiment.populations) {
      if (population.model) used.insert(population.model);
    }
    for (const auto& connect : experiment.connects) {
      if (connect.synapse) used.insert(connect.synapse);
    }
  }
  return [used = std::move(used)](const CheckedModel& m) { return used.count(&m) > 0; };
}

void printModelSummary(const CheckedProgram& program, std::ostream& out,
                       const IntegrationMethodHook& method_of, const ModelFilter& include) {
  for (const auto& model : program.models) {
    const CheckedModel& m = *model;
    if (include && !include(m)) continue;
    out << kindName(m) << " " << m.name << "\n";
    if (!m.parameters.empty()) {
      out << "  parameters:\n";
      for (const auto& p : m.parameters) {
        out << "    " << p.name << " = "
            << (std::isnan(p.value) ? std::string("?") : units::formatQuantity(p.value, p.dim))
            << "\n";
      }
    }
    if (!m.states.empty()) {
      out << "  state:\n";
      for (const auto& s : m.states) {
        out << "    " << s.name << " : " << s.dim.toUnitString() << (s.init ? "" : " (starts at 0)")
            << "\n";
      }
    }
    if (!m.subexpressions.empty()) {
      out << "  sub-expressions:\n";
      for (const auto& s : m.subexpressions)
        out << "    " << s.name << " : " << typeText(s.type) << "\n";
    }
    if (!m.odes.empty() || !m.summed.empty()) {
      out << "  equations:\n";
      for (const auto& ode : m.odes) {
        const auto& s = m.states[ode.state];
        std::string flags;
        if (ode.unless_refractory) flags += " (unless refractory)";
        if (m.isSynapse()) flags += ode.event_driven ? " (event-driven)" : " (clock-driven)";
        if (ode.has_noise) flags += " (stochastic)";
        std::string method = method_of          ? method_of(m, ode)
                             : m.method.empty() ? std::string("chosen automatically")
                                                : m.method + " (declared)";
        out << "    d" << s.name << "/dt" << flags << ", method " << method << "\n";
      }
      for (const auto& sum : m.summed) {
        out << "    " << (sum.is_post ? "post." : "pre.") << sum.variable << " (summed)\n";
      }
    }
    if (m.isNeuron()) {
      out << "  threshold: " << (m.threshold ? "yes" : "none")
          << ", reset: " << (m.reset ? "yes" : "none") << ", refractory: ";
      switch (m.refractory_kind) {
        case RefractoryKind::None:
          out << "none";
          break;
        case RefractoryKind::Condition:
          out << "while a condition holds";
          break;
        case RefractoryKind::Time:
          out << (m.refractory_time
                      ? units::formatQuantity(*m.refractory_time,
                                              units::Dimension::base(units::BaseDimension::Time))
                      : std::string("a time per neuron"));
          break;
      }
      out << "\n";
    } else {
      std::string handlers;
      for (const auto& h : m.handlers) handlers += (handlers.empty() ? "on " : ", on ") + h.event;
      out << "  events: " << (handlers.empty() ? "none" : handlers);
      if (m.delay_time) {
        out << ", delay "
            << units::formatQuantity(*m.delay_time,
                                     units::Dimension::base(units::BaseDimension::Time));
      }
      out << "\n";
    }
  }
}

}  // namespace snn::sema
