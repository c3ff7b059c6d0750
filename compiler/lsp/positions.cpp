// Implementation of positions and URIs; see positions.h.
#include "compiler/lsp/positions.h"

#include <algorithm>
#include <cctype>

namespace snn::lsp {
namespace {

bool isContinuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// UTF-16 units of the character whose lead byte is `c`: 4-byte sequences are the ones outside
// the Basic Multilingual Plane. Invalid bytes count one unit each, as a decoder that replaces
// them with U+FFFD would.
std::uint32_t utf16Units(unsigned char c) {
  return (c & 0xF8) == 0xF0 ? 2 : 1;
}

std::uint32_t lineEnd(std::string_view text, std::uint32_t start) {
  auto end = text.find('\n', start);
  std::uint32_t e = end == std::string_view::npos ? static_cast<std::uint32_t>(text.size())
                                                  : static_cast<std::uint32_t>(end);
  if (e > start && text[e - 1] == '\r') --e;
  return e;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = hexValue(text[i + 1]), lo = hexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace

Position positionOf(std::string_view text, std::uint32_t offset) {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  Position position;
  std::uint32_t line_start = 0;
  for (std::uint32_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      line_start = i + 1;
    }
  }
  for (std::uint32_t i = line_start; i < offset; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (!isContinuation(c)) position.character += utf16Units(c);
  }
  return position;
}

std::uint32_t offsetOf(std::string_view text, Position position) {
  std::uint32_t start = 0;
  for (std::uint32_t line = 0; line < position.line; ++line) {
    auto next = text.find('\n', start);
    if (next == std::string_view::npos) return static_cast<std::uint32_t>(text.size());
    start = static_cast<std::uint32_t>(next + 1);
  }
  std::uint32_t end = lineEnd(text, start);
  std::uint32_t units = 0;
  std::uint32_t i = start;
  while (i < end && units < position.character) {
    units += utf16Units(static_cast<unsigned char>(text[i]));
    ++i;
    while (i < end && isContinuation(static_cast<unsigned char>(text[i]))) ++i;
  }
  return i;
}

nlohmann::json toJson(Position position) {
  return {{"line", position.line}, {"character", position.character}};
}

nlohmann::json rangeJson(std::string_view text, std::uint32_t begin, std::uint32_t end) {
  return {{"start", toJson(positionOf(text, begin))}, {"end", toJson(positionOf(text, end))}};
}

std::filesystem::path uriToPath(std::string_view uri) {
  constexpr std::string_view kFile = "file://";
  if (uri.substr(0, kFile.size()) == kFile) {
    std::string_view rest = uri.substr(kFile.size());
    // `file://host/path`: the authority is dropped (only local files can be read anyway).
    auto slash = rest.find('/');
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    return std::filesystem::path(percentDecode(rest));
  }
  // `untitled:Untitled-1` and other schemes: a file name made of what follows the last `/` or
  // `:`, so that messages show something the user recognises.
  auto cut = uri.find_last_of("/:");
  std::string name = percentDecode(cut == std::string_view::npos ? uri : uri.substr(cut + 1));
  if (name.empty()) name = "untitled";
  std::error_code ec;
  return std::filesystem::current_path(ec) / name;
}

std::string pathToUri(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) absolute = path;
  std::string text = absolute.lexically_normal().generic_string();
  std::string uri = "file://";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri;
}

}  // namespace snn::lsp
