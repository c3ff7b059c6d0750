// run.json and other small JSON files, written atomically like the recordings.
//
// The documents themselves are nlohmann::json values built by the engine; this file only fixes
// how they reach the disk: pretty-printed with `indent` spaces, a final newline, invalid UTF-8 in
// strings replaced by U+FFFD instead of throwing halfway through a run, and NaN or infinite
// numbers written as null (JSON has no spelling for them; nlohmann does this by itself).
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace snn::output {

// The exact text writeJson puts in the file.
std::string jsonText(const nlohmann::json& document, int indent = 2);

// Throws OutputError (vm/output/atomic_file.h) when the file cannot be written.
void writeJson(const std::filesystem::path& path, const nlohmann::json& document, int indent = 2);

}  // namespace snn::output
