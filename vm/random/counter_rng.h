// Counter-based random numbers: the one source of randomness of every back end.
//
// The language promises that the random value for (seed, stream, element, step) is the same on
// the VM, the JIT and any number of threads (LANGUAGE.md section 4). A sequential generator
// cannot keep that promise once work is split between threads or vector lanes, so every value
// here is a pure function of its coordinates: Philox4x32-10 (Random123) enciphers a counter
// built from the coordinates under a key built from the seed. Nothing is stateful; a kernel may
// evaluate any element in any order.
//
// Layout (fixed: changing it changes every simulation result). For one call with block index b:
//   key     = { seed bits 0..31, seed bits 32..63 }
//   counter = { element bits 0..31,
//               step bits 0..31,
//               b bits 0..31,
//               stream (16 bits) | element bits 32..39 << 16 | step bits 32..39 << 24 }
// One Philox call gives four 32-bit words, which make two 53-bit uniforms: uniform draw d uses
// block b = d / 2, words (2s, 2s+1) with s = d % 2, as bits53 = ((w[2s+1] << 32) | w[2s]) >> 11.
//   uniform(d)           = bits53 * 2^-53        in [0, 1)   (0 is possible, 1 is not)
//   uniformOpenClosed(d) = (bits53 + 1) * 2^-53  in (0, 1]   (= uniform(d) + 2^-53; safe for log)
//   normal(d)            = Box-Muller on block d / 2: r = sqrt(-2 log u1), theta = 2 pi u2 with
//                          u1 = uniformOpenClosed(2*(d/2)), u2 = uniform(2*(d/2)+1);
//                          even d gives r cos(theta), odd d gives r sin(theta).
// So normal draws 2k and 2k+1 are the two outputs of one Box-Muller pair, and they share their
// Philox block with uniform draws 2k and 2k+1: one call site should use one stream and either
// uniform or normal draws on it (or keep their draw indices apart).
// Bit-for-bit reproduction in another back end needs the same integer layout (any back end can
// reproduce it exactly) and, for normal(), the same log, cos and sin as kernels use: snn::math's
// (SLEEF's deterministic variants, vm/math/elementary.h, whose vector forms give the same bits,
// so a back end may vectorise them), the correctly rounded std::sqrt, and no fused
// multiply-add.
#pragma once

#include <array>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <span>

#include "vm/math/elementary.h"

namespace snn::random {

// Coordinates at or above these limits alias with smaller ones; the engine checks its element
// counts and step counts against them before a run (2^40 steps of 0.1 ms are 3.5 years).
inline constexpr std::uint64_t kStreamLimit = std::uint64_t{1} << 16;
inline constexpr std::uint64_t kElementLimit = std::uint64_t{1} << 40;
inline constexpr std::uint64_t kStepLimit = std::uint64_t{1} << 40;
inline constexpr std::uint64_t kDrawLimit = std::uint64_t{1} << 33;

using PhiloxCounter = std::array<std::uint32_t, 4>;
using PhiloxKey = std::array<std::uint32_t, 2>;
using PhiloxBlock = std::array<std::uint32_t, 4>;

// The raw Philox4x32-10 bijection (checked against Random123's known-answer vectors).
PhiloxBlock philox4x32_10(const PhiloxCounter& counter, const PhiloxKey& key);

inline PhiloxKey philoxKey(std::uint64_t seed) {
  return {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
}

inline PhiloxCounter philoxCounter(std::uint32_t stream, std::uint64_t element, std::uint64_t step,
                                   std::uint64_t block) {
  assert(stream < kStreamLimit && element < kElementLimit && step < kStepLimit);
  assert(block < (kDrawLimit >> 1));
  return {static_cast<std::uint32_t>(element), static_cast<std::uint32_t>(step),
          static_cast<std::uint32_t>(block),
          (stream & 0xffffu) | static_cast<std::uint32_t>((element >> 32) & 0xffu) << 16 |
              static_cast<std::uint32_t>((step >> 32) & 0xffu) << 24};
}

inline PhiloxBlock randomBlock(std::uint64_t seed, std::uint32_t stream, std::uint64_t element,
                               std::uint64_t step, std::uint64_t block) {
  return philox4x32_10(philoxCounter(stream, element, step, block), philoxKey(seed));
}

// The 53 random bits of slot s (0 or 1) of a block.
inline std::uint64_t blockBits53(const PhiloxBlock& w, unsigned slot) {
  return ((std::uint64_t{w[2 * slot + 1]} << 32) | w[2 * slot]) >> 11;
}

inline constexpr double kTwoToMinus53 = 0x1p-53;

inline double uniform(std::uint64_t seed, std::uint32_t stream, std::uint64_t element,
                      std::uint64_t step, std::uint64_t draw_index) {
  PhiloxBlock w = randomBlock(seed, stream, element, step, draw_index >> 1);
  return static_cast<double>(blockBits53(w, draw_index & 1)) * kTwoToMinus53;
}

inline double uniformOpenClosed(std::uint64_t seed, std::uint32_t stream, std::uint64_t element,
                                std::uint64_t step, std::uint64_t draw_index) {
  PhiloxBlock w = randomBlock(seed, stream, element, step, draw_index >> 1);
  return static_cast<double>(blockBits53(w, draw_index & 1) + 1) * kTwoToMinus53;
}

// Box-Muller on one block; `second` picks the sine output.
inline constexpr double kTwoPi = 6.283185307179586476925286766559;
inline double boxMuller(const PhiloxBlock& w, bool second) {
  double u1 = static_cast<double>(blockBits53(w, 0) + 1) * kTwoToMinus53;  // (0, 1]: log is finite
  double u2 = static_cast<double>(blockBits53(w, 1)) * kTwoToMinus53;
  double r = std::sqrt(-2.0 * math::log(u1));
  double theta = kTwoPi * u2;
  return second ? r * math::sin(theta) : r * math::cos(theta);
}

inline double normal(std::uint64_t seed, std::uint32_t stream, std::uint64_t element,
                     std::uint64_t step, std::uint64_t draw_index) {
  return boxMuller(randomBlock(seed, stream, element, step, draw_index >> 1), draw_index & 1);
}

// What kernels call: out[i] = uniform(seed, stream, first_element + i, step, draw_index) for
// every i < out.size(), bit for bit.
void uniformFill(std::uint64_t seed, std::uint32_t stream, std::uint64_t step,
                 std::uint64_t draw_index, std::uint64_t first_element, std::span<double> out);

// out[i] = normal(seed, stream, first_element + i, step, draw_index), bit for bit.
void normalFill(std::uint64_t seed, std::uint32_t stream, std::uint64_t step,
                std::uint64_t draw_index, std::uint64_t first_element, std::span<double> out);

}  // namespace snn::random
