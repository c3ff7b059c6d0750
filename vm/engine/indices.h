// The two integer kinds every engine structure shares: neuron/synapse indices and step numbers.
//
// Both are signed 64-bit because the IR's index buffers are I64 (compiler/ir/ir.h), so kernels
// read CSR arrays in place, and because step arithmetic (`step - delay`) must be able to go
// below zero before the first spike without wrapping. Delays in steps are unsigned 32-bit: a
// ring buffer of 2^32 slots is already far beyond any memory, and a narrow type halves the
// per-synapse delay array.
#pragma once

#include <cstdint>

namespace snn::engine {

using Index = std::int64_t;  // a neuron of a population, or a synapse of a connection
using Step = std::int64_t;   // a time step: t = step * dt
using DelaySteps = std::uint32_t;

}  // namespace snn::engine
