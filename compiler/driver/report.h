// The run report: `index.html` in the output folder, a page to open after a run. It is made
// from run.json (what ran, timings, prints, files) plus what only the driver knows (each
// population's integration methods and the plots drawn), so the page and the machine-readable
// record never disagree. Self-contained: inline CSS, no scripts from elsewhere; the images are
// the plots' own SVG files next to it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace snn::driver {

struct ReportExtras {
  struct Methods {
    std::string population;
    std::vector<std::string> lines;  // "V: exact (linear with constant coefficients)"
  };
  std::vector<Methods> methods;
  std::vector<std::string> plots;  // paths relative to the output folder, in statement order
};

// The page for a run.json document.
std::string reportHtml(const nlohmann::json& run, const ReportExtras& extras);

// Reads DIR/run.json and writes DIR/index.html atomically; throws std::runtime_error (with the
// path) on I/O errors.
void writeReport(const std::filesystem::path& dir, const ReportExtras& extras);

}  // namespace snn::driver
