// The body loop compiled for x86-64-v3 (AVX2: four doubles per vector); see execute.h. Built
// with -march=x86-64-v3, which includes FMA, and -ffp-contract=off, which keeps it unused.
#include "vm/interpreter/execute.inc"

namespace snn::interpreter {

void executeBodyX86_64_V3(const Instruction* ip, Word* regs, Word* scalars, std::size_t rows,
                          Frame& frame) {
  execute<false>(ip, regs, scalars, rows, frame);
}

}  // namespace snn::interpreter
