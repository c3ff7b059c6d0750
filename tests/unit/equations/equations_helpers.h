// Shared by the equations tests: check a program held in memory (sema_helpers.h), then build
// the symbolic form of a model's ODEs and evaluate it with named values.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "compiler/equations/equations.h"
#include "compiler/equations/ode_analysis.h"
#include "compiler/equations/symbolic.h"
#include "compiler/equations/symbolic_builder.h"
#include "tests/unit/sema/sema_helpers.h"

namespace snn::testing {

inline std::string readSourceFile(const std::string& relative) {
  std::ifstream in(std::string(SNN_SOURCE_DIR) + "/" + relative);
  REQUIRE(in.good());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The symbolic right-hand side of `dX/dt` in a model.
inline equations::Expr odeRhs(const Checked& c, std::string_view model, std::string_view state) {
  const auto& m = c.checkedModel(model);
  equations::SymbolicBuilder builder(c.program, m);
  for (const auto& ode : m.odes) {
    if (m.states[ode.state].name == state) {
      equations::Expr e = builder.build(*ode.rhs);
      REQUIRE(e);
      return e;
    }
  }
  FAIL("no equation for " << state);
  return equations::Expr();
}

// The leaf of state `name` of a model, as the analyses use it.
inline equations::Expr stateLeaf(const Checked& c, std::string_view model, std::string_view name) {
  const auto& m = c.checkedModel(model);
  for (std::size_t k = 0; k < m.states.size(); ++k)
    if (m.states[k].name == name) return equations::stateRef(k, m.states[k].name);
  FAIL("no state " << name);
  return equations::Expr();
}

// Values by name for states, inputs, built-ins and `pre.`/`post.` variables; parameters not
// named take the model's default values.
struct Values {
  const sema::CheckedModel* model = nullptr;
  std::map<std::string, double> named;

  double operator()(const equations::Node& n, std::span<const double> args) const {
    auto it = named.find(n.name);
    if (it != named.end()) return it->second;
    if (n.op == equations::Op::Parameter && model && n.index < model->parameters.size()) {
      return model->parameters[n.index].value;
    }
    FAIL("no value for " << n.name);
    return NAN;
  }
};

inline double eval(const equations::Expr& e, const Values& values) {
  return equations::evaluate(
      e, [&](const equations::Node& n, std::span<const double> args) { return values(n, args); });
}

inline double parameterValue(const sema::CheckedModel& m, std::string_view name) {
  const auto* p = m.findParameter(name);
  REQUIRE(p != nullptr);
  return p->value;
}

}  // namespace snn::testing
