// How much memory a simulation may hold, and how to say it. The engine refuses a connection or a
// run whose estimated storage would not fit (MemoryRefusal, simulation.h) instead of being
// killed half-way by the kernel's OOM killer, which leaves no message and no outputs; the
// figures here are what that refusal compares and prints.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace snn::engine {

inline constexpr std::uint64_t kUnlimitedMemory = std::numeric_limits<std::uint64_t>::max();

// MemAvailable of /proc/meminfo in bytes (what Linux can hand out without swapping), or
// kUnlimitedMemory where the file or the line is missing (not Linux, a sandbox without /proc).
std::uint64_t availableMemoryBytes();

// "812 B", "3.4 KiB", "17.0 MiB", "7.28 TiB": three significant figures, binary units.
std::string formatBytes(std::uint64_t bytes);

inline std::uint64_t saturatingAdd(std::uint64_t a, std::uint64_t b) {
  return a > kUnlimitedMemory - b ? kUnlimitedMemory : a + b;
}

inline std::uint64_t saturatingMul(std::uint64_t a, std::uint64_t b) {
  return b != 0 && a > kUnlimitedMemory / b ? kUnlimitedMemory : a * b;
}

// a - b, or 0 when b > a.
inline std::uint64_t saturatingSub(std::uint64_t a, std::uint64_t b) {
  return a > b ? a - b : 0;
}

}  // namespace snn::engine
