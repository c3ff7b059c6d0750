// Bad input: syntax errors with precise positions and "expected" wording, lexical errors,
// invalid UTF-8 and binary files, and input nested deeply enough to overflow a naive
// recursive parser. None of it may crash; all of it must give a diagnostic.
#include <doctest/doctest.h>

#include <string>

#include "compiler/ast/printer.h"
#include "compiler/ast/tree_dump.h"
#include "tests/unit/parse/parse_helpers.h"

namespace snn {
namespace {

using testing::parseText;

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

TEST_CASE("a missing expression: expected an expression, found `}`") {
  auto p = parseText("neuron A {\n  threshold V >\n}\n");
  REQUIRE(p->diags.errorCount() == 1);
  const Diagnostic& d = p->diags.all()[0];
  CHECK(d.kind == DiagnosticKind::SyntaxError);
  CHECK(p->at(d.range) == "3:1");
  CHECK(d.message == "expected an expression, found `}`");
  CHECK(p->module.models.empty());  // no AST from a broken tree
}

TEST_CASE("an unclosed block names the block and notes where it opened") {
  auto p = parseText("neuron A {\n  parameters { tau = 1 ms }\n");
  REQUIRE(p->diags.errorCount() == 1);
  const Diagnostic& d = p->diags.all()[0];
  CHECK(p->at(d.range) == "3:1");
  CHECK(d.message == "expected `}` to close the `neuron` block, found the end of the file");
  REQUIRE(d.notes.size() == 1);
  CHECK(p->at(d.notes[0].range) == "1:10");
  CHECK(d.notes[0].message == "the `neuron` block opened here");

  auto q = parseText("neuron A { parameters {\n tau = 1 ms\nneuron B {}\n");
  const Diagnostic* e = q->first(DiagnosticKind::SyntaxError);
  REQUIRE(e);
  CHECK(q->at(e->range) == "3:1");
  CHECK(e->message == "expected `}` to close the `parameters` block, found `neuron`");
}

TEST_CASE("syntax errors say what was expected, in the user's terms") {
  struct Case {
    const char* source;
    const char* at;
    const char* message;
  };
  const Case cases[] = {
      {"neuron A {\n  foo\n}", "2:3",
       "expected a model item (`parameters`, `state`, `equations`, `threshold`, ...) or `}`, found "
       "`foo`"},
      {"foo", "1:1",
       "expected a declaration (`neuron`, `synapse`, `experiment`, `let` or `import`) or the end "
       "of the "
       "file, found `foo`"},
      {"experiment E {\n  population = 3\n}", "2:14", "expected a name, found `=`"},
      {"neuron A { state { V volt } }", "1:22", "expected `:`, found `volt`"},
      {"experiment E { run }", "1:20", "expected an expression, found `}`"},
      {"neuron A { parameters { a = (1 + 2 } }", "1:36", "expected `)`, found `}`"},
      {"experiment E { connect A B }", "1:26", "expected `->` or `=`, found `B`"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.source);
    auto p = parseText(c.source);
    const Diagnostic* d = p->first(DiagnosticKind::SyntaxError);
    REQUIRE(d);
    CHECK(p->at(d->range) == c.at);
    CHECK(d->message == c.message);
  }
}

TEST_CASE("a missing bracket notes the bracket it would close") {
  auto p = parseText("neuron A { parameters { a = f((1 + 2), [3 } }");
  const Diagnostic* d = p->first(DiagnosticKind::SyntaxError);
  REQUIRE(d);
  CHECK(p->at(d->range) == "1:43");
  REQUIRE(d->notes.size() == 1);
  CHECK(p->at(d->notes[0].range) == "1:40");
  CHECK(d->notes[0].message == "to close this `[`");
}

TEST_CASE("chained comparisons get a hint; unknown flags are BadFlag") {
  auto p = parseText("neuron A { threshold a < b < c }");
  const Diagnostic* d = p->first(DiagnosticKind::SyntaxError);
  REQUIRE(d);
  CHECK(p->at(d->range) == "1:28");
  REQUIRE(d->notes.size() == 1);
  CHECK(d->notes[0].message.find("do not chain") != std::string::npos);

  auto q = parseText("neuron A { equations { dV/dt = -V/tau (unless refractory, fast) } }");
  const Diagnostic* f = q->first(DiagnosticKind::BadFlag);
  REQUIRE(f);
  CHECK(q->text(f->range) == "fast");
}

TEST_CASE("all syntax errors that recovery finds are reported") {
  auto p = parseText(
      "neuron A {\n  threshold V >\n}\n"
      "neuron B {\n  parameters { x = }\n}\n"
      "experiment E {\n  run\n}\n");
  CHECK(p->count(DiagnosticKind::SyntaxError) == 3);
  CHECK(p->at(p->diags.all()[0].range) == "3:1");
  CHECK(p->at(p->diags.all()[1].range) == "5:20");
  CHECK(p->at(p->diags.all()[2].range) == "9:1");
}

TEST_CASE("lexical errors") {
  SUBCASE("an unknown character, once, without a follow-up syntax error") {
    auto p = parseText("neuron A {\n  threshold V > 3 $ 4\n}\n");
    REQUIRE(p->diags.errorCount() == 1);
    const Diagnostic& d = p->diags.all()[0];
    CHECK(d.kind == DiagnosticKind::UnexpectedCharacter);
    CHECK(p->at(d.range) == "2:19");
    CHECK(d.message == "unexpected character `$`");
  }
  SUBCASE("control characters are shown by code") {
    auto p = parseText("let x = 1 \x01");
    REQUIRE(p->first(DiagnosticKind::UnexpectedCharacter));
    CHECK(p->first(DiagnosticKind::UnexpectedCharacter)->message ==
          "unexpected character `U+0001`");
  }
  SUBCASE("an unterminated string") {
    auto p = parseText("experiment E {\n  print \"abc\n}\n");
    REQUIRE(p->diags.errorCount() == 1);
    const Diagnostic& d = p->diags.all()[0];
    CHECK(d.kind == DiagnosticKind::UnterminatedString);
    CHECK(p->at(d.range) == "2:9");
  }
  SUBCASE("an unterminated comment") {
    auto p = parseText("neuron A { }\n/* abc\n more");
    REQUIRE(p->diags.errorCount() == 1);
    const Diagnostic& d = p->diags.all()[0];
    CHECK(d.kind == DiagnosticKind::UnterminatedComment);
    CHECK(p->at(d.range) == "2:1");
    CHECK(p->text(d.range) == "/*");
  }
  SUBCASE("columns count characters after non-ASCII text") {
    auto p = parseText("let \xC2\xB5 = \"\xC3\xA9\xC3\xA9\" + @\n");
    const Diagnostic* d = p->first(DiagnosticKind::UnexpectedCharacter);
    REQUIRE(d);
    CHECK(p->at(d->range) == "1:16");
    CHECK(p->text(d->range) == "@");
  }
  SUBCASE("a byte order mark is skipped and does not shift positions") {
    auto p = parseText("\xEF\xBB\xBFlet x = @");
    const Diagnostic* d = p->first(DiagnosticKind::UnexpectedCharacter);
    REQUIRE(d);
    CHECK(d->range.begin == 11);
    CHECK(p->text(d->range) == "@");
  }
}

TEST_CASE("invalid UTF-8, binary garbage and empty files") {
  SUBCASE("invalid UTF-8 is reported at its byte and nothing is parsed") {
    auto p = parseText("let a = 1\nlet b = \"\xFF\"\n");
    REQUIRE(p->diags.errorCount() == 1);
    const Diagnostic& d = p->diags.all()[0];
    CHECK(d.kind == DiagnosticKind::InvalidUtf8);
    CHECK(d.range.begin == 19);
    CHECK(d.message == "this file is not valid UTF-8 text (byte 0xff)");
    CHECK(p->module.lets.empty());
  }
  SUBCASE("binary garbage with NUL bytes") {
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919 + 13) % 256);
    auto p = parseText(garbage);
    CHECK(p->count(DiagnosticKind::InvalidUtf8) == 1);
    auto q = parseText(std::string("neuron A {}\0\0", 13));
    REQUIRE(q->count(DiagnosticKind::InvalidUtf8) == 1);
    CHECK(q->first(DiagnosticKind::InvalidUtf8)->range.begin == 11);
  }
  SUBCASE("printable garbage gives diagnostics, never a crash") {
    std::string garbage;
    unsigned state = 12345;
    const std::string alphabet = "(){}[]+-*/^=<>!.,:;\"ab1 \n#neuron experiment if else on";
    for (int i = 0; i < 20000; ++i) {
      state = state * 1103515245 + 12345;
      garbage += alphabet[(state >> 16) % alphabet.size()];
    }
    auto p = parseText(garbage);
    CHECK(p->diags.hasErrors());
  }
  SUBCASE("an empty file is a module with no declarations, and a warning") {
    auto p = parseText("");
    CHECK_FALSE(p->diags.hasErrors());
    REQUIRE(p->diags.all().size() == 1);
    CHECK(p->diags.all()[0].kind == DiagnosticKind::EmptyFile);
    CHECK(p->diags.all()[0].severity == Severity::Warning);
    CHECK(p->module.file == p->file);
    CHECK(p->module.models.empty());
    auto q = parseText("  // only a comment\n\n");
    CHECK(q->count(DiagnosticKind::EmptyFile) == 1);
    auto r = parseText("import \"x.snn\"\n");
    CHECK(r->diags.all().empty());
  }
}

TEST_CASE("deep nesting gives a diagnostic, not a stack overflow") {
  SUBCASE("10,000 nested parentheses") {
    auto p = parseText("let x = " + repeat("(", 10000) + "1" + repeat(")", 10000) + "\n");
    const Diagnostic* d = p->first(DiagnosticKind::NestingTooDeep);
    REQUIRE(d);
    CHECK(d->range.begin == 8 + 256);  // the 257th `(`
    CHECK(d->message == "expression nested too deeply (more than 256 levels)");
  }
  SUBCASE("100,000 unary minuses") {
    auto p = parseText("let x = " + repeat("- ", 100000) + "1\n");
    CHECK(p->count(DiagnosticKind::NestingTooDeep) == 1);
  }
  SUBCASE("100,000 `not`s and a 100,000-long `**` chain") {
    auto p = parseText("let x = " + repeat("not ", 100000) + "a\n");
    CHECK(p->count(DiagnosticKind::NestingTooDeep) == 1);
    auto q = parseText("let x = a" + repeat(" ** -10 ms", 100000) + "\n");
    CHECK(q->count(DiagnosticKind::NestingTooDeep) == 1);
  }
  SUBCASE("a 100,000-term sum and a 100,000-member chain") {
    auto p = parseText("let x = a" + repeat(" + a", 100000) + "\n");
    const Diagnostic* d = p->first(DiagnosticKind::NestingTooDeep);
    REQUIRE(d);
    CHECK(d->message == "expression nested too deeply (more than 2000 levels)");
    CHECK(p->text(d->range) == "+");
    CHECK(p->module.lets.empty());
    auto q = parseText("let x = a" + repeat(".b", 100000) + "\n");
    CHECK(q->count(DiagnosticKind::NestingTooDeep) == 1);
  }
  SUBCASE("10,000 nested blocks and a 100,000-long else-if chain") {
    auto p = parseText("neuron A { reset " + repeat("{ if x ", 10000) + "{}" + repeat("}", 10000) +
                       " }");
    CHECK(p->count(DiagnosticKind::NestingTooDeep) == 1);
    auto q = parseText("neuron A { reset { if a {}" + repeat(" else if a {}", 100000) + " } }");
    CHECK(q->count(DiagnosticKind::NestingTooDeep) == 1);
  }
  SUBCASE("deep nesting inside a print format string") {
    auto p = parseText("experiment E { print \"{" + repeat("(", 5000) + "x" + repeat(")", 5000) +
                       "}\" }");
    CHECK(p->count(DiagnosticKind::NestingTooDeep) == 1);
  }
  SUBCASE("just under the limits parses, prints and dumps") {
    auto p = parseText("let x = " + repeat("(", 250) + "1" + repeat(")", 250) + "\nlet y = a" +
                       repeat(" + a", 1990) + "\nlet z = " + repeat("-", 200) + "a\n");
    INFO(p->all());
    REQUIRE(p->diags.all().empty());
    CHECK(ast::printModule(p->module).size() > 2000);
    CHECK(ast::dumpTree(p->module).size() > 2000);
  }
}

}  // namespace
}  // namespace snn
