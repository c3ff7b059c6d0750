// The pieces sema is built from: edit distance and suggestions, exact rational folding of
// exponents, constant evaluation, the builtin table, the dependency order.
#include <doctest/doctest.h>

#include "compiler/parse/parser.h"
#include "compiler/sema/builtins.h"
#include "compiler/sema/const_eval.h"
#include "compiler/sema/dependency.h"
#include "compiler/sema/suggest.h"

namespace snn {
namespace {

using units::Rational;

ast::ExprPtr parseExpr(const std::string& text) {
  static SourceManager sources;  // expressions keep ranges into it
  Diagnostics diags;
  FileId file = sources.addBuffer("expr.snn", text);
  auto e = parse::parseExpression(sources, file, diags);
  REQUIRE_FALSE(diags.hasErrors());
  REQUIRE(e != nullptr);
  return e;
}

TEST_CASE("edit distance counts a case change as half an edit") {
  CHECK(sema::editDistance2("tau", "tau") == 0);
  CHECK(sema::editDistance2("tau", "tua") == 2);  // one swap
  CHECK(sema::editDistance2("v_rest", "V_rest") == 1);
  CHECK(sema::editDistance2("V_rst", "V_rest") == 2);
  CHECK(sema::editDistance2("", "abc") == 6);
}

TEST_CASE("suggestions: close names, best first, at most three") {
  std::vector<std::string> names = {"V_rest", "V_reset", "V_th", "tau", "tau_syn"};
  auto s = sema::suggestNames("V_rset", names);
  REQUIRE_FALSE(s.empty());
  CHECK(s.front() == "V_rest");
  CHECK(sema::suggestNames("completely_different", names).empty());
  // The name itself is never suggested.
  for (const auto& x : sema::suggestNames("tau", names)) CHECK(x != "tau");
  std::vector<std::string> many = {"ab1", "ab2", "ab3", "ab4"};
  CHECK(sema::suggestNames("ab", many).size() == 3);
  CHECK(sema::didYouMean({}).empty());
  CHECK(sema::didYouMean({"a"}) == "did you mean `a`?");
  CHECK(sema::didYouMean({"a", "b", "c"}) == "did you mean `a`, `b` or `c`?");
}

TEST_CASE("numbers as written become exact rationals") {
  CHECK(sema::parseRational("0.5") == Rational(1, 2));
  CHECK(sema::parseRational("2") == Rational(2));
  CHECK(sema::parseRational("1e-3") == Rational(1, 1000));
  CHECK(sema::parseRational("1.25E2") == Rational(125));
  CHECK(sema::parseRational(".5") == Rational(1, 2));
  CHECK_FALSE(sema::parseRational("1e400").has_value());
  CHECK_FALSE(sema::parseRational("abc").has_value());
}

TEST_CASE("exponents fold exactly; anything but numbers and + - * / does not fold") {
  CHECK(sema::foldRational(*parseExpr("1/3")) == Rational(1, 3));
  CHECK(sema::foldRational(*parseExpr("-(2 - 1/2) * 2")) == Rational(-3));
  CHECK_FALSE(sema::foldRational(*parseExpr("n + 1")).has_value());
  CHECK_FALSE(sema::foldRational(*parseExpr("2 ms")).has_value());
  CHECK_FALSE(sema::foldRational(*parseExpr("1/0")).has_value());
}

TEST_CASE("constant evaluation gives SI values, elementwise on lists") {
  sema::ExprTables tables;
  auto v = sema::evaluateConstant(*parseExpr("2 * 3 ms + 4 ms"), tables);
  REQUIRE(v.has_value());
  CHECK(v->value() == doctest::Approx(0.01));
  auto list = sema::evaluateConstant(*parseExpr("[1, 2, 3] * 2 + 1"), tables);
  REQUIRE(list.has_value());
  CHECK(list->is_list);
  CHECK(list->values == std::vector<double>{3, 5, 7});
  auto unit = sema::evaluateConstant(*parseExpr("1 uF/cm^2"), tables);
  REQUIRE(unit.has_value());
  CHECK(unit->value() == doctest::Approx(0.01));
  // Names need a resolution: without one the value is unknown.
  CHECK_FALSE(sema::evaluateConstant(*parseExpr("tau * 2"), tables).has_value());
}

TEST_CASE("the builtin table: lookups, overloads, reserved names, methods") {
  REQUIRE(sema::findBuiltinVariable("t") != nullptr);
  CHECK(sema::findBuiltinVariable("t")->value == sema::ValueRule::Time);
  CHECK(sema::findBuiltinVariable("nope") == nullptr);
  auto mins = sema::findBuiltinFunctions("min");
  REQUIRE(mins.size() == 2);
  CHECK(mins[0]->min_args != mins[1]->min_args);
  CHECK(sema::isNoiseName("xi"));
  CHECK(sema::isNoiseName("xi_2"));
  CHECK_FALSE(sema::isNoiseName("xi_"));
  CHECK_FALSE(sema::isNoiseName("xix"));
  CHECK(sema::isReservedName("exp"));
  CHECK(sema::isReservedName("N"));
  CHECK(sema::isReservedName("post"));
  CHECK_FALSE(sema::isReservedName("rate"));  // an experiment function, free as a variable name
  CHECK_FALSE(sema::isReservedName("mean"));
  CHECK(sema::integrationMethods().size() == 7);
  for (const auto& f : sema::builtinFunctions()) {
    CHECK_FALSE(f.signature.empty());
    CHECK_FALSE(f.doc.empty());
  }
}

TEST_CASE("dependency order: uses after definitions, one report per cycle") {
  Diagnostics diags;
  sema::Reporter reporter(diags);
  sema::DependencyGraph g;
  g.addNode("a");
  g.addNode("b");
  g.addNode("c");
  g.addNode("d");
  g.addEdge(0, 1, SourceRange{0, 1, 2});  // a uses b
  g.addEdge(1, 2, SourceRange{0, 3, 4});  // b uses c
  g.addEdge(3, 3, SourceRange{0, 5, 6});  // d uses itself
  std::vector<bool> on_cycle;
  auto order = g.order(reporter, on_cycle);
  REQUIRE(order.size() == 4);
  CHECK(order[0] == 2);
  CHECK(order[1] == 1);
  CHECK(order[2] == 0);
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all()[0].message == "`d` is defined in terms of itself: d -> d");
  CHECK(on_cycle[3]);
  CHECK_FALSE(on_cycle[0]);
}

}  // namespace
}  // namespace snn
