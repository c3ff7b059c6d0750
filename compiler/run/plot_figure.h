// A figure as plot statements need it, and its SVG text. plot.cpp turns a plot statement into a
// Figure (data already in display units); this file decides how it looks, after matplotlib's
// defaults: a 6.4 x 4.8 in figure at 100 dpi (640 x 480 px), the tab10 colours, a sans-serif
// font, light left and bottom spines, ticks outside. What it does better: the legend sits in a row
// above the axes and never hides data, long lines are thinned to what a pixel column can show
// (first, min, max and last point), and raster spikes are the marks of ONE path per population
// (a few bytes a spike) rather than an element each.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace snn::run {

// tab10, matplotlib's default colour cycle.
const std::string& seriesColour(std::size_t k);

struct PlotSeries {
  enum class Style : unsigned char {
    Line,   // a polyline through (x, y)
    Marks,  // a mark at each (x, y): raster spikes
    Bars,   // histogram: x holds n + 1 bin edges, y the n heights
  };
  Style style = Style::Line;
  std::string label;  // legend text; empty: not in the legend
  std::string colour;
  double opacity = 1;
  double width = 1.5;  // line width, px
  std::vector<double> x, y;
};

struct PlotAxis {
  std::string label;
  double lo = 0, hi = 1;  // display units; for a log axis, positive
  bool log = false;
  bool integer = false;  // ticks only at whole numbers: neuron indices, counts
  // Linear axes: ticks to draw instead of the 1-2-5 ones (a raster's per-population indices).
  std::vector<std::pair<double, std::string>> custom_ticks;
};

// A vertical dashed line across the axes: the time of an `at` block.
struct PlotMarker {
  double x = 0;
  std::string label;  // drawn small at the top; also the line's tooltip
};

// A point called out with a dot and a text: the peak of a spectrum.
struct PlotAnnotation {
  double x = 0, y = 0;
  std::string text;
  std::string colour;
};

struct Figure {
  std::string title;
  PlotAxis x, y;
  std::vector<PlotSeries> series;
  std::vector<PlotMarker> markers;
  std::vector<PlotAnnotation> annotations;
  std::vector<double> separators;  // y of light horizontal lines (between raster populations)
  std::string note;                // centred in the axes when there is nothing to draw
  bool always_legend = false;      // a legend even for a single labelled series
  bool grid = true;                // light lines at the y ticks
};

inline constexpr double kFigureWidth = 640;
inline constexpr double kFigureHeight = 480;
// The vertical extent of the axes box, px from the top: a raster sizes its marks and spaces its
// per-population ticks by it.
inline constexpr double kAxesTop = 66;
inline constexpr double kAxesBottom = 422;

// The whole SVG document.
std::string renderSvg(const Figure& figure);

// `&`, `<`, `>`, `"` as XML entities.
std::string xmlEscape(const std::string& text);

}  // namespace snn::run
