// Implementation of the clang-style renderer; see diagnostic_renderer.h.
#include "compiler/diagnostics/diagnostic_renderer.h"

#include <algorithm>

#include <fmt/format.h>

namespace snn {
namespace {

constexpr std::string_view kBold = "\033[1m";
constexpr std::string_view kRed = "\033[1;31m";
constexpr std::string_view kMagenta = "\033[1;35m";
constexpr std::string_view kCyan = "\033[1;36m";
constexpr std::string_view kGreen = "\033[1;32m";
constexpr std::string_view kReset = "\033[0m";

std::string_view severityWord(Severity severity) {
  switch (severity) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
    case Severity::Fatal: return "fatal error";
  }
  return "error";
}

std::string_view severityColour(Severity severity) {
  switch (severity) {
    case Severity::Note: return kCyan;
    case Severity::Warning: return kMagenta;
    default: return kRed;
  }
}

// Tabs are expanded so that the caret line lines up with the source line.
std::string expandTabs(std::string_view line) {
  std::string out;
  for (char c : line) {
    if (c == '\t') {
      do out += ' '; while (out.size() % 4 != 0);
    } else {
      out += c;
    }
  }
  return out;
}

// Display width of the bytes [begin, end) of a line: code points, tabs to multiples of 4.
std::size_t displayColumn(std::string_view line, std::size_t byte_offset) {
  std::size_t column = 0;
  for (std::size_t i = 0; i < std::min(byte_offset, line.size()); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c == '\t') {
      column = (column / 4 + 1) * 4;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return column;
}

void renderOne(std::string& out, Severity severity, SourceRange range, const std::string& message,
               std::string_view kind, const SourceManager& sources, const RenderOptions& o,
               const std::vector<SourceRange>& highlights = {}) {
  auto paint = [&](std::string_view colour, std::string_view text) {
    if (o.colour) {
      out += colour;
      out += text;
      out += kReset;
    } else {
      out += text;
    }
  };
  const SourceFile* file = range.valid() && range.file < sources.fileCount()
                               ? &sources.file(range.file) : nullptr;
  LineColumn lc{};
  if (file) {
    lc = file->lineColumn(range.begin);
    paint(kBold, fmt::format("{}:{}:{}: ", file->path(), lc.line, lc.column));
  }
  paint(severityColour(severity), fmt::format("{}: ", severityWord(severity)));
  std::string text = message;
  if (!kind.empty()) text += fmt::format(" [{}]", kind);
  paint(kBold, text);
  out += '\n';
  if (!file) return;

  std::string_view line = file->lineText(lc.line);
  std::uint32_t line_start = file->lineStart(lc.line);
  std::size_t begin_byte = range.begin - line_start;
  // A range that runs past the line end is underlined to the end of its first line.
  std::size_t end_byte = std::min<std::size_t>(range.end > range.begin ? range.end - line_start
                                                                       : begin_byte + 1,
                                               line.size());
  std::size_t caret_col = displayColumn(line, begin_byte);
  std::size_t end_col = std::max(displayColumn(line, end_byte), caret_col + 1);
  std::string gutter = fmt::format("{:>5} | ", lc.line);
  out += gutter;
  out += expandTabs(line);
  out += '\n';
  out += std::string(gutter.size() - 2, ' ');
  out += "| ";
  // The marker line: tildes under each highlight on this line, then the caret's range.
  std::string marker(std::max(end_col, caret_col + 1), ' ');
  for (const SourceRange& h : highlights) {
    if (h.file != range.file || h.begin < line_start || h.begin > line_start + line.size()) continue;
    std::size_t from = displayColumn(line, h.begin - line_start);
    std::size_t to = displayColumn(line, std::min<std::size_t>(h.end - line_start, line.size()));
    if (to > marker.size()) marker.resize(to, ' ');
    for (std::size_t c = from; c < to; ++c) marker[c] = '~';
  }
  for (std::size_t c = caret_col + 1; c < end_col; ++c) marker[c] = '~';
  marker[caret_col] = '^';
  std::size_t first = marker.find_first_not_of(' ');
  out += marker.substr(0, first);
  paint(kGreen, marker.substr(first));
  out += '\n';
}

}  // namespace

std::string renderDiagnostic(const Diagnostic& d, const SourceManager& sources,
                             const RenderOptions& options) {
  std::string out;
  renderOne(out, d.severity, d.range, d.message,
            options.show_kind ? diagnosticKindName(d.kind) : std::string_view{}, sources, options,
            d.highlights);
  for (const auto& note : d.notes) {
    renderOne(out, Severity::Note, note.range, note.message, {}, sources, options);
  }
  return out;
}

void renderDiagnostics(const Diagnostics& diagnostics, const SourceManager& sources,
                       std::ostream& out, const RenderOptions& options) {
  for (const auto& d : diagnostics.all()) out << renderDiagnostic(d, sources, options);
}

std::string diagnosticSummary(const Diagnostics& diagnostics) {
  std::size_t errors = 0, warnings = 0;
  for (const auto& d : diagnostics.all()) {
    if (d.severity >= Severity::Error) ++errors;
    if (d.severity == Severity::Warning) ++warnings;
  }
  auto plural = [](std::size_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  if (errors && warnings) return plural(errors, "error") + " and " + plural(warnings, "warning") + " generated.";
  if (errors) return plural(errors, "error") + " generated.";
  if (warnings) return plural(warnings, "warning") + " generated.";
  return {};
}

}  // namespace snn
