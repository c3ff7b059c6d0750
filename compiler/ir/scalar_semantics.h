// The meaning of every pure f64/bool instruction on one element, as plain C++. The constant
// folder uses it, and so does the bytecode VM's reference behaviour, so that folding at compile
// time can never give a different answer from running the instruction.
#pragma once

#include "compiler/ir/ir.h"

namespace snn::ir {

// Pure instructions with F64 operands and an F64 result (Add ... Exprel).
double evaluateFloat(Opcode op, double x, double y = 0, double z = 0);
// Comparisons: F64 operands, Bool result.
bool evaluateComparison(Opcode op, double x, double y);
// And, Or, Not.
bool evaluateLogic(Opcode op, bool x, bool y = false);

// True for the opcodes evaluateFloat / evaluateComparison / evaluateLogic handle.
bool isFloatArithmetic(Opcode op);
bool isComparison(Opcode op);
bool isLogic(Opcode op);

// (e^x - 1) / x, accurate near 0 (expm1), with exprel(0) = 1.
double exprel(double x);

}  // namespace snn::ir
