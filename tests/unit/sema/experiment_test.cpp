// The experiment protocol: settings, populations, connects, recordings, runs, at blocks,
// assignments, prints, plots and input statements.
#include <doctest/doctest.h>

#include "tests/unit/sema/sema_helpers.h"

namespace snn {
namespace {

using testing::checkText;

// Line 1-4: a LIF model; the experiment starts on line 5 and its body on line 6.
std::string experiment(const std::string& body) {
  return "neuron LIF {\n"
         "    parameters { tau = 10 ms;  V_rest = -70 mV }\n"
         "    state { V : volt = V_rest;  I_ext : volt }\n"
         "    equations { dV/dt = (V_rest - V + I_ext) / tau }  threshold V > -50 mV  reset { V = "
         "V_rest } }\n"
         "experiment e {\n" +
         body + "\n}\n";
}

TEST_CASE("settings: dt is a time, seed a whole number, anything else unknown") {
  auto c =
      checkText(experiment("    dt = 0.05 ms\n    seed = 7\n    timestep = 1 ms\n    run 1 ms"));
  CHECK_ONLY_DIAGNOSTIC(c, UnknownSetting, "8:5", "timestep");
  const auto& e = c->program.experiments[0];
  CHECK(e.dt == doctest::Approx(5e-5));
  CHECK(*e.seed == 7);
}

TEST_CASE("dt with a wrong dimension, seed not whole") {
  auto c = checkText(experiment("    dt = 0.1 mV\n    seed = 1.5\n    run 1 ms"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 2);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::DimensionExpected);
  CHECK(c->at(c->diags.all()[0].range) == "6:10");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::NotAnInteger);
  CHECK(c->text(c->diags.all()[1].range) == "1.5");
}

TEST_CASE("dt after the first run") {
  auto c = checkText(experiment("    run 1 ms\n    dt = 0.1 ms"));
  CHECK_ONLY_DIAGNOSTIC(c, InvalidValue, "7:5", "dt");
}

TEST_CASE("an experiment without a run is a warning") {
  auto c = checkText(experiment("    population E = LIF[1]"));
  CHECK_ONLY_DIAGNOSTIC(c, NoRun, "5:12", "e");
  CHECK_FALSE(c->diags.hasErrors());
}

TEST_CASE("unknown models, with the generators among the suggestions") {
  auto c = checkText(experiment(
      "    population E = LIFF[10]\n    population P = poison[10](rate = 1 Hz)\n    run 1 ms"));
  INFO(c->all());
  REQUIRE(c->count(DiagnosticKind::UnknownModel) == 2);
  CHECK(c->at(c->diags.all()[0].range) == "6:20");
  CHECK(c->hasNote(c->diags.all()[0], "did you mean `LIF`?"));
  CHECK(c->hasNote(c->diags.all()[1], "`poisson`"));
}

TEST_CASE("a synapse model is not a neuron model") {
  auto c = checkText(
      "synapse S { state { w : 1 } }\nexperiment e {\n    population P = S[10]\n    run 1 ms\n}\n");
  CHECK_ONLY_DIAGNOSTIC(c, UnknownModel, "3:20", "S");
  CHECK(c->hasNote(c->diags.all()[0], "is a synapse model"));
}

TEST_CASE("population sizes are positive whole numbers") {
  auto c = checkText(
      experiment("    let n = 4\n    population A = LIF[10.5]\n    population B = LIF[n - 4]\n"
                 "    population C = LIF[2 ms]\n    population D = LIF[n * 2]\n    run 1 ms"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 3);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::NotAnInteger);
  CHECK(c->at(c->diags.all()[0].range) == "7:24");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::InvalidValue);
  CHECK(c->diags.all()[2].kind == DiagnosticKind::DimensionExpected);
  CHECK(c->program.experiments[0].populations[3].size == 8);
}

TEST_CASE("overrides name parameters, with their dimensions") {
  auto c = checkText(experiment(
      "    population A = LIF[10](tua = 5 ms)\n    population B = LIF[10](tau = 5 mV)\n"
      "    population C = LIF[10](tau = 1 ms, tau = 2 ms)\n    population D = LIF[10](V = 1 mV)\n"
      "    run 1 ms"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 4);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::UnknownParameter);
  CHECK(c->at(c->diags.all()[0].range) == "6:28");
  CHECK(c->hasNote(c->diags.all()[0], "did you mean `tau`?"));
  CHECK(c->diags.all()[1].kind == DiagnosticKind::DimensionExpected);
  CHECK(c->text(c->diags.all()[1].range) == "5 mV");
  CHECK(c->diags.all()[2].kind == DiagnosticKind::DuplicateArgument);
  CHECK(c->at(c->diags.all()[2].range) == "8:40");
  CHECK(c->diags.all()[3].kind == DiagnosticKind::UnknownParameter);
  CHECK(c->hasNote(c->diags.all()[3], "is a state variable"));
}

TEST_CASE("initialisers name states, with their dimensions, and may use i and N") {
  auto c = checkText(experiment(
      "    population A = LIF[10] { V = V_rest + i / N * mV;  I_ext = 1 nA;  tau = 2 ms;  W = 0 }\n"
      "    run 1 ms"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 3);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::DimensionMismatch);
  CHECK(c->text(c->diags.all()[0].range) == "1 nA");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::NotAssignable);
  CHECK(c->at(c->diags.all()[1].range) == "6:71");
  CHECK(c->diags.all()[2].kind == DiagnosticKind::UnknownMember);
  CHECK(c->diags.all()[2].message == "`LIF` has no variable `W`");
}

TEST_CASE("poisson needs a rate in hertz; it may depend on t and i") {
  auto c = checkText(experiment(
      "    population P = poisson[10](rate = 5 Hz * (1 + sin(2 * pi * t / second) + i / N))\n"
      "    population Q = poisson[10]\n    population R = poisson[10](rates = 1 Hz)\n"
      "    population S = poisson[10](rate = 1 mV)\n    run 1 ms"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 3);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::MissingArgument);
  CHECK(c->at(c->diags.all()[0].range) == "7:20");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::UnknownArgument);  // and no MissingArgument
  CHECK(c->text(c->diags.all()[1].range) == "rates");
  CHECK(c->diags.all()[2].kind == DiagnosticKind::DimensionExpected);
}

TEST_CASE("spike generators: lists of indices and times") {
  auto c = checkText(
      experiment("    population G = spikes[3](indices = [0, 1, 3], times = [1, 2, 3] * ms)\n"
                 "    population H = spikes[3](indices = [0, 1], times = [1, 2, 3] * ms)\n"
                 "    population F = spikes[3](file = \"in.csv\")\n    run 1 ms"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 2);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::SliceOutOfRange);
  CHECK(c->diags.all()[1].kind == DiagnosticKind::InvalidValue);
  CHECK(c->program.experiments[0].populations[2].spike_file == "in.csv");
}

TEST_CASE("a population name twice") {
  auto c =
      checkText(experiment("    population A = LIF[1]\n    population A = LIF[2]\n    run 1 ms"));
  CHECK_ONLY_DIAGNOSTIC(c, DuplicateDefinition, "7:16", "A");
}

TEST_CASE("connect: unknown populations and synapses") {
  auto c = checkText(experiment(
      "    population E = LIF[10]\n    connect E -> I { all;  on pre { I_ext += 1 mV } }\n"
      "    connect E -> E using STPD { all }\n    run 1 ms"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 2);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::UnknownPopulation);
  CHECK(c->at(c->diags.all()[0].range) == "7:18");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::UnknownSynapse);
  CHECK(c->text(c->diags.all()[1].range) == "STPD");
}

TEST_CASE("connect: conflicting and unknown rules") {
  auto c =
      checkText(experiment("    population E = LIF[10]\n    population F = LIF[5]\n"
                           "    connect E -> E { one_to_one;  p = 0.1 }\n"
                           "    connect E -> E { one_to_all }\n"
                           "    connect E -> F { one_to_one }\n"
                           "    connect E -> E { fixed_indegree = 3;  condition = i != j }\n"
                           "    connect E -> E { p = 0.1 if i > j;  condition = i != j }\n"
                           "    connect E -> E { p = 2 mV }\n"
                           "    run 1 ms"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 6);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::ConflictingConnectRules);
  CHECK(c->at(c->diags.all()[0].range) == "8:35");
  CHECK(c->diags.all()[0].message == "connection rule `p` conflicts with `one_to_one`");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::UnknownConnectRule);
  CHECK(c->hasNote(c->diags.all()[1], "did you mean `one_to_one`?"));
  CHECK(c->diags.all()[2].kind == DiagnosticKind::InvalidValue);  // one_to_one across sizes
  CHECK(c->diags.all()[3].kind == DiagnosticKind::ConflictingConnectRules);
  CHECK(c->diags.all()[4].kind == DiagnosticKind::ConflictingConnectRules);
  CHECK(c->diags.all()[5].kind == DiagnosticKind::DimensionExpected);
}

TEST_CASE("connect rules may use i, j and pre./post. variables") {
  auto c =
      checkText(experiment("    population E = LIF[10]\n"
                           "    connect E -> E { p = exp(-abs(i - j) / 10) if pre.V < post.V;  "
                           "delay = (1 + j) * 0.1 ms }\n"
                           "    connect E -> E { j = i;  delay = rand() * ms }\n"
                           "    connect E -> E { fixed_indegree = 3 }\n"
                           "    connect E -> E { p = post.X }\n"
                           "    run 1 ms"));
  CHECK_ONLY_DIAGNOSTIC(c, UnknownMember, "10:26", "post.X");
  const auto& e = c->program.experiments[0];
  CHECK(e.connects[0].delay != nullptr);
  CHECK_FALSE(e.connects[0].delay_time.has_value());  // depends on j
  CHECK(e.connects[1].rule == sema::ConnectRule::Explicit);
  CHECK(*e.connects[2].synapse_count == 30);
}

TEST_CASE("recordings: forms, slices and intervals") {
  auto c = checkText(experiment(
      "    population E = LIF[10]\n"
      "    record spikes(E), E.V[0:5] every 1 ms, E.I_ext[3], E.V[5:20], voltage(E), spikes(X)\n"
      "    record rate(E) every 1 ms\n"
      "    run 1 ms"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 4);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::SliceOutOfRange);
  CHECK(c->at(c->diags.all()[0].range) == "7:56");
  CHECK(c->diags.all()[0].message == "index range 5:20 is outside `E`, which has 10 element(s)");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::UnknownRecording);
  CHECK(c->text(c->diags.all()[1].range) == "voltage(E)");
  CHECK(c->diags.all()[2].kind == DiagnosticKind::UnknownPopulation);
  CHECK(c->diags.all()[3].kind == DiagnosticKind::InvalidValue);  // every on a rate
  const auto& e = c->program.experiments[0];
  REQUIRE(e.recordings.size() == 4);
  CHECK(e.recordings[1].every == doctest::Approx(1e-3));
  CHECK(e.recordings[1].hi == 5);
  CHECK(e.recordings[2].lo == 3);
  CHECK(e.recordings[2].hi == 4);
}

TEST_CASE("runs are positive times; at blocks are not in the past") {
  auto c = checkText(experiment(
      "    population E = LIF[10]\n    run -10 ms\n    run 20 ms\n"
      "    at 5 ms { E.I_ext = 1 mV }\n    at 30 ms { E.I_ext[0:2] = 2 mV }\n    run 20 ms"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 2);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::InvalidValue);
  CHECK(c->at(c->diags.all()[0].range) == "7:9");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::InvalidValue);
  CHECK(c->at(c->diags.all()[1].range) == "9:8");
  bool found = false;
  for (const auto& step : c->program.experiments[0].steps) {
    if (const auto* at = std::get_if<sema::CheckedAt>(&step)) {
      found = true;
      CHECK(at->time == doctest::Approx(0.03));
      REQUIRE(at->assignments.size() == 1);
      CHECK(at->assignments[0].hi == 2);
    }
  }
  CHECK(found);
}

TEST_CASE("experiment assignments: states of populations, with dimensions") {
  auto c =
      checkText(experiment("    population E = LIF[10]\n    E.I_ext = 2.5 mV\n    E.I_ext = 1 nA\n"
                           "    E.tau = 5 ms\n    E.W = 1\n    I_ext = 1 mV\n    run 1 ms"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 4);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::DimensionMismatch);
  CHECK(c->at(c->diags.all()[0].range) == "8:15");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::NotAssignable);
  CHECK(c->diags.all()[2].kind == DiagnosticKind::UnknownMember);
  CHECK(c->diags.all()[3].kind == DiagnosticKind::UnknownSetting);
  CHECK(c->hasNote(c->diags.all()[3], "`E.I_ext = ...`"));
}

TEST_CASE("print: analysis functions need their recordings") {
  auto c = checkText(
      experiment("    population E = LIF[10]\n    record rate(E)\n    run 10 ms\n"
                 "    print \"{mean_rate(E):.1f} {mean(rate(E))} {E.V[2]} {E.tau} {t} {E.V}\"\n"
                 "    record spikes(E)\n    print \"{cv_isi(E)} {peak_frequency(rate(E))} "
                 "{spike_count(E)}\""));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 2);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::NotRecorded);
  CHECK(c->at(c->diags.all()[0].range) == "9:13");
  CHECK(c->diags.all()[0].message == "`spikes(E)` is used after the run but is never recorded");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::InvalidValue);  // {E.V}: one value per neuron
}

TEST_CASE("print: no random numbers, no per-neuron names") {
  auto c = checkText(
      experiment("    population E = LIF[10]\n    run 10 ms\n    print \"{rand()} {i}\""));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 2);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::NotAvailableHere);
  CHECK(c->at(c->diags.all()[0].range) == "8:13");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::NotAvailableHere);
  CHECK(c->text(c->diags.all()[1].range) == "i");
}

TEST_CASE("print: a rate alone is a time series") {
  auto c = checkText(experiment(
      "    population E = LIF[10]\n    record rate(E)\n    run 10 ms\n    print \"{rate(E)}\""));
  CHECK_ONLY_DIAGNOSTIC(c, NotAvailableHere, "9:13", "rate(E)");
}

TEST_CASE("plots: the known kinds and their recordings") {
  auto c = checkText(
      experiment("    population E = LIF[10]\n    record spikes(E), E.V[0:3]\n    run 10 ms\n"
                 "    plot raster(E) to \"r.svg\"\n    plot trace(E.V[0]) to \"t.svg\"\n"
                 "    plot trace(E.I_ext[0])\n    plot psd(rate(E))\n    plot scatter(E)\n"
                 "    plot histogram(E.V)"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 3);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::NotRecorded);
  CHECK(c->text(c->diags.all()[0].range) == "E.I_ext[0]");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::NotRecorded);
  CHECK(c->diags.all()[1].message == "`rate(E)` is used after the run but is never recorded");
  CHECK(c->diags.all()[2].kind == DiagnosticKind::UnknownPlot);
  CHECK(c->at(c->diags.all()[2].range) == "13:10");
}

TEST_CASE("poisson_input: target, count, rate and weight") {
  auto c = checkText(
      experiment("    population E = LIF[10]\n"
                 "    poisson_input(target = E.I_ext, n = 100, rate = 5 Hz, weight = 0.1 mV)\n"
                 "    poisson_input(target = E.I_ext, n = 100, rate = 5 Hz, weight = 0.1 nA)\n"
                 "    poisson_input(target = E.tau, n = 100, rate = 5 Hz, weight = 1 ms)\n"
                 "    poisson_input(target = E.V, n = 100, rate = 5 Hz)\n"
                 "    stimulate(E)\n    run 1 ms"));
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 4);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::DimensionExpected);
  CHECK(c->text(c->diags.all()[0].range) == "0.1 nA");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::NotAssignable);
  CHECK(c->diags.all()[2].kind == DiagnosticKind::MissingArgument);
  CHECK(c->diags.all()[3].kind == DiagnosticKind::UnknownStatement);
  CHECK(c->at(c->diags.all()[3].range) == "11:5");
  bool found = false;
  for (const auto& step : c->program.experiments[0].steps) {
    if (const auto* in = std::get_if<sema::CheckedPoissonInput>(&step)) {
      found = true;
      CHECK(in->n == 100);
      CHECK(in->rate == doctest::Approx(5.0));
      CHECK(in->weight == doctest::Approx(1e-4));
    }
  }
  CHECK(found);
}

TEST_CASE("lets: duplicates, reserved names, cycles and non-constants") {
  auto c = checkText(
      "let a = b\nlet b = a\nlet pi = 3\nlet c = 1 ms\nlet c = 2 ms\nlet d = rand()\n"
      "experiment e {\n    let c = 3\n    run 1 ms\n}\n");
  INFO(c->all());
  CHECK(c->count(DiagnosticKind::RecursiveDefinition) == 1);
  CHECK(c->count(DiagnosticKind::ReservedName) == 1);
  CHECK(c->count(DiagnosticKind::DuplicateDefinition) == 2);
  CHECK(c->count(DiagnosticKind::NotConstant) == 1);
  CHECK(c->diags.all().size() == 5);
  const auto* reserved = c->first(DiagnosticKind::ReservedName);
  CHECK(c->at(reserved->range) == "3:5");
}

TEST_CASE("a timed array is called with a time") {
  auto c = checkText(
      "let stim = timed([1, 2] * nA, dt = 1 ms)\n"
      "neuron M {\n    state { I : amp }\n    equations { dI/dt = (stim(1 mV) + stim - I) / ms "
      "}\n}\n");
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 2);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::DimensionExpected);
  CHECK(c->at(c->diags.all()[0].range) == "4:31");
  CHECK(c->diags.all()[1].kind == DiagnosticKind::InvalidValue);
  CHECK(c->text(c->diags.all()[1].range) == "stim");
}

TEST_CASE("timed needs a list and a positive dt") {
  auto c = checkText(
      "let a = timed(1 nA, dt = 1 ms)\nlet b = timed([1] * nA, dt = 1 mV)\nlet c = timed([1] * "
      "nA)\n");
  INFO(c->all());
  REQUIRE(c->diags.all().size() == 3);
  CHECK(c->diags.all()[0].kind == DiagnosticKind::InvalidValue);
  CHECK(c->diags.all()[1].kind == DiagnosticKind::DimensionExpected);
  CHECK(c->diags.all()[2].kind == DiagnosticKind::MissingArgument);
}

}  // namespace
}  // namespace snn
