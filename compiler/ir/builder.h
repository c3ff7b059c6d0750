// Appends instructions to a kernel, one helper per kind, and hands out slots for buffers,
// parameters and tables by name (asking twice for the same name gives the same slot). Lowering
// passes build kernels only through this, so every body starts well-formed.
#pragma once

#include <string_view>

#include "compiler/ir/ir.h"

namespace snn::ir {

class KernelBuilder {
 public:
  explicit KernelBuilder(Kernel& kernel) : kernel_(kernel) {}

  ValueId constant(double value);
  ValueId constantIndex(std::int64_t value);
  ValueId constantBool(bool value);
  ValueId element() { return emit(Opcode::Element, Type::I64); }
  ValueId count() { return emit(Opcode::Count, Type::I64); }
  ValueId time() { return emit(Opcode::Time, Type::F64); }
  ValueId timeStep() { return emit(Opcode::TimeStep, Type::F64); }
  ValueId param(std::string_view name);

  ValueId load(std::string_view buffer, ValueId index);
  ValueId loadIndex(std::string_view buffer, ValueId index);
  void store(std::string_view buffer, ValueId index, ValueId value);
  void accumulate(std::string_view buffer, ValueId index, ValueId value);
  void emitSpike(ValueId condition);
  ValueId timed(std::string_view table, ValueId at_time);
  // A fresh draw: each call gets the next draw index of its stream.
  ValueId rand(std::int64_t stream, ValueId element);
  ValueId randn(std::int64_t stream, ValueId element);

  // Any pure instruction with one to three operands (arithmetic, functions, comparisons,
  // logic, conversions, select); the result type follows the opcode table.
  ValueId op(Opcode opcode, ValueId x, ValueId y = kNoValue, ValueId z = kNoValue);

  std::uint32_t bufferSlot(std::string_view name, Type type);
  Kernel& kernel() { return kernel_; }

 private:
  ValueId emit(Opcode opcode, Type type, ValueId x = kNoValue, ValueId y = kNoValue,
               ValueId z = kNoValue);
  std::uint32_t paramSlot(std::string_view name);
  std::uint32_t tableSlot(std::string_view name);

  Kernel& kernel_;
  std::uint32_t next_draw_ = 0;
};

}  // namespace snn::ir
