// Owns the text of every loaded .snn file and turns byte offsets into lines and columns.
// Every later stage refers to source positions by (file id, byte offset) so that locations
// stay small and cheap to copy; only diagnostics need line and column, computed on demand.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace snn {

using FileId = std::uint32_t;
inline constexpr FileId kNoFile = ~FileId{0};

// A half-open byte range [begin, end) in one file.
struct SourceRange {
  FileId file = kNoFile;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  bool valid() const { return file != kNoFile; }
  // The smallest range covering both; both must be in the same file.
  static SourceRange cover(SourceRange a, SourceRange b);
  friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

struct LineColumn {
  std::uint32_t line = 0;    // 1-based
  std::uint32_t column = 0;  // 1-based, counted in characters (UTF-8 code points)
};

class SourceFile {
 public:
  SourceFile(FileId id, std::string path, std::string text);

  FileId id() const { return id_; }
  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }

  LineColumn lineColumn(std::uint32_t offset) const;
  // The text of a 1-based line, without its line terminator.
  std::string_view lineText(std::uint32_t line) const;
  std::uint32_t lineCount() const { return static_cast<std::uint32_t>(line_starts_.size()); }
  // Byte offset of the first byte of a 1-based line.
  std::uint32_t lineStart(std::uint32_t line) const { return line_starts_[line - 1]; }

 private:
  FileId id_;
  std::string path_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;
};

// The first invalid byte of a UTF-8 text, if any. Checked before lexing so that invalid input
// becomes a diagnostic instead of undefined behaviour in the lexer.
std::optional<std::uint32_t> findInvalidUtf8(std::string_view text);

class SourceManager {
 public:
  // Loads a file from disk. Returns std::nullopt and sets `error` when it cannot be read.
  // A file already loaded (same canonical path) is returned again without re-reading.
  std::optional<FileId> load(const std::filesystem::path& path, std::string& error);
  // Registers in-memory text (tests, fuzzing, --set overrides).
  FileId addBuffer(std::string name, std::string text);
  // Registers text that stands for the file at `path` (an editor's unsaved buffer): a later
  // load() of that path returns it instead of reading the disk.
  FileId addFileContents(const std::filesystem::path& path, std::string text);

  const SourceFile& file(FileId id) const { return *files_.at(id); }
  std::size_t fileCount() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
  std::vector<std::string> canonical_paths_;
};

}  // namespace snn
