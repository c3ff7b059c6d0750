// The tree dump (`snnc emit ast`): exact text for a small model, and every field shown.
#include <doctest/doctest.h>

#include "compiler/ast/tree_dump.h"
#include "tests/unit/parse/parse_helpers.h"

namespace snn {
namespace {

TEST_CASE("the dump of a small model is exact and leaves out ranges") {
  auto p = testing::parseText(
      "import \"x.snn\"\n"
      "neuron N {\n"
      "    parameters { tau : second = 10 ms }\n"
      "    state { V : volt }\n"
      "    equations { dV/dt = -V / tau : volt (unless refractory) }\n"
      "    threshold V > 1 mV\n"
      "    reset { V = 0 mV }\n"
      "}\n");
  REQUIRE(p->diags.all().empty());
  CHECK(ast::dumpTree(p->module) ==
        "Module\n"
        "  Import \"x.snn\"\n"
        "  Neuron N\n"
        "    Parameter tau\n"
        "      unit: [second^1]\n"
        "      value: Number 10 value=10 unit=[ms^1]\n"
        "    State V\n"
        "      unit: [volt^1]\n"
        "      init: none\n"
        "    Ode V\n"
        "      rhs: Binary /\n"
        "        lhs: Unary -\n"
        "          operand: Name V\n"
        "        rhs: Name tau\n"
        "      unit: [volt^1]\n"
        "      flags: [unless refractory]\n"
        "    threshold: Binary >\n"
        "      lhs: Name V\n"
        "      rhs: Number 1 value=1 unit=[mV^1]\n"
        "    reset (1)\n"
        "      Assign =\n"
        "        target V\n"
        "        value: Number 0 value=0 unit=[mV^1]\n"
        "    refractory: none\n"
        "    method: default\n"
        "    delay: none\n");
}

TEST_CASE("the dump tells apart trees that print alike in a sloppy dump") {
  // Each pair differs in exactly one field; the dumps must differ.
  const char* pairs[][2] = {
      {"let x = a - (b - c)", "let x = a - b - c"},
      {"let x = 1 uF/cm^2", "let x = 1 uF*cm^2"},
      {"let x = 1.0", "let x = 1"},
      {"experiment E { population P = L[1]() }", "experiment E { population P = L[1] }"},
      {"experiment E { population P = L[1] {} }", "experiment E { population P = L[1] }"},
      {"experiment E { connect A -> B {} }", "experiment E { connect A -> B }"},
      {"experiment E { print \"{x:.1f}\" }", "experiment E { print \"{x:.2f}\" }"},
      {"neuron N { reset {} }", "neuron N { }"},
      {"neuron N { state { x : 1 = 0 } }", "neuron N { state { x : 1 } }"},
      {"let x = a[1]", "let x = a[1:]"},
  };
  for (const auto& pair : pairs) {
    CAPTURE(pair[0]);
    auto a = testing::parseText(pair[0]);
    auto b = testing::parseText(pair[1]);
    REQUIRE_FALSE(a->diags.hasErrors());
    REQUIRE_FALSE(b->diags.hasErrors());
    CHECK(ast::dumpTree(a->module) != ast::dumpTree(b->module));
  }
}

}  // namespace
}  // namespace snn
