// The output directory: recordings written as .npy and read back here (header and data), run.json
// parsed back, NumPy loading every file (when Debian's python3-numpy is there), the partial
// status, and a failing write that leaves no half-written file and no stale run.json.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/run/outputs.h"
#include "tests/unit/run/run_helpers.h"
#include "tests/unit/vm/output/scratch_dir.h"
#include "vm/output/atomic_file.h"

namespace snn {
namespace {

namespace fs = std::filesystem;
using testing::initKernel;
using testing::makeRun;

const std::string kSource =
    "neuron Cell {\n"
    "    parameters { tau = 10 ms;  V_rest = -70 mV }\n"
    "    state { V : volt = V_rest;  I_ext : volt }\n"
    "    equations { dV/dt = (V_rest - V + I_ext) / tau }\n"
    "    threshold V > -50 mV\n"
    "    reset { V = V_rest }\n"
    "}\n"
    "experiment out {\n"
    "    dt = 1 ms\n"
    "    seed = 7\n"
    "    population G = spikes[2](indices = [0, 0, 0, 0, 1, 1, 1], times = [1, 3, 7, 15, 2, 4, "
    "6] * ms)\n"
    "    population E = Cell[4](tau = 20 ms)\n"
    "    connect S = E -> E { p = 0.5;  w = 0.5 mV;  delay = 2 ms;  on pre { V += w } }\n"
    "    connect G -> E { all;  on pre { V += 1 mV } }\n"
    "    record spikes(G), rate(G)\n"
    "    record E.V[1:4] every 2 ms\n"
    "    record S.w[0:3]\n"
    "    record E.V[0]\n"
    "    run 10 ms\n"
    "    print \"{spike_count(G)} spikes\"\n"
    "}\n";

// The simulation of kSource after 10 steps, with the monitors the driver would add.
testing::RunFixture ranFixture() {
  auto f = makeRun(kSource, [](engine::SimulationPlan& plan) {
    plan.groups[1].init = initKernel("V", [](engine::Index i) { return -70e-3 + 1e-3 * i; });
    plan.connections[0].init = initKernel("w", [](engine::Index s) { return 1e-4 * s; });
  });
  f.simulation->recordSpikes(0);
  f.simulation->recordRate(0);
  f.simulation->recordState(false, 1, "V", {1, 2, 3}, 2);
  f.simulation->recordState(true, 0, "w", {0, 1, 2}, 1);
  f.simulation->recordState(false, 1, "V", {0}, 1);
  f.simulation->run(10);
  return f;
}

run::RunSummary summary() {
  run::RunSummary s;
  s.source_file = "out.snn";
  s.parse_seconds = 0.01;
  s.check_seconds = 0.02;
  s.lower_seconds = 0.03;
  s.setup_seconds = 0.04;
  s.compile_wait_seconds = 0.05;
  s.threads = 3;
  s.jit_kernels = 4;
  s.jit_optimize_cpu_seconds = 0.06;
  s.run_seconds = 0.5;
  s.simulated_seconds = 0.01;
  s.printed = {"6 spikes"};
  s.overrides = {{"E.tau", "20ms"}};
  return s;
}

// A .npy file read back by hand: the format is simple enough to check byte by byte.
struct Npy {
  std::string descr;
  std::vector<std::uint64_t> shape;
  std::string data;

  template <typename T>
  std::vector<T> values() const {
    std::vector<T> out(data.size() / sizeof(T));
    std::memcpy(out.data(), data.data(), out.size() * sizeof(T));
    return out;
  }
};

Npy readNpy(const fs::path& path) {
  const std::string bytes = test::readFile(path);
  Npy npy;
  REQUIRE(bytes.size() >= 10);
  REQUIRE(bytes.compare(0, 6, "\x93NUMPY") == 0);
  REQUIRE(bytes[6] == 1);  // version 1.0
  const std::size_t header_length =
      static_cast<unsigned char>(bytes[8]) |
      (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
  const std::string header = bytes.substr(10, header_length);
  CHECK((10 + header_length) % 64 == 0);
  const auto descr = header.find("'descr': '");
  REQUIRE(descr != std::string::npos);
  npy.descr = header.substr(descr + 10, 3);
  CHECK(header.find("'fortran_order': False") != std::string::npos);
  const auto open = header.find("'shape': (");
  REQUIRE(open != std::string::npos);
  const auto close = header.find(')', open);
  std::string dims = header.substr(open + 10, close - open - 10);
  std::size_t at = 0;
  while (at < dims.size()) {
    std::size_t comma = dims.find(',', at);
    std::string item = dims.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    if (item.find_first_not_of(' ') != std::string::npos) npy.shape.push_back(std::stoull(item));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  npy.data = bytes.substr(10 + header_length);
  return npy;
}

std::vector<std::string> filesIn(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

nlohmann::json readJson(const fs::path& path) {
  return nlohmann::json::parse(test::readFile(path));
}

TEST_CASE("outputs: every recording as .npy with the documented names, dtypes and shapes") {
  auto f = ranFixture();
  test::ScratchDir scratch("run-outputs");
  const fs::path dir = scratch.path() / "nested" / "out";  // created, parents too
  run::writeOutputs(f.view(), summary(), dir);

  CHECK(filesIn(dir) == std::vector<std::string>{
                            "E.V.2.index.npy", "E.V.2.npy", "E.V.2.t.npy", "E.V.index.npy",
                            "E.V.npy", "E.V.t.npy", "G.rate.npy", "G.rate.t.npy", "G.spikes.i.npy",
                            "G.spikes.t.npy", "S.w.index.npy", "S.w.npy", "S.w.t.npy", "run.json"});

  // Spikes in the first 10 steps, in time order: 1 ms (0), 2 (1), 3 (0), 4 (1), 6 (1), 7 (0).
  Npy i = readNpy(dir / "G.spikes.i.npy");
  CHECK(i.descr == "<i8");
  CHECK(i.shape == std::vector<std::uint64_t>{6});
  CHECK(i.values<std::int64_t>() == std::vector<std::int64_t>{0, 1, 0, 1, 1, 0});
  Npy t = readNpy(dir / "G.spikes.t.npy");
  CHECK(t.descr == "<f8");
  CHECK(t.values<double>() == std::vector<double>{1e-3, 2e-3, 3e-3, 4e-3, 6e-3, 7e-3});

  // One spike of 2 neurons in a 1 ms step is 500 Hz.
  Npy rate = readNpy(dir / "G.rate.npy");
  CHECK(rate.shape == std::vector<std::uint64_t>{10});
  CHECK(rate.values<double>() == std::vector<double>{0, 500, 500, 500, 500, 0, 500, 500, 0, 0});
  std::vector<double> step_times;
  for (int k = 0; k < 10; ++k) step_times.push_back(k * 1e-3);
  CHECK(readNpy(dir / "G.rate.t.npy").values<double>() == step_times);

  // E.V[1:4] every 2 ms: 5 samples of 3 neurons, constant at -69, -68, -67 mV.
  Npy v = readNpy(dir / "E.V.npy");
  CHECK(v.descr == "<f8");
  CHECK(v.shape == std::vector<std::uint64_t>{5, 3});
  std::vector<double> expected_v;
  for (int row = 0; row < 5; ++row)
    for (int n = 1; n <= 3; ++n) expected_v.push_back(-70e-3 + 1e-3 * n);
  CHECK(v.values<double>() == expected_v);
  CHECK(readNpy(dir / "E.V.t.npy").values<double>() ==
        std::vector<double>{0, 2e-3, 4e-3, 6e-3, 8e-3});
  CHECK(readNpy(dir / "E.V.index.npy").values<std::int64_t>() ==
        std::vector<std::int64_t>{1, 2, 3});
  // The second recording of E.V gets the next number.
  CHECK(readNpy(dir / "E.V.2.npy").shape == std::vector<std::uint64_t>{10, 1});
  CHECK(readNpy(dir / "E.V.2.index.npy").values<std::int64_t>() == std::vector<std::int64_t>{0});

  Npy w = readNpy(dir / "S.w.npy");
  CHECK(w.shape == std::vector<std::uint64_t>{10, 3});
  CHECK(w.values<double>()[3 * 9 + 2] == 2e-4);
}

TEST_CASE("outputs: run.json describes the run, its model and its files") {
  auto f = ranFixture();
  test::ScratchDir scratch("run-json");
  run::writeOutputs(f.view(), summary(), scratch.path());
  const nlohmann::json doc = readJson(scratch.path() / "run.json");

  CHECK(doc["experiment"] == "out");
  CHECK(doc["source_file"] == "out.snn");
  CHECK(doc["backend"] == "jit");
  CHECK(doc["threads"] == 3);
  // To the first step: parse + check + lower + setup + waiting for the JIT.
  CHECK(doc["timings"]["to_first_step"].get<double>() == doctest::Approx(0.15));
  CHECK(doc["timings"]["compile_wait"] == 0.05);
  CHECK(doc["timings"]["jit"]["kernels"] == 4);
  CHECK(doc["timings"]["jit"]["optimize_cpu"] == 0.06);
  CHECK(doc["status"] == "complete");
  CHECK_FALSE(doc.contains("reason"));
  CHECK(doc["dt"] == 1e-3);
  CHECK(doc["seed"] == 7);
  CHECK(doc["steps"] == 10);

  const auto& timings = doc["timings"];
  CHECK(timings["parse"] == 0.01);
  CHECK(timings["check"] == 0.02);
  CHECK(timings["lower"] == 0.03);
  CHECK(timings["setup"] == 0.04);
  CHECK(timings["run"] == 0.5);
  CHECK(timings["simulated"] == 0.01);
  CHECK(timings["simulated_per_wall_second"].get<double>() == doctest::Approx(0.02));

  REQUIRE(doc["populations"].size() == 2);
  const auto& g = doc["populations"][0];
  CHECK(g["name"] == "G");
  CHECK(g["model"] == "spikes");
  CHECK(g["size"] == 2);
  CHECK(g["parameters"].empty());
  const auto& e = doc["populations"][1];
  CHECK(e["model"] == "Cell");
  CHECK(e["size"] == 4);
  CHECK(e["parameters"]["tau"]["value"] == 0.02);  // the override
  CHECK(e["parameters"]["tau"]["unit"] == "second");
  CHECK(e["parameters"]["V_rest"]["value"] == -0.07);
  CHECK(e["parameters"]["V_rest"]["unit"] == "volt");

  REQUIRE(doc["connections"].size() == 2);
  const auto& s = doc["connections"][0];
  CHECK(s["name"] == "S");
  CHECK(s["source"] == "E");
  CHECK(s["target"] == "E");
  CHECK(s["model"].is_null());  // inline synapse
  CHECK(s["synapses"] == 16);
  CHECK(s["delay"] == 2e-3);
  CHECK(doc["connections"][1]["name"] == "G->E");
  CHECK(doc["connections"][1]["synapses"] == 8);

  CHECK(doc["overrides"] == nlohmann::json::parse(R"([{"name": "E.tau", "value": "20ms"}])"));
  CHECK(doc["printed"] == nlohmann::json::array({"6 spikes"}));

  // Every file written is listed once, with what it holds; and nothing else is.
  const auto& files = doc["files"];
  REQUIRE(files.size() == 13);
  std::vector<std::string> listed;
  for (const auto& file : files) {
    listed.push_back(file["path"]);
    CHECK(fs::exists(scratch.path() / file["path"].get<std::string>()));
    CHECK_FALSE(file["meaning"].get<std::string>().empty());
  }
  CHECK(listed[0] == "G.spikes.i.npy");
  CHECK(files[0]["dtype"] == "int64");
  CHECK(files[0]["unit"] == "1");
  CHECK(files[1]["path"] == "G.spikes.t.npy");
  CHECK(files[1]["meaning"] == "time of each spike of G (the start of its step)");
  CHECK(files[1]["unit"] == "second");
  CHECK(files[1]["shape"] == nlohmann::json::array({6}));
  CHECK(files[2]["path"] == "G.rate.npy");
  CHECK(files[2]["unit"] == "hertz");
  CHECK(files[4]["path"] == "E.V.npy");
  CHECK(files[4]["unit"] == "volt");
  CHECK(files[4]["dtype"] == "float64");
  CHECK(files[4]["shape"] == nlohmann::json::array({5, 3}));
  CHECK(files[4]["meaning"] == "E.V of neurons 1..3 (a row per sample, a column per neuron)");
  CHECK(files[7]["path"] == "S.w.npy");
  CHECK(files[7]["unit"] == "volt");
  CHECK(files[9]["meaning"] == "synapse of each column of S.w.npy");
  CHECK(files[10]["path"] == "E.V.2.npy");
  CHECK(files[10]["meaning"] == "E.V of neuron 0 (a row per sample, a column per neuron)");
}

TEST_CASE("outputs: a partial run says so, and a run that never started still has run.json") {
  auto f = ranFixture();
  test::ScratchDir scratch("run-partial");
  run::RunSummary s = summary();
  s.partial = true;
  s.partial_reason = "interrupted at t = 10 ms";
  run::writeOutputs(f.view(), s, scratch.path());
  nlohmann::json doc = readJson(scratch.path() / "run.json");
  CHECK(doc["status"] == "partial");
  CHECK(doc["reason"] == "interrupted at t = 10 ms");
  CHECK(doc["files"].size() == 13);

  // The simulation could not be created (a memory refusal, say): run.json from the checked
  // experiment alone, no recordings.
  test::ScratchDir none("run-none");
  s.partial_reason = "the connection S needs 3 GiB";
  run::RunView view = f.view();
  view.simulation = nullptr;
  run::writeOutputs(view, s, none.path());
  CHECK(filesIn(none.path()) == std::vector<std::string>{"run.json"});
  doc = readJson(none.path() / "run.json");
  CHECK(doc["status"] == "partial");
  CHECK(doc["steps"] == 0);
  CHECK(doc["seed"] == 7);
  CHECK(doc["populations"][1]["size"] == 4);
  CHECK(doc["connections"][0]["synapses"].is_null());  // `p = 0.5`: unknown until generated
  CHECK(doc["connections"][0]["delay"] == 2e-3);
  CHECK(doc["connections"][1]["synapses"] == 8);  // `all`: known to sema
  CHECK(doc["files"].empty());
}

TEST_CASE("outputs: a failing write leaves whole files or none, and no stale run.json") {
  auto f = ranFixture();
  test::ScratchDir scratch("run-failing");
  const fs::path dir = scratch.path();
  { std::ofstream(dir / "run.json") << "{\"from\": \"an earlier run\"}"; }
  // G.rate.npy is a directory that is not empty: renaming the finished temporary over it fails.
  fs::create_directories(dir / "G.rate.npy" / "blocker");
  bool threw = false;
  try {
    run::writeOutputs(f.view(), summary(), dir);
  } catch (const output::OutputError& e) {
    threw = true;
    CHECK(std::string(e.what()).find((dir / "G.rate.npy").string()) != std::string::npos);
  }
  CHECK(threw);
  // The spikes were written before the failure and are whole; nothing half-written remains; the
  // old run.json, which described other files, is gone.
  CHECK(readNpy(dir / "G.spikes.t.npy").shape == std::vector<std::uint64_t>{6});
  for (const auto& name : filesIn(dir)) CHECK(name.find(".tmp-") == std::string::npos);
  CHECK_FALSE(fs::exists(dir / "run.json"));
  CHECK_FALSE(fs::exists(dir / "E.V.npy"));

  // An output directory that cannot be created names itself.
  { std::ofstream(dir / "a_file") << "x"; }
  try {
    run::writeOutputs(f.view(), summary(), dir / "a_file" / "out");
    FAIL("writeOutputs under a file succeeded");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find((dir / "a_file" / "out").string()) != std::string::npos);
  }
}

// numpy.load on every file run.json lists, comparing dtype and shape with the listing and the
// spike times with their definition. Skipped (with a message) without Debian's python3-numpy.
TEST_CASE("outputs: numpy reads every file as run.json describes it") {
  const char* python = "/usr/bin/python3";
  if (!fs::exists(python) ||
      std::system("/usr/bin/python3 -c 'import numpy' > /dev/null 2>&1") != 0) {
    MESSAGE("skipped: /usr/bin/python3 cannot import numpy (Debian: python3-numpy)");
    return;
  }
  auto f = ranFixture();
  test::ScratchDir scratch("run-numpy");
  run::writeOutputs(f.view(), summary(), scratch.path());
  const fs::path script = scratch.path() / "check.py";
  {
    std::ofstream out(script);
    out << "import json, sys, os\n"
           "import numpy as np\n"
           "d = sys.argv[1]\n"
           "run = json.load(open(os.path.join(d, 'run.json')))\n"
           "assert len(run['files']) == 13, len(run['files'])\n"
           "for f in run['files']:\n"
           "    a = np.load(os.path.join(d, f['path']))\n"
           "    assert str(a.dtype) == f['dtype'], (f['path'], a.dtype)\n"
           "    assert list(a.shape) == f['shape'], (f['path'], a.shape)\n"
           "t = np.load(os.path.join(d, 'G.spikes.t.npy'))\n"
           "assert np.array_equal(t, np.array([1, 2, 3, 4, 6, 7]) * 1e-3), t\n"
           "v = np.load(os.path.join(d, 'E.V.npy'))\n"
           "assert np.allclose(v.mean(axis=0), [-0.069, -0.068, -0.067], rtol=0, atol=1e-15), v\n"
           "print('ok')\n";
  }
  const std::string command =
      std::string(python) + " " + script.string() + " " + scratch.path().string();
  CHECK(std::system(command.c_str()) == 0);
}

}  // namespace
}  // namespace snn
