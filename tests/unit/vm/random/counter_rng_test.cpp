// Philox against Random123's published known answers, the documented counter layout, and the
// statistics of uniform and normal draws (distribution, independence, reproducibility).
#include "vm/random/counter_rng.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include <doctest/doctest.h>

#include "tests/unit/vm/statistics.h"

using namespace snn::random;

namespace {

constexpr std::size_t kSamples = 200000;

std::vector<double> uniforms(std::uint64_t seed, std::uint32_t stream, std::uint64_t step,
                             std::uint64_t draw, std::uint64_t first = 0) {
  std::vector<double> out(kSamples);
  uniformFill(seed, stream, step, draw, first, out);
  return out;
}

double standardNormalCdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

}  // namespace

TEST_CASE("philox4x32-10 reproduces Random123's known-answer vectors") {
  // kat_vectors from the Random123 distribution: counter, key, expected output.
  struct Kat {
    PhiloxCounter counter;
    PhiloxKey key;
    PhiloxBlock expected;
  };
  const Kat kats[] = {
      {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
       {0xffffffff, 0xffffffff},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
       {0xa4093822, 0x299f31d0},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const Kat& kat : kats) CHECK(philox4x32_10(kat.counter, kat.key) == kat.expected);
}

TEST_CASE("uniform draws follow the documented layout") {
  // Seed 0, stream 0, element 0, step 0, block 0 is the all-zero known answer.
  const std::uint64_t bits0 = ((std::uint64_t{0xe169c58d} << 32) | 0x6627e8d5) >> 11;
  const std::uint64_t bits1 = ((std::uint64_t{0x9b00dbd8} << 32) | 0xbc57ac4c) >> 11;
  CHECK(uniform(0, 0, 0, 0, 0) == static_cast<double>(bits0) * 0x1p-53);
  CHECK(uniform(0, 0, 0, 0, 1) == static_cast<double>(bits1) * 0x1p-53);
  CHECK(uniformOpenClosed(0, 0, 0, 0, 0) == static_cast<double>(bits0 + 1) * 0x1p-53);

  CHECK(philoxKey(0x0123456789abcdefull) == PhiloxKey{0x89abcdef, 0x01234567});
  const std::uint64_t element = (std::uint64_t{0x12} << 32) | 0xdeadbeef;
  const std::uint64_t step = (std::uint64_t{0x34} << 32) | 0x0badf00d;
  CHECK(philoxCounter(0x5678, element, step, 77) ==
        PhiloxCounter{0xdeadbeef, 0x0badf00d, 77, 0x34125678});

  // Draw 2k + s uses block k, slot s.
  PhiloxBlock block = randomBlock(42, 7, 1000, 5, 3);
  CHECK(uniform(42, 7, 1000, 5, 6) == static_cast<double>(blockBits53(block, 0)) * 0x1p-53);
  CHECK(uniform(42, 7, 1000, 5, 7) == static_cast<double>(blockBits53(block, 1)) * 0x1p-53);
}

TEST_CASE("every coordinate changes the value, including the high bits of element and step") {
  const double base = uniform(1, 1, 1, 1, 0);
  CHECK(uniform(2, 1, 1, 1, 0) != base);
  CHECK(uniform(1 + (std::uint64_t{1} << 32), 1, 1, 1, 0) != base);
  CHECK(uniform(1, 2, 1, 1, 0) != base);
  CHECK(uniform(1, 1, 2, 1, 0) != base);
  CHECK(uniform(1, 1, 1 + (std::uint64_t{1} << 32), 1, 0) != base);
  CHECK(uniform(1, 1, 1, 2, 0) != base);
  CHECK(uniform(1, 1, 1, 1 + (std::uint64_t{1} << 32), 0) != base);
  CHECK(uniform(1, 1, 1, 1, 1) != base);
  CHECK(uniform(1, 1, 1, 1, 2) != base);
}

TEST_CASE("uniform is below 1 and may be 0, uniformOpenClosed is uniform + 2^-53 and above 0") {
  for (std::uint64_t e = 0; e < 20000; ++e) {
    double u = uniform(3, 4, e, 5, e % 5);
    double v = uniformOpenClosed(3, 4, e, 5, e % 5);
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    REQUIRE(v > 0.0);
    REQUIRE(v <= 1.0);
    REQUIRE(v == u + 0x1p-53);
  }
}

TEST_CASE("the batched fills equal the scalar forms bit for bit") {
  const std::uint64_t first = (std::uint64_t{1} << 32) - 500;  // crosses into the high bits
  std::vector<double> u(1000), z(1000);
  for (std::uint64_t draw : {0, 1, 2, 5}) {
    uniformFill(99, 12, 345, draw, first, u);
    normalFill(99, 12, 345, draw, first, z);
    for (std::size_t i = 0; i < u.size(); ++i) {
      REQUIRE(u[i] == uniform(99, 12, first + i, 345, draw));
      REQUIRE(z[i] == normal(99, 12, first + i, 345, draw));
    }
  }
  // And a second evaluation gives the same values.
  std::vector<double> again(1000);
  uniformFill(99, 12, 345, 5, first, again);
  CHECK(again == u);
}

TEST_CASE("uniform draws are uniform: moments and Kolmogorov-Smirnov") {
  for (std::uint64_t draw : {0, 1}) {
    std::vector<double> u = uniforms(2024, 3, 17, draw);
    double mean = 0, var = 0;
    for (double x : u) mean += x;
    mean /= kSamples;
    for (double x : u) var += (x - mean) * (x - mean);
    var /= kSamples;
    CHECK(std::abs(mean - 0.5) < 5 * std::sqrt(1.0 / 12 / kSamples));
    CHECK(std::abs(var - 1.0 / 12) < 5 * std::sqrt(1.0 / 180 / kSamples));
    CHECK(snn::test::ksStatistic(u, [](double x) { return x; }) < 1.95);
  }
}

TEST_CASE("normal draws are standard normal, both Box-Muller outputs") {
  for (std::uint64_t draw : {0, 1, 2, 3}) {
    std::vector<double> z(kSamples);
    normalFill(7, 9, 11, draw, 0, z);
    double mean = 0, var = 0;
    for (double x : z) mean += x;
    mean /= kSamples;
    for (double x : z) var += (x - mean) * (x - mean);
    var /= kSamples;
    CHECK(std::abs(mean) < 5 / std::sqrt(double(kSamples)));
    CHECK(std::abs(var - 1) < 5 * std::sqrt(2.0 / kSamples));
    CHECK(snn::test::ksStatistic(z, standardNormalCdf) < 1.95);
  }
  // The two outputs of one pair are uncorrelated, also in their squares.
  std::vector<double> a(kSamples), b(kSamples);
  normalFill(7, 9, 11, 0, 0, a);
  normalFill(7, 9, 11, 1, 0, b);
  CHECK(std::abs(snn::test::correlation(a, b)) < 5 / std::sqrt(double(kSamples)));
  for (std::size_t i = 0; i < kSamples; ++i) a[i] *= a[i], b[i] *= b[i];
  CHECK(std::abs(snn::test::correlation(a, b)) < 5 / std::sqrt(double(kSamples)));
}

TEST_CASE("neighbouring streams, elements, steps, draws and seeds are uncorrelated") {
  const double bound = 5 / std::sqrt(double(kSamples));
  const std::vector<double> base = uniforms(5, 1, 8, 0);
  CHECK(std::abs(snn::test::correlation(base, uniforms(5, 2, 8, 0))) < bound);  // stream
  CHECK(std::abs(snn::test::correlation(base, uniforms(5, 1, 9, 0))) < bound);  // step
  CHECK(std::abs(snn::test::correlation(base, uniforms(5, 1, 8, 1))) < bound);  // draw, same block
  CHECK(std::abs(snn::test::correlation(base, uniforms(5, 1, 8, 2))) < bound);  // next block
  CHECK(std::abs(snn::test::correlation(base, uniforms(6, 1, 8, 0))) < bound);  // seed
  CHECK(std::abs(snn::test::correlation(base, uniforms(5, 1, 8, 0, 1))) < bound);  // element + 1
  // Far elements that share the low 32 bits.
  CHECK(std::abs(snn::test::correlation(base, uniforms(5, 1, 8, 0, std::uint64_t{1} << 32))) <
        bound);
}
