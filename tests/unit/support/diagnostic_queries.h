// Shared by the parser and sema tests: source text held in memory with its diagnostics, and
// questions about them in source terms (line:column, the text under a range, which kinds came
// out), so that tests assert positions the way a user reads them.
#pragma once

#include <string>
#include <string_view>

#include "compiler/diagnostics/diagnostics.h"
#include "compiler/source/source_manager.h"

namespace snn::testing {

struct DiagnosticQueries {
  SourceManager sources;
  Diagnostics diags;

  // "line:column" of a range's start; "-" for a range without a place.
  std::string at(SourceRange range) const {
    if (!range.valid()) return "-";
    LineColumn lc = sources.file(range.file).lineColumn(range.begin);
    return std::to_string(lc.line) + ":" + std::to_string(lc.column);
  }
  std::string_view text(SourceRange range) const {
    return sources.file(range.file).text().substr(range.begin, range.end - range.begin);
  }
  std::size_t count(DiagnosticKind kind) const {
    std::size_t n = 0;
    for (const auto& d : diags.all()) n += d.kind == kind;
    return n;
  }
  const Diagnostic* first(DiagnosticKind kind) const {
    for (const auto& d : diags.all()) {
      if (d.kind == kind) return &d;
    }
    return nullptr;
  }
  // Every diagnostic as "line:col Kind: message", one per line, notes indented: for failure
  // messages.
  std::string all() const {
    std::string out;
    for (const auto& d : diags.all()) {
      out += at(d.range) + " " + std::string(diagnosticKindName(d.kind)) + ": " + d.message + "\n";
      for (const auto& n : d.notes) out += "    " + at(n.range) + " note: " + n.message + "\n";
    }
    return out;
  }
};

}  // namespace snn::testing
