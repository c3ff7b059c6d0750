// The bytecode listing of `snnc emit bytecode`; see bytecode_compiler.h. Operands are printed
// from the opcode table's field kinds, so a new opcode needs no code here; a trailing comment
// names the scalar registers that hold t, dt, count, parameters and constants. It prints
// kernels that fail verification too (unknown opcodes, slots out of range), for debugging.
#include <bit>
#include <vector>

#include <fmt/format.h>

#include "compiler/codegen/bytecode_compiler.h"

namespace snn::codegen {
namespace {

using interpreter::BytecodeKernel;
using interpreter::Instruction;
using interpreter::Op;

std::string constantText(const interpreter::Constant& c) {
  switch (c.type) {
    case interpreter::ConstantType::F64:
      return fmt::format("{}", std::bit_cast<double>(c.bits));
    case interpreter::ConstantType::I64:
      return fmt::format("{} (i64)", static_cast<std::int64_t>(c.bits));
    case interpreter::ConstantType::Bool:
      return std::bit_cast<double>(c.bits) != 0 ? "true" : "false";
  }
  return "?";
}

class Listing {
 public:
  explicit Listing(const BytecodeKernel& k) : k_(k) {}

  std::string run() {
    out_ = fmt::format("bytecode {} over {}\n", k_.name, k_.domain);
    for (std::size_t b = 0; b < k_.buffers.size(); ++b) {
      const auto& buffer = k_.buffers[b];
      out_ += fmt::format("  buffer {} {}: {}{}\n", b, buffer.name, buffer.is_index ? "i64" : "f64",
                          buffer.written ? " (written)" : "");
    }
    for (std::size_t t = 0; t < k_.tables.size(); ++t)
      out_ += fmt::format("  table {} {}\n", t, k_.tables[t]);
    for (std::size_t p = 0; p < k_.params.size(); ++p) {
      out_ += fmt::format("  param s{} {}\n", interpreter::kFirstParamRegister + p, k_.params[p]);
    }
    for (std::size_t c = 0; c < k_.constants.size(); ++c) {
      out_ += fmt::format("  constant s{} = {}\n", k_.firstConstantRegister() + c,
                          constantText(k_.constants[c]));
    }
    out_ += fmt::format("  registers: {} vector ({} elements each), {} scalar\n",
                        k_.num_vector_registers, interpreter::kBatchSize, k_.num_scalar_registers);
    section("uniform", k_.uniform_code, false);
    section("body", k_.body_code, true);
    return std::move(out_);
  }

 private:
  // What a scalar register holds, if it is one of the fixed ones.
  std::string scalarMeaning(std::uint32_t s) const {
    if (s == interpreter::kTimeRegister) return "t";
    if (s == interpreter::kDtRegister) return "dt";
    if (s == interpreter::kCountRegister) return "count";
    if (s < k_.firstConstantRegister()) return k_.params[s - interpreter::kFirstParamRegister];
    if (s < k_.firstTemporaryRegister())
      return constantText(k_.constants[s - k_.firstConstantRegister()]);
    return {};
  }

  std::string reg(char kind, std::uint16_t value, bool body) {
    bool scalar = kind == 's' || !body;
    if (scalar) {
      std::string meaning = scalarMeaning(value);
      if (!meaning.empty()) notes_.push_back(fmt::format("s{} = {}", value, meaning));
    }
    return fmt::format("{}{}", scalar ? 's' : 'v', value);
  }

  std::string slot(char kind, std::uint16_t value) const {
    if (kind == 't')
      return value < k_.tables.size() ? k_.tables[value] : fmt::format("table{}", value);
    return value < k_.buffers.size() ? k_.buffers[value].name : fmt::format("buffer{}", value);
  }

  void section(std::string_view name, const std::vector<Instruction>& code, bool body) {
    out_ += fmt::format("{}:\n", name);
    for (std::size_t at = 0; at < code.size(); ++at) {
      const Instruction& inst = code[at];
      notes_.clear();
      std::string text;
      if (inst.op >= interpreter::kOpCount) {
        text = fmt::format("?{} {}, {}, {}", inst.op, inst.a, inst.b, inst.c);
      } else {
        text = instruction(code, at, body);
      }
      std::string line = fmt::format("  {:4}  {}", at, text);
      if (!notes_.empty()) {
        line = fmt::format("{:<44}; {}", line, fmt::join(notes_, ", "));
      }
      out_ += line + "\n";
      if (inst.op < interpreter::kOpCount &&
          interpreter::opInfo(static_cast<Op>(inst.op)).extra != '-' && at + 1 < code.size() &&
          code[at + 1].op == static_cast<std::uint16_t>(Op::Extra)) {
        ++at;  // printed with its instruction
      }
    }
  }

  std::string instruction(const std::vector<Instruction>& code, std::size_t at, bool body) {
    const Instruction& inst = code[at];
    Op op = static_cast<Op>(inst.op);
    const auto& info = interpreter::opInfo(op);
    const Instruction* extra = info.extra != '-' && at + 1 < code.size() &&
                                       code[at + 1].op == static_cast<std::uint16_t>(Op::Extra)
                                   ? &code[at + 1]
                                   : nullptr;
    std::string head = fmt::format("{:<10}", info.mnemonic);
    auto r = [&](char kind, std::uint16_t v) { return reg(kind, v, body); };
    switch (op) {
      case Op::LoadE:
      case Op::LoadIndexE:
        return fmt::format("{}{}, {}[e]", head, r('R', inst.a), slot('f', inst.c));
      case Op::Load:
      case Op::LoadIndex:
        return fmt::format("{}{}, {}[{}]", head, r('R', inst.a), slot('f', inst.c), r('r', inst.b));
      case Op::StoreE:
      case Op::AccumulateE:
        return fmt::format("{}{}[e], {}", head, slot('f', inst.c), r('r', inst.b));
      case Op::Store:
      case Op::Accumulate:
        return fmt::format("{}{}[{}], {}", head, slot('f', inst.c), r('r', inst.a), r('r', inst.b));
      case Op::Timed:
        return fmt::format("{}{}, {}({})", head, r('R', inst.a), slot('t', inst.c), r('r', inst.b));
      case Op::Rand:
      case Op::Randn:
        if (extra == nullptr) break;
        return fmt::format("{}{}, element {}, stream {}, draw {}", head, r('R', inst.a),
                           r('r', inst.b), extra->a, (std::uint32_t{extra->b} << 16) | extra->c);
      default:
        break;
    }
    std::vector<std::string> operands;
    const std::uint16_t fields[3] = {inst.a, inst.b, inst.c};
    for (int f = 0; f < 3; ++f) {
      char kind = info.fields[f];
      if (kind == '-') continue;
      operands.push_back(kind == 'R' || kind == 'r' || kind == 's' ? r(kind, fields[f])
                                                                   : slot(kind, fields[f]));
    }
    if (extra != nullptr && (info.extra == 'r' || info.extra == 's'))
      operands.push_back(r(info.extra, extra->a));
    if (info.extra != '-' && extra == nullptr) operands.push_back("<missing extra>");
    return fmt::format("{}{}", operands.empty() ? std::string(info.mnemonic) : head,
                       fmt::join(operands, ", "));
  }

  const BytecodeKernel& k_;
  std::string out_;
  std::vector<std::string> notes_;
};

}  // namespace

std::string disassemble(const BytecodeKernel& kernel) {
  return Listing(kernel).run();
}

}  // namespace snn::codegen
