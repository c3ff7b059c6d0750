// Where things are, in the editor's terms. LSP positions are 0-based lines and 0-based
// characters counted in UTF-16 code units (the protocol's default and the only encoding every
// client supports); the compiler counts bytes. A character of the Basic Multilingual Plane is
// one unit, one outside it (an emoji) two, so `µ` is 2 bytes but 1 unit and `😀` 4 bytes but 2
// units. Files are named by `file://` URIs with percent-encoding.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "compiler/source/source_manager.h"

namespace snn::lsp {

struct Position {
  std::uint32_t line = 0;       // 0-based
  std::uint32_t character = 0;  // 0-based, UTF-16 code units
};

// The position of a byte offset (clamped to the text). An offset inside a multi-byte
// character counts as that character's start.
Position positionOf(std::string_view text, std::uint32_t offset);

// The byte offset of a position. A line past the end gives the end of the text, a character
// past the end of its line the end of that line (before its line break), as LSP asks.
std::uint32_t offsetOf(std::string_view text, Position position);

// {"line": L, "character": C}, and {"start": ..., "end": ...} of a byte range of `text`.
nlohmann::json toJson(Position position);
nlohmann::json rangeJson(std::string_view text, std::uint32_t begin, std::uint32_t end);

// `file:///home/a%20b/x.snn` -> `/home/a b/x.snn`. Other schemes (`untitled:Untitled-1`) have
// no file; they get a name in the current directory so that relative imports look there.
std::filesystem::path uriToPath(std::string_view uri);
// The reverse, for files we found ourselves (imports): absolute, percent-encoded.
std::string pathToUri(const std::filesystem::path& path);

}  // namespace snn::lsp
