// The output directory of a run: the recordings as .npy and run.json; see outputs.h.
//
// The `record` statements of the experiment say what the user asked for; the simulation holds
// the monitors. They are matched by what they record: spikes and rates by group (the monitor
// that started first, as print reads it), variables by (group or connection, variable) and
// order, since the driver adds monitors in the order of the statements. A statement whose
// monitor does not exist (the run stopped before reaching it) writes nothing.
#include "compiler/run/outputs.h"

#include <algorithm>
#include <cerrno>
#include <map>
#include <numeric>
#include <set>
#include <span>
#include <tuple>

#include <fmt/format.h>

#include "compiler/run/recordings.h"
#include "vm/output/atomic_file.h"
#include "vm/output/json_writer.h"
#include "vm/output/npy_writer.h"

namespace snn::run {
namespace {

namespace fs = std::filesystem;

class RecordingWriter {
 public:
  RecordingWriter(const RunView& view, fs::path dir)
      : experiment_(*view.experiment),
        simulation_(*view.simulation),
        dir_(std::move(dir)),
        dt_(view.simulation->plan().dt) {}

  std::vector<OutputFile> writeAll() {
    for (const auto& rec : experiment_.recordings) {
      switch (rec.kind) {
        case sema::CheckedRecording::Kind::Spikes:
          writeSpikes(rec.owner);
          break;
        case sema::CheckedRecording::Kind::Rate:
          writeRate(rec.owner);
          break;
        case sema::CheckedRecording::Kind::Variable:
          writeVariable(rec);
          break;
      }
    }
    return std::move(files_);
  }

 private:
  const std::string& populationName(std::size_t k) const { return experiment_.populations[k].name; }

  std::string connectName(std::size_t k) const {
    const auto& c = experiment_.connects[k];
    if (!c.name.empty()) return c.name;
    return populationName(c.source) + "->" + populationName(c.target);
  }

  void writeSpikes(std::size_t group) {
    if (group >= experiment_.populations.size() || !spikes_done_.insert(group).second) return;
    const engine::SpikeRecording* rec = spikeRecordingOf(simulation_, group);
    if (!rec) return;
    const std::string& name = populationName(group);
    if (rec->indices.size() != rec->steps.size()) {
      throw output::OutputError("the spike monitor of " + name + " is inconsistent; not written",
                                dir_ / (name + ".spikes.t.npy"));
    }
    // The engine appends spikes step by step, so they are in time order already; a stable sort
    // by step keeps that promise even for a monitor filled another way.
    std::vector<std::size_t> order(rec->steps.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (!std::is_sorted(rec->steps.begin(), rec->steps.end())) {
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return rec->steps[a] < rec->steps[b]; });
    }
    std::vector<std::int64_t> indices(order.size());
    std::vector<double> times(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      indices[k] = rec->indices[order[k]];
      times[k] = static_cast<double>(rec->steps[order[k]]) * dt_;
    }
    write1d(name + ".spikes.i.npy", std::span<const std::int64_t>(indices),
            "neuron index of each spike of " + name, "1");
    write1d(name + ".spikes.t.npy", std::span<const double>(times),
            "time of each spike of " + name + " (the start of its step)", "second");
  }

  void writeRate(std::size_t group) {
    if (group >= experiment_.populations.size() || !rates_done_.insert(group).second) return;
    const engine::RateRecording* rec = rateRecordingOf(simulation_, group);
    if (!rec) return;
    const std::string& name = populationName(group);
    std::vector<double> times(rec->rates.size());
    for (std::size_t k = 0; k < times.size(); ++k)
      times[k] = static_cast<double>(rec->first_step + static_cast<engine::Step>(k)) * dt_;
    write1d(name + ".rate.npy", std::span<const double>(rec->rates),
            "population rate of " + name + ": its spikes in each step / (N dt)", "hertz");
    write1d(name + ".rate.t.npy", std::span<const double>(times),
            "start time of each step of " + name + ".rate.npy", "second");
  }

  void writeVariable(const sema::CheckedRecording& rec) {
    const bool of_connect = rec.of_connect;
    if (of_connect ? rec.owner >= experiment_.connects.size()
                   : rec.owner >= experiment_.populations.size()) {
      return;
    }
    // The k-th statement recording this variable is the k-th monitor of it.
    const auto key = std::make_tuple(of_connect, rec.owner, rec.variable);
    const std::size_t ordinal = variable_uses_[key]++;
    const engine::StateRecording* found = nullptr;
    std::size_t seen = 0;
    for (const auto& s : simulation_.stateRecordings()) {
      if (s.of_connection != of_connect || s.owner != rec.owner || s.variable != rec.variable)
        continue;
      if (seen++ == ordinal) {
        found = &s;
        break;
      }
    }
    if (!found) return;
    const std::string owner = of_connect ? connectName(rec.owner) : populationName(rec.owner);
    std::string base = owner + "." + rec.variable;
    // A second recording of one variable (another slice, another interval) gets a number.
    for (int n = 2; !bases_.insert(base).second; ++n)
      base = fmt::format("{}.{}.{}", owner, rec.variable, n);

    const std::uint64_t rows = found->steps.size();
    const std::uint64_t columns = found->indices.size();
    if (found->values.size() != rows * columns) {
      throw output::OutputError(
          fmt::format("the monitor of {}.{} holds {} values for {} samples of {} elements; not "
                      "written",
                      owner, rec.variable, found->values.size(), rows, columns),
          dir_ / (base + ".npy"));
    }
    const char* elements = of_connect ? "synapse" : "neuron";
    std::string range = columns == 0   ? std::string("no elements")
                        : columns == 1 ? fmt::format("{} {}", elements, found->indices.front())
                                       : fmt::format("{}s {}..{}", elements, found->indices.front(),
                                                     found->indices.back());
    const fs::path values_path = base + ".npy";
    output::writeNpy(dir_ / values_path, std::span<const double>(found->values), rows, columns);
    files_.push_back(OutputFile{values_path.string(),
                                fmt::format("{}.{} of {} (a row per sample, a column per {})",
                                            owner, rec.variable, range, elements),
                                variableUnit(rec),
                                "float64",
                                {rows, columns}});
    std::vector<double> times(rows);
    for (std::size_t k = 0; k < rows; ++k) times[k] = static_cast<double>(found->steps[k]) * dt_;
    write1d(base + ".t.npy", std::span<const double>(times),
            "time of each row of " + values_path.string(), "second");
    write1d(base + ".index.npy", std::span<const std::int64_t>(found->indices),
            fmt::format("{} of each column of {}", elements, values_path.string()), "1");
  }

  std::string variableUnit(const sema::CheckedRecording& rec) const {
    if (!rec.of_connect) {
      if (auto v = experiment_.populations[rec.owner].findVariable(rec.variable);
          v && v->type.isQuantity()) {
        return v->type.dim.toUnitString();
      }
    } else {
      const auto& c = experiment_.connects[rec.owner];
      for (const auto& v : c.inline_variables)
        if (v.name == rec.variable && v.type.isQuantity()) return v.type.dim.toUnitString();
      if (c.synapse) {
        if (auto v = c.synapse->findVariable(rec.variable); v && v->type.isQuantity())
          return v->type.dim.toUnitString();
      }
    }
    return "1";
  }

  template <typename T>
  void write1d(const std::string& name, std::span<const T> values, std::string meaning,
               std::string unit) {
    output::writeNpy(dir_ / name, values);
    files_.push_back(OutputFile{name,
                                std::move(meaning),
                                std::move(unit),
                                std::is_same_v<T, double> ? "float64" : "int64",
                                {static_cast<std::uint64_t>(values.size())}});
  }

  const sema::CheckedExperiment& experiment_;
  const engine::Simulation& simulation_;
  fs::path dir_;
  double dt_;
  std::vector<OutputFile> files_;
  std::set<std::size_t> spikes_done_, rates_done_;
  std::map<std::tuple<bool, std::size_t, std::string>, std::size_t> variable_uses_;
  std::set<std::string> bases_;
};

void createDirectory(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw output::OutputError("cannot create the output directory", dir, ec.value());
  if (!fs::is_directory(dir, ec))
    throw output::OutputError("cannot create the output directory", dir, ENOTDIR);
}

nlohmann::json populationsJson(const RunView& view) {
  nlohmann::json out = nlohmann::json::array();
  const auto& populations = view.experiment->populations;
  for (std::size_t k = 0; k < populations.size(); ++k) {
    const auto& p = populations[k];
    nlohmann::json parameters = nlohmann::json::object();
    if (p.model) {
      for (std::size_t q = 0; q < p.model->parameters.size() && q < p.parameter_values.size();
           ++q) {
        const auto& decl = p.model->parameters[q];
        parameters[decl.name] = {{"value", p.parameter_values[q]},
                                 {"unit", decl.dim.toUnitString()}};
      }
    }
    const bool in_simulation = view.simulation && k < view.simulation->plan().groups.size();
    out.push_back({{"name", p.name},
                   {"model", p.modelName()},
                   {"size", in_simulation ? view.simulation->groupSize(k) : p.size},
                   {"parameters", std::move(parameters)}});
  }
  return out;
}

nlohmann::json connectionsJson(const RunView& view) {
  nlohmann::json out = nlohmann::json::array();
  const auto& e = *view.experiment;
  for (std::size_t k = 0; k < e.connects.size(); ++k) {
    const auto& c = e.connects[k];
    const std::string& source = e.populations[c.source].name;
    const std::string& target = e.populations[c.target].name;
    const bool in_simulation = view.simulation && k < view.simulation->plan().connections.size();
    nlohmann::json synapses = nullptr;
    nlohmann::json delay = nullptr;
    if (in_simulation) {
      synapses = view.simulation->synapseCount(k);
      if (auto d = view.simulation->plan().connections[k].delay) delay = *d;
    } else {
      if (c.synapse_count) synapses = *c.synapse_count;
      if (c.delay_time)
        delay = *c.delay_time;
      else if (!c.delay)
        delay = 0.0;
    }
    out.push_back({{"name", c.name.empty() ? source + "->" + target : c.name},
                   {"source", source},
                   {"target", target},
                   {"model", c.synapse ? nlohmann::json(c.synapse->name) : nlohmann::json(nullptr)},
                   {"synapses", std::move(synapses)},
                   {"delay", std::move(delay)}});
  }
  return out;
}

}  // namespace

std::vector<OutputFile> writeRecordings(const RunView& view, const fs::path& dir) {
  createDirectory(dir);
  if (!view.experiment || !view.simulation) return {};
  return RecordingWriter(view, dir).writeAll();
}

nlohmann::json runDocument(const RunView& view, const RunSummary& summary,
                           const std::vector<OutputFile>& files) {
  nlohmann::json doc = nlohmann::json::object();
  const auto* e = view.experiment;
  doc["experiment"] = e ? e->name : std::string();
  doc["source_file"] = summary.source_file;
  doc["backend"] = summary.backend;
  doc["threads"] = summary.threads;
  doc["status"] = summary.partial ? "partial" : "complete";
  if (summary.partial) doc["reason"] = summary.partial_reason;
  if (view.simulation) {
    doc["dt"] = view.simulation->plan().dt;
    doc["seed"] = view.simulation->plan().seed;
    doc["steps"] = view.simulation->currentStep();
  } else {
    doc["dt"] = e ? e->dt : 0.0;
    doc["seed"] = e ? e->seed.value_or(0) : 0;
    doc["steps"] = 0;
  }
  nlohmann::json timings = {
      {"parse", summary.parse_seconds}, {"check", summary.check_seconds},
      {"lower", summary.lower_seconds}, {"setup", summary.setup_seconds},
      {"compile_wait", summary.compile_wait_seconds},
      {"run", summary.run_seconds},     {"simulated", summary.simulated_seconds}};
  // Wall seconds from reading the file to the first step.
  timings["to_first_step"] = summary.parse_seconds + summary.check_seconds + summary.lower_seconds +
                             summary.setup_seconds + summary.compile_wait_seconds;
  if (summary.backend == "jit") {
    timings["jit"] = {{"kernels", summary.jit_kernels},
                      {"lower_cpu", summary.jit_lower_cpu_seconds},
                      {"optimize_cpu", summary.jit_optimize_cpu_seconds},
                      {"codegen_cpu", summary.jit_codegen_cpu_seconds}};
  }
  timings["simulated_per_wall_second"] =
      summary.run_seconds > 0 ? nlohmann::json(summary.simulated_seconds / summary.run_seconds)
                              : nlohmann::json(nullptr);
  doc["timings"] = std::move(timings);
  doc["populations"] = e ? populationsJson(view) : nlohmann::json::array();
  doc["connections"] = e ? connectionsJson(view) : nlohmann::json::array();
  nlohmann::json overrides = nlohmann::json::array();
  for (const auto& [name, value] : summary.overrides)
    overrides.push_back({{"name", name}, {"value", value}});
  doc["overrides"] = std::move(overrides);
  doc["printed"] = summary.printed;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& f : files) {
    list.push_back({{"path", f.path},
                    {"meaning", f.meaning},
                    {"unit", f.unit},
                    {"dtype", f.dtype},
                    {"shape", f.shape}});
  }
  doc["files"] = std::move(list);
  return doc;
}

void writeOutputs(const RunView& view, const RunSummary& summary, const fs::path& dir) {
  createDirectory(dir);
  // Until the new run.json is written, none should describe files that are being replaced.
  const fs::path json_path = dir / "run.json";
  std::error_code ec;
  fs::remove(json_path, ec);
  if (ec) throw output::OutputError("cannot remove the old", json_path, ec.value());
  std::vector<OutputFile> files = writeRecordings(view, dir);
  output::writeJson(json_path, runDocument(view, summary, files));
}

}  // namespace snn::run
