// Connections: the rule's pair kernels, synapse variables and their initial values, delays,
// `on pre` / `on post` with event-driven variables advanced lazily, clock-driven updates and
// summed variables; see lower.h.
#include <fmt/format.h>

#include "compiler/equations/exact.h"
#include "compiler/lower/lowering.h"

namespace snn::lower {

using ir::Opcode;
using ir::ValueId;
using sema::SymbolKind;

namespace {

const sema::CheckedModel& emptySynapse() {
  static const sema::CheckedModel model = [] {
    sema::CheckedModel m;
    m.kind = ast::ModelKind::Synapse;
    return m;
  }();
  return model;
}

// Maps the names of connection code that are not the synapse model's own: an inline synapse's
// variables, and a neighbour's parameters (constants of its population).
equations::SymbolicBuilder::NameHook connectHook(const sema::CheckedExperiment& experiment,
                                                 const sema::CheckedConnect& c) {
  return [&experiment, &c](const ast::Expr& e, const sema::Resolution& r) -> equations::Expr {
    if (r.kind == SymbolKind::SynapseVariable) {
      return equations::stateRef(r.index, r.name, &e);
    }
    if (r.kind != SymbolKind::PreVariable && r.kind != SymbolKind::PostVariable) return {};
    const bool is_post = r.kind == SymbolKind::PostVariable;
    SymbolKind member = r.member_kind;
    std::size_t index = r.index;
    if (!r.model) {  // inside a synapse model: bound per connect
      for (const auto& binding : c.pre_post) {
        if (binding.is_post == is_post && binding.name == r.name) {
          member = binding.kind;
          index = binding.index;
        }
      }
    }
    const auto& population = experiment.populations[is_post ? c.target : c.source];
    if (member == SymbolKind::Parameter) {
      return equations::constant(population.parameter_values.at(index), &e);
    }
    if (member == SymbolKind::SubExpression) {
      throw LoweringError{
          fmt::format("`{}.{}` is a sub-expression of the neuron model; synapses can read its "
                      "state variables and parameters only (make it a state, or repeat the "
                      "expression)",
                      is_post ? "post" : "pre", r.name),
          &e};
    }
    return equations::neighbourRef(is_post, r.name, &e);
  };
}

}  // namespace

engine::ConnectionPlan Lowerer::lowerConnection(std::size_t index) {
  const auto& c = experiment_.connects[index];
  const auto& source = experiment_.populations[c.source];
  const auto& target = experiment_.populations[c.target];
  const sema::CheckedModel& model = c.synapse ? *c.synapse : emptySynapse();
  const SourceRange where = c.decl ? c.decl->source_range : SourceRange{};
  engine::ConnectionPlan plan;
  plan.name = c.name.empty() ? source.name + "->" + target.name : c.name;
  plan.source = c.source;
  plan.target = c.target;
  plan.stream = stream(true, index, StreamKind::Other);

  std::vector<std::string> own;
  if (c.synapse) {
    for (const auto& s : model.states) {
      own.push_back(s.name);
      plan.variables.push_back({s.name, unitName(s.dim), 0.0});
    }
  } else {
    for (const auto& v : c.inline_variables) {
      own.push_back(v.name);
      plan.variables.push_back({v.name, unitName(v.type.dim), 0.0});
    }
  }
  const equations::ModelEquations* eq = c.synapse ? equations_.find(model) : nullptr;
  const bool event_driven = eq && !eq->analysis.event_driven.empty();
  std::size_t lastupdate = own.size();
  if (event_driven) {
    own.push_back("lastupdate");
    plan.variables.push_back({"lastupdate", "second", 0.0});
  }

  auto hook = connectHook(experiment_, c);
  auto name = [&](const std::string& suffix) { return plan.name + "." + suffix; };
  auto configure = [&](KernelContext& k) {
    k.own_names = own;
    k.parameters = c.synapse_parameter_values;
    k.n_pre = static_cast<double>(source.size);
    k.n_post = static_cast<double>(target.size);
    k.dt = experiment_.dt;
  };
  auto symbols = [&] {
    equations::SymbolicBuilder s(program_, model);
    s.setNameHook(hook);
    return s;
  };
  auto pairKernel = [&](const std::string& suffix, const ast::Expr& e, bool condition) {
    std::unique_ptr<engine::Kernel> result;
    guard(e.range, [&] {
      KernelContext k(name(suffix), ir::Domain::Pairs, KernelShape::Pair,
                      stream(true, index, StreamKind::Other));
      configure(k);
      auto s = symbols();
      ValueId v = k.lower(s.build(e));
      v = condition ? k.asFloat(k.asBool(v)) : k.asFloat(v);
      k.builder().store("result", k.element(), v);
      result = finish(k);
    });
    return result;
  };

  // The rule.
  switch (c.rule) {
    case sema::ConnectRule::All:
      plan.rule = engine::ConnectionRule::All;
      break;
    case sema::ConnectRule::OneToOne:
      plan.rule = engine::ConnectionRule::OneToOne;
      break;
    case sema::ConnectRule::FixedIndegree:
      plan.rule = engine::ConnectionRule::FixedIndegree;
      plan.fixed_count = c.fixed_count;
      break;
    case sema::ConnectRule::FixedOutdegree:
      plan.rule = engine::ConnectionRule::FixedOutdegree;
      plan.fixed_count = c.fixed_count;
      break;
    case sema::ConnectRule::Probability: {
      auto s = symbols();
      equations::Expr p;
      guard(c.rule_value->range, [&] { p = equations::simplify(s.build(*c.rule_value)); });
      if (p && p->isConstant()) {
        plan.rule = engine::ConnectionRule::Probability;
        plan.probability = p->value;
        if (!(plan.probability >= 0 && plan.probability <= 1)) {
          fail(fmt::format("a connection probability must lie in [0, 1], found {}", p->value),
               c.rule_value->range);
        }
      } else {
        plan.rule = engine::ConnectionRule::PairProbability;
        plan.pair_probability = pairKernel("probability", *c.rule_value, false);
      }
      break;
    }
    case sema::ConnectRule::Explicit:
      plan.rule = engine::ConnectionRule::Explicit;
      plan.target_map = pairKernel("target", *c.rule_value, false);
      break;
  }
  if (c.condition) plan.condition = pairKernel("condition", *c.condition, true);

  auto resolver = [&](const ast::LValue& lv, const sema::Resolution& r) -> WriteTarget {
    switch (r.kind) {
      case SymbolKind::State:
        if (c.synapse && r.index < model.states.size())
          return {false, false, model.states[r.index].name};
        break;
      case SymbolKind::SynapseVariable:
        if (r.index < c.inline_variables.size())
          return {false, false, c.inline_variables[r.index].name};
        break;
      case SymbolKind::PreVariable:
      case SymbolKind::PostVariable:
        return {true, r.kind == SymbolKind::PostVariable, r.name};
      default:
        break;
    }
    throw LoweringFailure{fmt::format("`{}` cannot be assigned here", lv.name), lv.range};
  };

  // Initial values: the model's defaults (dependency order), then the connect's own.
  guard(where, [&] {
    KernelContext k(name("init"), ir::Domain::AllSynapses, KernelShape::Synapse,
                    stream(true, index, StreamKind::Init));
    configure(k);
    auto s = symbols();
    bool any = false;
    if (c.synapse) {
      for (std::size_t i : model.state_init_order) {
        if (!model.states[i].init) continue;
        k.setOwn(model.states[i].name, k.lower(s.build(*model.states[i].init)));
        any = true;
      }
      for (const auto& init : c.state_inits) {
        k.setOwn(model.states.at(init.state).name, k.lower(s.build(*init.value)));
        any = true;
      }
    } else {
      for (const auto& v : c.inline_variables) {
        if (!v.init) continue;
        k.setOwn(v.name, k.lower(s.build(*v.init)));
        any = true;
      }
    }
    if (any) plan.init = finish(k);
  });

  // Delays.
  if (c.delay_time) {
    plan.delay = *c.delay_time;
  } else if (c.delay) {
    guard(c.delay->range, [&] {
      KernelContext k(name("delay"), ir::Domain::AllSynapses, KernelShape::Synapse,
                      stream(true, index, StreamKind::Delay));
      configure(k);
      auto s = symbols();
      k.builder().store("delay", k.element(), k.asFloat(k.lower(s.build(*c.delay))));
      plan.delay_kernel = finish(k);
    });
  } else {
    plan.delay = 0.0;
  }

  // Events.
  const auto& handlers = c.synapse ? model.handlers : c.handlers;
  for (const auto& h : handlers) {
    const bool pre = h.event == "pre";
    SourceRange at = h.decl ? h.decl->range : where;
    guard(at, [&] {
      KernelContext k(name(pre ? "on_pre" : "on_post"), ir::Domain::Synapses, KernelShape::Synapse,
                      stream(true, index, pre ? StreamKind::OnPre : StreamKind::OnPost));
      configure(k);
      auto s = symbols();
      if (event_driven) {
        // Advance the event-driven variables exactly from their last update to now.
        equations::Expr delta = equations::builtinRef(sema::BuiltinVariable::T) -
                                equations::stateRef(lastupdate, "lastupdate");
        auto advanced = equations::advanceEventDriven(eq->analysis.event_driven, delta);
        if (auto* failure = std::get_if<equations::ExactFailure>(&advanced)) {
          throw LoweringFailure{failure->reason, failure->term && failure->term->origin
                                                     ? failure->term->origin->range
                                                     : at};
        }
        const auto& step = std::get<equations::IntegrationStep>(advanced);
        std::vector<std::pair<std::string, ValueId>> values;
        for (const auto& u : step.updates) {
          values.emplace_back(model.states.at(u.state).name, k.asFloat(k.lower(u.value)));
        }
        for (auto& [name, v] : values) k.setOwn(name, v);
        k.setOwn("lastupdate", k.builder().time());
      }
      if (h.body) lowerBlock(*h.body, program_, k, s, resolver);
      (pre ? plan.on_pre : plan.on_post) = finish(k);
    });
  }

  // Clock-driven synaptic equations.
  if (eq && !eq->analysis.clock_driven.empty() && eq->methods.clock_driven) {
    auto step = integrationStep(model, eq->analysis.clock_driven, eq->methods.clock_driven->method,
                                c.synapse_parameter_values, where);
    if (step) {
      for (bool diagnose : {false, true}) {
        guard(where, [&] {
          KernelContext k(name(diagnose ? "update.diagnose" : "update"), ir::Domain::AllSynapses,
                          KernelShape::Synapse, stream(true, index, StreamKind::Update));
          configure(k);
          auto names = applyStep(model, *step, k, std::nullopt, diagnose);
          if (diagnose) {
            plan.diagnose = finish(k, /*cold=*/true);
          } else {
            plan.fault_variables = std::move(names);
            plan.update = finish(k);
          }
        });
      }
    }
  }

  // Summed variables.
  if (c.synapse) {
    for (const auto& summed : model.summed) {
      guard(summed.expr ? summed.expr->range : where, [&] {
        KernelContext k(name("summed." + summed.variable), ir::Domain::AllSynapses,
                        KernelShape::Synapse, stream(true, index, StreamKind::Other));
        configure(k);
        auto s = symbols();
        ValueId v = k.asFloat(k.lower(s.build(*summed.expr)));
        k.builder().accumulate((summed.is_post ? "post." : "pre.") + summed.variable,
                               summed.is_post ? k.postIndex() : k.preIndex(), v);
        plan.summed.push_back({summed.variable, summed.is_post, finish(k)});
      });
    }
  }
  return plan;
}

}  // namespace snn::lower
