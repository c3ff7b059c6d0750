// The instruction table; see ir.h and instructions.def.
#include "compiler/ir/ir.h"

#include <array>

namespace snn::ir {
namespace {

constexpr Type typeFromLetter(char c) {
  return c == 'F' ? Type::F64 : c == 'I' ? Type::I64 : c == 'B' ? Type::Bool : Type::Void;
}

constexpr std::array<OpcodeInfo, kOpcodeCount> kInfo = {{
#define IR_OP(Name, Spelling, Operands, Result, Eff) \
  {Spelling, Operands, typeFromLetter(#Result[0]), Effect::Eff, #Result[0] == 'A'},
#include "compiler/ir/instructions.def"
#undef IR_OP
}};

}  // namespace

const OpcodeInfo& info(Opcode op) { return kInfo[static_cast<std::size_t>(op)]; }

std::size_t operandCount(Opcode op) { return info(op).operand_types.size(); }

std::string_view spelling(Type type) {
  switch (type) {
    case Type::F64: return "f64";
    case Type::I64: return "i64";
    case Type::Bool: return "bool";
    case Type::Void: return "void";
  }
  return "?";
}

}  // namespace snn::ir
