// Tests of the diagnostic collector and the clang-style renderer.
#include <doctest/doctest.h>

#include "compiler/diagnostics/diagnostic_renderer.h"
#include "compiler/diagnostics/diagnostics.h"

namespace snn {

TEST_CASE("a diagnostic renders with file, line, column, kind, source line and caret") {
  SourceManager sources;
  FileId file = sources.addBuffer("model.snn", "neuron N {\n  threshold V >= 5 nA\n}\n");
  Diagnostics diags;
  // `5 nA` is bytes 28..32 of the text (line 2 starts at byte 11).
  diags.report(DiagnosticKind::UndefinedName, SourceRange{file, 28, 32}, "V")
      .note(SourceRange{file, 7, 8}, "declared here");
  REQUIRE(diags.errorCount() == 1);
  std::string text = renderDiagnostic(diags.all()[0], sources);
  CHECK(text ==
        "model.snn:2:18: error: undefined name `V` [UndefinedName]\n"
        "    2 |   threshold V >= 5 nA\n"
        "      |                  ^~~~\n"
        "model.snn:1:8: note: declared here\n"
        "    1 | neuron N {\n"
        "      |        ^\n");
  CHECK(diagnosticSummary(diags) == "1 error generated.");
}

TEST_CASE("columns count characters, not bytes, and tabs line up") {
  SourceManager sources;
  FileId file = sources.addBuffer("u.snn", "\tx = 1 \xc2\xb5s + y\n");
  Diagnostics diags;
  // `y` is after a tab (1 byte) and `µ` (2 bytes): byte 13, character 12.
  diags.report(DiagnosticKind::UndefinedName, SourceRange{file, 13, 14}, "y");
  std::string text = renderDiagnostic(diags.all()[0], sources);
  CHECK(text.find("u.snn:1:13:") == 0);
  CHECK(text.find("\n      |                ^\n") != std::string::npos);
}

TEST_CASE("errors are capped and duplicates dropped") {
  Diagnostics diags;
  for (std::size_t i = 0; i < Diagnostics::kMaxErrors + 10; ++i) {
    diags.report(DiagnosticKind::UndefinedName, SourceRange{0, static_cast<std::uint32_t>(i), 1}, "x");
  }
  CHECK(diags.errorCount() == Diagnostics::kMaxErrors);
  CHECK(diags.all().back().kind == DiagnosticKind::TooManyErrors);
  Diagnostics again;
  again.report(DiagnosticKind::UndefinedName, SourceRange{0, 1, 2}, "x");
  again.report(DiagnosticKind::UndefinedName, SourceRange{0, 1, 2}, "x");
  CHECK(again.all().size() == 1);
}

TEST_CASE("every diagnostic kind has a name and a format") {
  for (std::size_t i = 0; i < kDiagnosticKindCount; ++i) {
    auto kind = static_cast<DiagnosticKind>(i);
    CHECK_FALSE(diagnosticKindName(kind).empty());
    CHECK_FALSE(diagnosticFormat(kind).empty());
  }
}

TEST_CASE("invalid UTF-8 and NUL bytes are found") {
  CHECK_FALSE(findInvalidUtf8("plain \xc2\xb5s text").has_value());
  CHECK(findInvalidUtf8("ab\xff").value() == 2);
  CHECK(findInvalidUtf8(std::string_view("a\0b", 3)).value() == 1);
  CHECK(findInvalidUtf8("\xc0\x80").value() == 0);      // overlong
  CHECK(findInvalidUtf8("\xed\xa0\x80").value() == 0);  // surrogate
  CHECK(findInvalidUtf8("x\xe2\x82").value() == 1);      // truncated
}

}  // namespace snn

namespace snn {

TEST_CASE("highlights underline both operands, the caret stays at the operator") {
  SourceManager sources;
  FileId file = sources.addBuffer("m.snn", "x = E_L + I_0\n");
  Diagnostics diags;
  diags.report(DiagnosticKind::UndefinedName, SourceRange{file, 8, 9}, "+")
      .highlight(SourceRange{file, 4, 7})
      .highlight(SourceRange{file, 10, 13});
  std::string text = renderDiagnostic(diags.all()[0], sources);
  CHECK(text.find("m.snn:1:9:") == 0);
  CHECK(text.find("\n      |     ~~~ ^ ~~~\n") != std::string::npos);
}

}  // namespace snn
