// Shared by the parser and AST tests: parse a snippet held in memory and ask about the result
// in source terms (line:column, the text under a range, which diagnostics came out).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostics.h"
#include "compiler/parse/parser.h"
#include "compiler/source/source_manager.h"

namespace snn::testing {

struct Parsed {
  SourceManager sources;
  Diagnostics diags;
  FileId file = kNoFile;
  ast::Module module;

  // "line:column" of a range's start.
  std::string at(SourceRange range) const {
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
  // Every diagnostic as "line:col Kind: message", one per line, for failure messages.
  std::string all() const {
    std::string out;
    for (const auto& d : diags.all()) {
      out += (d.range.valid() ? at(d.range) : std::string("-")) + " " +
             std::string(diagnosticKindName(d.kind)) + ": " + d.message + "\n";
    }
    return out;
  }
};

inline std::unique_ptr<Parsed> parseText(std::string text, std::string name = "test.snn") {
  auto p = std::make_unique<Parsed>();
  p->file = p->sources.addBuffer(std::move(name), std::move(text));
  p->module = parse::parseFile(p->sources, p->file, p->diags);
  return p;
}

}  // namespace snn::testing
