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
#include "tests/unit/support/diagnostic_queries.h"

namespace snn::testing {

struct Parsed : DiagnosticQueries {
  FileId file = kNoFile;
  ast::Module module;
};

inline std::unique_ptr<Parsed> parseText(std::string text, std::string name = "test.snn") {
  auto p = std::make_unique<Parsed>();
  p->file = p->sources.addBuffer(std::move(name), std::move(text));
  p->module = parse::parseFile(p->sources, p->file, p->diags);
  return p;
}

}  // namespace snn::testing
