// The bytecode the VM runs: the output of compiler/codegen and the input of the interpreter.
// It lives with the VM, not the compiler, so that the VM depends on nothing in compiler/.
//
// A kernel has two sections. The uniform section runs once per call on the scalar register
// file and computes everything that is the same for every element (parameters combined with
// constants, `dt / tau`, a timed array at `t`). The body runs once per batch of up to
// kBatchSize elements on the vector register file, where one register holds one word per
// element: each instruction is one dispatch for the whole batch, so the dispatch cost is paid
// per batch, not per element.
//
// The scalar file is laid out as [t, dt, count, params..., constants..., temporaries...]: time,
// parameters and constants cost no instruction at all, the interpreter writes them before the
// uniform section runs. Registers are untyped 64-bit words (f64, i64, or a bool as the f64 0.0
// or 1.0); the
// verifier checks what memory safety needs (register and slot ranges, section rules, the
// `extra` words), the compiler is trusted for the types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace snn::interpreter {

// Elements per batch: 256 words of 8 bytes are 2 KiB per vector register, so a kernel's
// registers stay in the L1/L2 cache, and per-batch dispatch overhead is spread over 256 rows.
inline constexpr std::size_t kBatchSize = 256;

enum class Op : std::uint16_t {
#define BC_OP(Name, Mnemonic, Fields, Extra, Section) Name,
#include "vm/interpreter/opcodes.def"
#undef BC_OP
};

inline constexpr std::size_t kOpCount = 0
#define BC_OP(Name, Mnemonic, Fields, Extra, Section) +1
#include "vm/interpreter/opcodes.def"
#undef BC_OP
    ;

enum class OpSection : std::uint8_t { Any, Body };

struct OpInfo {
  std::string_view mnemonic;
  std::string_view fields;  // what A, B and C hold; see opcodes.def
  char extra;               // '-', 'r', 's' or 'n'
  OpSection section;
};

const OpInfo& opInfo(Op op);

// One 64-bit instruction; see the bit diagram in opcodes.def.
struct Instruction {
  std::uint16_t op = 0;
  std::uint16_t a = 0;
  std::uint16_t b = 0;
  std::uint16_t c = 0;
};
static_assert(sizeof(Instruction) == 8);

// The fixed scalar registers; parameters follow from kFirstParamRegister.
inline constexpr std::uint32_t kTimeRegister = 0;   // t at the start of the step (s), f64
inline constexpr std::uint32_t kDtRegister = 1;     // dt (s), f64
inline constexpr std::uint32_t kCountRegister = 2;  // elements in the domain, i64
inline constexpr std::uint32_t kFirstParamRegister = 3;

enum class ConstantType : std::uint8_t { F64, I64, Bool };

struct Constant {
  std::uint64_t bits = 0;  // the word as stored (an f64's or a bool's f64 bit pattern, an i64)
  ConstantType type = ConstantType::F64;
};

struct BufferInfo {
  std::string name;
  bool is_index = false;  // i64 (read with load.i) rather than f64
  bool written = false;   // stored or accumulated to
};

struct BytecodeKernel {
  std::string name;
  std::string domain;  // what the kernel runs over, for the disassembly ("neurons", ...)
  // Slots keep the IR kernel's numbering, so the engine binds by the same slot numbers.
  std::vector<BufferInfo> buffers;
  std::vector<std::string> params;
  std::vector<std::string> tables;
  std::vector<Constant> constants;  // in scalar registers firstConstantRegister()...
  std::uint32_t num_scalar_registers = kFirstParamRegister;
  std::uint32_t num_vector_registers = 0;
  std::vector<Instruction> uniform_code;  // ends with `end`
  std::vector<Instruction> body_code;     // ends with `end`

  std::uint32_t firstConstantRegister() const {
    return kFirstParamRegister + static_cast<std::uint32_t>(params.size());
  }
  std::uint32_t firstTemporaryRegister() const {
    return firstConstantRegister() + static_cast<std::uint32_t>(constants.size());
  }
};

// Register files are capped so that a kernel's registers are a bounded allocation (4096 vector
// registers are 8 MiB); the 16-bit fields cap them at 65536 anyway.
inline constexpr std::uint32_t kMaxVectorRegisters = 4096;
inline constexpr std::uint32_t kMaxScalarRegisters = 65535;

// Every problem that would make running the kernel unsafe or meaningless; empty when valid.
std::vector<std::string> verifyBytecode(const BytecodeKernel& kernel);

// A kernel that fails verification: a compiler bug, never a user error.
class BytecodeError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace snn::interpreter
