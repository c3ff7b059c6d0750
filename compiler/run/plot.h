// `plot raster(E, I) to "ei.svg"`: the SVG file a plot statement writes, drawn from the
// simulation as it stands when the protocol reaches the statement (so a histogram before and
// after a `run` shows both). One file per statement, written atomically through vm/output.
//
// What each kind draws (docs/language.md, section 10.8):
//  - raster(P, Q...): a mark per spike, one colour per population, populations stacked on one
//    neuron-index axis (P at the bottom), a legend, a dotted line between populations.
//  - trace(P.X[a:b], ...): one line per recorded index, one colour each, the variable's unit on
//    the axis with a prefix read from the data (mV for tens of millivolts).
//  - rate(P [, smooth = gaussian(T)]): the recorded population rate in Hz; when smoothed, the
//    raw rate stays as a faint line under the smoothed one (vm/analysis, Brian2's smooth_rate).
//  - histogram(X [, bins = n]): the current values of X; automatic bins as numpy's 'auto'.
//  - psd(rate(P)): Welch's density of the rate (the segments of `peak_frequency`), log power
//    against frequency, the peak marked.
// Plots against time get a dashed vertical line at the time of each `at` block and of each
// assignment of the protocol made after a run (`run 100 ms` then `P.I = 1 nA`): both are
// where the stimulus changes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "compiler/run/plot_figure.h"
#include "compiler/run/run_view.h"

namespace snn::run {

// Writes the SVG of one plot statement of view.experiment into `path` (atomically, creating the
// parent folders), or returns a RunTimeError (missing recording, nothing to plot, the file
// cannot be written) with the range of the statement or of the argument at fault.
std::optional<RunTimeError> writePlot(const RunView& view, const sema::CheckedPlot& plot,
                                      const std::filesystem::path& path);

// The figure writePlot draws, before it becomes SVG.
std::variant<Figure, RunTimeError> plotFigure(const RunView& view, const sema::CheckedPlot& plot);

// "raster of E, I", "trace of E.V[0:3]", "histogram of S.w at t = 1 s", ...; the histogram's
// time is the simulation's current time (omitted when `simulation` is null).
std::string plotTitle(const RunView& view, const sema::CheckedPlot& plot);

// Where a plot goes: its `to` path, relative to `out_dir` unless absolute; without `to`,
// "<experiment>_<kind>_<n>.svg" in out_dir, n counting the experiment's plot statements from 1.
std::filesystem::path plotPath(const std::filesystem::path& out_dir,
                               const sema::CheckedExperiment& experiment,
                               const sema::CheckedPlot& plot);

}  // namespace snn::run
