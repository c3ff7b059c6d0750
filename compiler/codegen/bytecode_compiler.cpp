// IR -> bytecode; see bytecode_compiler.h.
//
// One forward pass classifies values (uniform or per element) and marks what is live; the
// uniform instructions are then emitted in IR order on scalar registers, and the rest in IR
// order on vector registers. Both sections allocate by linear scan: a register is taken for a
// result before the operands whose live range ends there are given back, so a destination is
// never one of its own sources (the interpreter's loops rely on it). Uniform values that the
// body reads stay in their scalar registers for the whole call; where a body instruction has
// no form with a scalar operand, the value is broadcast once into a vector register that lives
// until its last such use.
#include "compiler/codegen/bytecode_compiler.h"

#include <array>
#include <bit>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "compiler/ir/printer.h"
#include "compiler/ir/verifier.h"

namespace snn::codegen {
namespace {

using interpreter::BytecodeKernel;
using interpreter::Instruction;
using interpreter::Op;
using ir::Opcode;
using ir::ValueId;

constexpr std::uint32_t kNone = ~std::uint32_t{0};

// How a body instruction takes an operand.
enum class Form : std::uint8_t { None, Vector, Scalar, ElementIndex };

struct Family {
  Op rr, rs, sr;
};

bool isBinaryFamily(Opcode op) {
  switch (op) {
    case Opcode::Add:
    case Opcode::Sub:
    case Opcode::Mul:
    case Opcode::Div:
    case Opcode::Mod:
    case Opcode::Pow:
    case Opcode::Min:
    case Opcode::Max:
    case Opcode::Eq:
    case Opcode::Ne:
    case Opcode::Lt:
    case Opcode::Le:
    case Opcode::Gt:
    case Opcode::Ge:
      return true;
    default:
      return false;
  }
}

// clang-format off
Family family(Opcode op) {
  switch (op) {
#define FAMILY(Name) case Opcode::Name: return {Op::Name, Op::Name##RS, Op::Name##SR};
    FAMILY(Add) FAMILY(Sub) FAMILY(Mul) FAMILY(Div) FAMILY(Mod) FAMILY(Pow) FAMILY(Min) FAMILY(Max)
    FAMILY(Eq) FAMILY(Ne) FAMILY(Lt) FAMILY(Le) FAMILY(Gt) FAMILY(Ge)
#undef FAMILY
    default: throw std::logic_error("bytecode: not a binary opcode");
  }
}

// IR opcodes whose bytecode opcode (register form) has the same name and fields A = result,
// B (, C) = operands.
Op sameNamed(Opcode op) {
  switch (op) {
#define SAME(Name) case Opcode::Name: return Op::Name;
    SAME(Neg) SAME(Exp) SAME(Log) SAME(Log10) SAME(Sqrt) SAME(Sin) SAME(Cos) SAME(Tan) SAME(Sinh)
    SAME(Cosh) SAME(Tanh) SAME(Asin) SAME(Acos) SAME(Atan) SAME(Abs) SAME(Floor) SAME(Ceil)
    SAME(Sign) SAME(Exprel) SAME(IntToFloat) SAME(FloatToInt) SAME(And) SAME(Or) SAME(Not)
#undef SAME
    default:
      throw std::logic_error(fmt::format("bytecode: no instruction for `{}`", ir::info(op).spelling));
  }
}
// clang-format on

// Lowest-numbered free register first, so that hot registers are reused and stay in cache.
class RegisterPool {
 public:
  explicit RegisterPool(std::uint32_t first) : next_(first) {}
  std::uint32_t take() {
    if (!free_.empty()) {
      std::uint32_t r = *free_.begin();
      free_.erase(free_.begin());
      return r;
    }
    return next_++;
  }
  void give(std::uint32_t r) { free_.insert(r); }
  std::uint32_t highWater() const { return next_; }

 private:
  std::set<std::uint32_t> free_;
  std::uint32_t next_;
};

class Compiler {
 public:
  explicit Compiler(const ir::Kernel& k)
      : k_(k),
        n_(k.body.size()),
        uniform_(n_, false),
        live_(n_, false),
        scalar_(n_, kNone),
        vector_(n_, kNone),
        broadcast_(n_, kNone),
        last_vector_use_(n_, kNone),
        last_broadcast_use_(n_, kNone),
        last_uniform_use_(n_, kNone),
        read_by_body_(n_, false),
        hoisted_(n_, false) {}

  BytecodeKernel run() {
    auto problems = ir::verify(k_);
    if (!problems.empty()) {
      throw std::logic_error("bytecode: cannot compile an invalid IR kernel: " + problems.front());
    }
    out_.name = k_.name;
    out_.domain = std::string(ir::spelling(k_.domain));
    for (const auto& b : k_.buffers)
      out_.buffers.push_back({b.name, b.type == ir::Type::I64, b.written});
    for (const auto& p : k_.params) out_.params.push_back(p.name);
    for (const auto& t : k_.tables) out_.tables.push_back(t.name);
    classify();
    markLive();
    assignFixedScalars();
    computeLastUses();
    emitUniform();
    emitBody();
    if (out_.num_vector_registers > interpreter::kMaxVectorRegisters ||
        out_.num_scalar_registers > interpreter::kMaxScalarRegisters) {
      throw std::logic_error(fmt::format(
          "bytecode: kernel `{}` needs {} vector and {} scalar registers, beyond the limits",
          k_.name, out_.num_vector_registers, out_.num_scalar_registers));
    }
    return std::move(out_);
  }

 private:
  const ir::Instruction& at(ValueId v) const { return k_.body[v]; }
  std::size_t arity(ValueId v) const { return ir::operandCount(at(v).op); }

  void classify() {
    for (ValueId v = 0; v < n_; ++v) {
      const ir::Instruction& inst = at(v);
      switch (inst.op) {
        case Opcode::ConstF:
        case Opcode::ConstI:
        case Opcode::ConstB:
        case Opcode::Param:
        case Opcode::Time:
        case Opcode::TimeStep:
        case Opcode::Count:
          uniform_[v] = true;
          break;
        default:
          if (ir::info(inst.op).effect != ir::Effect::Pure) break;  // loads and writes
          if (inst.op == Opcode::Element) break;
          uniform_[v] = true;
          for (std::size_t a = 0; a < arity(v); ++a)
            uniform_[v] = uniform_[v] && uniform_[inst.operands[a]];
      }
    }
  }

  void markLive() {
    for (ValueId v = static_cast<ValueId>(n_); v-- > 0;) {
      if (ir::info(at(v).op).effect == ir::Effect::Write) live_[v] = true;
      if (!live_[v]) continue;
      for (std::size_t a = 0; a < arity(v); ++a) live_[at(v).operands[a]] = true;
    }
  }

  // t, dt, count and parameters have fixed scalar registers; constants get a pool entry each
  // (by bit pattern, so -0 and 0 stay apart).
  void assignFixedScalars() {
    std::map<std::pair<std::uint64_t, int>, std::uint32_t> pool;
    for (ValueId v = 0; v < n_; ++v) {
      if (!live_[v]) continue;
      const ir::Instruction& inst = at(v);
      std::uint64_t bits = 0;
      interpreter::ConstantType type;
      switch (inst.op) {
        case Opcode::Time:
          scalar_[v] = interpreter::kTimeRegister;
          continue;
        case Opcode::TimeStep:
          scalar_[v] = interpreter::kDtRegister;
          continue;
        case Opcode::Count:
          scalar_[v] = interpreter::kCountRegister;
          continue;
        case Opcode::Param:
          scalar_[v] = interpreter::kFirstParamRegister + inst.slot;
          continue;
        case Opcode::ConstF:
          bits = std::bit_cast<std::uint64_t>(inst.constant);
          type = interpreter::ConstantType::F64;
          break;
        case Opcode::ConstI:
          bits = static_cast<std::uint64_t>(inst.imm);
          type = interpreter::ConstantType::I64;
          break;
        case Opcode::ConstB:
          bits = std::bit_cast<std::uint64_t>(inst.constant != 0 ? 1.0 : 0.0);
          type = interpreter::ConstantType::Bool;
          break;
        default:
          continue;
      }
      auto key = std::make_pair(bits, static_cast<int>(type));
      auto found = pool.find(key);
      if (found == pool.end()) {
        found = pool.emplace(key, static_cast<std::uint32_t>(out_.constants.size())).first;
        out_.constants.push_back({bits, type});
      }
      scalar_[v] = found->second;  // an index into the pool until the pool is complete
    }
    for (ValueId v = 0; v < n_; ++v) {
      Opcode op = at(v).op;
      if (live_[v] && (op == Opcode::ConstF || op == Opcode::ConstI || op == Opcode::ConstB)) {
        scalar_[v] += out_.firstConstantRegister();
      }
      hoisted_[v] = live_[v] && uniform_[v] && scalar_[v] == kNone;
    }
  }

  bool isBody(ValueId v) const { return live_[v] && !uniform_[v]; }
  // Uniform values computed by the uniform section (not t, dt, count, parameters or constants).
  bool isComputedUniform(ValueId v) const { return hoisted_[v]; }

  // How body instruction v takes operand a; see the opcode table for the forms that exist.
  Form form(ValueId v, std::size_t a) const {
    const ir::Instruction& inst = at(v);
    if (a >= arity(v)) return Form::None;
    ValueId x = inst.operands[a];
    switch (inst.op) {
      case Opcode::Load:
      case Opcode::LoadIndex:
      case Opcode::Store:
      case Opcode::Accumulate:
        if (a == 0 && at(x).op == Opcode::Element) return Form::ElementIndex;
        return Form::Vector;
      case Opcode::Select:
        // The condition is always a register; either value may be scalar.
        return a > 0 && uniform_[x] ? Form::Scalar : Form::Vector;
      case Opcode::Clip:
        if (!uniform_[inst.operands[0]] && uniform_[inst.operands[1]] &&
            uniform_[inst.operands[2]]) {
          return a == 0 ? Form::Vector : Form::Scalar;
        }
        return Form::Vector;
      default:
        // Binary families have RS and SR forms; in the body at most one operand is uniform.
        if (isBinaryFamily(inst.op) && uniform_[x]) return Form::Scalar;
        return Form::Vector;
    }
  }

  void computeLastUses() {
    for (ValueId v = 0; v < n_; ++v) {
      if (!live_[v]) continue;
      for (std::size_t a = 0; a < arity(v); ++a) {
        ValueId x = at(v).operands[a];
        if (uniform_[v]) {
          last_uniform_use_[x] = v;
          continue;
        }
        if (uniform_[x]) read_by_body_[x] = true;
        Form f = form(v, a);
        if (f == Form::Vector) (uniform_[x] ? last_broadcast_use_[x] : last_vector_use_[x]) = v;
      }
    }
  }

  static Instruction word(Op op, std::uint32_t a = 0, std::uint32_t b = 0, std::uint32_t c = 0) {
    return {static_cast<std::uint16_t>(op), static_cast<std::uint16_t>(a),
            static_cast<std::uint16_t>(b), static_cast<std::uint16_t>(c)};
  }

  void checkRegister(std::uint32_t r) const {
    if (r > 0xffff)
      throw std::logic_error(
          fmt::format("bytecode: kernel `{}` needs more than 65536 registers", k_.name));
  }

  // Emits the instruction for v into `code`. r[a] is operand a's register (scalar or vector as
  // f[a] says), dst the result's register.
  void emitInstruction(std::vector<Instruction>& code, ValueId v, std::uint32_t dst,
                       const std::array<std::uint32_t, 3>& r, const std::array<Form, 3>& f) {
    const ir::Instruction& inst = at(v);
    checkRegister(dst == kNone ? 0 : dst);
    for (std::uint32_t x : r) checkRegister(x == kNone ? 0 : x);
    switch (inst.op) {
      case Opcode::Element:
        code.push_back(word(Op::Element, dst));
        return;
      case Opcode::Load:
        code.push_back(f[0] == Form::ElementIndex ? word(Op::LoadE, dst, 0, inst.slot)
                                                  : word(Op::Load, dst, r[0], inst.slot));
        return;
      case Opcode::LoadIndex:
        code.push_back(f[0] == Form::ElementIndex ? word(Op::LoadIndexE, dst, 0, inst.slot)
                                                  : word(Op::LoadIndex, dst, r[0], inst.slot));
        return;
      case Opcode::Store:
        code.push_back(f[0] == Form::ElementIndex ? word(Op::StoreE, 0, r[1], inst.slot)
                                                  : word(Op::Store, r[0], r[1], inst.slot));
        return;
      case Opcode::Accumulate:
        code.push_back(f[0] == Form::ElementIndex ? word(Op::AccumulateE, 0, r[1], inst.slot)
                                                  : word(Op::Accumulate, r[0], r[1], inst.slot));
        return;
      case Opcode::EmitSpike:
        code.push_back(word(Op::Spike, r[0]));
        return;
      case Opcode::Timed:
        code.push_back(word(Op::Timed, dst, r[0], inst.slot));
        return;
      case Opcode::Rand:
      case Opcode::Randn: {
        if (inst.imm < 0 || inst.imm > 0xffff) {
          throw std::logic_error(fmt::format(
              "bytecode: kernel `{}`: random stream {} outside 0..65535", k_.name, inst.imm));
        }
        code.push_back(word(inst.op == Opcode::Rand ? Op::Rand : Op::Randn, dst, r[0]));
        code.push_back(word(Op::Extra, static_cast<std::uint32_t>(inst.imm), inst.slot >> 16,
                            inst.slot & 0xffff));
        return;
      }
      case Opcode::Select: {
        bool sy = f[1] == Form::Scalar, sz = f[2] == Form::Scalar;
        Op op = sy ? (sz ? Op::SelectSS : Op::SelectSR) : (sz ? Op::SelectRS : Op::Select);
        code.push_back(word(op, dst, r[0], r[1]));
        code.push_back(word(Op::Extra, r[2]));
        return;
      }
      case Opcode::Clip:
        code.push_back(word(f[1] == Form::Scalar ? Op::ClipSS : Op::Clip, dst, r[0], r[1]));
        code.push_back(word(Op::Extra, r[2]));
        return;
      default:
        break;
    }
    if (isBinaryFamily(inst.op)) {
      Family fam = family(inst.op);
      Op op = f[0] == Form::Scalar ? fam.sr : f[1] == Form::Scalar ? fam.rs : fam.rr;
      code.push_back(word(op, dst, r[0], r[1]));
      return;
    }
    code.push_back(word(sameNamed(inst.op), dst, r[0], arity(v) > 1 ? r[1] : 0));
  }

  void emitUniform() {
    RegisterPool pool(out_.firstTemporaryRegister());
    for (ValueId v = 0; v < n_; ++v) {
      if (!isComputedUniform(v)) continue;
      std::array<std::uint32_t, 3> r = {kNone, kNone, kNone};
      std::array<Form, 3> f = {Form::None, Form::None, Form::None};
      for (std::size_t a = 0; a < arity(v); ++a) {
        r[a] = scalar_[at(v).operands[a]];
        f[a] = Form::Vector;  // in the uniform section every operand is a register of its file
      }
      scalar_[v] = pool.take();
      emitInstruction(out_.uniform_code, v, scalar_[v], r, f);
      for (std::size_t a = 0; a < arity(v); ++a) {
        ValueId x = at(v).operands[a];
        bool repeated = (a > 0 && at(v).operands[0] == x) || (a > 1 && at(v).operands[1] == x);
        if (!repeated && isComputedUniform(x) && last_uniform_use_[x] == v && !read_by_body_[x]) {
          pool.give(scalar_[x]);
        }
      }
      // A value nothing reads again (live only through a body broadcast) keeps its register.
      if (last_uniform_use_[v] == kNone && !read_by_body_[v]) pool.give(scalar_[v]);
    }
    out_.uniform_code.push_back(word(Op::End));
    out_.num_scalar_registers = pool.highWater();
  }

  void emitBody() {
    RegisterPool pool(0);
    for (ValueId v = 0; v < n_; ++v) {
      if (!isBody(v)) continue;  // writes are never uniform, so they are all here
      const ir::Instruction& inst = at(v);
      std::array<std::uint32_t, 3> r = {kNone, kNone, kNone};
      std::array<Form, 3> f = {Form::None, Form::None, Form::None};
      for (std::size_t a = 0; a < arity(v); ++a) {
        ValueId x = inst.operands[a];
        f[a] = form(v, a);
        if (f[a] == Form::Scalar) {
          r[a] = scalar_[x];
        } else if (f[a] == Form::Vector && uniform_[x]) {
          if (broadcast_[x] == kNone) {
            broadcast_[x] = pool.take();
            checkRegister(broadcast_[x]);
            out_.body_code.push_back(word(Op::Broadcast, broadcast_[x], scalar_[x]));
          }
          r[a] = broadcast_[x];
        } else if (f[a] == Form::Vector) {
          r[a] = vector_[x];
        }
      }
      // An element used only to address memory needs no register.
      bool needs_result = inst.type != ir::Type::Void && last_vector_use_[v] != kNone;
      if (inst.op == Opcode::Element && !needs_result) continue;
      std::uint32_t dst = kNone;
      if (inst.type != ir::Type::Void) dst = vector_[v] = pool.take();
      emitInstruction(out_.body_code, v, dst, r, f);
      for (std::size_t a = 0; a < arity(v); ++a) {
        ValueId x = inst.operands[a];
        bool repeated = (a > 0 && inst.operands[0] == x) || (a > 1 && inst.operands[1] == x);
        if (repeated || f[a] != Form::Vector) continue;
        if (uniform_[x] && last_broadcast_use_[x] == v) pool.give(broadcast_[x]);
        if (!uniform_[x] && last_vector_use_[x] == v) pool.give(vector_[x]);
      }
      if (dst != kNone && !needs_result) pool.give(dst);
    }
    out_.body_code.push_back(word(Op::End));
    out_.num_vector_registers = pool.highWater();
  }

  const ir::Kernel& k_;
  std::size_t n_;
  BytecodeKernel out_;
  std::vector<bool> uniform_;
  std::vector<bool> live_;
  std::vector<std::uint32_t> scalar_;     // uniform values: their scalar register
  std::vector<std::uint32_t> vector_;     // body values: their vector register
  std::vector<std::uint32_t> broadcast_;  // uniform values broadcast for the body
  std::vector<ValueId> last_vector_use_;
  std::vector<ValueId> last_broadcast_use_;
  std::vector<ValueId> last_uniform_use_;
  std::vector<bool> read_by_body_;
  std::vector<bool> hoisted_;
};

}  // namespace

interpreter::BytecodeKernel compileToBytecode(const ir::Kernel& kernel) {
  return Compiler(kernel).run();
}

}  // namespace snn::codegen
