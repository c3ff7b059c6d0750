// The opcode table and the bytecode verifier; see bytecode.h. The verifier is what lets the
// interpreter's hot loop index registers and slots without checks: everything it accepts is
// safe to run, so a broken kernel is reported as an internal error before it can crash.
#include "vm/interpreter/bytecode.h"

#include <array>
#include <bit>

#include <fmt/format.h>

namespace snn::interpreter {
namespace {

constexpr std::array<OpInfo, kOpCount> kOpInfo = {{
#define BC_OP(Name, Mnemonic, Fields, Extra, Section) {Mnemonic, Fields, Extra, OpSection::Section},
#include "vm/interpreter/opcodes.def"
#undef BC_OP
}};

bool writesBuffer(Op op) {
  return op == Op::StoreE || op == Op::Store || op == Op::AccumulateE || op == Op::Accumulate;
}

class Verifier {
 public:
  explicit Verifier(const BytecodeKernel& k) : k_(k) {}

  std::vector<std::string> run() {
    if (k_.num_vector_registers > kMaxVectorRegisters) {
      problem(fmt::format("{} vector registers, more than the limit of {}", k_.num_vector_registers,
                          kMaxVectorRegisters));
    }
    if (k_.num_scalar_registers > kMaxScalarRegisters) {
      problem(fmt::format("{} scalar registers, more than the limit of {}", k_.num_scalar_registers,
                          kMaxScalarRegisters));
    }
    if (k_.firstTemporaryRegister() > k_.num_scalar_registers) {
      problem(fmt::format(
          "{} scalar registers cannot hold t, dt, count, {} parameters and {} constants",
          k_.num_scalar_registers, k_.params.size(), k_.constants.size()));
    }
    for (std::size_t n = 0; n < k_.constants.size(); ++n) {
      const Constant& c = k_.constants[n];
      if (c.type == ConstantType::Bool && c.bits != std::bit_cast<std::uint64_t>(0.0) &&
          c.bits != std::bit_cast<std::uint64_t>(1.0)) {
        problem(fmt::format("bool constant {} is not 0.0 or 1.0", n));
      }
    }
    if (!problems_.empty()) return problems_;  // the register counts below would be meaningless
    section("uniform", k_.uniform_code, false);
    section("body", k_.body_code, true);
    return problems_;
  }

 private:
  void problem(std::string what) { problems_.push_back(fmt::format("{}: {}", k_.name, what)); }

  void section(std::string_view name, const std::vector<Instruction>& code, bool body) {
    section_ = name;
    body_ = body;
    if (code.empty() || code.back().op != static_cast<std::uint16_t>(Op::End)) {
      problem(fmt::format("the {} section does not end with `end`", name));
    }
    for (std::size_t at = 0; at < code.size(); ++at) {
      at_ = at;
      const Instruction& inst = code[at];
      if (inst.op >= kOpCount) {
        here(fmt::format("unknown opcode {}", inst.op));
        continue;
      }
      Op op = static_cast<Op>(inst.op);
      const OpInfo& info = opInfo(op);
      if (op == Op::Extra) {
        here("`extra` without an instruction before it that takes one");
        continue;
      }
      if (op == Op::End && at + 1 != code.size()) here("`end` before the end of the section");
      if (!body && info.section == OpSection::Body) {
        here(fmt::format("`{}` is only allowed in the body", info.mnemonic));
      }
      const std::uint16_t fields[3] = {inst.a, inst.b, inst.c};
      for (int f = 0; f < 3; ++f) field(info, "ABC"[f], info.fields[f], fields[f]);
      // The interpreter's loops take the destination as `restrict`: it may not be a source of
      // the same register file.
      if (info.fields[0] == 'R') {
        for (int f = 1; f < 3; ++f) {
          char kind = info.fields[f];
          if (fields[f] == inst.a && (kind == 'r' || (kind == 's' && !body))) {
            here(fmt::format("`{}` writes register {} that it also reads", info.mnemonic, inst.a));
          }
        }
        if (!body && inst.a < k_.firstTemporaryRegister()) {
          here(fmt::format(
              "`{}` overwrites s{}, which holds t, dt, count, a parameter or a constant",
              info.mnemonic, inst.a));
        }
      }
      if (writesBuffer(op) && inst.c < k_.buffers.size() && !k_.buffers[inst.c].written) {
        here(fmt::format("`{}` writes buffer `{}`, which is not marked written", info.mnemonic,
                         k_.buffers[inst.c].name));
      }
      if (info.extra != '-') {
        if (at + 1 >= code.size() || code[at + 1].op != static_cast<std::uint16_t>(Op::Extra)) {
          here(fmt::format("`{}` is not followed by its `extra` word", info.mnemonic));
          continue;
        }
        const Instruction& extra = code[at + 1];
        if (info.extra == 'r' || info.extra == 's') {
          field(info, 'D', info.extra, extra.a);
          if (extra.b != 0 || extra.c != 0) here("unused fields of `extra` are not 0");
          if (info.fields[0] == 'R' && extra.a == inst.a && (info.extra == 'r' || !body)) {
            here(fmt::format("`{}` writes register {} that it also reads", info.mnemonic, inst.a));
          }
        }
        ++at;  // the extra word is part of this instruction
      }
    }
  }

  void field(const OpInfo& info, char name, char kind, std::uint16_t value) {
    auto bad = [&](std::string what) {
      here(fmt::format("`{}` field {}: {}", info.mnemonic, name, what));
    };
    std::uint32_t vectors = k_.num_vector_registers, scalars = k_.num_scalar_registers;
    switch (kind) {
      case '-':
        if (value != 0) bad("unused, must be 0");
        break;
      case 'R':
      case 'r':
        if (body_ && value >= vectors) {
          bad(fmt::format("register v{} out of range ({} vector registers)", value, vectors));
        } else if (!body_ && value >= scalars) {
          bad(fmt::format("register s{} out of range ({} scalar registers)", value, scalars));
        }
        break;
      case 's':
        if (value >= scalars)
          bad(fmt::format("register s{} out of range ({} scalar registers)", value, scalars));
        break;
      case 'f':
      case 'x':
        if (value >= k_.buffers.size()) {
          bad(fmt::format("buffer slot {} out of range ({} buffers)", value, k_.buffers.size()));
        } else if (k_.buffers[value].is_index != (kind == 'x')) {
          bad(fmt::format("buffer `{}` is {}, `{}` needs {}", k_.buffers[value].name,
                          k_.buffers[value].is_index ? "i64" : "f64", info.mnemonic,
                          kind == 'x' ? "i64" : "f64"));
        }
        break;
      case 't':
        if (value >= k_.tables.size())
          bad(fmt::format("table slot {} out of range ({} tables)", value, k_.tables.size()));
        break;
      case 'n':
        break;  // a random stream: every 16-bit value is one
      default:
        bad(fmt::format("unknown field kind '{}' in the opcode table", kind));
    }
  }

  void here(std::string what) { problem(fmt::format("{} {}: {}", section_, at_, what)); }

  const BytecodeKernel& k_;
  std::vector<std::string> problems_;
  std::string_view section_;
  bool body_ = false;
  std::size_t at_ = 0;
};

}  // namespace

const OpInfo& opInfo(Op op) {
  return kOpInfo[static_cast<std::size_t>(op)];
}

std::vector<std::string> verifyBytecode(const BytecodeKernel& kernel) {
  return Verifier(kernel).run();
}

}  // namespace snn::interpreter
