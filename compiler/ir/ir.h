// The IR: one form for every kernel the simulation runs (state updates, thresholds, resets,
// synaptic events, summed variables, initialisers, connection probabilities), shared by both
// back ends (bytecode for the VM, LLVM for native code).
//
// A kernel is a straight-line SSA body run once per element of a domain: the neurons of a
// population, the synapses reached by a batch of spikes, the spiking neurons, ... The element
// loop is implicit: the VM runs each instruction over the whole domain (one dispatch per
// instruction per batch), the LLVM back end wraps the body in a loop it can vectorise.
// Conditionals are data flow (`select`); writes are explicit instructions with effects. A value
// is the index of the instruction that computes it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace snn::ir {

enum class Type : std::uint8_t { F64, I64, Bool, Void };

enum class Effect : std::uint8_t { Pure, Read, Write };

enum class Opcode : std::uint8_t {
#define IR_OP(Name, Spelling, Operands, Result, Eff) Name,
#include "compiler/ir/instructions.def"
#undef IR_OP
};

struct OpcodeInfo {
  std::string_view spelling;
  std::string_view operand_types;  // one of F, I, B, A per operand
  Type result;                     // Void: no value; for A-typed ops, see Instruction::type
  Effect effect;
  bool result_from_operands;       // result type A
};

const OpcodeInfo& info(Opcode op);
std::size_t operandCount(Opcode op);
std::string_view spelling(Type type);
constexpr std::size_t kOpcodeCount = 0
#define IR_OP(Name, Spelling, Operands, Result, Eff) +1
#include "compiler/ir/instructions.def"
#undef IR_OP
    ;

using ValueId = std::uint32_t;
inline constexpr ValueId kNoValue = ~ValueId{0};

struct Instruction {
  Opcode op = Opcode::ConstF;
  Type type = Type::F64;
  ValueId operands[3] = {kNoValue, kNoValue, kNoValue};
  double constant = 0;    // ConstF, ConstB (0 or 1)
  std::int64_t imm = 0;   // ConstI; Rand/Randn: stream
  std::uint32_t slot = 0;  // Param, Load, Store, Accumulate, LoadIndex, Timed: slot;
                           // Rand/Randn: draw index
};

// What a kernel's element loop runs over.
enum class Domain : std::uint8_t {
  Neurons,    // every neuron of a population, in index order
  Spiking,    // the neurons that spiked this step (element = neuron index)
  Synapses,   // the synapses of the spiking presynaptic (or postsynaptic) neurons
  AllSynapses,  // every synapse of a connection (clock-driven synaptic equations, summed)
  Pairs,      // candidate (i, j) pairs when generating connections
};

struct BufferSlot {
  std::string name;  // e.g. "V", "post_index", "I_syn (post)"
  Type type = Type::F64;  // F64 for state, I64 for index buffers
  bool written = false;
};

struct ParamSlot {
  std::string name;  // e.g. "tau"
};

struct TableSlot {
  std::string name;  // a timed array
};

struct Kernel {
  std::string name;  // "E.update", "E.threshold", "E->I.on_pre", ...
  Domain domain = Domain::Neurons;
  std::vector<BufferSlot> buffers;
  std::vector<ParamSlot> params;
  std::vector<TableSlot> tables;
  std::vector<Instruction> body;
  // Runs at most once, off the hot path (the diagnose twin of an update, after a fault): back
  // ends may compile it late and for size rather than speed.
  bool cold = false;
};

}  // namespace snn::ir
