// The run report; see report.h.
#include "compiler/driver/report.h"

#include <fstream>

#include <fmt/format.h>

#include "compiler/run/plot_figure.h"
#include "vm/output/atomic_file.h"

namespace snn::driver {

namespace {

// HTML text and attributes need the same escapes as the plots' XML.
std::string escape(std::string_view text) { return run::xmlEscape(std::string(text)); }

std::string text(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "";
  const auto& v = j[key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string seconds(const nlohmann::json& timings, const char* key) {
  if (!timings.contains(key) || !timings[key].is_number()) return "–";
  const double s = timings[key].get<double>();
  return s < 1 ? fmt::format("{:.1f} ms", s * 1e3) : fmt::format("{:.3g} s", s);
}

constexpr const char* kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em auto;
       max-width: 60em; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.1em; } .sub { color: #666; margin-top: 0; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.5em 0; } th, td { padding: 0.25em 0.8em;
        text-align: left; border-bottom: 1px solid #eee; vertical-align: top; }
th { color: #555; font-weight: 600; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f6f8fa; padding: 0.8em 1em; border-radius: 4px; overflow-x: auto; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #666; font-size: 0.9em; }
.partial { background: #fff4e5; border-left: 4px solid #f0a020; padding: 0.5em 1em; }
code { font-size: 0.95em; }
)";

// Marks the body with how many images loaded, for a human glance (the title) and for tests
// that load the page in a headless browser.
constexpr const char* kImageCheck = R"(
window.addEventListener("load", function () {
  var images = document.images, loaded = 0, broken = 0;
  for (var k = 0; k < images.length; ++k) {
    if (images[k].complete && images[k].naturalWidth > 0) ++loaded; else ++broken;
  }
  document.body.setAttribute("data-images", "loaded=" + loaded + " broken=" + broken);
});
)";

}  // namespace

std::string reportHtml(const nlohmann::json& run, const ReportExtras& extras) {
  std::string h;
  const std::string name = text(run, "experiment");
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += fmt::format("<title>{} — snnc run</title>\n<style>{}</style>\n", escape(name), kStyle);
  h += fmt::format("<script>{}</script>\n</head>\n<body>\n", kImageCheck);
  h += fmt::format("<h1>{}</h1>\n", escape(name));
  h += fmt::format("<p class=\"sub\"><code>{}</code> · dt = {} s · seed {} · back end {}</p>\n",
                   escape(text(run, "source_file")), escape(text(run, "dt")),
                   escape(text(run, "seed")), escape(text(run, "backend")));
  if (text(run, "status") != "complete") {
    h += fmt::format("<p class=\"partial\">Partial results: {}</p>\n", escape(text(run, "reason")));
  }

  h += "<h2>Model</h2>\n<table>\n<tr><th>population</th><th>model</th><th>size</th>"
       "<th>integration</th></tr>\n";
  for (const auto& p : run.value("populations", nlohmann::json::array())) {
    std::string methods;
    for (const auto& m : extras.methods) {
      if (m.population != text(p, "name")) continue;
      for (const auto& line : m.lines) methods += escape(line) + "<br>";
    }
    h += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
                     escape(text(p, "name")), escape(text(p, "model")), escape(text(p, "size")),
                     methods.empty() ? "–" : methods);
  }
  h += "</table>\n";
  const auto connections = run.value("connections", nlohmann::json::array());
  if (!connections.empty()) {
    h += "<table>\n<tr><th>connection</th><th>from → to</th><th>synapses</th><th>delay</th></tr>\n";
    for (const auto& c : connections) {
      const std::string delay = c.contains("delay") && c["delay"].is_number()
                                    ? fmt::format("{:g} ms", c["delay"].get<double>() * 1e3)
                                    : "per synapse";
      h += fmt::format("<tr><td>{}</td><td>{} → {}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
                       escape(text(c, "name")), escape(text(c, "source")),
                       escape(text(c, "target")), escape(text(c, "synapses")), escape(delay));
    }
    h += "</table>\n";
  }
  const auto overrides = run.value("overrides", nlohmann::json::array());
  if (!overrides.empty()) {
    h += "<p>Overrides: ";
    for (const auto& o : overrides) {
      h += fmt::format("<code>{}={}</code> ", escape(text(o, "name")), escape(text(o, "value")));
    }
    h += "</p>\n";
  }

  const auto printed = run.value("printed", nlohmann::json::array());
  if (!printed.empty()) {
    h += "<h2>Printed</h2>\n<pre>";
    for (const auto& line : printed) h += escape(line.get<std::string>()) + "\n";
    h += "</pre>\n";
  }

  if (!extras.plots.empty()) {
    h += "<h2>Plots</h2>\n";
    for (const auto& plot : extras.plots) {
      h += fmt::format(
          "<figure><img src=\"{0}\" alt=\"{0}\"><figcaption>{0}</figcaption></figure>\n",
          escape(plot));
    }
  }

  const auto timings = run.value("timings", nlohmann::json::object());
  h += "<h2>Timings</h2>\n<table>\n";
  for (const auto& [key, label] : std::initializer_list<std::pair<const char*, const char*>>{
           {"parse", "parse"},
           {"check", "check"},
           {"lower", "compile"},
           {"setup", "set up (connections, initial values)"},
           {"run", "run"}}) {
    h += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td></tr>\n", label, seconds(timings, key));
  }
  if (timings.contains("simulated") && timings["simulated"].is_number()) {
    h += fmt::format("<tr><td>simulated</td><td class=\"n\">{:g} s</td></tr>\n",
                     timings["simulated"].get<double>());
  }
  if (timings.contains("simulated_per_wall_second") &&
      timings["simulated_per_wall_second"].is_number()) {
    h += fmt::format("<tr><td>simulated seconds per second</td><td class=\"n\">{:.3g}</td></tr>\n",
                     timings["simulated_per_wall_second"].get<double>());
  }
  h += "</table>\n";

  const auto files = run.value("files", nlohmann::json::array());
  h += "<h2>Data "
       "files</h2>\n<table>\n<tr><th>file</th><th>what</th><th>unit</th><th>shape</th></tr>\n";
  for (const auto& f : files) {
    std::string shape;
    for (const auto& d : f.value("shape", nlohmann::json::array())) {
      shape += (shape.empty() ? "" : " × ") + d.dump();
    }
    h += fmt::format(
        "<tr><td><a href=\"{0}\">{0}</a></td><td>{1}</td><td>{2}</td><td>{3} {4}</td></tr>\n",
        escape(text(f, "path")), escape(text(f, "meaning")), escape(text(f, "unit")),
        escape(text(f, "dtype")), escape(shape));
  }
  h += "<tr><td><a href=\"run.json\">run.json</a></td><td>everything above, for programs</td>"
       "<td></td><td></td></tr>\n</table>\n";
  h += "<p class=\"sub\">Load a file with <code>numpy.load(\"…\")</code>.</p>\n</body>\n</html>\n";
  return h;
}

void writeReport(const std::filesystem::path& dir, const ReportExtras& extras) {
  std::ifstream in(dir / "run.json");
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", (dir / "run.json").string()));
  nlohmann::json run = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (run.is_discarded()) {
    throw std::runtime_error(fmt::format("{} is not valid JSON", (dir / "run.json").string()));
  }
  output::AtomicFile file(dir / "index.html");
  file.write(reportHtml(run, extras));
  file.commit();
}

}  // namespace snn::driver
