// The body loop compiled for x86-64-v4 (AVX-512: eight doubles per vector, 64-bit integer
// conversions and compares in vector registers); see execute.h.
#include "vm/interpreter/execute.inc"

namespace snn::interpreter {

void executeBodyX86_64_V4(const Instruction* ip, Word* regs, Word* scalars, std::size_t rows,
                          Frame& frame) {
  execute<false>(ip, regs, scalars, rows, frame);
}

}  // namespace snn::interpreter
