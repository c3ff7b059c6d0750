// The interface between the interpreter (interpreter.cpp: contexts, checks, the call) and its
// loop (execute.inc), which is compiled once per instruction set: the baseline that every x86-64
// (or other) CPU runs, and where the compiler can, x86-64-v3 (AVX2) and x86-64-v4 (AVX-512), so
// that the same row loops vectorise 2, 4 or 8 doubles wide. Only the instruction selection
// differs between them: the arithmetic is the same IEEE operations and the same snn::math
// (SLEEF) calls (no contraction into fused multiply-adds), so every variant gives the same bits.
//
// Internal to vm/interpreter; the engine includes interpreter.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "vm/interpreter/bytecode.h"
#include "vm/interpreter/interpreter.h"

namespace snn::interpreter {

// What a section needs besides its registers.
struct Frame {
  const BytecodeKernel* kernel;
  const std::span<double>* buffers;
  const std::span<const std::int64_t>* index_buffers;
  const TableView* tables;
  const std::int64_t* domain;  // explicit elements, or null for the range 0..count-1
  std::size_t base;            // the batch's first row in the domain
  SpikeList* spikes;
  std::uint64_t seed;
  std::uint64_t step;
  double dt;
};

// A SectionFunction (interpreter.h) runs one section from `ip` to its `end`: the uniform
// section with rows = 1 on the scalar file (regs == scalars), or the body over `rows` <=
// kBatchSize rows of the vector file.

void executeUniform(const Instruction* ip, Word* regs, Word* scalars, std::size_t rows,
                    Frame& frame);
void executeBodyBaseline(const Instruction* ip, Word* regs, Word* scalars, std::size_t rows,
                         Frame& frame);
#if SNN_VM_X86_64_LEVELS
void executeBodyX86_64_V3(const Instruction* ip, Word* regs, Word* scalars, std::size_t rows,
                          Frame& frame);
void executeBodyX86_64_V4(const Instruction* ip, Word* regs, Word* scalars, std::size_t rows,
                          Frame& frame);
#endif

// Out of line, compiled once (interpreter.cpp): the inputs, dominated by Philox and the table
// arithmetic rather than by the loop, and the errors (cold; formatting allocates, which is fine
// once the run has failed).
void sampleTable(Word* __restrict r, const Word* __restrict at, std::size_t n,
                 const TableView& table, double sim_dt);
void randomRows(Word* __restrict r, const Word* __restrict element, std::size_t n,
                const Frame& frame, const Instruction& extra, bool normal);
[[noreturn]] void failIndexOutOfRange(const Frame& frame, Op op, std::uint16_t slot,
                                      const Word* index, std::size_t n, std::size_t size);
[[noreturn]] void failSpikeListFull(const Frame& frame);
[[noreturn]] void failExtraExecuted(const Frame& frame);

}  // namespace snn::interpreter
