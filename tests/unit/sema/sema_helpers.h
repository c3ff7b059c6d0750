// Shared by the sema tests: parse a program held in memory, check it, and ask about the
// diagnostics in source terms (line:column, the text under a range).
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostics.h"
#include "compiler/parse/parser.h"
#include "compiler/sema/check.h"
#include "compiler/source/source_manager.h"
#include "compiler/units/unit_table.h"
#include "tests/unit/support/diagnostic_queries.h"

namespace snn::testing {

struct Checked : DiagnosticQueries {
  Diagnostics parse_diags;
  std::vector<ast::Module> modules;
  sema::CheckedProgram program;

  bool hasNote(const Diagnostic& d, std::string_view fragment) const {
    for (const auto& n : d.notes)
      if (n.message.find(fragment) != std::string::npos) return true;
    return false;
  }
  const ast::ModelDecl& model(std::string_view name) const {
    for (const auto& m : modules)
      for (const auto& d : m.models)
        if (d.name == name) return d;
    FAIL("no model " << name);
    return modules.front().models.front();
  }
  const sema::CheckedModel& checkedModel(std::string_view name) const {
    const auto* m = program.findModel(name);
    REQUIRE(m != nullptr);
    return *m;
  }
};

// Parses each text as one module (imports first, the last one the root) and checks them.
// Parse errors fail the test: these tests are about sema.
inline std::unique_ptr<Checked> checkModules(const std::vector<std::string>& texts) {
  auto c = std::make_unique<Checked>();
  for (std::size_t k = 0; k < texts.size(); ++k) {
    FileId file = c->sources.addBuffer("test" + std::to_string(k) + ".snn", texts[k]);
    c->modules.push_back(parse::parseFile(c->sources, file, c->parse_diags));
  }
  if (c->parse_diags.hasErrors()) {
    std::string out;
    for (const auto& d : c->parse_diags.all()) out += c->at(d.range) + " " + d.message + "\n";
    FAIL_CHECK("parse errors:\n" << out);
  }
  c->program = sema::check(std::span<const ast::Module>(c->modules), c->diags);
  return c;
}

inline std::unique_ptr<Checked> checkText(const std::string& text) {
  return checkModules({text});
}

// The program has exactly one diagnostic, of this kind, whose range starts at line:col and
// covers `text`.
#define CHECK_ONLY_DIAGNOSTIC(c, KIND, AT, TEXT)                                       \
  do {                                                                                 \
    INFO((c)->all());                                                                  \
    REQUIRE((c)->diags.all().size() == 1);                                             \
    const Diagnostic& only_ = (c)->diags.all().front();                                \
    CHECK(diagnosticKindName(only_.kind) == diagnosticKindName(DiagnosticKind::KIND)); \
    CHECK((c)->at(only_.range) == (AT));                                               \
    CHECK((c)->text(only_.range) == (TEXT));                                           \
  } while (false)

#define CHECK_CLEAN(c)               \
  do {                               \
    INFO((c)->all());                \
    CHECK((c)->diags.all().empty()); \
  } while (false)

}  // namespace snn::testing
