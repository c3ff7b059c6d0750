// NPY files read back by a parser written here from the format description (not from the
// writer): magic, version, header length, the dict's fields, 64-byte alignment, and the data.
#include "vm/output/npy_writer.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/unit/vm/output/scratch_dir.h"

using namespace snn::output;
namespace fs = std::filesystem;

namespace {

struct ParsedNpy {
  int major = 0;
  std::string descr;
  std::string fortran_order;
  std::vector<std::uint64_t> shape;
  std::size_t data_offset = 0;
  std::string data;
};

ParsedNpy parseNpy(const std::string& bytes) {
  ParsedNpy out;
  REQUIRE(bytes.size() >= 10);
  REQUIRE(bytes.substr(0, 6) == std::string("\x93NUMPY"));
  out.major = static_cast<unsigned char>(bytes[6]);
  REQUIRE(bytes[7] == 0);
  std::size_t header_length = 0, prefix = 0;
  if (out.major == 1) {
    header_length = static_cast<unsigned char>(bytes[8]) |
                    static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8;
    prefix = 10;
  } else {
    REQUIRE(out.major == 2);
    for (int i = 0; i < 4; ++i)
      header_length |= static_cast<std::size_t>(static_cast<unsigned char>(bytes[8 + i]))
                       << (8 * i);
    prefix = 12;
  }
  out.data_offset = prefix + header_length;
  REQUIRE(bytes.size() >= out.data_offset);
  std::string dict = bytes.substr(prefix, header_length);
  REQUIRE(dict.back() == '\n');
  std::smatch m;
  REQUIRE(std::regex_match(
      dict, m,
      std::regex(
          R"(\{'descr': '([^']*)', 'fortran_order': (True|False), 'shape': \(([0-9, ]*)\), \} *\n)")));
  out.descr = m[1];
  out.fortran_order = m[2];
  std::string shape = m[3];
  std::regex number("[0-9]+");
  for (auto it = std::sregex_iterator(shape.begin(), shape.end(), number);
       it != std::sregex_iterator(); ++it)
    out.shape.push_back(std::stoull(it->str()));
  // A 1-D shape is written "(n,)", a 2-D one "(r, c)".
  if (out.shape.size() == 1) CHECK(shape.back() == ',');
  out.data = bytes.substr(out.data_offset);
  return out;
}

template <typename T>
std::vector<T> values(const ParsedNpy& npy) {
  REQUIRE(npy.data.size() % sizeof(T) == 0);
  std::vector<T> out(npy.data.size() / sizeof(T));
  std::memcpy(out.data(), npy.data.data(), npy.data.size());
  return out;
}

}  // namespace

TEST_CASE("npy header: byte for byte what numpy.save writes") {
  // np.save(f, np.zeros(3)) and np.save(f, np.zeros((2, 5), dtype='<i4')) start like this.
  const std::uint64_t shape1[] = {3};
  std::string expected1 = std::string("\x93NUMPY\x01\x00v\x00", 10) +
                          "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }";
  expected1.append(127 - expected1.size(), ' ');
  expected1 += '\n';
  CHECK(npyHeader(NpyDtype::kFloat64, shape1) == expected1);
  const std::uint64_t shape2[] = {2, 5};
  std::string expected2 = std::string("\x93NUMPY\x01\x00v\x00", 10) +
                          "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 5), }";
  expected2.append(127 - expected2.size(), ' ');
  expected2 += '\n';
  CHECK(npyHeader(NpyDtype::kInt32, shape2) == expected2);
  CHECK(npyHeader(NpyDtype::kInt32, shape2, 200).size() == 256);
}

TEST_CASE("npy: 1-D and 2-D arrays of every element type read back") {
  snn::test::ScratchDir dir("npy-arrays");
  const std::vector<double> doubles = {0.0, -1.5, 3.25e-300,
                                       std::numeric_limits<double>::infinity()};
  writeNpy<double>(dir.path() / "d.npy", doubles);
  ParsedNpy d = parseNpy(snn::test::readFile(dir.path() / "d.npy"));
  CHECK(d.major == 1);
  CHECK(d.descr == "<f8");
  CHECK(d.fortran_order == "False");
  CHECK(d.shape == std::vector<std::uint64_t>{4});
  CHECK(d.data_offset % 64 == 0);
  CHECK(values<double>(d) == doubles);

  const std::vector<std::int32_t> ints = {1, -2, 3, 4, 5, -2147483647 - 1};
  writeNpy<std::int32_t>(dir.path() / "i.npy", ints, 2, 3);
  ParsedNpy i = parseNpy(snn::test::readFile(dir.path() / "i.npy"));
  CHECK(i.descr == "<i4");
  CHECK(i.shape == std::vector<std::uint64_t>{2, 3});
  CHECK(values<std::int32_t>(i) == ints);

  const std::vector<std::int64_t> longs = {std::numeric_limits<std::int64_t>::min(), 0, 7};
  writeNpy<std::int64_t>(dir.path() / "l.npy", longs, 3, 1);
  ParsedNpy l = parseNpy(snn::test::readFile(dir.path() / "l.npy"));
  CHECK(l.descr == "<i8");
  CHECK(l.shape == std::vector<std::uint64_t>{3, 1});
  CHECK(values<std::int64_t>(l) == longs);

  const std::vector<std::uint32_t> unsigneds = {4294967295u, 0, 12};
  writeNpy<std::uint32_t>(dir.path() / "u.npy", unsigneds);
  ParsedNpy u = parseNpy(snn::test::readFile(dir.path() / "u.npy"));
  CHECK(u.descr == "<u4");
  CHECK(values<std::uint32_t>(u) == unsigneds);

  writeNpy<double>(dir.path() / "empty.npy", std::span<const double>(), 0, 4);
  ParsedNpy e = parseNpy(snn::test::readFile(dir.path() / "empty.npy"));
  CHECK(e.shape == std::vector<std::uint64_t>{0, 4});
  CHECK(e.data.empty());

  CHECK_THROWS_AS(writeNpy<double>(dir.path() / "bad.npy", doubles, 3, 2), std::invalid_argument);
  CHECK_FALSE(fs::exists(dir.path() / "bad.npy"));
}

TEST_CASE("npy streaming: rows appended over time, shape patched at the end") {
  snn::test::ScratchDir dir("npy-stream");
  const fs::path path = dir.path() / "trace.npy";
  {
    NpyStreamWriter writer = NpyStreamWriter::matrix(path, NpyDtype::kFloat64, 3);
    std::vector<double> expected;
    for (int step = 0; step < 5000; ++step) {
      std::vector<double> row = {step * 1.0, step * 0.5, -step * 0.25};
      writer.appendRow<double>(row);
      expected.insert(expected.end(), row.begin(), row.end());
    }
    std::vector<double> two_rows = {1, 2, 3, 4, 5, 6};
    writer.append<double>(two_rows);
    expected.insert(expected.end(), two_rows.begin(), two_rows.end());
    CHECK(writer.length() == 5002);
    CHECK_THROWS_AS(writer.append<double>(std::vector<double>{1, 2}), std::invalid_argument);
    CHECK_THROWS_AS(writer.appendRow<std::int32_t>(std::vector<std::int32_t>{1, 2, 3}),
                    std::invalid_argument);
    CHECK_FALSE(fs::exists(path));
    writer.finish();
    ParsedNpy npy = parseNpy(snn::test::readFile(path));
    CHECK(npy.shape == std::vector<std::uint64_t>{5002, 3});
    CHECK(npy.data_offset % 64 == 0);
    CHECK(values<double>(npy) == expected);
  }
  {
    const fs::path spikes = dir.path() / "spikes_i.npy";
    NpyStreamWriter writer = NpyStreamWriter::vector(spikes, NpyDtype::kInt32);
    std::vector<std::int32_t> expected;
    for (std::int32_t k = 0; k < 1000; ++k) {
      std::vector<std::int32_t> chunk(static_cast<std::size_t>(k % 7), k);
      writer.append<std::int32_t>(chunk);
      expected.insert(expected.end(), chunk.begin(), chunk.end());
    }
    CHECK_THROWS_AS(writer.appendRow<std::int32_t>(std::vector<std::int32_t>{1}),
                    std::invalid_argument);
    writer.finish();
    ParsedNpy npy = parseNpy(snn::test::readFile(spikes));
    CHECK(npy.shape == std::vector<std::uint64_t>{expected.size()});
    CHECK(values<std::int32_t>(npy) == expected);
  }
  {
    // Zero columns: rows still count.
    const fs::path nothing = dir.path() / "nothing.npy";
    NpyStreamWriter writer = NpyStreamWriter::matrix(nothing, NpyDtype::kFloat64, 0);
    for (int k = 0; k < 3; ++k) writer.appendRow<double>(std::span<const double>());
    writer.finish();
    CHECK(parseNpy(snn::test::readFile(nothing)).shape == std::vector<std::uint64_t>{3, 0});
  }
  {
    // Not finished: nothing is left behind.
    const fs::path abandoned = dir.path() / "abandoned.npy";
    {
      NpyStreamWriter writer = NpyStreamWriter::vector(abandoned, NpyDtype::kInt64);
      writer.append<std::int64_t>(std::vector<std::int64_t>{1, 2, 3});
    }
    CHECK_FALSE(fs::exists(abandoned));
    CHECK_FALSE(fs::exists(temporaryPathFor(abandoned)));
  }
}
