// IR -> bytecode: the VM's back end. It splits a kernel into a uniform section (everything that
// is the same for every element, computed once per call on scalar registers) and a body (run
// per batch on vector registers), picks the opcode forms that take a scalar operand directly,
// addresses memory at the element itself where it can (.e forms: contiguous copies over a range
// domain), and allocates registers by a linear scan over SSA live ranges, so a long chain
// reuses a few registers and the kernel's registers stay in cache.
#pragma once

#include <string>

#include "compiler/ir/ir.h"
#include "vm/interpreter/bytecode.h"

namespace snn::codegen {

// The kernel must verify (ir::verify); an invalid kernel, a random stream outside 0..65535 or a
// kernel beyond the bytecode's register limits is a compiler bug: std::logic_error.
interpreter::BytecodeKernel compileToBytecode(const ir::Kernel& kernel);

// A readable listing, for `snnc emit bytecode` and for tests.
std::string disassemble(const interpreter::BytecodeKernel& kernel);

}  // namespace snn::codegen
