// Plot statements turned into figures and SVG files; see plot.h for what each kind draws.
//
// Data is converted to display units here (the axis unit is chosen from the data, as print
// chooses "14.7 ms"), so plot_figure.cpp deals in plain numbers. Errors are the statement's own:
// the monitor a plot needs may be missing when the run stopped before the `record`, and a
// histogram's slice may reach past the synapses a probabilistic rule generated.
#include "compiler/run/plot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "compiler/run/plot_axes.h"
#include "compiler/run/recordings.h"
#include "compiler/units/unit_table.h"
#include "vm/analysis/smoothing.h"
#include "vm/analysis/welch.h"
#include "vm/output/atomic_file.h"

namespace snn::run {
namespace {

namespace fs = std::filesystem;

PlotAxis axis(std::string label, double lo, double hi, bool log = false, bool integer = false) {
  PlotAxis a;
  a.label = std::move(label);
  a.lo = lo;
  a.hi = hi;
  a.log = log;
  a.integer = integer;
  return a;
}

const units::Dimension& timeDimension() {
  static const units::Dimension dim = units::lookupUnit("second")->dim;
  return dim;
}

const units::Dimension& frequencyDimension() {
  static const units::Dimension dim = units::lookupUnit("hertz")->dim;
  return dim;
}

const char* kindName(sema::CheckedPlot::Kind kind) {
  switch (kind) {
    case sema::CheckedPlot::Kind::Raster:
      return "raster";
    case sema::CheckedPlot::Kind::Trace:
      return "trace";
    case sema::CheckedPlot::Kind::Rate:
      return "rate";
    case sema::CheckedPlot::Kind::Histogram:
      return "histogram";
    case sema::CheckedPlot::Kind::Psd:
      return "psd";
  }
  return "plot";
}

class FigureBuilder {
 public:
  FigureBuilder(const RunView& view, const sema::CheckedPlot& plot)
      : view_(view), experiment_(*view.experiment), plot_(plot) {}

  std::variant<Figure, RunTimeError> build() {
    if (!view_.simulation) return error("nothing to plot: the experiment has not run", range());
    dt_ = view_.simulation->plan().dt;
    figure_.title = plotTitle(view_, plot_);
    std::optional<RunTimeError> failed;
    switch (plot_.kind) {
      case sema::CheckedPlot::Kind::Raster:
        failed = raster();
        break;
      case sema::CheckedPlot::Kind::Trace:
        failed = trace();
        break;
      case sema::CheckedPlot::Kind::Rate:
        failed = rate();
        break;
      case sema::CheckedPlot::Kind::Histogram:
        failed = histogram();
        break;
      case sema::CheckedPlot::Kind::Psd:
        failed = psd();
        break;
    }
    if (failed) return *failed;
    return std::move(figure_);
  }

 private:
  static RunTimeError error(std::string message, SourceRange range) {
    return RunTimeError{std::move(message), range};
  }

  SourceRange range() const {
    return plot_.decl && plot_.decl->what ? plot_.decl->what->range : SourceRange{};
  }

  // The range of argument k of the plot's call, or the statement's.
  SourceRange argumentRange(std::size_t k) const {
    if (!plot_.decl || !plot_.decl->what || plot_.decl->what->kind != ast::ExprKind::Call)
      return range();
    const auto& call = static_cast<const ast::CallExpr&>(*plot_.decl->what);
    if (k < call.args.size() && call.args[k].value) return call.args[k].value->range;
    return range();
  }

  const std::string& populationName(std::size_t k) const { return experiment_.populations[k].name; }

  std::string ownerName(const sema::CheckedPlot::VariableRef& ref) const {
    if (!ref.of_connect) return populationName(ref.owner);
    const auto& c = experiment_.connects[ref.owner];
    return c.name.empty() ? populationName(c.source) + "->" + populationName(c.target) : c.name;
  }

  units::Dimension dimensionOf(const sema::CheckedPlot::VariableRef& ref) const {
    if (!ref.of_connect) {
      if (auto v = experiment_.populations[ref.owner].findVariable(ref.variable);
          v && v->type.isQuantity())
        return v->type.dim;
      return {};
    }
    const auto& c = experiment_.connects[ref.owner];
    for (const auto& v : c.inline_variables)
      if (v.name == ref.variable && v.type.isQuantity()) return v.type.dim;
    if (c.synapse) {
      if (auto v = c.synapse->findVariable(ref.variable); v && v->type.isQuantity())
        return v->type.dim;
    }
    return {};
  }

  // The x axis of a plot against time over [t0, t1] seconds, and the `at` markers inside it.
  void timeAxis(double t0, double t1) {
    if (!(t1 > t0)) t1 = t0 + dt_;
    time_unit_ = displayUnitFor(std::max(std::fabs(t0), std::fabs(t1)), timeDimension());
    figure_.x = axis(axisLabel("time", time_unit_), t0 / time_unit_.factor, t1 / time_unit_.factor);
    // `at` blocks, and assignments of the protocol between runs: both change the stimulus.
    std::vector<double> times;
    double now = 0;
    for (const auto& step : experiment_.steps) {
      if (const auto* r = std::get_if<sema::CheckedRun>(&step)) now += r->duration;
      if (const auto* at = std::get_if<sema::CheckedAt>(&step)) times.push_back(at->time);
      if (std::holds_alternative<sema::CheckedAssign>(step) && now > 0) times.push_back(now);
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end(),
                            [&](double a, double b) { return std::fabs(a - b) < 0.5 * dt_; }),
                times.end());
    for (double t : times) {
      if (t < t0 - 1e-12 || t > t1 + 1e-12) continue;
      figure_.markers.push_back(
          {t / time_unit_.factor, "at " + units::formatQuantity(t, timeDimension())});
    }
  }

  // A y range around [lo, hi] with matplotlib's 5% margins; a flat line gets a unit around it.
  static void fitY(PlotAxis& axis, double lo, double hi) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
    if (hi == lo) {
      const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
      lo -= pad;
      hi += pad;
    }
    const double margin = 0.05 * (hi - lo);
    axis.lo = lo - margin;
    axis.hi = hi + margin;
  }

  std::optional<RunTimeError> raster() {
    const auto& sim = *view_.simulation;
    std::vector<const engine::SpikeRecording*> recordings;
    engine::Step first = std::numeric_limits<engine::Step>::max();
    for (std::size_t k = 0; k < plot_.populations.size(); ++k) {
      const std::size_t p = plot_.populations[k];
      const auto* rec = spikeRecordingOf(sim, p);
      if (!rec) {
        return error(fmt::format("`raster` needs the spikes of {}: add `record spikes({})` before "
                                 "the first `run`",
                                 populationName(p), populationName(p)),
                     argumentRange(k));
      }
      recordings.push_back(rec);
      first = std::min(first, rec->first_step);
    }
    timeAxis(static_cast<double>(first) * dt_, static_cast<double>(sim.currentStep()) * dt_);
    double offset = 0;
    std::size_t spikes = 0;
    for (std::size_t k = 0; k < recordings.size(); ++k) {
      const std::size_t p = plot_.populations[k];
      if (k > 0) figure_.separators.push_back(offset - 0.5);
      PlotSeries s;
      s.style = PlotSeries::Style::Marks;
      s.label = populationName(p);
      s.colour = seriesColour(k);
      const auto* rec = recordings[k];
      const std::size_t n = std::min(rec->steps.size(), rec->indices.size());
      s.x.resize(n);
      s.y.resize(n);
      for (std::size_t j = 0; j < n; ++j) {
        s.x[j] = static_cast<double>(rec->steps[j]) * dt_ / time_unit_.factor;
        s.y[j] = offset + static_cast<double>(rec->indices[j]);
      }
      spikes += n;
      figure_.series.push_back(std::move(s));
      offset += static_cast<double>(sim.groupSize(p));
    }
    figure_.y = axis("neuron index", -0.5, std::max(offset, 1.0) - 0.5, false, true);
    if (recordings.size() > 1) rasterTicks();
    figure_.always_legend = true;
    figure_.grid = false;
    if (spikes == 0) figure_.note = "no spikes";
    return std::nullopt;
  }

  // Stacked populations keep their own indices on the axis: ticks of each band count from 0,
  // and a tick too close to the band below is left out.
  void rasterTicks() {
    const double px_per_row = (kAxesBottom - kAxesTop) / (figure_.y.hi - figure_.y.lo);
    double offset = 0, last_px = -1e9;
    for (std::size_t p : plot_.populations) {
      const double size = static_cast<double>(view_.simulation->groupSize(p));
      const int target = std::max(1, static_cast<int>(size * px_per_row / 70));
      for (const auto& t : linearTicks(0, std::max(0.0, size - 1), target)) {
        if (t.value != std::round(t.value)) continue;
        const double px = (offset + t.value) * px_per_row;
        if (px - last_px < 16) continue;
        figure_.y.custom_ticks.emplace_back(offset + t.value, t.label);
        last_px = px;
      }
      offset += size;
    }
  }

  std::optional<RunTimeError> trace() {
    const auto& sim = *view_.simulation;
    struct Column {
      std::string label;
      const engine::StateRecording* rec;
      std::size_t column;
    };
    std::vector<Column> columns;
    std::vector<std::string> names;
    std::optional<units::Dimension> dim;
    std::string dim_owner;
    for (std::size_t k = 0; k < plot_.variables.size(); ++k) {
      const auto& ref = plot_.variables[k];
      const std::string name = ownerName(ref) + "." + ref.variable;
      const units::Dimension d = dimensionOf(ref);
      if (dim && *dim != d) {
        return error(fmt::format("`trace` draws one axis: `{}` is in {} but `{}` is in {}; plot "
                                 "them separately",
                                 name, d.isDimensionless() ? "1" : d.toUnitString(), dim_owner,
                                 dim->isDimensionless() ? "1" : dim->toUnitString()),
                     argumentRange(k));
      }
      if (!dim) dim = d, dim_owner = name;
      // The first monitor of the variable that holds every index asked for.
      bool found = false;
      for (const auto& rec : sim.stateRecordings()) {
        if (rec.of_connection != ref.of_connect || rec.owner != ref.owner ||
            rec.variable != ref.variable)
          continue;
        std::vector<std::size_t> picked;
        for (std::size_t c = 0; c < rec.indices.size(); ++c) {
          const auto index = static_cast<std::int64_t>(rec.indices[c]);
          if (index >= ref.lo && (ref.hi < 0 || index < ref.hi)) picked.push_back(c);
        }
        const bool complete = ref.hi < 0
                                  ? !picked.empty()
                                  : picked.size() == static_cast<std::size_t>(ref.hi - ref.lo);
        if (!complete) continue;
        for (std::size_t c : picked)
          columns.push_back({fmt::format("{}[{}]", name, rec.indices[c]), &rec, c});
        found = true;
        break;
      }
      if (!found) {
        const std::string slice = ref.hi < 0 ? (ref.lo > 0 ? fmt::format("[{}:]", ref.lo) : "")
                                  : ref.hi == ref.lo + 1 ? fmt::format("[{}]", ref.lo)
                                                         : fmt::format("[{}:{}]", ref.lo, ref.hi);
        return error(
            fmt::format("`{}{}` was not recorded: add `record {}{}` before the first `run`", name,
                        slice, name, slice),
            argumentRange(k));
      }
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    double t0 = std::numeric_limits<double>::infinity(), t1 = -t0;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    std::size_t samples = 0;
    for (const auto& c : columns) {
      const std::size_t width = c.rec->indices.size();
      const std::size_t rows =
          std::min(c.rec->steps.size(), c.rec->values.size() / std::max<std::size_t>(1, width));
      samples += rows;
      if (rows == 0) continue;
      t0 = std::min(t0, static_cast<double>(c.rec->steps.front()) * dt_);
      // The last sample stands for the step after it too: the axis ends where the run did.
      t1 = std::max(t1, static_cast<double>(c.rec->steps[rows - 1] + c.rec->every) * dt_);
      for (std::size_t r = 0; r < rows; ++r) {
        const double v = c.rec->values[r * width + c.column];
        if (!std::isfinite(v)) continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
    if (samples == 0) {
      return error(fmt::format("nothing to plot: `{}` has no samples yet (is the plot before the "
                               "first `run`?)",
                               names.front()),
                   range());
    }
    timeAxis(t0, t1);
    const DisplayUnit unit =
        displayUnitFor(std::isfinite(lo) ? std::max(std::fabs(lo), std::fabs(hi)) : 0.0, *dim);
    std::string joined;
    for (const auto& n : names) joined += (joined.empty() ? "" : ", ") + n;
    figure_.y.label = axisLabel(joined, unit);
    fitY(figure_.y, lo / unit.factor, hi / unit.factor);
    for (std::size_t k = 0; k < columns.size(); ++k) {
      const auto& c = columns[k];
      PlotSeries s;
      s.label = c.label;
      s.colour = seriesColour(k);
      const std::size_t width = c.rec->indices.size();
      const std::size_t rows =
          std::min(c.rec->steps.size(), c.rec->values.size() / std::max<std::size_t>(1, width));
      s.x.resize(rows);
      s.y.resize(rows);
      for (std::size_t r = 0; r < rows; ++r) {
        s.x[r] = static_cast<double>(c.rec->steps[r]) * dt_ / time_unit_.factor;
        s.y[r] = c.rec->values[r * width + c.column] / unit.factor;
      }
      figure_.series.push_back(std::move(s));
    }
    return std::nullopt;
  }

  // The rate monitor of population argument k, with at least `min_steps` samples.
  std::variant<const engine::RateRecording*, RunTimeError> rateOf(std::size_t k,
                                                                  std::size_t min_steps) {
    const std::size_t p = plot_.populations[k];
    const auto* rec = rateRecordingOf(*view_.simulation, p);
    if (!rec) {
      return error(fmt::format("`{}` needs the rate of {}: add `record rate({})` before the first "
                               "`run`",
                               kindName(plot_.kind), populationName(p), populationName(p)),
                   argumentRange(k));
    }
    if (rec->rates.size() < min_steps) {
      return error(fmt::format("nothing to plot: the rate of {} was recorded over {} step{}; `{}` "
                               "needs at least {}",
                               populationName(p), rec->rates.size(),
                               rec->rates.size() == 1 ? "" : "s", kindName(plot_.kind), min_steps),
                   argumentRange(k));
    }
    return rec;
  }

  std::optional<RunTimeError> rate() {
    std::vector<PlotSeries> series;
    double t0 = std::numeric_limits<double>::infinity(), t1 = -t0;
    double top = 0;
    std::vector<const engine::RateRecording*> recordings;
    for (std::size_t k = 0; k < plot_.populations.size(); ++k) {
      auto rec = rateOf(k, 1);
      if (auto* e = std::get_if<RunTimeError>(&rec)) return *e;
      const auto* r = std::get<const engine::RateRecording*>(rec);
      recordings.push_back(r);
      t0 = std::min(t0, static_cast<double>(r->first_step) * dt_);
      t1 = std::max(
          t1,
          static_cast<double>(r->first_step + static_cast<engine::Step>(r->rates.size())) * dt_);
    }
    timeAxis(t0, t1);
    const bool smooth = plot_.smooth_width > 0;
    std::vector<std::vector<double>> smoothed;
    for (const auto* r : recordings) {
      if (smooth) {
        try {
          smoothed.push_back(analysis::smoothGaussian(r->rates, dt_, plot_.smooth_width));
        } catch (const std::invalid_argument& e) {
          return error(fmt::format("cannot smooth the rate: {}", e.what()), range());
        }
        for (double v : smoothed.back()) top = std::max(top, v);
      } else {
        for (double v : r->rates) top = std::max(top, v);
      }
    }
    // With smoothing the axis fits the smoothed rate (with room); the raw rate at dt resolution
    // can be a hundred times higher in single steps and would flatten what the user asked to see.
    const double ceiling = smooth ? top * 1.3 : top * 1.05;
    const DisplayUnit unit = displayUnitFor(ceiling, frequencyDimension());
    figure_.y = axis(axisLabel("rate", unit), 0, ceiling > 0 ? ceiling / unit.factor : 1);
    const std::string width =
        smooth ? units::formatQuantity(plot_.smooth_width, timeDimension()) : std::string();
    for (std::size_t k = 0; k < recordings.size(); ++k) {
      const auto* r = recordings[k];
      const std::string& name = populationName(plot_.populations[k]);
      PlotSeries raw;
      raw.colour = seriesColour(k);
      raw.label = smooth ? name + ", raw" : name;
      raw.opacity = smooth ? 0.3 : 1;
      raw.width = smooth ? 1 : 1.2;
      for (std::size_t j = 0; j < r->rates.size(); ++j) {
        raw.x.push_back(static_cast<double>(r->first_step + static_cast<engine::Step>(j)) * dt_ /
                        time_unit_.factor);
        raw.y.push_back(r->rates[j] / unit.factor);
      }
      if (smooth) {
        PlotSeries s;
        s.colour = raw.colour;
        s.label = fmt::format("{}, gaussian \u03c3 = {}", name, width);
        s.width = 1.8;
        s.x = raw.x;
        s.y.resize(smoothed[k].size());
        for (std::size_t j = 0; j < s.y.size(); ++j) s.y[j] = smoothed[k][j] / unit.factor;
        figure_.series.push_back(std::move(raw));
        figure_.series.push_back(std::move(s));
      } else {
        figure_.series.push_back(std::move(raw));
      }
    }
    return std::nullopt;
  }

  // numpy.histogram_bin_edges(bins='auto'): the smaller of the Freedman-Diaconis and Sturges
  // widths (Sturges alone when the interquartile range is 0); [v - 0.5, v + 0.5] for one value.
  static std::vector<double> binEdges(std::vector<double> values, std::int64_t bins) {
    std::sort(values.begin(), values.end());
    double lo = values.front(), hi = values.back();
    if (lo == hi) lo -= 0.5, hi += 0.5;
    std::size_t count = 1;
    if (bins > 0) {
      count = static_cast<std::size_t>(bins);
    } else {
      const double n = static_cast<double>(values.size());
      auto quantile = [&](double q) {
        const double pos = q * (n - 1);
        const auto below = static_cast<std::size_t>(std::floor(pos));
        const std::size_t above = std::min(values.size() - 1, below + 1);
        return values[below] + (pos - static_cast<double>(below)) * (values[above] - values[below]);
      };
      const double sturges = (hi - lo) / (std::log2(n) + 1);
      const double iqr = quantile(0.75) - quantile(0.25);
      const double fd = 2 * iqr * std::pow(n, -1.0 / 3);
      const double width = fd > 0 ? std::min(fd, sturges) : sturges;
      count = static_cast<std::size_t>(std::ceil((hi - lo) / width));
      count = std::clamp<std::size_t>(count, 1, 1000);
    }
    std::vector<double> edges(count + 1);
    for (std::size_t k = 0; k <= count; ++k)
      edges[k] = lo + (hi - lo) * static_cast<double>(k) / static_cast<double>(count);
    return edges;
  }

  std::optional<RunTimeError> histogram() {
    const auto& sim = *view_.simulation;
    const auto& ref = plot_.variables.at(0);
    const std::string name = ownerName(ref) + "." + ref.variable;
    std::span<const double> all;
    try {
      all = ref.of_connect ? sim.connectionVariable(ref.owner, ref.variable)
                           : sim.groupVariable(ref.owner, ref.variable);
    } catch (const std::out_of_range&) {
      return error(fmt::format("`{}` is not a variable of the simulation", name), argumentRange(0));
    }
    const std::size_t size = all.size();
    const std::size_t lo = static_cast<std::size_t>(std::max<std::int64_t>(0, ref.lo));
    const std::size_t hi = ref.hi < 0 ? size : static_cast<std::size_t>(ref.hi);
    if (hi > size || lo >= hi) {
      if (size == 0) {
        return error(fmt::format("nothing to plot: {} has no {}", ownerName(ref),
                                 ref.of_connect ? "synapses" : "neurons"),
                     argumentRange(0));
      }
      return error(fmt::format("`{}[{}:{}]` reaches past the {} {} of {}", name, ref.lo, ref.hi,
                               size, ref.of_connect ? "synapses" : "neurons", ownerName(ref)),
                   argumentRange(0));
    }
    std::vector<double> values;
    double magnitude = 0;
    for (std::size_t k = lo; k < hi; ++k) {
      if (!std::isfinite(all[k])) continue;
      values.push_back(all[k]);
      magnitude = std::max(magnitude, std::fabs(all[k]));
    }
    if (values.empty()) {
      return error(fmt::format("nothing to plot: no value of `{}` is finite", name),
                   argumentRange(0));
    }
    const DisplayUnit unit = displayUnitFor(magnitude, dimensionOf(ref));
    for (double& v : values) v /= unit.factor;
    PlotSeries s;
    s.style = PlotSeries::Style::Bars;
    s.label = name;
    s.colour = seriesColour(0);
    s.x = binEdges(values, plot_.bins);
    s.y.assign(s.x.size() - 1, 0);
    const double first = s.x.front(), last = s.x.back();
    const double width = (last - first) / static_cast<double>(s.y.size());
    for (double v : values) {
      // numpy's bins are half-open except the last, which includes its right edge.
      auto bin = static_cast<std::size_t>(std::floor((v - first) / width));
      bin = std::min(bin, s.y.size() - 1);
      s.y[bin] += 1;
    }
    const double top = *std::max_element(s.y.begin(), s.y.end());
    const double margin = 0.05 * (last - first);
    figure_.x = axis(axisLabel(name, unit), first - margin, last + margin);
    figure_.y = axis(ref.of_connect ? "number of synapses" : "number of neurons", 0,
                     std::max(1.0, top * 1.05), false, true);
    figure_.series.push_back(std::move(s));
    return std::nullopt;
  }

  std::optional<RunTimeError> psd() {
    auto rec = rateOf(0, 2);
    if (auto* e = std::get_if<RunTimeError>(&rec)) return *e;
    const auto* r = std::get<const engine::RateRecording*>(rec);
    analysis::Spectrum spectrum;
    try {
      spectrum = analysis::welchPsd(r->rates, 1.0 / dt_, psdSegmentLength(dt_, r->rates.size()));
    } catch (const std::invalid_argument& e) {
      return error(fmt::format("cannot compute the spectrum: {}", e.what()), range());
    }
    const double nyquist = 0.5 / dt_;
    const double peak = analysis::peakFrequency(spectrum);
    // The band worth seeing: a few times the peak, at least 100 Hz, at most the Nyquist limit.
    const double f_max = std::min(nyquist, std::max(100.0, std::isfinite(peak) ? 4 * peak : 500.0));
    const DisplayUnit unit = displayUnitFor(f_max, frequencyDimension());
    figure_.x = axis(axisLabel("frequency", unit), 0, f_max / unit.factor);
    PlotSeries s;
    s.label = populationName(plot_.populations[0]);
    s.colour = seriesColour(0);
    double lo = std::numeric_limits<double>::infinity(), hi = 0, peak_density = 0;
    for (std::size_t k = 0; k < spectrum.frequency_hz.size(); ++k) {
      const double f = spectrum.frequency_hz[k], d = spectrum.density[k];
      if (f > f_max * (1 + 1e-9)) break;
      s.x.push_back(f / unit.factor);
      s.y.push_back(d > 0 && std::isfinite(d) ? d : std::numeric_limits<double>::quiet_NaN());
      if (d > 0 && std::isfinite(d)) {
        lo = std::min(lo, d);
        hi = std::max(hi, d);
      }
      if (f == peak) peak_density = d;
    }
    if (!(hi > 0)) {
      return error(fmt::format("nothing to plot: the rate of {} does not vary (its spectrum is "
                               "zero)",
                               populationName(plot_.populations[0])),
                   argumentRange(0));
    }
    // Whole decades around the data, at most eight below the highest: rounding noise at 1e-30
    // would squash the spectrum into a line at the top.
    lo = std::max(lo, hi * 1e-8);
    figure_.y = axis("power density (Hz\u00b2/Hz)", std::pow(10.0, std::floor(std::log10(lo))),
                     std::pow(10.0, std::ceil(std::log10(hi * 1.01))), true);
    if (std::isfinite(peak) && peak_density > 0) {
      figure_.annotations.push_back({peak / unit.factor, peak_density,
                                     "peak " + units::formatQuantity(peak, frequencyDimension()),
                                     s.colour});
    }
    figure_.series.push_back(std::move(s));
    return std::nullopt;
  }

  const RunView& view_;
  const sema::CheckedExperiment& experiment_;
  const sema::CheckedPlot& plot_;
  double dt_ = 1e-4;
  DisplayUnit time_unit_;
  Figure figure_;
};

}  // namespace

std::string plotTitle(const RunView& view, const sema::CheckedPlot& plot) {
  const auto& e = *view.experiment;
  auto population = [&](std::size_t k) { return e.populations.at(k).name; };
  auto variable = [&](const sema::CheckedPlot::VariableRef& ref) {
    std::string owner;
    if (ref.of_connect) {
      const auto& c = e.connects.at(ref.owner);
      owner = c.name.empty() ? population(c.source) + "->" + population(c.target) : c.name;
    } else {
      owner = population(ref.owner);
    }
    std::string text = owner + "." + ref.variable;
    if (ref.hi >= 0 && ref.hi == ref.lo + 1)
      text += fmt::format("[{}]", ref.lo);
    else if (ref.hi >= 0)
      text += fmt::format("[{}:{}]", ref.lo, ref.hi);
    else if (ref.lo > 0)
      text += fmt::format("[{}:]", ref.lo);
    return text;
  };
  std::string list;
  if (plot.kind == sema::CheckedPlot::Kind::Trace ||
      plot.kind == sema::CheckedPlot::Kind::Histogram) {
    for (const auto& v : plot.variables) list += (list.empty() ? "" : ", ") + variable(v);
  } else {
    for (std::size_t p : plot.populations) list += (list.empty() ? "" : ", ") + population(p);
  }
  switch (plot.kind) {
    case sema::CheckedPlot::Kind::Raster:
      return "raster of " + list;
    case sema::CheckedPlot::Kind::Trace:
      return "trace of " + list;
    case sema::CheckedPlot::Kind::Rate:
      return "population rate of " + list;
    case sema::CheckedPlot::Kind::Psd:
      return "power spectrum of rate(" + list + ")";
    case sema::CheckedPlot::Kind::Histogram:
      if (!view.simulation) return "histogram of " + list;
      return "histogram of " + list +
             " at t = " + units::formatQuantity(view.simulation->currentTime(), timeDimension());
  }
  return list;
}

std::filesystem::path plotPath(const fs::path& out_dir, const sema::CheckedExperiment& experiment,
                               const sema::CheckedPlot& plot) {
  if (!plot.path.empty()) {
    const fs::path written(plot.path);
    return written.is_absolute() ? written : out_dir / written;
  }
  std::size_t ordinal = 0;
  for (const auto& step : experiment.steps) {
    if (const auto* p = std::get_if<sema::CheckedPlot>(&step)) {
      ++ordinal;
      if (p == &plot || (plot.decl && p->decl == plot.decl)) break;
    }
  }
  return out_dir / fmt::format("{}_{}_{}.svg", experiment.name, kindName(plot.kind), ordinal);
}

std::variant<Figure, RunTimeError> plotFigure(const RunView& view, const sema::CheckedPlot& plot) {
  return FigureBuilder(view, plot).build();
}

std::optional<RunTimeError> writePlot(const RunView& view, const sema::CheckedPlot& plot,
                                      const fs::path& path) {
  auto figure = plotFigure(view, plot);
  if (auto* e = std::get_if<RunTimeError>(&figure)) return *e;
  const SourceRange range = plot.decl && plot.decl->path_range.file != kNoFile
                                ? plot.decl->path_range
                            : plot.decl && plot.decl->what ? plot.decl->what->range
                                                           : SourceRange{};
  try {
    std::error_code ec;
    if (path.has_parent_path()) {
      fs::create_directories(path.parent_path(), ec);
      if (ec) throw output::OutputError("cannot create the folder", path.parent_path(), ec.value());
    }
    output::AtomicFile file(path);
    file.write(renderSvg(std::get<Figure>(figure)));
    file.commit();
  } catch (const output::OutputError& e) {
    return RunTimeError{fmt::format("cannot write the plot: {}", e.what()), range};
  }
  return std::nullopt;
}

}  // namespace snn::run
