// SVG plots: the tick and unit choices on their own, then each plot kind drawn from a simulation
// with known spikes and values (run_helpers.h), checked for structure: well-formed XML, one path
// per raster population even for 10k spikes (and a small file), the legend, the unit on the
// axis, the `at` marker, the histogram's counts, the spectrum's peak, and the errors' ranges.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/run/plot.h"
#include "compiler/run/plot_axes.h"
#include "compiler/units/unit_table.h"
#include "tests/unit/run/run_helpers.h"
#include "tests/unit/vm/output/scratch_dir.h"

namespace snn {
namespace {

namespace fs = std::filesystem;
using testing::initKernel;
using testing::makeRun;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
    ++n;
  return n;
}

// Tags balance and attributes are quoted: enough of XML to catch a broken writer.
bool wellFormed(const std::string& svg, std::string* why) {
  std::vector<std::string> open;
  std::size_t at = 0;
  while ((at = svg.find('<', at)) != std::string::npos) {
    const auto end = svg.find('>', at);
    if (end == std::string::npos) return *why = "unterminated tag", false;
    std::string tag = svg.substr(at + 1, end - at - 1);
    at = end + 1;
    if (tag.empty()) return *why = "empty tag", false;
    if (tag[0] == '?' || tag[0] == '!') continue;
    if (count(tag, "\"") % 2 != 0) return *why = "odd quotes in <" + tag + ">", false;
    if (tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (open.empty() || open.back() != name) return *why = "unbalanced </" + name + ">", false;
      open.pop_back();
      continue;
    }
    if (tag.back() == '/') continue;
    open.push_back(tag.substr(0, tag.find_first_of(" \n")));
  }
  if (!open.empty()) return *why = "unclosed <" + open.back() + ">", false;
  return true;
}

#define CHECK_WELL_FORMED(svg)                   \
  do {                                           \
    std::string why_;                            \
    CHECK_MESSAGE(wellFormed(svg, &why_), why_); \
  } while (false)

const sema::CheckedPlot& plotOf(const testing::RunFixture& f, std::size_t k = 0) {
  std::size_t seen = 0;
  for (const auto& step : f.experiment->steps) {
    if (const auto* p = std::get_if<sema::CheckedPlot>(&step)) {
      if (seen++ == k) return *p;
    }
  }
  FAIL("no plot " << k);
  throw std::logic_error("unreachable");
}

// Writes plot k and returns the file's text, failing on an error.
std::string drawn(const testing::RunFixture& f, const fs::path& path, std::size_t k = 0) {
  auto error = run::writePlot(f.view(), plotOf(f, k), path);
  if (error) FAIL_CHECK(f.checked->at(error->range) << ": " << error->message);
  return test::readFile(path);
}

const std::string kCell =
    "neuron Cell {\n"
    "    parameters { tau = 10 ms;  V_rest = -70 mV }\n"
    "    state { V : volt = V_rest;  I_ext : volt }\n"
    "    equations { dV/dt = (V_rest - V + I_ext) / tau }\n"
    "    threshold V > -50 mV\n"
    "    reset { V = V_rest }\n"
    "}\n";

TEST_CASE("ticks fall on 1-2-5 steps with the decimals the step needs") {
  auto labels = [](const std::vector<run::Tick>& ticks) {
    std::vector<std::string> out;
    for (const auto& t : ticks) out.push_back(t.label);
    return out;
  };
  CHECK(labels(run::linearTicks(0, 1)) ==
        std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"});
  CHECK(labels(run::linearTicks(-72, -48)) ==
        std::vector<std::string>{"-70", "-65", "-60", "-55", "-50"});
  CHECK(labels(run::linearTicks(0, 300, 7)) ==
        std::vector<std::string>{"0", "50", "100", "150", "200", "250", "300"});
  CHECK(labels(run::linearTicks(-0.1, 0.1)) ==
        std::vector<std::string>{"-0.10", "-0.05", "0.00", "0.05", "0.10"});
  // A narrow range between two steps still gets two ticks.
  CHECK(run::linearTicks(0.95, 1.05).size() >= 2);
  auto logs = run::logTicks(1e-3, 1e2);
  REQUIRE(logs.size() == 6);
  CHECK(logs.front().superscript == "-3");
  CHECK(logs.back().superscript == "2");
  auto narrow = run::logTicks(3, 30);
  REQUIRE(narrow.size() >= 2);
  CHECK(narrow.front().mantissa == "5");
}

TEST_CASE("an axis shows the prefixed unit that puts the data in [1, 1000)") {
  const auto volt = units::lookupUnit("volt")->dim;
  const auto second = units::lookupUnit("second")->dim;
  auto mv = run::displayUnitFor(0.065, volt);
  CHECK(mv.symbol == "mV");
  CHECK(mv.factor == doctest::Approx(1e-3));
  auto ms = run::displayUnitFor(0.3, second);
  CHECK(ms.symbol == "ms");
  CHECK(run::displayUnitFor(2.0, second).symbol == "s");
  CHECK(run::displayUnitFor(2.0, units::Dimension()).symbol.empty());
  CHECK(run::axisLabel("V", mv) == "V (mV)");
}

TEST_CASE("a raster of 10k spikes is one path per population, small, with legend and marker") {
  const std::string source = kCell +
                             "experiment r {\n"
                             "    dt = 0.1 ms\n"
                             "    population E = spikes[800](indices = [0], times = [1 ms])\n"
                             "    population I = spikes[200](indices = [0], times = [1 ms])\n"
                             "    population C = Cell[1]\n"
                             "    record spikes(E), spikes(I)\n"
                             "    at 50 ms { C.I_ext = 30 mV }\n"
                             "    run 100 ms\n"
                             "    plot raster(E, I) to \"raster.svg\"\n"
                             "}\n";
  auto f = makeRun(source, [](engine::SimulationPlan& plan) {
    for (std::size_t g = 0; g < 2; ++g) {
      auto& group = plan.groups[g];
      group.generator_indices.clear();
      group.generator_steps.clear();
      const engine::Index size = g == 0 ? 800 : 200;
      const std::size_t spikes = g == 0 ? 8000 : 2000;
      for (std::size_t k = 0; k < spikes; ++k) {
        group.generator_indices.push_back(static_cast<engine::Index>((k * 7919) % size));
        group.generator_steps.push_back(static_cast<engine::Step>(k * 1000 / spikes));
      }
    }
  });
  f.simulation->recordSpikes(0);
  f.simulation->recordSpikes(1);
  f.simulation->run(1000);
  REQUIRE(f.simulation->spikeRecordings()[0].steps.size() == 8000);
  test::ScratchDir dir("plot-raster");
  const std::string svg = drawn(f, dir.path() / "raster.svg");
  CHECK_WELL_FORMED(svg);
  CHECK(svg.size() < 200 * 1024);
  // One element per population, not per spike: the two raster paths and nothing else carry "h0".
  CHECK(count(svg, "<path") == 2);
  CHECK(count(svg, "stroke=\"#1f77b4\"") == 1);
  CHECK(count(svg, "stroke=\"#ff7f0e\"") == 1);
  CHECK(count(svg, "h0") > 1000);
  CHECK(svg.find(">raster of E, I</text>") != std::string::npos);
  CHECK(svg.find(">E</text>") != std::string::npos);  // legend
  CHECK(svg.find(">I</text>") != std::string::npos);
  CHECK(svg.find(">neuron index</text>") != std::string::npos);
  CHECK(svg.find(">time (ms)</text>") != std::string::npos);
  CHECK(svg.find(">40</text>") != std::string::npos);  // a tick label
  // The `at 50 ms` block: one dashed line, halfway along the axis.
  CHECK(count(svg, "class=\"stimulus\"") == 1);
  CHECK(svg.find(">at 50 ms</text>") != std::string::npos);
  CHECK(svg.find("x1=\"347\"") != std::string::npos);
  // Each population counts its neurons from 0 on the axis: I's band starts at 800 with "0".
  auto figure = run::plotFigure(f.view(), plotOf(f));
  REQUIRE(std::holds_alternative<run::Figure>(figure));
  const auto& ticks = std::get<run::Figure>(figure).y.custom_ticks;
  CHECK(std::find(ticks.begin(), ticks.end(), std::make_pair(0.0, std::string("0"))) !=
        ticks.end());
  CHECK(std::find(ticks.begin(), ticks.end(), std::make_pair(800.0, std::string("0"))) !=
        ticks.end());
  CHECK(std::find(ticks.begin(), ticks.end(), std::make_pair(400.0, std::string("400"))) !=
        ticks.end());
  // Not a stray temporary left behind.
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("a long legend wraps to a second row, then counts what is left") {
  auto figure = [](std::size_t lines) {
    run::Figure f;
    for (std::size_t k = 0; k < lines; ++k) {
      run::PlotSeries s;
      s.label = fmt::format("S.w[{}]", k);
      s.colour = run::seriesColour(k);
      s.x = {0, 1};
      s.y = {0, static_cast<double>(k)};
      f.series.push_back(std::move(s));
    }
    f.y.hi = static_cast<double>(lines);
    return run::renderSvg(f);
  };
  const std::string ten = figure(10);
  CHECK_WELL_FORMED(ten);
  for (int k = 0; k < 10; ++k) CHECK(ten.find(fmt::format(">S.w[{}]<", k)) != std::string::npos);
  CHECK(ten.find("more<") == std::string::npos);
  const std::string forty = figure(40);
  CHECK_WELL_FORMED(forty);
  CHECK(count(forty, "<path") == 40);  // every line is drawn, only the legend is cut
  CHECK(forty.find(" more</text>") != std::string::npos);
  CHECK(forty.find(">S.w[39]<") == std::string::npos);
}

TEST_CASE("a raster without spikes says so; one without its recording is an error at the name") {
  const std::string source =
      "experiment r {\n"
      "    population G = spikes[3](indices = [0], times = [50 ms])\n"
      "    record spikes(G)\n"
      "    run 10 ms\n"
      "    plot raster(G) to \"g.svg\"\n"
      "}\n";
  auto f = makeRun(source);
  test::ScratchDir dir("plot-empty");
  auto error = run::writePlot(f.view(), plotOf(f), dir.path() / "g.svg");
  REQUIRE(error);  // the driver never added the monitor: the run stopped before the record
  CHECK(f.checked->text(error->range) == "G");
  CHECK(error->message.find("record spikes(G)") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "g.svg"));
  f.simulation->recordSpikes(0);
  f.simulation->run(100);
  const std::string svg = drawn(f, dir.path() / "g.svg");
  CHECK_WELL_FORMED(svg);
  CHECK(svg.find(">no spikes</text>") != std::string::npos);
}

TEST_CASE("traces: one colour per index, the voltage in mV, time in ms") {
  const std::string source = kCell +
                             "experiment t {\n"
                             "    dt = 1 ms\n"
                             "    population E = Cell[5]\n"
                             "    record E.V[1:4]\n"
                             "    run 20 ms\n"
                             "    E.I_ext = 5 mV\n"
                             "    run 30 ms\n"
                             "    plot trace(E.V[1:4]) to \"v.svg\"\n"
                             "    plot trace(E.V[0]) to \"v0.svg\"\n"
                             "}\n";
  auto f = makeRun(source, [](engine::SimulationPlan& plan) {
    plan.groups[0].init = initKernel("V", [](engine::Index i) { return -0.065 + 0.005 * i; });
  });
  f.simulation->recordState(false, 0, "V", {1, 2, 3}, 1);
  f.simulation->run(50);
  test::ScratchDir dir("plot-trace");
  const std::string svg = drawn(f, dir.path() / "v.svg");
  CHECK_WELL_FORMED(svg);
  CHECK(count(svg, "<path") == 3);
  for (const char* colour : {"#1f77b4", "#ff7f0e", "#2ca02c"})
    CHECK(svg.find(std::string("stroke=\"") + colour + "\" stroke-width=\"1.5\"") !=
          std::string::npos);
  CHECK(svg.find(">E.V (mV)</text>") != std::string::npos);
  CHECK(svg.find(">time (ms)</text>") != std::string::npos);
  for (const char* name : {">E.V[1]<", ">E.V[2]<", ">E.V[3]<"})
    CHECK(svg.find(name) != std::string::npos);
  CHECK(svg.find(">\u221260</text>") != std::string::npos);  // a typographic minus
  // The assignment between the runs changes the stimulus: marked like an `at` block.
  CHECK(count(svg, "class=\"stimulus\"") == 1);
  CHECK(svg.find(">at 20 ms</text>") != std::string::npos);

  // Index 0 was not recorded: an error at the argument, and no file.
  auto error = run::writePlot(f.view(), plotOf(f, 1), dir.path() / "v0.svg");
  REQUIRE(error);
  CHECK(f.checked->text(error->range) == "E.V[0]");
  CHECK(error->message.find("record E.V[0]") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "v0.svg"));
}

TEST_CASE("a rate plot shows the raw and the smoothed rate in Hz") {
  const std::string source =
      "experiment p {\n"
      "    dt = 1 ms\n"
      "    population G = spikes[10](indices = [0], times = [5 ms])\n"
      "    record rate(G)\n"
      "    run 200 ms\n"
      "    plot rate(G, smooth = gaussian(20 ms)) to \"rate.svg\"\n"
      "    plot rate(G) to \"raw.svg\"\n"
      "}\n";
  auto f = makeRun(source, [](engine::SimulationPlan& plan) {
    auto& g = plan.groups[0];
    g.generator_indices.clear();
    g.generator_steps.clear();
    for (engine::Step s = 0; s < 200; s += 4) {
      g.generator_indices.push_back(static_cast<engine::Index>(s % 10));
      g.generator_steps.push_back(s);
    }
  });
  f.simulation->recordRate(0);
  f.simulation->run(200);
  test::ScratchDir dir("plot-rate");
  const std::string svg = drawn(f, dir.path() / "rate.svg");
  CHECK_WELL_FORMED(svg);
  CHECK(count(svg, "<path") == 2);
  CHECK(svg.find("stroke-opacity=\"0.3\"") != std::string::npos);  // the raw rate, faint
  CHECK(svg.find(">G, gaussian \u03c3 = 20 ms</text>") != std::string::npos);
  CHECK(svg.find(">rate (Hz)</text>") != std::string::npos);
  // The mean rate is 25 Hz (a spike of 10 neurons every 4 ms): the axis fits the smoothed rate.
  auto figure = run::plotFigure(f.view(), plotOf(f));
  REQUIRE(std::holds_alternative<run::Figure>(figure));
  const auto& fig = std::get<run::Figure>(figure);
  CHECK(fig.y.hi > 25);
  CHECK(fig.y.hi < 60);
  const std::string raw = drawn(f, dir.path() / "raw.svg", 1);
  CHECK(count(raw, "<path") == 1);
}

TEST_CASE("a histogram counts the current values in automatic or given bins") {
  const std::string source = kCell +
                             "experiment h {\n"
                             "    population E = Cell[10]\n"
                             "    connect S = E -> E { p = 0.5;  w = 0 mV;  on pre { V += w } }\n"
                             "    run 1 ms\n"
                             "    plot histogram(S.w) to \"w.svg\"\n"
                             "    plot histogram(S.w, bins = 4) to \"w4.svg\"\n"
                             "    plot histogram(S.w[90:110]) to \"past.svg\"\n"
                             "}\n";
  auto f = makeRun(source, [](engine::SimulationPlan& plan) {
    plan.connections[0].init = initKernel("w", [](engine::Index s) { return 1e-4 * (s % 20); });
  });
  test::ScratchDir dir("plot-hist");
  auto figure = run::plotFigure(f.view(), plotOf(f));
  REQUIRE(std::holds_alternative<run::Figure>(figure));
  const auto& bars = std::get<run::Figure>(figure).series.at(0);
  double total = 0;
  for (double c : bars.y) total += c;
  CHECK(total == 100);
  CHECK(bars.x.front() == doctest::Approx(0));
  CHECK(bars.x.back() == doctest::Approx(1.9));  // mV
  // 100 values spread evenly: Sturges' 7.64 -> 8 bins is narrower than Freedman-Diaconis'.
  CHECK(bars.y.size() == 8);
  const std::string svg = drawn(f, dir.path() / "w.svg");
  CHECK_WELL_FORMED(svg);
  CHECK(svg.find(">S.w (mV)</text>") != std::string::npos);
  CHECK(svg.find(">number of synapses</text>") != std::string::npos);
  CHECK(svg.find(">histogram of S.w at t = 0 s</text>") != std::string::npos);
  const std::string four = drawn(f, dir.path() / "w4.svg", 1);
  CHECK(count(four, "Z") == 4);
  auto error = run::writePlot(f.view(), plotOf(f, 2), dir.path() / "past.svg");
  REQUIRE(error);
  CHECK(f.checked->text(error->range) == "S.w[90:110]");
  CHECK(error->message.find("100 synapses") != std::string::npos);
}

TEST_CASE("a spectrum is drawn on a log axis with its peak marked") {
  const std::string source =
      "experiment s {\n"
      "    dt = 1 ms\n"
      "    population G = spikes[100](indices = [0], times = [5 ms])\n"
      "    record rate(G)\n"
      "    run 2 s\n"
      "    plot psd(rate(G)) to \"psd.svg\"\n"
      "}\n";
  // About 50 (1 + sin(2 pi 40 Hz t)) spikes a step: a 40 Hz oscillation of the rate.
  auto f = makeRun(source, [](engine::SimulationPlan& plan) {
    auto& g = plan.groups[0];
    g.generator_indices.clear();
    g.generator_steps.clear();
    for (engine::Step s = 0; s < 2000; ++s) {
      const double t = static_cast<double>(s) * 1e-3;
      const auto n =
          static_cast<engine::Index>(std::lround(50 * (1 + std::sin(2 * M_PI * 40 * t))));
      for (engine::Index i = 0; i < n; ++i) {
        g.generator_indices.push_back(i);
        g.generator_steps.push_back(s);
      }
    }
  });
  f.simulation->recordRate(0);
  test::ScratchDir dir("plot-psd");
  // Nothing recorded yet: too short for a spectrum.
  auto early = run::writePlot(f.view(), plotOf(f), dir.path() / "psd.svg");
  REQUIRE(early);
  CHECK(f.checked->text(early->range) == "rate(G)");
  f.simulation->run(2000);
  const std::string svg = drawn(f, dir.path() / "psd.svg");
  CHECK_WELL_FORMED(svg);
  CHECK(svg.find(">peak 40 Hz</text>") != std::string::npos);
  CHECK(svg.find(">frequency (Hz)</text>") != std::string::npos);
  CHECK(svg.find("<tspan") != std::string::npos);  // 10^k labels
  auto figure = run::plotFigure(f.view(), plotOf(f));
  REQUIRE(std::holds_alternative<run::Figure>(figure));
  CHECK(std::get<run::Figure>(figure).y.log);
  CHECK(std::get<run::Figure>(figure).x.hi == doctest::Approx(160));
}

TEST_CASE("plot paths are relative to the output folder; a write failure is an error") {
  const std::string source =
      "experiment paths {\n"
      "    population G = spikes[1](indices = [0], times = [1 ms])\n"
      "    record spikes(G)\n"
      "    run 5 ms\n"
      "    plot raster(G) to \"figs/g.svg\"\n"
      "    plot raster(G) to \"/abs/g.svg\"\n"
      "    plot raster(G)\n"
      "}\n";
  auto f = makeRun(source);
  CHECK(run::plotPath("out", *f.experiment, plotOf(f, 0)) == fs::path("out/figs/g.svg"));
  CHECK(run::plotPath("out", *f.experiment, plotOf(f, 1)) == fs::path("/abs/g.svg"));
  CHECK(run::plotPath("out", *f.experiment, plotOf(f, 2)) == fs::path("out/paths_raster_3.svg"));
  f.simulation->recordSpikes(0);
  f.simulation->run(50);
  test::ScratchDir dir("plot-paths");
  // Parent folders are created.
  const std::string svg = drawn(f, run::plotPath(dir.path(), *f.experiment, plotOf(f, 0)));
  CHECK_WELL_FORMED(svg);
  // A file where the folder should be.
  { std::ofstream(dir.path() / "blocked") << "x"; }
  auto error = run::writePlot(f.view(), plotOf(f, 0), dir.path() / "blocked" / "g.svg");
  REQUIRE(error);
  CHECK(error->message.find("cannot write the plot") != std::string::npos);
  CHECK(f.checked->text(error->range) == "\"figs/g.svg\"");
}

}  // namespace
}  // namespace snn
