// The loop for every CPU (x86-64: SSE2), and the uniform section, which runs one row per call
// and gains nothing from wider vectors; see execute.h.
#include "vm/interpreter/execute.inc"

namespace snn::interpreter {

void executeUniform(const Instruction* ip, Word* regs, Word* scalars, std::size_t rows,
                    Frame& frame) {
  execute<true>(ip, regs, scalars, rows, frame);
}

void executeBodyBaseline(const Instruction* ip, Word* regs, Word* scalars, std::size_t rows,
                         Frame& frame) {
  execute<false>(ip, regs, scalars, rows, frame);
}

}  // namespace snn::interpreter
