// Implementation of the IR printer; see printer.h.
#include "compiler/ir/printer.h"

#include <fmt/format.h>

namespace snn::ir {

std::string_view spelling(Domain domain) {
  switch (domain) {
    case Domain::Neurons: return "neurons";
    case Domain::Spiking: return "spiking neurons";
    case Domain::Synapses: return "synapses of spiking neurons";
    case Domain::AllSynapses: return "all synapses";
    case Domain::Pairs: return "candidate pairs";
  }
  return "?";
}

namespace {

std::string value(ValueId id) { return id == kNoValue ? "?" : fmt::format("%{}", id); }

// A constant prints so that it reads back as the same double.
std::string number(double x) { return fmt::format("{}", x); }

std::string slotName(const Kernel& k, const Instruction& inst) {
  switch (inst.op) {
    case Opcode::Load:
    case Opcode::LoadIndex:
    case Opcode::Store:
    case Opcode::Accumulate:
      return inst.slot < k.buffers.size() ? k.buffers[inst.slot].name : fmt::format("buffer{}", inst.slot);
    case Opcode::Param:
      return inst.slot < k.params.size() ? k.params[inst.slot].name : fmt::format("param{}", inst.slot);
    case Opcode::Timed:
      return inst.slot < k.tables.size() ? k.tables[inst.slot].name : fmt::format("table{}", inst.slot);
    default:
      return {};
  }
}

std::string instructionText(const Kernel& k, const Instruction& inst) {
  std::string_view name = info(inst.op).spelling;
  const ValueId* o = inst.operands;
  switch (inst.op) {
    case Opcode::ConstF: return fmt::format("const {}", number(inst.constant));
    case Opcode::ConstI: return fmt::format("const.i {}", inst.imm);
    case Opcode::ConstB: return fmt::format("const.b {}", inst.constant != 0 ? "true" : "false");
    case Opcode::Param: return fmt::format("param {}", slotName(k, inst));
    case Opcode::Load:
    case Opcode::LoadIndex: return fmt::format("{} {}[{}]", name, slotName(k, inst), value(o[0]));
    case Opcode::Store:
    case Opcode::Accumulate:
      return fmt::format("{} {}[{}], {}", name, slotName(k, inst), value(o[0]), value(o[1]));
    case Opcode::Timed: return fmt::format("timed {}({})", slotName(k, inst), value(o[0]));
    case Opcode::Rand:
    case Opcode::Randn:
      return fmt::format("{} stream {} draw {} element {}", name, inst.imm, inst.slot, value(o[0]));
    default: break;
  }
  std::string text(name);
  for (std::size_t n = 0; n < operandCount(inst.op); ++n) {
    text += n == 0 ? " " : ", ";
    text += value(o[n]);
  }
  return text;
}

}  // namespace

std::string printKernel(const Kernel& k) {
  std::string out = fmt::format("kernel {} over {}\n", k.name, spelling(k.domain));
  for (const auto& b : k.buffers) {
    out += fmt::format("  buffer {}: {}{}\n", b.name, spelling(b.type), b.written ? " (written)" : "");
  }
  for (const auto& p : k.params) out += fmt::format("  param {}\n", p.name);
  for (const auto& t : k.tables) out += fmt::format("  table {}\n", t.name);
  for (std::size_t id = 0; id < k.body.size(); ++id) {
    const Instruction& inst = k.body[id];
    if (inst.type == Type::Void) {
      out += fmt::format("  {}\n", instructionText(k, inst));
    } else {
      out += fmt::format("  %{} = {}\n", id, instructionText(k, inst));
    }
  }
  return out;
}

}  // namespace snn::ir
