// AtomicFile: the target appears only on commit, abandoned writes leave nothing behind, patches
// land where asked, and errors name the path and the system's reason.
#include "vm/output/atomic_file.h"

#include <cerrno>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>

#include "tests/unit/vm/output/scratch_dir.h"

using snn::output::AtomicFile;
using snn::output::OutputError;
namespace fs = std::filesystem;

TEST_CASE("atomic file: commit renames the temporary over the target") {
  snn::test::ScratchDir dir("atomic-commit");
  const fs::path target = dir.path() / "out.txt";
  {
    AtomicFile file(target);
    CHECK(file.temporaryPath() == fs::path(target.string() + ".tmp-" + std::to_string(::getpid())));
    file.write(std::string_view("hello "));
    file.write(std::string_view("world"));
    CHECK(fs::exists(file.temporaryPath()));
    CHECK_FALSE(fs::exists(target));
    file.commit();
    CHECK(file.committed());
    CHECK_FALSE(fs::exists(file.temporaryPath()));
  }
  CHECK(snn::test::readFile(target) == "hello world");
}

TEST_CASE("atomic file: without commit the old content stays and the temporary is removed") {
  snn::test::ScratchDir dir("atomic-abandon");
  const fs::path target = dir.path() / "out.txt";
  { std::ofstream(target) << "old"; }
  fs::path temporary;
  {
    AtomicFile file(target);
    temporary = file.temporaryPath();
    file.write(std::string_view("new content that is never committed"));
    CHECK(snn::test::readFile(target) == "old");
  }
  CHECK(snn::test::readFile(target) == "old");
  CHECK_FALSE(fs::exists(temporary));
  // And a committed replacement replaces it.
  AtomicFile file(target);
  file.write(std::string_view("new"));
  file.commit();
  CHECK(snn::test::readFile(target) == "new");
}

TEST_CASE("atomic file: large writes, patches, moves, writes after commit") {
  snn::test::ScratchDir dir("atomic-large");
  const fs::path target = dir.path() / "big.bin";
  std::string big(200000, 'x');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  AtomicFile first(target);
  first.write(std::string_view(big).substr(0, 1000));  // buffered
  first.write(std::string_view(big).substr(1000));     // larger than the buffer
  CHECK(first.size() == big.size());
  first.writeAt(5, "PATCH", 5);
  big.replace(5, 5, "PATCH");
  first.writeAt(150000, "ZZ", 2);
  big.replace(150000, 2, "ZZ");
  CHECK_THROWS_AS(first.writeAt(big.size() - 1, "AB", 2), std::out_of_range);
  AtomicFile moved(std::move(first));
  moved.commit();
  CHECK(snn::test::readFile(target) == big);
  CHECK_THROWS_AS(moved.write(std::string_view("more")), OutputError);
  CHECK_THROWS_AS(moved.commit(), OutputError);

  // Move-assigning over an uncommitted file abandons it: its temporary goes away.
  AtomicFile abandoned(dir.path() / "abandoned.txt");
  abandoned.write(std::string_view("lost"));
  fs::path abandoned_temporary = abandoned.temporaryPath();
  abandoned = AtomicFile(dir.path() / "kept.txt");
  CHECK_FALSE(fs::exists(abandoned_temporary));
  abandoned.write(std::string_view("kept"));
  abandoned.commit();
  CHECK(snn::test::readFile(dir.path() / "kept.txt") == "kept");
  CHECK_FALSE(fs::exists(dir.path() / "abandoned.txt"));
}

TEST_CASE("atomic file: errors carry the path and strerror's text") {
  snn::test::ScratchDir dir("atomic-errors");
  const fs::path target = dir.path() / "missing-dir" / "out.npy";
  try {
    AtomicFile file(target);
    FAIL("no exception");
  } catch (const OutputError& error) {
    std::string what = error.what();
    CHECK(what.find((dir.path() / "missing-dir" / "out.npy.tmp-").string()) != std::string::npos);
    CHECK(what.find("No such file or directory") != std::string::npos);
    CHECK(error.errorNumber() == ENOENT);
  }
  // Renaming over a directory fails at commit; the temporary is cleaned up.
  const fs::path directory_target = dir.path() / "a-directory";
  fs::create_directory(directory_target);
  fs::create_directory(directory_target / "child");  // a non-empty directory cannot be replaced
  fs::path temporary;
  {
    AtomicFile file(directory_target);
    temporary = file.temporaryPath();
    file.write(std::string_view("x"));
    try {
      file.commit();
      FAIL("no exception");
    } catch (const OutputError& error) {
      CHECK(std::string(error.what()).find(directory_target.string()) != std::string::npos);
      CHECK(error.errorNumber() != 0);
    }
  }
  CHECK_FALSE(fs::exists(temporary));
  CHECK(fs::is_directory(directory_target));
}
