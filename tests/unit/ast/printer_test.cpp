// The printer: expressions print with the parentheses precedence needs and no others, and
// parse -> print -> parse gives the same tree (compared through the tree dump) for every .snn
// file of the project and for snippets that cover the whole grammar.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/ast/printer.h"
#include "compiler/ast/tree_dump.h"
#include "tests/unit/parse/parse_helpers.h"

namespace snn {
namespace {

using testing::parseText;

std::string reprintExpr(const std::string& source) {
  auto p = parseText("let x = " + source + "\n");
  INFO(p->all());
  REQUIRE(p->diags.all().empty());
  return ast::printExpr(*p->module.lets.at(0).value);
}

TEST_CASE("expressions print with only the parentheses that precedence needs") {
  CHECK(reprintExpr("a + b * c") == "a + b * c");
  CHECK(reprintExpr("(a + b) * c") == "(a + b) * c");
  CHECK(reprintExpr("a - (b - c)") == "a - (b - c)");
  CHECK(reprintExpr("(a - b) - c") == "a - b - c");
  CHECK(reprintExpr("((a))") == "a");
  CHECK(reprintExpr("-x ** 2") == "-x ** 2");
  CHECK(reprintExpr("(-x) ** 2") == "(-x) ** 2");
  CHECK(reprintExpr("a ** b ** c") == "a ** b ** c");
  CHECK(reprintExpr("(a ** b) ** c") == "(a ** b) ** c");
  CHECK(reprintExpr("a ^ -b") == "a ** -b");
  CHECK(reprintExpr("- -a") == "- -a");
  CHECK(reprintExpr("-(a * b)") == "-(a * b)");
  CHECK(reprintExpr("not a and not (b or c)") == "not a and not (b or c)");
  CHECK(reprintExpr("(not a) == b") == "(not a) == b");
  CHECK(reprintExpr("(a < b) == (c < d)") == "(a < b) == (c < d)");
  CHECK(reprintExpr("a or b and c") == "a or b and c");
  CHECK(reprintExpr("(a or b) and c") == "(a or b) and c");
  CHECK(reprintExpr("(a + b).x[0:2]") == "(a + b).x[0:2]");
  CHECK(reprintExpr("f(a, b = 2, c = [1, 2])[:3]") == "f(a, b = 2, c = [1, 2])[:3]");
  CHECK(reprintExpr("\"a\\\"b\\\\c\\n\"") == "\"a\\\"b\\\\c\\n\"");
}

TEST_CASE("quantities keep their units apart from the operators around them") {
  CHECK(reprintExpr("10 mV / tau") == "10 mV / tau");
  CHECK(reprintExpr("1 uF/cm^2") == "1 uF/cm^2");
  CHECK(reprintExpr("120 msiemens/cm**2") == "120 msiemens/cm^2");
  CHECK(reprintExpr("(10 mV) / ms") == "(10 mV) / ms");
  CHECK(reprintExpr("a * (10 mV) * ms") == "(a * 10 mV) * ms");
  CHECK(reprintExpr("(-10 mV) * ms") == "(-10 mV) * ms");
  CHECK(reprintExpr("(10 ms) ** 2") == "(10 ms) ** 2");
  CHECK(reprintExpr("10 ms**2") == "10 ms^2");
  CHECK(reprintExpr("3 metre^(1/2) / s^(3/2)") == "3 metre^(1/2)/s^(3/2)");
  CHECK(reprintExpr("3 metre^(1/2) / s^(-3/2)") == "3 metre^(1/2)*s^(3/2)");
  CHECK(reprintExpr("(10 mV) * ms(3)") == "(10 mV) * ms(3)");
  CHECK(reprintExpr("10 mV * tau") == "10 mV * tau");
}

TEST_CASE("a tree with missing children (built after errors) prints without crashing") {
  ast::BinaryExpr sum(SourceRange{});
  sum.op = ast::BinaryOp::Add;
  auto lhs = std::make_unique<ast::NameExpr>(SourceRange{});
  lhs->name = "a";
  sum.lhs = std::move(lhs);
  CHECK(ast::printExpr(sum) == "a + ?");
  ast::Module module;
  module.lets.push_back(ast::LetDecl{"x", {}, nullptr, {}});
  CHECK(ast::printModule(module) == "let x = ?\n");
}

TEST_CASE("printUnit joins factors so that they parse back the same") {
  ast::UnitExpr unit;
  unit.factors = {
      {"metre", -2, 1, {}}, {"siemens", 1, 1, {}}, {"second", -1, 2, {}}, {"1", 1, 1, {}}};
  CHECK(ast::printUnit(unit) == "metre^-2*siemens/second^(1/2)*1");
}

// Parses, prints, parses the print, and requires the same dump (and a clean second parse).
void checkRoundTrip(const std::string& name, const std::string& source) {
  CAPTURE(name);
  auto first = parseText(source, name);
  if (first->diags.hasErrors()) return;  // only files that parse are compared
  std::string printed = ast::printModule(first->module);
  CAPTURE(printed);
  auto second = parseText(printed, name + " (printed)");
  INFO(second->all());
  REQUIRE_FALSE(second->diags.hasErrors());
  CHECK(ast::dumpTree(first->module) == ast::dumpTree(second->module));
  // Printing is idempotent: the canonical layout of a canonical file is itself.
  CHECK(ast::printModule(second->module) == printed);
}

const char* const kSnippets[] = {
    R"(import "stdlib/neurons.snn"
import "lib/synapses.snn";
let stim = timed([0, 1, 0] * nA, dt = 100 ms)
let k = 3
neuron HH {
    parameters { area = 20000 umetre**2; Cm = 1 uF/cm**2 * area; gl = 5e-5 siemens/cm**2 * area
                 El : volt = -65 mV; g_na : siemens = (100 msiemens/cm^2) * area }
    state { v : volt = El; m : 1 = 0.05; h : 1 ; n : 1 = 0.3 }
    equations {
        dv/dt = (gl * (El - v) - g_na * m**3 * h * (v - ENa) + I) / Cm : volt
        dm/dt = alpham * (1 - m) - betam * m : 1
        alpham = 0.32 * (mV**-1) * 4 * mV / exprel((13 * mV - v + VT) / (4 * mV)) / ms : Hz
        I = stim(t) : amp
    }
    threshold v > -20 mV
    refractory v > -20 mV
    method exponential_euler
}
)",
    R"(synapse STDP {
    parameters { taupre = 20 ms; taupost = taupre; wmax = 0.01; Apre = 0.01 }
    state { w : 1; apre : 1; apost : 1 }
    equations {
        dapre/dt = -apre / taupre : 1 (event-driven)
        dapost/dt = -apost / taupost : 1 (clock-driven)
        post.g = w * (E - post.v) : amp (summed)
    }
    on pre { post.ge += w; apre += Apre; w = clip(w + apost, 0, wmax) }
    on post {
        if w > 0.5 and not (apre < 0) { w -= 1 } else if apre == 0 { w = 0 } else if x { } else { w *= 2 }
        apost /= 2
    }
    delay 0 ms
}
)",
    R"(experiment all_statements {
    dt = 0.01 ms; seed = 1
    population P = poisson[1000](rate = 15 Hz)
    population S = spikes[3](indices = [0, 1, 2], times = [1, 2, 3,] * ms) {}
    population N = LIF[4 * 25]() { V = V_rest + rand() * (V_th - V_rest); I = i * 0.1 nA + N }
    connect C = P -> N using STDP(wmax = 0.01, Apre = 1e-3) { p = 0.1 if i != j and j > 2; w = rand() * wmax }
    connect N -> N { one_to_one }
    connect P -> N { all; delay = 1 ms }
    connect N -> N { condition = abs(i - j) < 3; on post { w += 1 } }
    connect N -> N {}
    connect N -> N using Exc
    record spikes(N), rate(N), N.V[0:10] every 0.1 ms, C.w[:20], N.V[5:], N.V[:]
    run 100 ms
    at 150 ms { N.I = 2.5 nA; N.I[0:3] += 1 nA }
    N.I = 0 nA
    let r = mean_rate(N)
    poisson_input(target = N.I_syn, n = 1000, rate = 5 Hz, weight = 0.1 mV)
    run 1 second
    print "rate {r:.2f} Hz, cv {cv(N):>8.3e}; {{braces}} \"quoted\"\t{N.V[0:2]}"
    plot psd(rate(N)) to "psd.svg"
    plot histogram(C.w)
    plot raster(N, P) to ""
}
)",
    "neuron Weird {\n  equations { dx/dt = -x/tau (unless refractory)\n y = (x) (summed) }\n"
    "  reset {}\n  threshold not not x == 1 or -(-x) ** -(2) > 3 % 2\n}\n",
    "let a = 2 ^ 3 ^ 4\nlet b = (2 ^ 3) ^ 4\nlet c = -2 ** -2\nlet d = [[1, 2], [], [3]]\n"
    "let e = f()[0].g.h[1:][:2]\nlet f = .5e-3 + 1. + 1e3 + 0.000\nlet g = +x - +y\n",
    "let tricky = 10 mV * (20 ms)\nlet t2 = (10 mV) * ms / (2 ms)\nlet t3 = 1 ms * ms\n"
    "let t4 = (1 ms) ** 2 ** 2\nlet t5 = -(5 mV) / mV\nlet t6 = x * 3 ms / ms\n",
    "// comments only, and a file-wide let\n/* block */ let only = 1 # hash comment\n",
    "let u = \"\xC2\xB5 \xCE\xBC and \\\\ \\\" \\t\"\nlet micro = 3 \xC2\xB5s + 2 \xCE\xBCV\n",
    "neuron A { method euler }\nneuron B {}\nsynapse S {}\nexperiment E {}\nexperiment F { run 1 "
    "ms }\n",
    "experiment E { print \"{a:<10}{b:^+#010.3f}{c:g}{d:E}{e:*>5}{{}}\"; print \"\"; print "
    "\"plain\" }\n",
    "neuron N { state { x : (volt/second)^2 * metre^(1/2) / amp^(-3/2) * 1 } }\n",
    "experiment E { if_ = 1; else_ = 2; on_ = 3; x = onset + pre.post }\n",
};

TEST_CASE("round trip: snippets covering the grammar") {
  int index = 0;
  for (const char* snippet : kSnippets) {
    auto p = parseText(snippet);
    INFO(snippet);
    INFO(p->all());
    CHECK_FALSE(p->diags.hasErrors());  // the snippets themselves must be valid
    checkRoundTrip("snippet " + std::to_string(index++), snippet);
  }
}

TEST_CASE("round trip: every .snn file of the project") {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const char* dir : {"examples", "stdlib", "tests"}) {
    fs::path root = fs::path(SNN_SOURCE_DIR) / dir;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec) && it->path().extension() == ".snn") files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  MESSAGE(files.size() << " .snn files found");
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    checkRoundTrip(file.string(), text.str());
  }
}

}  // namespace
}  // namespace snn
