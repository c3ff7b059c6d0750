// Writes .npy files and analysis results for the Python checks in this folder (check_npy.py,
// check_analysis.py), which read them with NumPy and recompute them with SciPy and Brian2.
//
// tests/unit/**/*.cpp is compiled into the doctest binary, which has its own main(); this file is
// only a program in the snn_vm_python_tool target, which defines SNN_VM_PYTHON_TOOL.
#ifdef SNN_VM_PYTHON_TOOL

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vm/analysis/smoothing.h"
#include "vm/analysis/welch.h"
#include "vm/output/json_writer.h"
#include "vm/output/npy_writer.h"
#include "vm/random/counter_rng.h"

namespace fs = std::filesystem;
using namespace snn;

namespace {

// The contents are re-derived independently in check_npy.py.
void writeNpyFiles(const fs::path& dir) {
  std::vector<double> doubles;
  for (int k = 0; k < 7; ++k) doubles.push_back(k * 0.1 - 3);
  doubles.push_back(1e-300);
  doubles.push_back(-std::numeric_limits<double>::infinity());
  output::writeNpy<double>(dir / "f8_1d.npy", doubles);

  std::vector<std::int32_t> ints;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) ints.push_back(r * 10 + c - 5);
  output::writeNpy<std::int32_t>(dir / "i4_2d.npy", ints, 3, 4);

  std::vector<std::int64_t> longs = {std::numeric_limits<std::int64_t>::min(), 0,
                                     std::int64_t{1} << 62};
  output::writeNpy<std::int64_t>(dir / "i8_1d.npy", longs);

  std::vector<std::uint32_t> unsigneds = {0, 1, 4294967295u, 7};
  output::writeNpy<std::uint32_t>(dir / "u4_2d.npy", unsigneds, 2, 2);

  output::writeNpy<double>(dir / "empty_2d.npy", std::span<const double>(), 0, 3);

  auto matrix =
      output::NpyStreamWriter::matrix(dir / "stream_f8.npy", output::NpyDtype::kFloat64, 5);
  for (int r = 0; r < 1000; ++r) {
    std::vector<double> row;
    for (int c = 0; c < 5; ++c) row.push_back(r + c / 10.0);
    matrix.appendRow<double>(row);
  }
  matrix.finish();

  auto vector = output::NpyStreamWriter::vector(dir / "stream_i4.npy", output::NpyDtype::kInt32);
  for (int k = 0; k < 12345; k += 5) {
    std::vector<std::int32_t> chunk;
    for (int j = k; j < std::min(k + 5, 12345); ++j) chunk.push_back(j * 3 - 7);
    vector.append<std::int32_t>(chunk);
  }
  vector.finish();
}

// A noisy signal with two sines; Welch spectra for several segment settings, and smoothed rates
// for Brian2's windows. configs.json says which file holds what.
void writeAnalysisFiles(const fs::path& dir) {
  const double fs_hz = 1000;
  std::vector<double> signal(5000);
  for (std::size_t k = 0; k < signal.size(); ++k) {
    double t = static_cast<double>(k) / fs_hz;
    signal[k] = 2.0 + std::sin(2 * std::numbers::pi * 40 * t) +
                0.3 * std::sin(2 * std::numbers::pi * 113 * t) + random::normal(3, 1, k, 0, 0);
  }
  output::writeNpy<double>(dir / "signal.npy", signal);

  nlohmann::json configs = {{"sample_rate_hz", fs_hz},
                            {"welch", nlohmann::json::array()},
                            {"smooth", nlohmann::json::array()}};
  struct WelchCase {
    std::size_t segment;
    std::optional<std::size_t> overlap;
  };
  const WelchCase cases[] = {{256, {}}, {100, {}}, {1000, 250}, {333, 0}, {257, 200}, {8000, {}}};
  int index = 0;
  for (const WelchCase& c : cases) {
    analysis::Spectrum s = analysis::welchPsd(signal, fs_hz, c.segment, c.overlap);
    std::string f = "welch" + std::to_string(index) + "_f.npy";
    std::string p = "welch" + std::to_string(index) + "_p.npy";
    output::writeNpy<double>(dir / f, s.frequency_hz);
    output::writeNpy<double>(dir / p, s.density);
    configs["welch"].push_back({{"nperseg", c.segment},
                                {"noverlap", c.overlap ? nlohmann::json(*c.overlap) : nullptr},
                                {"frequencies", f},
                                {"density", p},
                                {"peak_hz", analysis::peakFrequency(s)}});
    ++index;
  }

  // A rate-like signal: a slow wave with bursts, at dt = 0.1 ms.
  const double dt = 1e-4;
  std::vector<double> rate(3000);
  for (std::size_t k = 0; k < rate.size(); ++k)
    rate[k] = 20 + 15 * std::sin(static_cast<double>(k) * 0.01) +
              (random::uniform(4, 2, k, 0, 0) < 0.05 ? 1000.0 : 0.0);
  output::writeNpy<double>(dir / "rate.npy", rate);
  struct SmoothCase {
    const char* window;
    double width;
  };
  const SmoothCase smooth_cases[] = {
      {"gaussian", 2e-3}, {"gaussian", 20e-3}, {"gaussian", 0.25e-3}, {"gaussian", 0.05e-3},
      {"flat", 5e-3},     {"flat", 4.05e-3},   {"flat", 0.3e-3},      {"flat", 1e-3}};
  index = 0;
  for (const SmoothCase& c : smooth_cases) {
    std::vector<double> out = std::string(c.window) == "gaussian"
                                  ? analysis::smoothGaussian(rate, dt, c.width)
                                  : analysis::smoothFlat(rate, dt, c.width);
    std::string file = "smooth" + std::to_string(index++) + ".npy";
    output::writeNpy<double>(dir / file, out);
    configs["smooth"].push_back(
        {{"window", c.window}, {"width_s", c.width}, {"dt_s", dt}, {"file", file}});
  }
  output::writeJson(dir / "configs.json", configs);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s npy|analysis DIRECTORY\n", argv[0]);
    return 2;
  }
  try {
    fs::path dir = argv[2];
    fs::create_directories(dir);
    std::string what = argv[1];
    if (what == "npy") {
      writeNpyFiles(dir);
    } else if (what == "analysis") {
      writeAnalysisFiles(dir);
    } else {
      std::fprintf(stderr, "unknown command '%s'\n", argv[1]);
      return 2;
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
  return 0;
}

#endif  // SNN_VM_PYTHON_TOOL
