// Implementation of the IR optimisations; see passes.h.
#include "compiler/ir/passes.h"

#include <bit>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

#include "compiler/ir/scalar_semantics.h"
#include "compiler/ir/verifier.h"

namespace snn::ir {
namespace {

using Key = std::tuple<Opcode, Type, ValueId, ValueId, ValueId, std::uint64_t, std::int64_t,
                       std::uint32_t, std::uint64_t>;

class Optimizer {
 public:
  explicit Optimizer(Kernel& kernel) : kernel_(kernel), generation_(kernel.buffers.size(), 0) {}

  PassStatistics run() {
    std::vector<Instruction> old = std::move(kernel_.body);
    kernel_.body.clear();
    remap_.assign(old.size(), kNoValue);
    for (std::size_t id = 0; id < old.size(); ++id) {
      Instruction inst = old[id];
      for (std::size_t a = 0; a < operandCount(inst.op); ++a) inst.operands[a] = remap_[inst.operands[a]];
      remap_[id] = simplify(inst);
    }
    eliminateDeadCode();
    auto problems = verify(kernel_);
    if (!problems.empty()) throw std::logic_error("IR optimisation broke a kernel: " + problems.front());
    return stats_;
  }

 private:
  const Instruction& at(ValueId v) const { return kernel_.body[v]; }
  bool isConstF(ValueId v) const { return at(v).op == Opcode::ConstF; }
  bool isConstB(ValueId v) const { return at(v).op == Opcode::ConstB; }

  ValueId constantF(double x) {
    Instruction c;
    c.op = Opcode::ConstF;
    c.type = Type::F64;
    c.constant = x;
    return add(c);
  }
  ValueId constantB(bool b) {
    Instruction c;
    c.op = Opcode::ConstB;
    c.type = Type::Bool;
    c.constant = b ? 1 : 0;
    return add(c);
  }

  // Appends a pure or read instruction unless an identical one is available; writes always.
  ValueId add(const Instruction& inst) {
    Effect effect = info(inst.op).effect;
    if (effect == Effect::Write) {
      if ((inst.op == Opcode::Store || inst.op == Opcode::Accumulate) && inst.slot < generation_.size()) {
        ++generation_[inst.slot];
      }
      kernel_.body.push_back(inst);
      return static_cast<ValueId>(kernel_.body.size() - 1);
    }
    std::uint64_t generation =
        effect == Effect::Read && inst.slot < generation_.size() ? generation_[inst.slot] : 0;
    Key key{inst.op, inst.type, inst.operands[0], inst.operands[1], inst.operands[2],
            std::bit_cast<std::uint64_t>(inst.constant), inst.imm, inst.slot, generation};
    auto [it, inserted] = seen_.try_emplace(key, static_cast<ValueId>(kernel_.body.size()));
    if (!inserted) {
      ++stats_.merged;
      return it->second;
    }
    kernel_.body.push_back(inst);
    return it->second;
  }

  ValueId simplify(const Instruction& inst) {
    const ValueId* o = inst.operands;
    if (isFloatArithmetic(inst.op)) {
      std::size_t n = operandCount(inst.op);
      bool constant = true;
      for (std::size_t a = 0; a < n; ++a) constant = constant && isConstF(o[a]);
      if (constant) {
        ++stats_.folded;
        return constantF(evaluateFloat(inst.op, at(o[0]).constant, n > 1 ? at(o[1]).constant : 0,
                                       n > 2 ? at(o[2]).constant : 0));
      }
      // Identities exact for every double, NaN and infinities included.
      auto isOne = [&](ValueId v) { return isConstF(v) && at(v).constant == 1.0; };
      auto isPositiveZero = [&](ValueId v) {
        return isConstF(v) && at(v).constant == 0.0 && !std::signbit(at(v).constant);
      };
      if ((inst.op == Opcode::Mul && isOne(o[1])) || (inst.op == Opcode::Div && isOne(o[1])) ||
          (inst.op == Opcode::Sub && isPositiveZero(o[1]))) {
        ++stats_.folded;
        return o[0];
      }
      if (inst.op == Opcode::Mul && isOne(o[0])) {
        ++stats_.folded;
        return o[1];
      }
    } else if (isComparison(inst.op) && isConstF(o[0]) && isConstF(o[1])) {
      ++stats_.folded;
      return constantB(evaluateComparison(inst.op, at(o[0]).constant, at(o[1]).constant));
    } else if (isLogic(inst.op)) {
      bool unary = inst.op == Opcode::Not;
      if (isConstB(o[0]) && (unary || isConstB(o[1]))) {
        ++stats_.folded;
        return constantB(evaluateLogic(inst.op, at(o[0]).constant != 0, !unary && at(o[1]).constant != 0));
      }
    } else if (inst.op == Opcode::Select && isConstB(o[0])) {
      ++stats_.folded;
      return at(o[0]).constant != 0 ? o[1] : o[2];
    } else if (inst.op == Opcode::IntToFloat && at(o[0]).op == Opcode::ConstI) {
      ++stats_.folded;
      return constantF(static_cast<double>(at(o[0]).imm));
    }
    return add(inst);
  }

  void eliminateDeadCode() {
    std::vector<bool> live(kernel_.body.size(), false);
    for (std::size_t id = kernel_.body.size(); id-- > 0;) {
      const Instruction& inst = kernel_.body[id];
      if (info(inst.op).effect == Effect::Write) live[id] = true;
      if (!live[id]) continue;
      for (std::size_t a = 0; a < operandCount(inst.op); ++a) live[inst.operands[a]] = true;
    }
    std::vector<ValueId> renumber(kernel_.body.size(), kNoValue);
    std::vector<Instruction> kept;
    for (std::size_t id = 0; id < kernel_.body.size(); ++id) {
      if (!live[id]) {
        ++stats_.removed;
        continue;
      }
      Instruction inst = kernel_.body[id];
      for (std::size_t a = 0; a < operandCount(inst.op); ++a) inst.operands[a] = renumber[inst.operands[a]];
      renumber[id] = static_cast<ValueId>(kept.size());
      kept.push_back(inst);
    }
    kernel_.body = std::move(kept);
  }

  Kernel& kernel_;
  std::vector<std::uint64_t> generation_;
  std::vector<ValueId> remap_;
  std::map<Key, ValueId> seen_;
  PassStatistics stats_;
};

}  // namespace

PassStatistics optimize(Kernel& kernel) { return Optimizer(kernel).run(); }

}  // namespace snn::ir
