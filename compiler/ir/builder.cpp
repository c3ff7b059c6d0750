// Implementation of KernelBuilder; see builder.h.
#include "compiler/ir/builder.h"

namespace snn::ir {

ValueId KernelBuilder::emit(Opcode opcode, Type type, ValueId x, ValueId y, ValueId z) {
  Instruction inst;
  inst.op = opcode;
  inst.type = type;
  inst.operands[0] = x;
  inst.operands[1] = y;
  inst.operands[2] = z;
  kernel_.body.push_back(inst);
  return static_cast<ValueId>(kernel_.body.size() - 1);
}

ValueId KernelBuilder::constant(double value) {
  ValueId id = emit(Opcode::ConstF, Type::F64);
  kernel_.body[id].constant = value;
  return id;
}

ValueId KernelBuilder::constantIndex(std::int64_t value) {
  ValueId id = emit(Opcode::ConstI, Type::I64);
  kernel_.body[id].imm = value;
  return id;
}

ValueId KernelBuilder::constantBool(bool value) {
  ValueId id = emit(Opcode::ConstB, Type::Bool);
  kernel_.body[id].constant = value ? 1 : 0;
  return id;
}

std::uint32_t KernelBuilder::bufferSlot(std::string_view name, Type type) {
  for (std::uint32_t k = 0; k < kernel_.buffers.size(); ++k) {
    if (kernel_.buffers[k].name == name) return k;
  }
  kernel_.buffers.push_back({std::string(name), type, false});
  return static_cast<std::uint32_t>(kernel_.buffers.size() - 1);
}

std::uint32_t KernelBuilder::paramSlot(std::string_view name) {
  for (std::uint32_t k = 0; k < kernel_.params.size(); ++k) {
    if (kernel_.params[k].name == name) return k;
  }
  kernel_.params.push_back({std::string(name)});
  return static_cast<std::uint32_t>(kernel_.params.size() - 1);
}

std::uint32_t KernelBuilder::tableSlot(std::string_view name) {
  for (std::uint32_t k = 0; k < kernel_.tables.size(); ++k) {
    if (kernel_.tables[k].name == name) return k;
  }
  kernel_.tables.push_back({std::string(name)});
  return static_cast<std::uint32_t>(kernel_.tables.size() - 1);
}

ValueId KernelBuilder::param(std::string_view name) {
  ValueId id = emit(Opcode::Param, Type::F64);
  kernel_.body[id].slot = paramSlot(name);
  return id;
}

ValueId KernelBuilder::load(std::string_view buffer, ValueId index) {
  ValueId id = emit(Opcode::Load, Type::F64, index);
  kernel_.body[id].slot = bufferSlot(buffer, Type::F64);
  return id;
}

ValueId KernelBuilder::loadIndex(std::string_view buffer, ValueId index) {
  ValueId id = emit(Opcode::LoadIndex, Type::I64, index);
  kernel_.body[id].slot = bufferSlot(buffer, Type::I64);
  return id;
}

void KernelBuilder::store(std::string_view buffer, ValueId index, ValueId value) {
  ValueId id = emit(Opcode::Store, Type::Void, index, value);
  kernel_.body[id].slot = bufferSlot(buffer, Type::F64);
  kernel_.buffers[kernel_.body[id].slot].written = true;
}

void KernelBuilder::accumulate(std::string_view buffer, ValueId index, ValueId value) {
  ValueId id = emit(Opcode::Accumulate, Type::Void, index, value);
  kernel_.body[id].slot = bufferSlot(buffer, Type::F64);
  kernel_.buffers[kernel_.body[id].slot].written = true;
}

void KernelBuilder::emitSpike(ValueId condition) { emit(Opcode::EmitSpike, Type::Void, condition); }

ValueId KernelBuilder::timed(std::string_view table, ValueId at_time) {
  ValueId id = emit(Opcode::Timed, Type::F64, at_time);
  kernel_.body[id].slot = tableSlot(table);
  return id;
}

ValueId KernelBuilder::rand(std::int64_t stream, ValueId element) {
  ValueId id = emit(Opcode::Rand, Type::F64, element);
  kernel_.body[id].imm = stream;
  kernel_.body[id].slot = next_draw_++;
  return id;
}

ValueId KernelBuilder::randn(std::int64_t stream, ValueId element) {
  ValueId id = emit(Opcode::Randn, Type::F64, element);
  kernel_.body[id].imm = stream;
  // A normal draw uses the two uniforms of one Philox block half (Box-Muller): draws 2k and
  // 2k+1. Start at an even index so that it never shares bits with an earlier rand().
  next_draw_ = (next_draw_ + 1) & ~std::uint32_t{1};
  kernel_.body[id].slot = next_draw_;
  next_draw_ += 2;
  return id;
}

ValueId KernelBuilder::op(Opcode opcode, ValueId x, ValueId y, ValueId z) {
  const OpcodeInfo& i = info(opcode);
  Type type = i.result_from_operands ? kernel_.body.at(y).type : i.result;
  return emit(opcode, type, x, y, z);
}

}  // namespace snn::ir
