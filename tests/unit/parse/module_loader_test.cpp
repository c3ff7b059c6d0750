// The import loader, on files written to a fresh temporary directory.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "compiler/parse/module_loader.h"

namespace snn {
namespace {

namespace fs = std::filesystem;

// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = fs::temp_directory_path() / ("snn_loader_test_" + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& relative, const std::string& text) const {
    fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file;
  }

 private:
  fs::path path_;
};

std::string modelNames(const parse::Program& program) {
  std::string out;
  for (const auto& m : program.modules) {
    for (const auto& model : m.models) out += model.name + " ";
  }
  return out;
}

TEST_CASE("imports load in dependency order, each file once (diamond)") {
  TempDir dir;
  dir.write("d.snn", "neuron D {}\n");
  dir.write("b.snn", "import \"d.snn\"\nneuron B {}\n");
  dir.write("sub/c.snn", "import \"../d.snn\"\nneuron C {}\n");
  fs::path root = dir.write("a.snn", "import \"b.snn\"\nimport \"sub/c.snn\"\nneuron A {}\n");
  SourceManager sources;
  Diagnostics diags;
  parse::Program program = parse::loadProgram(sources, root, dir.path() / "stdlib", diags);
  CHECK(diags.all().empty());
  CHECK(modelNames(program) == "D B C A ");
}

TEST_CASE("imports fall back to the standard library directory") {
  TempDir dir;
  dir.write("lib/neurons.snn", "neuron LIF {}\n");
  dir.write("lib/synapses.snn", "synapse Exp {}\n");
  fs::path root = dir.write(
      "model/main.snn", "import \"stdlib/neurons.snn\"\nimport \"synapses.snn\"\nneuron Mine {}\n");
  SourceManager sources;
  Diagnostics diags;
  parse::Program program = parse::loadProgram(sources, root, dir.path() / "lib", diags);
  CHECK(diags.all().empty());
  CHECK(modelNames(program) == "LIF Exp Mine ");
}

TEST_CASE("a missing import is reported at its string") {
  TempDir dir;
  fs::path root = dir.write("a.snn", "import \"nowhere.snn\"\nneuron A {}\n");
  SourceManager sources;
  Diagnostics diags;
  parse::Program program = parse::loadProgram(sources, root, dir.path(), diags);
  REQUIRE(diags.errorCount() == 1);
  const Diagnostic& d = diags.all()[0];
  CHECK(d.kind == DiagnosticKind::ImportNotFound);
  CHECK(d.message == "cannot find imported file `nowhere.snn`");
  CHECK(d.range.begin == 7);
  CHECK(d.range.end == 20);
  REQUIRE(program.modules.size() == 1);
  CHECK(program.modules[0].models.size() == 1);
}

TEST_CASE("an import cycle is reported with its chain at the import that closes it") {
  TempDir dir;
  dir.write("b.snn", "import \"c.snn\"\nneuron B {}\n");
  dir.write("c.snn", "neuron C {}\nimport \"a.snn\"\n");
  fs::path root = dir.write("a.snn", "import \"b.snn\"\nneuron A {}\n");
  SourceManager sources;
  Diagnostics diags;
  parse::Program program = parse::loadProgram(sources, root, dir.path(), diags);
  bool found = false;
  for (const auto& d : diags.all()) {
    if (d.kind != DiagnosticKind::ImportCycle) continue;
    found = true;
    CHECK(d.message == "import cycle: a.snn -> b.snn -> c.snn -> a.snn");
    CHECK(sources.file(d.range.file).path().ends_with("c.snn"));
  }
  CHECK(found);
  CHECK(program.modules.size() == 3);  // every file once, no endless loop
}

TEST_CASE("a file importing itself is a cycle") {
  TempDir dir;
  fs::path root = dir.write("self.snn", "import \"self.snn\"\n");
  SourceManager sources;
  Diagnostics diags;
  parse::loadProgram(sources, root, dir.path(), diags);
  REQUIRE(diags.errorCount() == 1);
  CHECK(diags.all()[0].message == "import cycle: self.snn -> self.snn");
}

TEST_CASE("importing a directory is reported as not readable, with the path as written") {
  TempDir dir;
  dir.write("inputs/x.snn", "neuron X {}\n");
  fs::path root = dir.write("a.snn", "import \"inputs\"\nneuron A {}\n");
  SourceManager sources;
  Diagnostics diags;
  parse::loadProgram(sources, root, dir.path(), diags);
  REQUIRE(diags.errorCount() == 1);
  CHECK(diags.all()[0].kind == DiagnosticKind::FileNotReadable);
  CHECK(diags.all()[0].message == "cannot read `inputs`: is a directory");
}

TEST_CASE("a cycle entered from outside names files relative to the root, or by file name") {
  TempDir dir;
  dir.write("lib/x.snn", "import \"y.snn\"\n");
  dir.write("lib/y.snn", "import \"x.snn\"\n");
  fs::path root = dir.write("main/a.snn", "import \"../lib/x.snn\"\nneuron A {}\n");
  SourceManager sources;
  Diagnostics diags;
  parse::loadProgram(sources, root, dir.path(), diags);
  REQUIRE(diags.errorCount() == 1);
  CHECK(diags.all()[0].message == "import cycle: x.snn -> y.snn -> x.snn");
}

TEST_CASE("an unreadable root file is reported without a location") {
  TempDir dir;
  SourceManager sources;
  Diagnostics diags;
  parse::Program program =
      parse::loadProgram(sources, dir.path() / "missing.snn", dir.path(), diags);
  REQUIRE(diags.errorCount() == 1);
  CHECK(diags.all()[0].kind == DiagnosticKind::FileNotReadable);
  CHECK_FALSE(diags.all()[0].range.valid());
  CHECK(program.modules.empty());
}

TEST_CASE("errors in an imported file are reported and loading goes on") {
  TempDir dir;
  dir.write("bad.snn", "neuron B { threshold }\n");
  fs::path root = dir.write("a.snn", "import \"bad.snn\"\nneuron A {}\n");
  SourceManager sources;
  Diagnostics diags;
  parse::Program program = parse::loadProgram(sources, root, dir.path(), diags);
  REQUIRE(diags.errorCount() == 1);
  CHECK(sources.file(diags.all()[0].range.file).path().ends_with("bad.snn"));
  CHECK(modelNames(program) == "A ");
}

}  // namespace
}  // namespace snn
