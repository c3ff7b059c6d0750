// SVG text of a Figure; see plot_figure.h for the look and why.
//
// Coordinates are written with one decimal (a tenth of a pixel is below what any viewer shows),
// which with relative-free, separator-light path syntax keeps a raster spike at about 14 bytes.
#include "compiler/run/plot_figure.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <unordered_set>

#include <fmt/format.h>

#include "compiler/run/plot_axes.h"

namespace snn::run {
namespace {

// The axes box inside the 640 x 480 figure: room on the left for tick labels and the y label,
// above for the title and the legend row, below for tick labels and the x label.
constexpr double kLeft = 78, kRight = 616, kTop = kAxesTop, kBottom = kAxesBottom;
constexpr double kTickFont = 12.5, kLabelFont = 14, kTitleFont = 16, kLegendFont = 12.5;
constexpr const char* kInk = "#262626";
constexpr const char* kSpine = "#4d4d4d";
constexpr const char* kGrid = "#ebebeb";
constexpr std::size_t kMaxLegendEntries = 20;  // two rows of short names

std::string num(double v) {
  if (!std::isfinite(v)) return "0";
  std::string s = fmt::format("{:.1f}", v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

// Width of a text in the sans-serif fonts we expect (DejaVu Sans, Arial): about 0.6 em a
// character on average; only used to lay out the legend row.
double textWidth(const std::string& text, double font) {
  std::size_t chars = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++chars;
  return 0.6 * font * static_cast<double>(chars);
}

// Tick labels use U+2212, as typeset text (and matplotlib) do: "-" is a hyphen, narrower and
// set lower than the digits it stands before.
std::string typographicMinus(const std::string& label) {
  return !label.empty() && label[0] == '-' ? "\u2212" + label.substr(1) : label;
}

class Mapper {
 public:
  explicit Mapper(const Figure& f) : x_(f.x), y_(f.y) {}
  double px(double x) const { return kLeft + fraction(x_, x) * (kRight - kLeft); }
  double py(double y) const { return kBottom - fraction(y_, y) * (kBottom - kTop); }

 private:
  static double fraction(const PlotAxis& a, double v) {
    if (a.log) {
      if (!(v > 0)) return -1;
      return (std::log10(v) - std::log10(a.lo)) / (std::log10(a.hi) - std::log10(a.lo));
    }
    return a.hi == a.lo ? 0.5 : (v - a.lo) / (a.hi - a.lo);
  }
  const PlotAxis& x_;
  const PlotAxis& y_;
};

class SvgText {
 public:
  void line(double x1, double y1, double x2, double y2, const std::string& attributes) {
    out_ += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>\n", num(x1), num(y1),
                        num(x2), num(y2), attributes);
  }
  void text(double x, double y, const std::string& content, const std::string& attributes) {
    out_ +=
        fmt::format("<text x=\"{}\" y=\"{}\" {}>{}</text>\n", num(x), num(y), attributes, content);
  }
  void raw(const std::string& s) { out_ += s; }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

// A polyline in pixels; NaN points break it. Columns with more than a few points keep their
// first, lowest, highest and last, in the order they came: the drawn envelope is the same.
std::string linePath(const PlotSeries& s, const Mapper& m) {
  struct Point {
    double x, y;
  };
  std::vector<std::vector<Point>> runs(1);
  for (std::size_t k = 0; k < s.x.size() && k < s.y.size(); ++k) {
    if (!std::isfinite(s.x[k]) || !std::isfinite(s.y[k])) {
      if (!runs.back().empty()) runs.emplace_back();
      continue;
    }
    runs.back().push_back({m.px(s.x[k]), m.py(s.y[k])});
  }
  std::string d;
  for (const auto& run : runs) {
    if (run.empty()) continue;
    std::vector<Point> kept;
    std::size_t k = 0;
    while (k < run.size()) {
      std::size_t end = k;
      const double column = std::floor(run[k].x);
      while (end < run.size() && std::floor(run[end].x) == column) ++end;
      if (end - k <= 4) {
        kept.insert(kept.end(), run.begin() + static_cast<std::ptrdiff_t>(k),
                    run.begin() + static_cast<std::ptrdiff_t>(end));
      } else {
        std::size_t lo = k, hi = k;
        for (std::size_t j = k; j < end; ++j) {
          if (run[j].y < run[lo].y) lo = j;
          if (run[j].y > run[hi].y) hi = j;
        }
        std::array<std::size_t, 4> picks{k, std::min(lo, hi), std::max(lo, hi), end - 1};
        for (std::size_t j = 0; j < picks.size(); ++j)
          if (j == 0 || picks[j] != picks[j - 1]) kept.push_back(run[picks[j]]);
      }
      k = end;
    }
    d += "M" + num(kept[0].x) + " " + num(kept[0].y);
    for (std::size_t j = 1; j < kept.size(); ++j)
      d += (j == 1 ? "L" : " ") + num(kept[j].x) + " " + num(kept[j].y);
  }
  return d;
}

// Raster marks: short vertical ticks when rows are tall enough to show them (a few neurons),
// else round dots (a zero-length segment with a round cap) sized to the row. Dots are put on a
// grid of half a pixel (a whole pixel when a pixel row holds several neurons), drawn once per
// grid point, in column order with relative moves: a dense raster costs a few bytes a dot and
// never more than the grid has points.
std::string marksPath(const PlotSeries& s, const Mapper& m, double row_px, double* stroke) {
  std::string d;
  if (row_px >= 6) {
    const double length = std::min(0.7 * row_px, 14.0);
    *stroke = 1.3;
    std::unordered_set<std::uint64_t> seen;
    for (std::size_t k = 0; k < s.x.size() && k < s.y.size(); ++k) {
      const double x = m.px(s.x[k]), y = m.py(s.y[k]);
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      const auto key = (static_cast<std::uint64_t>(std::llround(x * 4)) << 32) ^
                       static_cast<std::uint64_t>(std::llround(y * 4) & 0xffffffff);
      if (!seen.insert(key).second) continue;
      d += "M" + num(x) + " " + num(y - length / 2) + "v" + num(length);
    }
    return d;
  }
  *stroke = std::clamp(row_px, 1.2, 3.0);
  const double grid = row_px < 1 ? 1 : 0.5;
  std::vector<std::pair<std::int64_t, std::int64_t>> points;
  points.reserve(s.x.size());
  for (std::size_t k = 0; k < s.x.size() && k < s.y.size(); ++k) {
    const double x = m.px(s.x[k]), y = m.py(s.y[k]);
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    points.emplace_back(std::llround(x / grid), std::llround(y / grid));
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  d.reserve(points.size() * 8);
  for (std::size_t k = 0; k < points.size(); ++k) {
    const auto [gx, gy] = points[k];
    if (k == 0 || gx != points[k - 1].first) {
      d += "M" + num(static_cast<double>(gx) * grid) + " " + num(static_cast<double>(gy) * grid);
    } else {
      d += "m0 " + num(static_cast<double>(gy - points[k - 1].second) * grid);
    }
    d += "h0";
  }
  return d;
}

std::string barsPath(const PlotSeries& s, const Mapper& m) {
  std::string d;
  const double base = m.py(0);
  for (std::size_t k = 0; k + 1 < s.x.size() && k < s.y.size(); ++k) {
    if (!(s.y[k] > 0)) continue;
    d += "M" + num(m.px(s.x[k])) + " " + num(base) + "V" + num(m.py(s.y[k])) + "H" +
         num(m.px(s.x[k + 1])) + "V" + num(base) + "Z";
  }
  return d;
}

void drawTicks(SvgText& svg, const Figure& f, const Mapper& m) {
  const std::string tick_attr = fmt::format("stroke=\"{}\" stroke-width=\"0.9\"", kSpine);
  const std::string x_label_attr =
      fmt::format("text-anchor=\"middle\" font-size=\"{}\" fill=\"{}\"", kTickFont, kInk);
  const std::string y_label_attr = fmt::format(
      "text-anchor=\"end\" font-size=\"{}\" fill=\"{}\" dy=\"0.35em\"", kTickFont, kInk);
  // x: linear only (time and frequency).
  for (const auto& t : linearTicks(f.x.lo, f.x.hi, 7)) {
    const double x = m.px(t.value);
    svg.line(x, kBottom, x, kBottom + 4, tick_attr);
    svg.text(x, kBottom + 19, xmlEscape(typographicMinus(t.label)), x_label_attr);
  }
  if (f.y.log) {
    const auto ticks = logTicks(f.y.lo, f.y.hi);
    for (const auto& t : ticks) {
      const double y = m.py(t.value);
      if (f.grid) svg.line(kLeft, y, kRight, y, fmt::format("stroke=\"{}\"", kGrid));
      svg.line(kLeft - 4, y, kLeft, y, tick_attr);
      std::string content = xmlEscape(t.mantissa);
      if (!t.superscript.empty()) {
        content += fmt::format("<tspan dy=\"-0.5em\" font-size=\"{}\">{}</tspan>", kTickFont * 0.75,
                               xmlEscape(typographicMinus(t.superscript)));
      }
      svg.text(kLeft - 7, y, content, y_label_attr);
    }
    // Minor ticks at 2..9 of each decade, as a log axis is read.
    const int first = static_cast<int>(std::floor(std::log10(f.y.lo)));
    const int last = static_cast<int>(std::ceil(std::log10(f.y.hi)));
    if (last - first <= 10) {
      for (int k = first; k < last; ++k) {
        for (int j = 2; j <= 9; ++j) {
          const double v = j * std::pow(10.0, k);
          if (v < f.y.lo || v > f.y.hi) continue;
          const double y = m.py(v);
          svg.line(kLeft - 2.5, y, kLeft, y,
                   fmt::format("stroke=\"{}\" stroke-width=\"0.6\"", kSpine));
        }
      }
    }
  } else {
    std::vector<Tick> ticks = linearTicks(f.y.lo, f.y.hi, 6);
    if (!f.y.custom_ticks.empty()) {
      ticks.clear();
      for (const auto& [value, label] : f.y.custom_ticks) ticks.push_back({value, label});
    } else if (f.y.integer) {
      std::erase_if(ticks, [](const Tick& t) { return t.value != std::round(t.value); });
      if (ticks.empty()) {
        for (double v = std::ceil(f.y.lo); v <= f.y.hi; ++v)
          ticks.push_back({v, formatTickValue(v, 0)});
      }
    }
    for (const auto& t : ticks) {
      const double y = m.py(t.value);
      if (f.grid) svg.line(kLeft, y, kRight, y, fmt::format("stroke=\"{}\"", kGrid));
      svg.line(kLeft - 4, y, kLeft, y, tick_attr);
      svg.text(kLeft - 7, y, xmlEscape(typographicMinus(t.label)), y_label_attr);
    }
  }
}

void drawSwatch(SvgText& svg, const PlotSeries& s, double x, double y, double swatch) {
  switch (s.style) {
    case PlotSeries::Style::Line:
      svg.line(x, y, x + swatch, y,
               fmt::format("stroke=\"{}\" stroke-width=\"2\" stroke-opacity=\"{}\"", s.colour,
                           std::max(0.5, s.opacity)));
      break;
    case PlotSeries::Style::Marks:
      svg.raw(fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\"/>\n",
                          num(x + swatch / 2), num(y), s.colour));
      break;
    case PlotSeries::Style::Bars:
      svg.raw(fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"9\" fill=\"{}\"/>\n",
                          num(x + 2), num(y - 4.5), num(swatch - 4), s.colour));
      break;
  }
}

// The legend: right-aligned rows above the axes, one row when it fits, else two (the title
// keeps its line); what does not fit in two rows is counted as "+N more".
std::size_t drawLegend(SvgText& svg, const Figure& f) {
  std::vector<const PlotSeries*> entries;
  for (const auto& s : f.series)
    if (!s.label.empty()) entries.push_back(&s);
  if (entries.empty() || (entries.size() == 1 && !f.always_legend)) return 0;
  if (entries.size() > kMaxLegendEntries) entries.resize(kMaxLegendEntries);
  const double swatch = 18, gap = 5, spacing = 14, available = kRight - kLeft;
  auto width = [&](const PlotSeries* s) { return swatch + gap + textWidth(s->label, kLegendFont); };
  std::size_t total_entries = 0;
  for (const auto& s : f.series)
    if (!s.label.empty()) ++total_entries;
  // Fill rows greedily; the last row keeps room for "+N more" when entries are left over.
  std::vector<std::vector<const PlotSeries*>> rows(1);
  double used = 0;
  std::size_t placed = 0;
  for (const auto* s : entries) {
    const double w = width(s) + (rows.back().empty() ? 0 : spacing);
    if (used + w > available) {
      if (rows.size() == 2) break;
      rows.emplace_back();
      used = 0;
    }
    used += width(s) + (rows.back().empty() ? 0 : spacing);
    rows.back().push_back(s);
    ++placed;
  }
  std::string more;
  if (placed < total_entries) {
    rows.back().pop_back();
    --placed;
    more = fmt::format("+{} more", total_entries - placed);
  }
  svg.raw("<g class=\"legend\">\n");
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const bool last = r + 1 == rows.size();
    double row_width = 0;
    for (const auto* s : rows[r]) row_width += width(s) + spacing;
    if (last && !more.empty())
      row_width += textWidth(more, kLegendFont);
    else
      row_width -= spacing;
    double x = std::max(kLeft, kRight - row_width);
    const double y = rows.size() == 1 ? kTop - 12 : kTop - 30 + 17 * static_cast<double>(r);
    for (const auto* s : rows[r]) {
      drawSwatch(svg, *s, x, y, swatch);
      x += swatch + gap;
      svg.text(x, y, xmlEscape(s->label),
               fmt::format("font-size=\"{}\" fill=\"{}\" dy=\"0.35em\"", kLegendFont, kInk));
      x += textWidth(s->label, kLegendFont) + spacing;
    }
    if (last && !more.empty()) {
      svg.text(x, y, more,
               fmt::format("font-size=\"{}\" fill=\"#666666\" dy=\"0.35em\"", kLegendFont));
    }
  }
  svg.raw("</g>\n");
  return rows.size();
}

}  // namespace

const std::string& seriesColour(std::size_t k) {
  static const std::array<std::string, 10> kTab10 = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                                     "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                                                     "#bcbd22", "#17becf"};
  return kTab10[k % kTab10.size()];
}

std::string xmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string renderSvg(const Figure& f) {
  SvgText svg;
  const Mapper m(f);
  svg.raw(fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\">\n"
      "<title>{2}</title>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<defs><clipPath id=\"axes\"><rect x=\"{3}\" y=\"{4}\" width=\"{5}\" height=\"{6}\"/>"
      "</clipPath></defs>\n",
      num(kFigureWidth), num(kFigureHeight), xmlEscape(f.title), num(kLeft), num(kTop),
      num(kRight - kLeft), num(kBottom - kTop)));

  drawTicks(svg, f, m);
  for (double y : f.separators) {
    svg.line(kLeft, m.py(y), kRight, m.py(y),
             "stroke=\"#b0b0b0\" stroke-width=\"0.8\" stroke-dasharray=\"2 3\"");
  }

  svg.raw("<g clip-path=\"url(#axes)\">\n");
  const double row_px = (kBottom - kTop) / std::max(1e-9, std::fabs(f.y.hi - f.y.lo));
  for (const auto& s : f.series) {
    const std::string opacity =
        s.opacity < 1 ? fmt::format(" stroke-opacity=\"{}\"", s.opacity) : std::string();
    switch (s.style) {
      case PlotSeries::Style::Line: {
        const std::string d = linePath(s, m);
        if (d.empty()) break;
        svg.raw(
            fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{} "
                        "stroke-linejoin=\"round\"/>\n",
                        d, s.colour, s.width, opacity));
        break;
      }
      case PlotSeries::Style::Marks: {
        double stroke = 1;
        const std::string d = marksPath(s, m, row_px, &stroke);
        if (d.empty()) break;
        svg.raw(
            fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" "
                        "stroke-linecap=\"{}\"{}/>\n",
                        d, s.colour, num(stroke), row_px >= 6 ? "butt" : "round", opacity));
        break;
      }
      case PlotSeries::Style::Bars: {
        const std::string d = barsPath(s, m);
        if (d.empty()) break;
        svg.raw(
            fmt::format("<path d=\"{}\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"white\" "
                        "stroke-width=\"0.6\"/>\n",
                        d, s.colour, s.opacity));
        break;
      }
    }
  }
  svg.raw("</g>\n");

  for (const auto& marker : f.markers) {
    const double x = m.px(marker.x);
    if (x < kLeft - 0.5 || x > kRight + 0.5) continue;
    svg.raw(fmt::format(
        "<line class=\"stimulus\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#555555\" "
        "stroke-width=\"1\" stroke-dasharray=\"5 4\"><title>{3}</title></line>\n",
        num(x), num(kTop), num(kBottom), xmlEscape(marker.label)));
    const bool right_half = x > (kLeft + kRight) / 2;
    svg.text(right_half ? x - 4 : x + 4, kTop + 13, xmlEscape(marker.label),
             fmt::format("font-size=\"10.5\" fill=\"#555555\" text-anchor=\"{}\"",
                         right_half ? "end" : "start"));
  }
  for (const auto& a : f.annotations) {
    const double x = m.px(a.x), y = m.py(a.y);
    svg.raw(fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"white\" stroke=\"{}\" stroke-width=\"1.6\"/>\n",
        num(x), num(y), a.colour));
    const bool right_half = x > (kLeft + kRight) / 2;
    svg.text(right_half ? x - 8 : x + 8, std::max(kTop + 12, y - 8), xmlEscape(a.text),
             fmt::format("font-size=\"12.5\" fill=\"{}\" text-anchor=\"{}\"", kInk,
                         right_half ? "end" : "start"));
  }
  if (!f.note.empty()) {
    svg.text((kLeft + kRight) / 2, (kTop + kBottom) / 2, xmlEscape(f.note),
             "text-anchor=\"middle\" font-size=\"14\" fill=\"#888888\"");
  }

  // Light spines, left and bottom only, drawn over the data's edge.
  svg.line(kLeft, kTop, kLeft, kBottom, fmt::format("stroke=\"{}\" stroke-width=\"0.9\"", kSpine));
  svg.line(kLeft, kBottom, kRight, kBottom,
           fmt::format("stroke=\"{}\" stroke-width=\"0.9\"", kSpine));

  svg.text((kLeft + kRight) / 2, kBottom + 44, xmlEscape(f.x.label),
           fmt::format("text-anchor=\"middle\" font-size=\"{}\" fill=\"{}\"", kLabelFont, kInk));
  const double cy = (kTop + kBottom) / 2;
  svg.text(20, cy, xmlEscape(f.y.label),
           fmt::format("text-anchor=\"middle\" font-size=\"{}\" fill=\"{}\" "
                       "transform=\"rotate(-90 20 {})\"",
                       kLabelFont, kInk, num(cy)));
  const std::size_t legend_rows = drawLegend(svg, f);
  svg.text((kLeft + kRight) / 2, legend_rows > 1 ? 19 : 26, xmlEscape(f.title),
           fmt::format("text-anchor=\"middle\" font-size=\"{}\" fill=\"{}\"", kTitleFont, kInk));
  svg.raw("</svg>\n");
  return std::move(svg.str());
}

}  // namespace snn::run
