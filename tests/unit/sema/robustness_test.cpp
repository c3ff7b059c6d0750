// Sema must never crash and must point every diagnostic inside the file, whatever it is given.
// Mutants of the example programs (each line deleted, each word replaced by a stranger one)
// exercise the error paths that hand-written tests do not think of.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "tests/unit/sema/sema_helpers.h"

namespace snn {
namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Checks text if it parses; returns false when a diagnostic points outside the text.
bool checkSurvives(const std::string& text, std::string& problem) {
  SourceManager sources;
  Diagnostics parse_diags;
  FileId file = sources.addBuffer("mutant.snn", text);
  std::vector<ast::Module> modules;
  modules.push_back(parse::parseFile(sources, file, parse_diags));
  if (parse_diags.hasErrors()) return true;
  Diagnostics diags;
  (void)sema::check(std::span<const ast::Module>(modules), diags);
  for (const auto& d : diags.all()) {
    auto inside = [&](SourceRange r) {
      return !r.valid() || (r.file == file && r.begin <= r.end && r.end <= text.size());
    };
    if (!d.range.valid() || !inside(d.range)) {
      problem = std::string(diagnosticKindName(d.kind)) + ": " + d.message;
      return false;
    }
    for (const auto& n : d.notes) {
      if (!inside(n.range)) {
        problem = "note of " + std::string(diagnosticKindName(d.kind)) + ": " + n.message;
        return false;
      }
    }
  }
  return true;
}

TEST_CASE("mutants of the examples check without crashing, with every diagnostic in the file") {
  const std::string root = SNN_SOURCE_DIR;
  std::size_t mutants = 0;
  for (const char* name :
       {"/stdlib/neurons.snn", "/stdlib/synapses.snn", "/stdlib/plasticity.snn"}) {
    const std::string text = readFile(root + name);
    REQUIRE_FALSE(text.empty());
    std::vector<std::string> lines;
    std::stringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    // Each line deleted.
    for (std::size_t k = 0; k < lines.size(); ++k) {
      const auto first = lines[k].find_first_not_of(' ');
      if (first == std::string::npos || lines[k].compare(first, 2, "//") == 0)
        continue;  // changes nothing
      std::string mutant;
      for (std::size_t j = 0; j < lines.size(); ++j)
        if (j != k) mutant += lines[j] + "\n";
      std::string problem;
      CHECK_MESSAGE(checkSurvives(mutant, problem),
                    name << " without line " << k + 1 << ": " << problem);
      ++mutants;
    }
    // Each word replaced by names that mean other things (a unit, a builtin, a population).
    for (const char* stranger : {"mV", "t", "xi", "pre.V", "rand()", "(1 > 0)", "[1, 2]"}) {
      for (std::size_t at = 0; at < text.size(); ++at) {
        if (!std::isalpha(static_cast<unsigned char>(text[at])) ||
            (at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1]))))
          continue;
        std::size_t end = at;
        while (end < text.size() &&
               (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
          ++end;
        if (at % 61 != 0) continue;  // a sample: every word would take too long
        std::string mutant = text.substr(0, at) + stranger + text.substr(end);
        std::string problem;
        CHECK_MESSAGE(checkSurvives(mutant, problem),
                      name << " with `" << stranger << "` at byte " << at << ": " << problem);
        ++mutants;
      }
    }
  }
  CHECK(mutants > 200);
}

}  // namespace
}  // namespace snn
