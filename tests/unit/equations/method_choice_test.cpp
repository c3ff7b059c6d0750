// Integration methods: the defaults for the standard library and the examples, the check of a
// declared method, and every error with its position.
#include <doctest/doctest.h>

#include "tests/unit/equations/equations_helpers.h"

namespace snn {
namespace {

using equations::Method;
using testing::checkText;

// Runs the equations stage on a checked program; its diagnostics join sema's.
equations::EquationsProgram analyse(testing::Checked& c) {
  return equations::analyzeEquations(c.program, c.diags);
}

std::string methodOf(const equations::EquationsProgram& eq, const sema::CheckedModel& m,
                     std::string_view state) {
  for (const auto& ode : m.odes)
    if (m.states[ode.state].name == state) return eq.describeMethod(m, ode);
  FAIL("no equation for " << state);
  return "";
}

TEST_CASE("method names") {
  CHECK(equations::parseMethod("exponential_euler") == Method::ExponentialEuler);
  CHECK(equations::parseMethod("rk5") == std::nullopt);
  // Every method sema accepts is one this stage knows, and back.
  for (auto name : sema::integrationMethods()) {
    CAPTURE(name);
    auto m = equations::parseMethod(name);
    REQUIRE(m);
    CHECK(equations::spelling(*m) == name);
  }
  CHECK(equations::isStochastic(Method::Heun));
  CHECK_FALSE(equations::isStochastic(Method::Euler));
}

TEST_CASE("defaults for the standard library") {
  auto c = testing::checkModules({testing::readSourceFile("stdlib/neurons.snn"),
                                  testing::readSourceFile("stdlib/synapses.snn"),
                                  testing::readSourceFile("stdlib/plasticity.snn")});
  CHECK_CLEAN(c);
  auto eq = analyse(*c);
  CHECK_CLEAN(c);
  auto method = [&](std::string_view model, std::string_view state) {
    return methodOf(eq, c->checkedModel(model), state);
  };
  CHECK(method("LIF", "V") == "exact (linear with constant coefficients)");
  CHECK(method("LIF", "I_syn") == "exact (linear with constant coefficients)");
  CHECK(method("LIFCond", "V") == "exponential_euler (conditionally linear in V, g_e, g_i)");
  CHECK(method("AdEx", "w") ==
        "rk4 (`V` appears in `exp((V - V_T) / Delta_T)`, which is not linear in `V`)");
  CHECK(method("Izhikevich", "v") == "rk4 (`v` appears in `v ** 2`, which is not linear in `v`)");
  CHECK(method("HH", "m") == "exponential_euler (conditionally linear in V, m, h, n, I_syn)");
  CHECK(method("ExpCurrent", "I") == "exact (linear with constant coefficients)");
  CHECK(method("AlphaCurrent", "x") == "exact (linear with constant coefficients)");
  CHECK(method("AlphaConductance", "g") == "exact (linear with constant coefficients)");
  CHECK(method("STDP", "Apre") == "exact (event-driven: solved exactly between events)");
  CHECK(method("TripletSTDP", "o2") == "exact (event-driven: solved exactly between events)");
  const auto* hh = eq.find(c->checkedModel("HH"));
  REQUIRE(hh);
  REQUIRE(hh->methods.clock_driven);
  CHECK(hh->methods.clock_driven->method == Method::ExponentialEuler);
  CHECK_FALSE(hh->methods.clock_driven->declared);
  CHECK_FALSE(hh->methods.event_driven);
}

TEST_CASE("every example passes the equations stage; declared methods are kept") {
  for (const char* name : {"cuba", "cobahh", "hh_neuron", "adex_adaptation", "spike_generator"}) {
    CAPTURE(name);
    std::string text = testing::readSourceFile(std::string("examples/") + name + ".snn");
    std::vector<std::string> modules;
    // The examples import the standard library; load what they import in front of them.
    for (const char* lib : {"neurons", "synapses", "plasticity"}) {
      if (text.find(std::string("stdlib/") + lib + ".snn") != std::string::npos) {
        modules.push_back(testing::readSourceFile(std::string("stdlib/") + lib + ".snn"));
      }
    }
    // Imports are not followed by checkModules: drop the import lines.
    std::string body;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
      body += (line.rfind("import ", 0) == 0 ? std::string() : line) + "\n";
    modules.push_back(body);
    auto c = testing::checkModules(modules);
    CHECK_CLEAN(c);
    auto eq = analyse(*c);
    CHECK_CLEAN(c);
    if (std::string(name) == "cuba") {
      CHECK(methodOf(eq, c->checkedModel("CubaLIF"), "v") == "exact (declared)");
    }
    if (std::string(name) == "cobahh") {
      CHECK(methodOf(eq, c->checkedModel("CobaHH"), "m") == "exponential_euler (declared)");
    }
    if (std::string(name) == "spike_generator") {
      // The timed array makes the input change with time: not exact.
      CHECK(methodOf(eq, c->checkedModel("DrivenLIF"), "V") ==
            "exponential_euler (conditionally linear in V, I_syn)");
    }
  }
}

TEST_CASE("noise: euler_maruyama for additive, heun for multiplicative") {
  auto c = checkText(
      "neuron OU {\n    parameters { tau = 10 ms;  sigma = 2 mV }\n    state { V : volt }\n"
      "    equations { dV/dt = -V / tau + sigma * xi * sqrt(2 / tau) }\n}\n"
      "neuron M {\n    parameters { tau = 10 ms }\n    state { V : volt }\n"
      "    equations { dV/dt = -V / tau + V * xi / sqrt(tau) }\n}\n");
  CHECK_CLEAN(c);
  auto eq = analyse(*c);
  CHECK_CLEAN(c);
  CHECK(methodOf(eq, c->checkedModel("OU"), "V") == "euler_maruyama (stochastic, additive noise)");
  CHECK(methodOf(eq, c->checkedModel("M"), "V") ==
        "heun (stochastic, multiplicative noise: the factor of `xi` depends on `V`)");
}

TEST_CASE("exact on a nonlinear equation: the error points at the term") {
  auto c = checkText(
      "neuron AdEx {\n"
      "    parameters { tau = 10 ms;  V_T = -50 mV;  Delta_T = 2 mV }\n"
      "    state { V : volt }\n"
      "    equations { dV/dt = (-V + Delta_T * exp((V - V_T) / Delta_T)) / tau }\n"
      "    method exact\n}\n");
  CHECK_CLEAN(c);
  auto eq = analyse(*c);
  CHECK_ONLY_DIAGNOSTIC(c, MethodNotApplicable, "4:41", "exp((V - V_T) / Delta_T)");
  const Diagnostic& d = c->diags.all()[0];
  CHECK(d.message ==
        "`exact` cannot integrate `dV/dt`: `V` appears in `exp((V - V_T) / Delta_T)`, which is "
        "not linear in `V`");
  REQUIRE(d.notes.size() == 2);
  CHECK(c->at(d.notes[0].range) == "5:12");
  CHECK(d.notes[0].message == "`method exact` is declared here");
  CHECK(d.notes[1].message == "without a `method`, these equations are integrated with `rk4`");
  // The declared method stays the model's method.
  CHECK(methodOf(eq, c->checkedModel("AdEx"), "V") == "exact (declared)");
}

TEST_CASE("exact: a term in a sub-expression, with a note where the equation uses it") {
  auto c = checkText(
      "neuron G {\n    state { V : volt;  m : 1 }\n    equations {\n"
      "        dV/dt = -V / ms + (1 - m) * mV / ms\n"
      "        dm/dt = rate * (1 - m) - m / ms\n"
      "        rate = inner * 2 : Hz\n"
      "        inner = 1 / (exp(-(V + 35 mV) / (10 mV)) + 1) / ms : Hz\n"
      "    }\n    method exact\n}\n");
  CHECK_CLEAN(c);
  analyse(*c);
  CHECK_ONLY_DIAGNOSTIC(c, MethodNotApplicable, "7:22", "exp(-(V + 35 mV) / (10 mV))");
  const Diagnostic& d = c->diags.all()[0];
  CHECK(d.message ==
        "`exact` cannot integrate `dm/dt`: `V` appears in `exp(-(V + 35 mV) / 10 mV)`, which is "
        "not linear in `V`");
  REQUIRE(!d.notes.empty());
  CHECK(c->at(d.notes[0].range) == "5:17");
  CHECK(d.notes[0].message == "in the sub-expression `inner`, used here through `rate`");
}

TEST_CASE("exact on a time-dependent equation") {
  auto c = checkText(
      "neuron D {\n    state { V : volt }\n"
      "    equations { dV/dt = (sin(t / (10 ms)) * mV - V) / ms }\n    method exact\n}\n");
  analyse(*c);
  CHECK_ONLY_DIAGNOSTIC(c, MethodNotApplicable, "3:30", "t");
  CHECK(c->diags.all()[0].message ==
        "`exact` cannot integrate `dV/dt`: it depends on the time `t`");
  CHECK(c->hasNote(c->diags.all()[0], "integrated with `exponential_euler`"));
}

TEST_CASE("exponential_euler on an equation not linear in its own variable") {
  auto c = checkText(
      "neuron Q {\n    state { v : volt;  u : volt }\n    equations {\n"
      "        dv/dt = (u - v) / ms\n"
      "        du/dt = -u / ms + (u / mV) ** 2 * mV / ms\n"
      "    }\n    method exponential_euler\n}\n");
  analyse(*c);
  CHECK_ONLY_DIAGNOSTIC(c, MethodNotApplicable, "5:27", "(u / mV) ** 2");
  CHECK(c->diags.all()[0].message ==
        "`exponential_euler` cannot integrate `du/dt`: `u` appears in `(u / mV) ** 2`, which is "
        "not linear in `u`");
}

TEST_CASE("exponential_euler and rk4 accept what they can integrate") {
  auto c = checkText(
      "neuron A {\n    state { v : volt }\n    equations { dv/dt = -v / ms * exp(-t / ms) }\n"
      "    method exponential_euler\n}\n"
      "neuron B {\n    state { v : volt }\n    equations { dv/dt = (v / mV) ** 2 * mV / ms }\n"
      "    method rk4\n}\n"
      "neuron C {\n    state { v : volt }\n    equations { dv/dt = -v / ms }\n    method "
      "euler\n}\n");
  analyse(*c);
  CHECK_CLEAN(c);
}

TEST_CASE("a deterministic method on a stochastic equation") {
  for (const char* method : {"exact", "euler", "rk2", "rk4", "exponential_euler"}) {
    CAPTURE(method);
    auto c = checkText(
        "neuron N {\n    parameters { tau = 10 ms;  sigma = 1 mV }\n    state { V : volt }\n"
        "    equations { dV/dt = -V / tau + sigma * xi * sqrt(2 / tau) }\n    method " +
        std::string(method) + "\n}\n");
    analyse(*c);
    CHECK_ONLY_DIAGNOSTIC(c, MethodNotApplicable, "4:44", "xi");
    CHECK(c->diags.all()[0].message ==
          fmt::format("`{}` cannot integrate `dV/dt`: it has white noise `xi`", method));
    CHECK(c->hasNote(c->diags.all()[0], "stochastic equations need `euler_maruyama` or `heun`"));
  }
}

TEST_CASE("euler_maruyama with multiplicative noise; heun accepts it") {
  auto c = checkText(
      "neuron M {\n    parameters { tau = 10 ms;  sigma = 0.1 }\n    state { V : volt }\n"
      "    equations { dV/dt = -V / tau + sigma * V * xi / sqrt(tau) }\n"
      "    method euler_maruyama\n}\n"
      "neuron H {\n    parameters { tau = 10 ms;  sigma = 0.1 }\n    state { V : volt }\n"
      "    equations { dV/dt = -V / tau + sigma * V * xi / sqrt(tau) }\n    method heun\n}\n");
  analyse(*c);
  CHECK_ONLY_DIAGNOSTIC(c, MethodNotApplicable, "4:44", "V");
  CHECK(c->diags.all()[0].message ==
        "`euler_maruyama` cannot integrate `dV/dt`: the factor of `xi` depends on `V`");
  CHECK(c->hasNote(c->diags.all()[0], "use `heun`, which handles multiplicative noise"));
}

TEST_CASE("noise that does not enter linearly is an error for any method") {
  auto c = checkText(
      "neuron N {\n    parameters { tau = 10 ms }\n    state { V : volt }\n"
      "    equations { dV/dt = -V / tau + mV * xi ** 2 }\n    method heun\n}\n");
  auto eq = analyse(*c);
  CHECK_ONLY_DIAGNOSTIC(c, NoiseNotLinear, "4:41", "xi ** 2");
  CHECK(c->diags.all()[0].message ==
        "white noise `xi` must enter `dV/dt` linearly: `xi` appears in `xi ** 2`, which is not "
        "linear in `xi`");
  CHECK(methodOf(eq, c->checkedModel("N"), "V") == "not analysed");
}

TEST_CASE("event-driven equations must be linear with constant coefficients") {
  auto c = checkText(
      "synapse S {\n    parameters { tau = 10 ms }\n    state { x : 1;  y : 1;  g : 1 }\n"
      "    equations {\n        dx/dt = -x**2 / tau (event-driven)\n"
      "        dy/dt = -y / tau + sin(t / ms) / ms (event-driven)\n"
      "        dg/dt = -g**2 / tau (clock-driven)\n"
      "    }\n    on pre { x += 1;  y += 1;  g += 1 }\n    method exact\n}\n");
  CHECK_CLEAN(c);
  auto eq = analyse(*c);
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 3);
  // The clock-driven equation breaks the declared method; the event-driven ones need exact.
  const auto& d = c->diags.all();
  CHECK(c->at(d[0].range) == "7:18");
  CHECK(d[0].message ==
        "`exact` cannot integrate `dg/dt`: `g` appears in `g ** 2`, which is not linear in `g`");
  CHECK(c->text(d[0].range) == "g**2");
  CHECK(c->at(d[1].range) == "5:18");
  CHECK(d[1].message ==
        "`exact` cannot integrate `dx/dt`: `x` appears in `x ** 2`, which is not linear in `x`");
  CHECK(c->at(d[1].notes[0].range) == "5:30");
  CHECK(c->text(d[1].notes[0].range) == "event-driven");
  CHECK(c->at(d[2].range) == "6:32");
  CHECK(d[2].message == "`exact` cannot integrate `dy/dt`: it depends on the time `t`");
  CHECK(methodOf(eq, c->checkedModel("S"), "g") == "exact (declared)");
}

TEST_CASE("a model with an error from sema is not analysed") {
  auto c = checkText(
      "neuron Bad {\n    state { V : volt }\n    equations { dV/dt = exp(V / mV) * mV }\n"
      "    method exact\n}\n"
      "neuron Good {\n    state { V : volt }\n    equations { dV/dt = exp(V / mV) * mV / ms }\n"
      "    method exact\n}\n");
  REQUIRE(c->count(DiagnosticKind::DerivativeDimension) == 1);
  auto eq = analyse(*c);
  INFO(c->all());
  CHECK(c->diags.all().size() == 2);
  CHECK(c->count(DiagnosticKind::MethodNotApplicable) == 1);
  CHECK(c->at(c->first(DiagnosticKind::MethodNotApplicable)->range) == "8:25");
  CHECK(eq.find(c->checkedModel("Bad")) == nullptr);
  CHECK(eq.find(c->checkedModel("Good")) != nullptr);
}

TEST_CASE("the summary of snnc check -v shows each ODE's method") {
  auto c = checkText(testing::readSourceFile("stdlib/neurons.snn"));
  auto eq = analyse(*c);
  std::ostringstream out;
  sema::printModelSummary(c->program, out, eq.methodHook());
  const std::string text = out.str();
  CHECK(text.find("dV/dt (unless refractory), method exact (linear with constant coefficients)") !=
        std::string::npos);
  CHECK(text.find("dm/dt, method exponential_euler (conditionally linear in V, m, h, n, I_syn)") !=
        std::string::npos);
}

}  // namespace
}  // namespace snn
