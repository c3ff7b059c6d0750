// Checks that a kernel is well-formed: every operand defined before use and of the type the
// opcode table asks for, no use of a void result, slots in range. Run after every lowering
// and every pass; a problem here is a compiler bug, reported with the kernel's name.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.h"

namespace snn::ir {

// An empty list means the kernel is valid.
std::vector<std::string> verify(const Kernel& kernel);

}  // namespace snn::ir
