// Running one experiment's protocol; see experiment_runner.h.
#include "compiler/driver/experiment_runner.h"

#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "compiler/driver/backend.h"
#include "compiler/driver/progress.h"
#include "compiler/driver/report.h"
#include "compiler/lower/lower.h"
#include "compiler/run/outputs.h"
#include "compiler/run/plot.h"
#include "compiler/run/print.h"
#include "vm/engine/memory_limit.h"
#include "vm/engine/simulation.h"

namespace snn::driver {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

engine::Step toSteps(double seconds, double dt) {
  return static_cast<engine::Step>(std::llround(seconds / dt));
}

std::vector<engine::Index> elementRange(std::int64_t lo, std::int64_t hi, std::int64_t size) {
  if (hi < 0 || hi > size) hi = size;
  std::vector<engine::Index> elements;
  for (std::int64_t k = std::max<std::int64_t>(lo, 0); k < hi; ++k) elements.push_back(k);
  return elements;
}

SourceRange populationRange(const sema::CheckedExperiment& experiment, const std::string& owner) {
  for (const auto& p : experiment.populations) {
    if (p.name == owner && p.decl) return p.decl->name_range;
  }
  for (const auto& c : experiment.connects) {
    const std::string name = c.name.empty() ? experiment.populations[c.source].name + "->" +
                                                  experiment.populations[c.target].name
                                            : c.name;
    if (c.decl && name == owner) return c.decl->source_range;
  }
  return experiment.decl ? experiment.decl->name_range : SourceRange{};
}

// The variable's unit, when the owner is a population or a connection of the experiment.
units::Dimension variableDimension(const sema::CheckedExperiment& experiment,
                                   const std::string& owner, const std::string& variable) {
  for (const auto& p : experiment.populations) {
    if (p.name != owner) continue;
    if (auto v = p.findVariable(variable)) return v->type.dim;
  }
  for (const auto& c : experiment.connects) {
    if (!c.synapse) continue;
    if (auto v = c.synapse->findVariable(variable)) return v->type.dim;
  }
  return units::Dimension();
}

std::string nonFiniteMessage(const sema::CheckedExperiment& experiment,
                             const engine::NonFiniteError& e) {
  bool is_group = false;
  for (const auto& p : experiment.populations) is_group = is_group || p.name == e.owner;
  units::Dimension dim = variableDimension(experiment, e.owner, e.variable);
  return fmt::format(
      "`{}.{}` of {} {} became NaN or infinite in the step from t = {}; its last finite value "
      "was {} (the step is not applied; record the variable to see how it grew)",
      e.owner, e.variable, is_group ? "neuron" : "synapse", e.index,
      run::formatReadable(e.time, units::Dimension::base(units::BaseDimension::Time)),
      run::formatReadable(e.last_finite, dim));
}

class Runner {
 public:
  Runner(const sema::CheckedProgram& program, const equations::EquationsProgram& equations,
         const sema::CheckedExperiment& experiment, const RunOptions& options, Diagnostics& diags,
         std::ostream& out, std::ostream& err)
      : program_(program),
        equations_(equations),
        experiment_(experiment),
        options_(options),
        diags_(diags),
        out_(out),
        err_(err) {}

  RunStatus run();

 private:
  void assign(const sema::CheckedAssign& a);
  void record(const sema::CheckedRecording& r);
  bool finishOutputs();
  std::filesystem::path outputDirectory() const;
  ReportExtras reportExtras() const;

  const sema::CheckedProgram& program_;
  const equations::EquationsProgram& equations_;
  const sema::CheckedExperiment& experiment_;
  const RunOptions& options_;
  Diagnostics& diags_;
  std::ostream& out_;
  std::ostream& err_;
  std::optional<lower::LoweredExperiment> lowered_;
  std::unique_ptr<engine::Simulation> simulation_;
  run::RunSummary summary_;
  std::vector<std::string> plots_;  // written, relative to the output folder
};

void Runner::assign(const sema::CheckedAssign& a) {
  auto it = lowered_->assignments.find(a.stmt);
  if (it == lowered_->assignments.end() || !it->second) return;
  if (a.of_connect) {
    auto elements = elementRange(a.lo, a.hi, simulation_->synapseCount(a.owner));
    simulation_->runOnConnection(a.owner, *it->second, elements);
  } else {
    auto elements = elementRange(a.lo, a.hi, simulation_->groupSize(a.owner));
    simulation_->runOnGroup(a.owner, *it->second, elements);
  }
}

void Runner::record(const sema::CheckedRecording& r) {
  switch (r.kind) {
    case sema::CheckedRecording::Kind::Spikes:
      simulation_->recordSpikes(r.owner);
      break;
    case sema::CheckedRecording::Kind::Rate:
      simulation_->recordRate(r.owner);
      break;
    case sema::CheckedRecording::Kind::Variable: {
      std::int64_t size =
          r.of_connect ? simulation_->synapseCount(r.owner) : simulation_->groupSize(r.owner);
      engine::Step every =
          r.every > 0 ? std::max<engine::Step>(1, toSteps(r.every, experiment_.dt)) : 1;
      simulation_->recordState(r.of_connect, r.owner, r.variable, elementRange(r.lo, r.hi, size),
                               every);
      break;
    }
  }
}

std::filesystem::path Runner::outputDirectory() const {
  return options_.out_dir.empty() ? std::filesystem::path("out") / experiment_.name
                                  : options_.out_dir;
}

bool Runner::finishOutputs() {
  std::filesystem::path dir = outputDirectory();
  run::RunView view{&program_, &experiment_, simulation_.get()};
  try {
    run::writeOutputs(view, summary_, dir);
    writeReport(dir, reportExtras());
  } catch (const std::exception& e) {
    err_ << "error: cannot write the results: " << e.what() << '\n';
    return false;
  }
  return true;
}

ReportExtras Runner::reportExtras() const {
  ReportExtras extras;
  for (const auto& p : experiment_.populations) {
    if (!p.model) continue;
    ReportExtras::Methods m{p.name, {}};
    for (const auto& ode : p.model->odes) {
      m.lines.push_back(p.model->states.at(ode.state).name + ": " +
                        equations_.describeMethod(*p.model, ode));
    }
    extras.methods.push_back(std::move(m));
  }
  extras.plots = plots_;
  return extras;
}

RunStatus Runner::run() {
  summary_.source_file = options_.source_file;
  summary_.backend = options_.backend;
  summary_.threads = options_.threads;
  summary_.parse_seconds = options_.parse_seconds;
  summary_.check_seconds = options_.check_seconds;
  summary_.overrides = options_.overrides;

  auto start = Clock::now();
  lower::LoweringOptions lowering;
  lowering.hold_time_in_stages = options_.hold_time_in_stages;
  lowering.base_directory = std::filesystem::path(options_.source_file).parent_path();
  lowered_ =
      lower::lowerExperiment(program_, equations_, experiment_, lowering,
                             options_.backend == "jit" ? jitFactory() : bytecodeFactory(), diags_);
  if (!lowered_) return RunStatus::Failed;
  summary_.lower_seconds = secondsSince(start);

  start = Clock::now();
  try {
    engine::SimulationOptions simulation_options;
    simulation_options.threads = options_.threads;
    simulation_options.min_parallel_work = options_.min_parallel_work;
    simulation_ = std::make_unique<engine::Simulation>(std::move(lowered_->plan), simulation_options);
  } catch (const engine::MemoryRefusal& e) {
    // The message names what is refused and its size; what this machine has free goes in a
    // note (it differs from machine to machine).
    diags_
        .report(DiagnosticKind::RunTimeFailure,
                e.owner.empty() ? (experiment_.decl ? experiment_.decl->name_range : SourceRange{})
                                : populationRange(experiment_, e.owner),
                fmt::format("not enough memory: `{}` would need {}; nothing was allocated", e.owner,
                            engine::formatBytes(e.estimate_bytes)))
        .note(SourceRange{}, e.what());
    return RunStatus::Failed;
  } catch (const engine::SimulationError& e) {
    diags_.report(DiagnosticKind::RunTimeFailure, populationRange(experiment_, e.owner), e.what());
    return RunStatus::Failed;
  }
  summary_.setup_seconds = secondsSince(start);
  if (options_.backend == "jit") {
    start = Clock::now();
    const JitCompileReport report = waitForJit();
    summary_.compile_wait_seconds = secondsSince(start);
    summary_.jit_kernels = report.kernels;
    summary_.jit_lower_cpu_seconds = report.lower_seconds;
    summary_.jit_optimize_cpu_seconds = report.optimize_seconds;
    summary_.jit_codegen_cpu_seconds = report.codegen_seconds;
  }

  run::RunView view{&program_, &experiment_, simulation_.get()};
  for (const auto& step : experiment_.steps) {
    if (const auto* r = std::get_if<sema::CheckedExperiment::RecordStep>(&step)) {
      record(experiment_.recordings[r->index]);
    } else if (const auto* a = std::get_if<sema::CheckedAssign>(&step)) {
      assign(*a);
    } else if (const auto* at = std::get_if<sema::CheckedAt>(&step)) {
      simulation_->scheduleAt(toSteps(at->time, experiment_.dt), [this, at](engine::Simulation&) {
        for (const auto& a : at->assignments) assign(a);
      });
    } else if (const auto* r = std::get_if<sema::CheckedRun>(&step)) {
      engine::Step steps = toSteps(r->duration, experiment_.dt);
      auto run_start = Clock::now();
      engine::RunOutcome outcome = engine::RunOutcome::Completed;
      try {
        ProgressLine line(options_.progress, experiment_.name, simulation_->currentTime(),
                          static_cast<double>(steps) * experiment_.dt);
        const engine::Step interval = std::max<engine::Step>(100, steps / 1000);
        outcome = simulation_->run(
            steps, options_.stop,
            [&](engine::Step done) { line.update(static_cast<double>(done) * experiment_.dt); },
            interval);
      } catch (const engine::NonFiniteError& e) {
        summary_.run_seconds += secondsSince(run_start);
        summary_.simulated_seconds = simulation_->currentTime();
        std::string message = nonFiniteMessage(experiment_, e);
        diags_.report(DiagnosticKind::RunTimeFailure, populationRange(experiment_, e.owner),
                      message);
        summary_.partial = true;
        summary_.partial_reason = message;
        finishOutputs();
        return RunStatus::Failed;
      } catch (const engine::MemoryRefusal& e) {
        diags_
            .report(DiagnosticKind::RunTimeFailure,
                    r->decl && r->decl->duration ? r->decl->duration->range : SourceRange{},
                    fmt::format("not enough memory: the recordings of this run would need {}",
                                engine::formatBytes(e.estimate_bytes)))
            .note(SourceRange{}, e.what());
        return RunStatus::Failed;
      }
      summary_.run_seconds += secondsSince(run_start);
      summary_.simulated_seconds = simulation_->currentTime();
      if (outcome == engine::RunOutcome::Interrupted) {
        summary_.partial = true;
        summary_.partial_reason =
            fmt::format("interrupted at t = {} s", simulation_->currentTime());
        err_ << "interrupted at t = " << simulation_->currentTime()
             << " s; writing what was recorded (marked partial)\n";
        finishOutputs();
        return RunStatus::Interrupted;
      }
    } else if (const auto* p = std::get_if<sema::CheckedPrint>(&step)) {
      auto line = run::formatPrint(view, *p);
      if (auto* error = std::get_if<run::RunTimeError>(&line)) {
        diags_.report(DiagnosticKind::RunTimeFailure, error->range, error->message);
        summary_.partial = true;
        summary_.partial_reason = error->message;
        finishOutputs();
        return RunStatus::Failed;
      }
      const auto& text = std::get<std::string>(line);
      out_ << text << '\n' << std::flush;
      summary_.printed.push_back(text);
    } else if (const auto* plot = std::get_if<sema::CheckedPlot>(&step)) {
      // A plot that cannot be drawn (nothing recorded) is reported; the run goes on, since
      // the data and the other plots are still worth writing.
      const std::filesystem::path path = run::plotPath(outputDirectory(), experiment_, *plot);
      if (auto error = run::writePlot(view, *plot, path)) {
        diags_.report(DiagnosticKind::RunTimeFailure, error->range, error->message);
      } else {
        std::error_code ec;
        auto relative = std::filesystem::relative(path, outputDirectory(), ec);
        plots_.push_back(ec || relative.empty() ? path.string() : relative.string());
      }
    }
  }
  if (!finishOutputs()) return RunStatus::Failed;
  if (options_.summary) {
    const double speed =
        summary_.run_seconds > 0 ? summary_.simulated_seconds / summary_.run_seconds : 0.0;
    err_ << fmt::format(
        "{}: {:g} s simulated in {:.3g} s ({:.3g} simulated s per s); results in {}\n",
        experiment_.name, summary_.simulated_seconds, summary_.run_seconds, speed,
        outputDirectory().string());
  }
  return RunStatus::Completed;
}

}  // namespace

RunStatus runExperiment(const sema::CheckedProgram& program,
                        const equations::EquationsProgram& equations,
                        const sema::CheckedExperiment& experiment, const RunOptions& options,
                        Diagnostics& diags, std::ostream& out, std::ostream& err) {
  Runner runner(program, equations, experiment, options, diags, out, err);
  return runner.run();
}

}  // namespace snn::driver
