// Implementation of SourceManager and SourceFile; see source_manager.h.
#include "compiler/source/source_manager.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

namespace snn {

SourceRange SourceRange::cover(SourceRange a, SourceRange b) {
  if (!a.valid()) return b;
  if (!b.valid() || a.file != b.file) return a;
  return {a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)};
}

SourceFile::SourceFile(FileId id, std::string path, std::string text)
    : id_(id), path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

LineColumn SourceFile::lineColumn(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
  std::uint32_t start = line_starts_[line - 1];
  // Count code points, not bytes, so that columns match what an editor shows.
  std::uint32_t column = 1;
  for (std::uint32_t i = start; i < offset; ++i) {
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  return {line, column};
}

std::string_view SourceFile::lineText(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  std::uint32_t start = line_starts_[line - 1];
  std::uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1
                                                 : static_cast<std::uint32_t>(text_.size());
  std::string_view view(text_.data() + start, end - start);
  if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
  return view;
}

std::optional<std::uint32_t> findInvalidUtf8(std::string_view text) {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  while (i < text.size()) {
    unsigned char c = byte(i);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      if (c == 0) return static_cast<std::uint32_t>(i);  // NUL bytes mean a binary file
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2, code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, code = c & 0x07;
    } else {
      return static_cast<std::uint32_t>(i);
    }
    if (i + length > text.size()) return static_cast<std::uint32_t>(i);
    for (std::size_t k = 1; k < length; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return static_cast<std::uint32_t>(i);
      code = (code << 6) | (byte(i + k) & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return static_cast<std::uint32_t>(i);
    }
    i += length;
  }
  return std::nullopt;
}

std::optional<FileId> SourceManager::load(const std::filesystem::path& path, std::string& error) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(path, ec).string();
  if (ec) canonical = path.string();
  for (std::size_t i = 0; i < canonical_paths_.size(); ++i) {
    if (canonical_paths_[i] == canonical) return static_cast<FileId>(i);
  }
  if (std::filesystem::is_directory(path, ec)) {
    error = "is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::filesystem::exists(path, ec) ? "cannot be read" : "no such file";
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = std::move(buffer).str();
  // Offsets are 32-bit; a model source larger than that is certainly a mistake.
  if (text.size() >= std::numeric_limits<std::uint32_t>::max() / 2) {
    error = "is too large to be a model file";
    return std::nullopt;
  }
  FileId id = addBuffer(path.string(), std::move(text));
  canonical_paths_.back() = canonical;
  return id;
}

FileId SourceManager::addFileContents(const std::filesystem::path& path, std::string text) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(path, ec).string();
  if (ec) canonical = path.string();
  FileId id = addBuffer(path.string(), std::move(text));
  canonical_paths_.back() = canonical;
  return id;
}

FileId SourceManager::addBuffer(std::string name, std::string text) {
  auto id = static_cast<FileId>(files_.size());
  files_.push_back(std::make_unique<SourceFile>(id, std::move(name), std::move(text)));
  canonical_paths_.push_back({});
  return id;
}

}  // namespace snn
