// Implementation of the IR verifier; see verifier.h.
#include "compiler/ir/verifier.h"

#include <fmt/format.h>

namespace snn::ir {
namespace {

Type operandType(char letter, Type result) {
  switch (letter) {
    case 'F': return Type::F64;
    case 'I': return Type::I64;
    case 'B': return Type::Bool;
    default: return result;  // 'A': the instruction's own type
  }
}

}  // namespace

std::vector<std::string> verify(const Kernel& k) {
  std::vector<std::string> problems;
  auto problem = [&](std::size_t id, std::string what) {
    problems.push_back(fmt::format("{}: %{}: {}", k.name, id, what));
  };
  for (std::size_t id = 0; id < k.body.size(); ++id) {
    const Instruction& inst = k.body[id];
    const OpcodeInfo& i = info(inst.op);
    if (static_cast<std::size_t>(inst.op) >= kOpcodeCount) {
      problem(id, "unknown opcode");
      continue;
    }
    if (!i.result_from_operands && inst.type != i.result) {
      problem(id, fmt::format("`{}` must have type {}, has {}", i.spelling, spelling(i.result),
                              spelling(inst.type)));
    }
    if (i.result_from_operands && (inst.type == Type::Void)) {
      problem(id, fmt::format("`{}` cannot be void", i.spelling));
    }
    std::size_t n = i.operand_types.size();
    for (std::size_t a = 0; a < 3; ++a) {
      ValueId v = inst.operands[a];
      if (a >= n) {
        if (v != kNoValue) problem(id, fmt::format("operand {} given to `{}`, which takes {}", a, i.spelling, n));
        continue;
      }
      if (v == kNoValue || v >= id) {
        problem(id, fmt::format("operand {} of `{}` is not defined before use", a, i.spelling));
        continue;
      }
      Type want = operandType(i.operand_types[a], inst.type);
      Type have = k.body[v].type;
      if (have != want) {
        problem(id, fmt::format("operand {} of `{}` must be {}, %{} is {}", a, i.spelling,
                                spelling(want), v, spelling(have)));
      }
    }
    switch (inst.op) {
      case Opcode::Load:
      case Opcode::Store:
      case Opcode::Accumulate:
      case Opcode::LoadIndex: {
        if (inst.slot >= k.buffers.size()) {
          problem(id, "buffer slot out of range");
          break;
        }
        Type buffer = k.buffers[inst.slot].type;
        Type want = inst.op == Opcode::LoadIndex ? Type::I64 : Type::F64;
        if (buffer != want) {
          problem(id, fmt::format("buffer `{}` is {}, `{}` needs {}", k.buffers[inst.slot].name,
                                  spelling(buffer), i.spelling, spelling(want)));
        }
        if ((inst.op == Opcode::Store || inst.op == Opcode::Accumulate) &&
            !k.buffers[inst.slot].written) {
          problem(id, fmt::format("buffer `{}` is written but not marked written",
                                  k.buffers[inst.slot].name));
        }
        break;
      }
      case Opcode::Param:
        if (inst.slot >= k.params.size()) problem(id, "parameter slot out of range");
        break;
      case Opcode::Timed:
        if (inst.slot >= k.tables.size()) problem(id, "table slot out of range");
        break;
      default:
        break;
    }
  }
  return problems;
}

}  // namespace snn::ir
