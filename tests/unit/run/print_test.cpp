// `print` lines against simulations with known contents: spike generators with chosen spikes,
// neuron groups and connections whose values a C++ init kernel sets. Every expected number is
// computed here from the definitions (docs/language.md, print), not by the code under test.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "compiler/run/print.h"
#include "compiler/run/recordings.h"
#include "tests/unit/run/run_helpers.h"

namespace snn {
namespace {

using testing::initKernel;
using testing::makeRun;

// A neuron model with a sub-expression; used by several experiments below.
const std::string kCell =
    "neuron Cell {\n"
    "    parameters { tau = 10 ms;  V_rest = -70 mV }\n"
    "    state { V : volt = V_rest;  I_ext : volt }\n"
    "    equations {\n"
    "        dV/dt = (V_rest - V + I_ext) / tau\n"
    "        depol = V - V_rest : volt\n"
    "    }\n"
    "    threshold V > -50 mV\n"
    "    reset { V = V_rest }\n"
    "}\n";

// Neuron 0 spikes at 1, 3, 7, 15 ms, neuron 1 at 2, 4, 6 ms; dt = 1 ms.
const std::string kGenerator =
    "    dt = 1 ms\n"
    "    population G = spikes[2](indices = [0, 0, 0, 0, 1, 1, 1], times = [1, 3, 7, 15, 2, 4, "
    "6] * ms)\n"
    "    record spikes(G)\n";

// Population standard deviation over mean, as numpy's std / mean.
double cv(const std::vector<double>& x) {
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double var = 0;
  for (double v : x) var += (v - mean) * (v - mean);
  return std::sqrt(var / static_cast<double>(x.size())) / mean;
}

TEST_CASE("print: spike count, mean rate and CV of ISIs of known spike trains") {
  auto f = makeRun("experiment e {\n" + kGenerator +
                   "    run 20 ms\n"
                   "    print \"n = {spike_count(G)}, rate = {mean_rate(G):.2f} Hz, cv = "
                   "{cv_isi(G):.9f}, raw {mean_rate(G)}\"\n"
                   "}\n");
  f.simulation->recordSpikes(0);
  f.simulation->run(20);
  // 7 spikes of 2 neurons over 20 steps of 1 ms: 175 Hz. ISIs: neuron 0 2, 4, 8 ms (neuron 1's
  // 2, 2 ms give CV 0); cv_isi is the mean over both neurons.
  const double expected_cv = (cv({2e-3, 4e-3, 8e-3}) + 0.0) / 2;
  CHECK(f.line() == fmt::format("n = 7, rate = 175.00 Hz, cv = {:.9f}, raw 175 Hz", expected_cv));
}

TEST_CASE("print: format specs format the SI value; dividing by a unit changes the unit") {
  auto f = makeRun("experiment e {\n" + kGenerator +
                   "    run 20 ms\n"
                   "    print \"[{mean_rate(G):>10.3e}] [{1 / mean_rate(G) / ms:.3f}] "
                   "[{spike_count(G):05.1f}] [{t:g}] [{t / ms:.0f}]\"\n"
                   "}\n");
  f.simulation->recordSpikes(0);
  f.simulation->run(20);
  CHECK(f.line() == "[ 1.750e+02] [5.714] [007.0] [0.02] [20]");
}

TEST_CASE("print: mean_rate divides by the time the spikes were recorded") {
  auto f = makeRun("experiment e {\n" + kGenerator +
                   "    run 20 ms\n"
                   "    print \"{mean_rate(G):.3f} {spike_count(G)}\"\n"
                   "}\n");
  // The monitor starts after 5 steps: it sees the spikes at 7 and 15 ms (neuron 0) and 6 ms
  // (neuron 1), over 15 steps.
  f.simulation->run(5);
  f.simulation->recordSpikes(0);
  f.simulation->run(15);
  CHECK(f.line() == fmt::format("{:.3f} 3", 3 / (2 * 15e-3)));
}

TEST_CASE("print: a quantity without a spec prints with a readable unit") {
  auto f = makeRun(
      kCell + "experiment e {\n" + kGenerator +
          "    population E = Cell[5]\n"
          "    run 20 ms\n"
          "    print \"{t} | {-65 mV} | {E.tau} | {1 / 3} | {spike_count(G) > 5} | "
          "{spike_count(G) > 7} | {2 * pi:.3f} | {E.V[2]} | {E.depol[3]} | {5 mV % 3 mV} | "
          "{-7 % 3}\"\n"
          "}\n",
      [](engine::SimulationPlan& plan) {
        plan.groups[1].init = initKernel("V", [](engine::Index i) { return -70e-3 + 1e-3 * i; });
      });
  f.simulation->recordSpikes(0);
  f.simulation->run(20);
  // `%` is Python's (the sign of the divisor), as in models: -7 % 3 == 2.
  CHECK(f.line() ==
        "20 ms | -65 mV | 10 ms | 0.333333 | true | false | 6.283 | -68 mV | 3 mV | 2 mV | 2");
}

TEST_CASE("print: readable numbers") {
  using units::BaseDimension;
  using units::Dimension;
  const Dimension second = Dimension::base(BaseDimension::Time);
  const Dimension amp = Dimension::base(BaseDimension::Current);
  const Dimension hertz = *(Dimension() / second);
  CHECK(run::formatReadable(0.014703249, second) == "14.7032 ms");
  CHECK(run::formatReadable(5e-10, amp) == "500 pA");
  CHECK(run::formatReadable(0.9999999999, second) == "1 s");
  CHECK(run::formatReadable(1234567, Dimension()) == "1234567");
  CHECK(run::formatReadable(-0.0, Dimension()) == "0");
  CHECK(run::formatReadable(2.0 / 3.0, Dimension()) == "0.666667");
  CHECK(run::formatReadable(1e20, Dimension()) == "1e+20");
  CHECK(run::formatReadable(std::nan(""), hertz) == "nan Hz");
}

TEST_CASE("print: statistics of a population variable, a slice and a sub-expression") {
  auto f = makeRun(
      kCell +
          "experiment e {\n"
          "    population E = Cell[5]\n"
          "    run 1 ms\n"
          "    print \"{mean(E.V)} {std(E.V):.6e} {min(E.V[1:3])} {max(E.V)} {mean(E.depol)} "
          "{max(E.I_ext)} {mean(E.tau)}\"\n"
          "}\n",
      [](engine::SimulationPlan& plan) {
        plan.groups[0].init = initKernel("V", [](engine::Index i) { return -70e-3 + 1e-3 * i; });
      },
      {{"E.I_ext", 2e-3}});
  f.simulation->run(10);
  // V = -70, -69, -68, -67, -66 mV: mean -68 mV, population std sqrt(2) mV.
  CHECK(f.line() ==
        fmt::format("-68 mV {:.6e} -69 mV -66 mV 2 mV 2 mV 10 ms", std::sqrt(2) * 1e-3));
}

TEST_CASE("print: sub-expressions with timed arrays and `t`; random ones cannot be shown") {
  auto f = makeRun(
      "let stim = timed([1, 2, 3] * mV, dt = 10 ms)\n"
      "neuron Driven {\n"
      "    state { V : volt }\n"
      "    equations {\n"
      "        dV/dt = (stim(t) - V) / (10 ms)\n"
      "        drive = stim(t) + i * 1 mV : volt\n"
      "        noisy = rand() * 1 mV : volt\n"
      "    }\n"
      "}\n"
      "experiment e {\n"
      "    dt = 1 ms\n"
      "    population D = Driven[3]\n"
      "    run 40 ms\n"
      "    print \"{D.drive[1]}\"\n"
      "    print \"{D.noisy[0]}\"\n"
      "}\n");
  // Brian2's TimedArray holds value k from k * 10 ms on, and the last one after the end.
  CHECK(f.line(0) == "2 mV");
  f.simulation->run(15);
  CHECK(f.line(0) == "3 mV");
  f.simulation->run(10);
  CHECK(f.line(0) == "4 mV");
  f.simulation->run(15);
  CHECK(f.line(0) == "4 mV");
  auto error = f.error(1);
  CHECK(f.checked->text(error.range) == "D.noisy[0]");
  CHECK(error.message ==
        "in `D.noisy`: `rand()` draws a new number in every step; a print cannot show it");
}

const std::string kConnected =
    "experiment e {\n"
    "    population E = Cell[5]\n"
    "    connect S = E -> E { p = 0.5;  w = 0.5 mV;  on pre { V += w } }\n"
    "    run 1 ms\n"
    "    print \"{S.w[3]} {mean(S.w)} {max(S.w[0:10])} {min(S.w)}\"\n"
    "    print \"{S.w[30]}\"\n"
    "    print \"{mean(S.w[20:26])}\"\n"
    "}\n";

TEST_CASE("print: synapse variables, and indices past the synapses that were generated") {
  // The plan connects all pairs: 25 synapses, w = 0.1 mV * synapse.
  auto f = makeRun(kCell + kConnected, [](engine::SimulationPlan& plan) {
    plan.connections[0].init = initKernel("w", [](engine::Index s) { return 1e-4 * s; });
  });
  REQUIRE(f.simulation->synapseCount(0) == 25);
  CHECK(f.line(0) == "300 uV 1.2 mV 900 uV 0 V");
  // Sema cannot know how many synapses `p = 0.5` makes: the index is checked now.
  auto error = f.error(1);
  CHECK(f.checked->text(error.range) == "S.w[30]");
  CHECK(error.message.find("25 synapses") != std::string::npos);
  auto slice = f.error(2);
  CHECK(f.checked->text(slice.range) == "S.w[20:26]");
  CHECK(slice.message.find("`S.w[20:26]` is out of range: `S` has 25 synapses") !=
        std::string::npos);
}

TEST_CASE("print: analyses whose recording is missing or empty are run-time errors") {
  auto f = makeRun("experiment e {\n" + kGenerator +
                   "    run 20 ms\n"
                   "    print \"{spike_count(G)} spikes\"\n"
                   "    print \"{mean_rate(G)}\"\n"
                   "}\n");
  // The driver adds monitors; this one forgot: print says what to write instead of guessing.
  auto missing = f.error(0);
  CHECK(f.checked->text(missing.range) == "spike_count(G)");
  CHECK(missing.message ==
        "`spike_count(G)` needs the spikes of `G`: add `record spikes(G)` before the `run`");
  // Recorded, but not over any step yet: the rate is undefined, not 0 and not NaN.
  f.simulation->recordSpikes(0);
  auto early = f.error(1);
  CHECK(f.checked->text(early.range) == "mean_rate(G)");
  CHECK(early.message.find("`run` first") != std::string::npos);
  f.simulation->run(20);
  CHECK(f.line(0) == "7 spikes");
  CHECK(f.line(1) == "175 Hz");
}

// One neuron spiking every 25 ms for 1 s: a 40 Hz rhythm.
std::string periodicGenerator() {
  std::string indices, times;
  for (int k = 0; k < 40; ++k) {
    indices += k ? ", 0" : "0";
    times += (k ? ", " : "") + std::to_string(25 * k);
  }
  return "experiment e {\n"
         "    dt = 1 ms\n"
         "    population G = spikes[1](indices = [" +
         indices + "], times = [" + times +
         "] * ms)\n"
         "    record rate(G)\n"
         "    run 1000 ms\n"
         "    print \"{peak_frequency(rate(G, smooth = gaussian(3 ms))):.1f} "
         "{mean(rate(G)):.3f} {max(rate(G)):.1f}\"\n"
         "    print \"{peak_frequency(rate(G))}\"\n"
         "    print \"{mean(rate(G, smooth = gaussian(3 ms))):.9f}\"\n"
         "}\n";
}

TEST_CASE("print: peak frequency and statistics of a recorded population rate") {
  auto f = makeRun(periodicGenerator());
  f.simulation->recordRate(0);
  // One step: no spectrum.
  f.simulation->run(1);
  auto short_error = f.error(1);
  CHECK(f.checked->text(short_error.range) == "peak_frequency(rate(G))");
  CHECK(short_error.message.find("at least 2 steps") != std::string::npos);
  f.simulation->run(999);
  // Smoothing with a 3 ms Gaussian scales the k-th harmonic by exp(-(2 pi 40k Hz 3 ms)^2 / 2):
  // 0.75 at 40 Hz, 0.32 at 80 Hz, so the peak is the fundamental, on a bin of the 2 Hz grid.
  // The rate is 1 / (1 neuron * 1 ms) = 1000 Hz in a spiking step; 40 spikes in 1 s average
  // 40 Hz.
  CHECK(f.line(0) == "40.0 40.000 1000.0");
  // Smoothing (Brian2's window: sigma = 3 steps, cut at +-6) keeps each spike's weight except
  // what falls before the first step: the spike at 0 ms keeps only its half window and centre.
  double kept = 0, whole = 0;
  for (int k = -6; k <= 6; ++k) {
    const double w = std::exp(-k * k / 18.0);
    whole += w;
    if (k >= 0) kept += w;
  }
  const double smoothed_mean = (39 + kept / whole) * 1000.0 / 1000.0;
  CHECK(f.line(2) == fmt::format("{:.9f}", smoothed_mean));
}

TEST_CASE("print: a rate without any oscillation has no peak frequency") {
  auto f = makeRun(kCell +
                   "experiment e {\n"
                   "    population E = Cell[3]\n"
                   "    record rate(E)\n"
                   "    run 100 ms\n"
                   "    print \"{peak_frequency(rate(E))} {mean(rate(E))}\"\n"
                   "}\n");
  f.simulation->recordRate(0);
  f.simulation->run(1000);
  CHECK(f.line() == "nan Hz 0 Hz");
}

TEST_CASE("print: the Welch segment is half a second, or the whole recording") {
  CHECK(run::psdSegmentLength(1e-4, 100000) == 5000);
  CHECK(run::psdSegmentLength(1e-3, 200) == 200);
  CHECK(run::psdSegmentLength(1.0, 10) == 1);
}

}  // namespace
}  // namespace snn
