// Lowering symbolic expressions and variable accesses into one kernel; see kernel_context.h.
#include "compiler/lower/kernel_context.h"

#include <fmt/format.h>

namespace snn::lower {

using equations::Expr;
using equations::Node;
using ir::Opcode;
using ir::ValueId;
using sema::BuiltinFunction;
using sema::BuiltinVariable;

KernelContext::KernelContext(std::string name, ir::Domain domain, KernelShape shape,
                             std::uint32_t stream)
    : builder_(kernel_), shape_(shape), stream_(stream) {
  kernel_.name = std::move(name);
  kernel_.domain = domain;
}

ir::Kernel KernelContext::take() {
  flush();
  return std::move(kernel_);
}

ValueId KernelContext::element() {
  if (!element_) element_ = builder_.element();
  return *element_;
}

ValueId KernelContext::preIndex() {
  if (!pre_) {
    if (shape_ == KernelShape::Neuron) throw LoweringError{"`pre` has no meaning in a neuron"};
    pre_ = builder_.loadIndex(shape_ == KernelShape::Pair ? "pair.pre" : "pre_index", element());
  }
  return *pre_;
}

ValueId KernelContext::postIndex() {
  if (!post_) {
    if (shape_ == KernelShape::Neuron) throw LoweringError{"`post` has no meaning in a neuron"};
    post_ = builder_.loadIndex(shape_ == KernelShape::Pair ? "pair.post" : "post_index", element());
  }
  return *post_;
}

ValueId KernelContext::own(const std::string& name) {
  if (shape_ == KernelShape::Pair) {
    throw LoweringError{fmt::format("`{}` does not exist yet while synapses are being made", name)};
  }
  auto it = current_.find(name);
  if (it != current_.end()) return it->second;
  ValueId v = builder_.load(name, element());
  current_[name] = v;
  return v;
}

void KernelContext::setOwn(const std::string& name, ValueId value) {
  current_[name] = asFloat(value);
  dirty_[name] = true;
  invalidate();
}

ValueId KernelContext::neighbour(bool is_post, const std::string& name) {
  std::string buffer = (is_post ? "post." : "pre.") + name;
  auto it = neighbours_.find(buffer);
  if (it != neighbours_.end()) return it->second;
  ValueId v = builder_.load(buffer, is_post ? postIndex() : preIndex());
  neighbours_[buffer] = v;
  return v;
}

void KernelContext::writeNeighbour(bool is_post, const std::string& name, ast::AssignOp op,
                                   ValueId value, std::optional<ValueId> mask) {
  std::string buffer = (is_post ? "post." : "pre.") + name;
  ValueId index = is_post ? postIndex() : preIndex();
  value = asFloat(value);
  switch (op) {
    case ast::AssignOp::Add:
    case ast::AssignOp::Sub: {
      if (op == ast::AssignOp::Sub) value = builder_.op(Opcode::Neg, value);
      if (mask) value = builder_.op(Opcode::Select, *mask, value, builder_.constant(0.0));
      builder_.accumulate(buffer, index, value);
      break;
    }
    case ast::AssignOp::Set:
    case ast::AssignOp::Mul:
    case ast::AssignOp::Div: {
      ValueId old = builder_.load(buffer, index);
      if (op == ast::AssignOp::Mul) value = builder_.op(Opcode::Mul, old, value);
      if (op == ast::AssignOp::Div) value = builder_.op(Opcode::Div, old, value);
      if (mask) value = builder_.op(Opcode::Select, *mask, value, old);
      builder_.store(buffer, index, value);
      break;
    }
  }
  neighbours_.erase(buffer);
  invalidate();
}

void KernelContext::flush() {
  for (auto& [name, is_dirty] : dirty_) {
    if (is_dirty) builder_.store(name, element(), current_.at(name));
    is_dirty = false;
  }
}

ValueId KernelContext::asFloat(ValueId v) {
  switch (typeOf(v)) {
    case ir::Type::F64:
      return v;
    case ir::Type::I64:
      return builder_.op(Opcode::IntToFloat, v);
    case ir::Type::Bool:
      return builder_.op(Opcode::Select, v, builder_.constant(1.0), builder_.constant(0.0));
    case ir::Type::Void:
      break;
  }
  throw LoweringError{"a statement has no value"};
}

ValueId KernelContext::asBool(ValueId v) {
  if (typeOf(v) == ir::Type::Bool) return v;
  // A condition stored as a number and read back within the kernel: use the condition.
  const ir::Instruction& inst = kernel_.body.at(v);
  if (inst.op == Opcode::Select) {
    const ir::Instruction& yes = kernel_.body.at(inst.operands[1]);
    const ir::Instruction& no = kernel_.body.at(inst.operands[2]);
    if (yes.op == Opcode::ConstF && yes.constant == 1.0 && no.op == Opcode::ConstF &&
        no.constant == 0.0) {
      return inst.operands[0];
    }
  }
  return builder_.op(Opcode::Ne, asFloat(v), builder_.constant(0.0));
}

ValueId KernelContext::lower(const Expr& e) {
  if (!e) throw LoweringError{"an expression could not be built (an earlier error)"};
  return lowerNode(e);
}

ValueId KernelContext::randomElement(const Node& n) {
  if (shape_ == KernelShape::Pair) {
    throw LoweringError{
        "random numbers are not available in connection rules; use `p = ...`, "
        "which draws for every pair",
        n.origin};
  }
  return element();
}

ValueId KernelContext::lowerBuiltin(const Node& n) {
  switch (n.builtin) {
    case BuiltinVariable::T:
      return builder_.time();
    case BuiltinVariable::Dt:
      return timeStep();
    case BuiltinVariable::I:
      return builder_.op(Opcode::IntToFloat,
                         shape_ == KernelShape::Neuron ? element() : preIndex());
    case BuiltinVariable::J:
      return builder_.op(Opcode::IntToFloat, postIndex());
    case BuiltinVariable::N:
      if (shape_ != KernelShape::Neuron) break;
      return builder_.constant(size);
    case BuiltinVariable::NPre:
      return builder_.constant(n_pre);
    case BuiltinVariable::NPost:
      return builder_.constant(n_post);
    case BuiltinVariable::Lastspike:
      return own("lastspike");
    default:
      break;
  }
  throw LoweringError{fmt::format("`{}` cannot be used here", n.name), n.origin};
}

namespace {

std::optional<Opcode> unaryFunction(BuiltinFunction f) {
  switch (f) {
    case BuiltinFunction::Exp:
      return Opcode::Exp;
    case BuiltinFunction::Log:
      return Opcode::Log;
    case BuiltinFunction::Log10:
      return Opcode::Log10;
    case BuiltinFunction::Sin:
      return Opcode::Sin;
    case BuiltinFunction::Cos:
      return Opcode::Cos;
    case BuiltinFunction::Tan:
      return Opcode::Tan;
    case BuiltinFunction::Sinh:
      return Opcode::Sinh;
    case BuiltinFunction::Cosh:
      return Opcode::Cosh;
    case BuiltinFunction::Tanh:
      return Opcode::Tanh;
    case BuiltinFunction::Arcsin:
      return Opcode::Asin;
    case BuiltinFunction::Arccos:
      return Opcode::Acos;
    case BuiltinFunction::Arctan:
      return Opcode::Atan;
    case BuiltinFunction::Exprel:
      return Opcode::Exprel;
    case BuiltinFunction::Sqrt:
      return Opcode::Sqrt;
    case BuiltinFunction::Abs:
      return Opcode::Abs;
    case BuiltinFunction::Floor:
      return Opcode::Floor;
    case BuiltinFunction::Ceil:
      return Opcode::Ceil;
    case BuiltinFunction::Sign:
      return Opcode::Sign;
    default:
      return std::nullopt;
  }
}

}  // namespace

ValueId KernelContext::lowerCall(const Node& n) {
  std::vector<ValueId> args;
  for (const Expr& a : n.args) args.push_back(asFloat(lowerNode(a)));
  if (auto op = unaryFunction(n.function); op && args.size() == 1) {
    return builder_.op(*op, args[0]);
  }
  switch (n.function) {
    case BuiltinFunction::Int: {
      // Truncation towards zero without a float -> int conversion (which has no value for
      // large or non-finite numbers).
      ValueId x = args.at(0);
      ValueId positive = builder_.op(Opcode::Ge, x, builder_.constant(0.0));
      return builder_.op(Opcode::Select, positive, builder_.op(Opcode::Floor, x),
                         builder_.op(Opcode::Ceil, x));
    }
    case BuiltinFunction::Min:
      return builder_.op(Opcode::Min, args.at(0), args.at(1));
    case BuiltinFunction::Max:
      return builder_.op(Opcode::Max, args.at(0), args.at(1));
    case BuiltinFunction::Clip:
      return builder_.op(Opcode::Clip, args.at(0), args.at(1), args.at(2));
    case BuiltinFunction::Rand:
      return builder_.rand(stream_, randomElement(n));
    case BuiltinFunction::Randn:
      return builder_.randn(stream_, randomElement(n));
    default:
      break;
  }
  throw LoweringError{fmt::format("`{}` cannot be used in model code", n.name), n.origin};
}

ValueId KernelContext::lowerNode(const Expr& e) {
  const Node& n = *e;
  if (auto it = memo_.find(&n); it != memo_.end()) return it->second.second;
  ValueId v = ir::kNoValue;
  auto bin = [&](Opcode op) {
    return builder_.op(op, asFloat(lowerNode(n.args.at(0))), asFloat(lowerNode(n.args.at(1))));
  };
  switch (n.op) {
    case equations::Op::Constant:
      v = builder_.constant(n.value);
      break;
    case equations::Op::State:
      if (n.index >= own_names.size()) {
        throw LoweringError{fmt::format("`{}` is not available here", n.name), n.origin};
      }
      v = own(own_names[n.index]);
      break;
    case equations::Op::Parameter:
      if (n.index >= parameters.size()) {
        throw LoweringError{fmt::format("parameter `{}` has no value", n.name), n.origin};
      }
      v = builder_.constant(parameters[n.index]);
      break;
    case equations::Op::Builtin:
      v = lowerBuiltin(n);
      break;
    case equations::Op::Neighbour:
      v = neighbour(n.index == 1, n.name);
      break;
    case equations::Op::Noise: {
      auto it = noise_.find(n.name);
      if (it == noise_.end()) {
        it = noise_.emplace(n.name, builder_.randn(stream_, randomElement(n))).first;
      }
      v = it->second;
      break;
    }
    case equations::Op::TimedArray: {
      ValueId at = asFloat(lowerNode(n.args.at(0)));
      if (std::find(tables_.begin(), tables_.end(), n.let) == tables_.end()) {
        tables_.push_back(n.let);
      }
      v = builder_.timed(n.name, at);
      break;
    }
    case equations::Op::Call:
      v = lowerCall(n);
      break;
    case equations::Op::Neg:
      v = builder_.op(Opcode::Neg, asFloat(lowerNode(n.args.at(0))));
      break;
    case equations::Op::Add:
      v = bin(Opcode::Add);
      break;
    case equations::Op::Sub:
      v = bin(Opcode::Sub);
      break;
    case equations::Op::Mul:
      v = bin(Opcode::Mul);
      break;
    case equations::Op::Div:
      v = bin(Opcode::Div);
      break;
    case equations::Op::Mod:
      v = bin(Opcode::Mod);
      break;
    case equations::Op::Pow:
      v = bin(Opcode::Pow);
      break;
    case equations::Op::Eq:
      v = bin(Opcode::Eq);
      break;
    case equations::Op::Ne:
      v = bin(Opcode::Ne);
      break;
    case equations::Op::Lt:
      v = bin(Opcode::Lt);
      break;
    case equations::Op::Le:
      v = bin(Opcode::Le);
      break;
    case equations::Op::Gt:
      v = bin(Opcode::Gt);
      break;
    case equations::Op::Ge:
      v = bin(Opcode::Ge);
      break;
    case equations::Op::And:
    case equations::Op::Or:
      v = builder_.op(n.op == equations::Op::And ? Opcode::And : Opcode::Or,
                      asBool(lowerNode(n.args.at(0))), asBool(lowerNode(n.args.at(1))));
      break;
    case equations::Op::Not:
      v = builder_.op(Opcode::Not, asBool(lowerNode(n.args.at(0))));
      break;
  }
  memo_.emplace(&n, std::make_pair(e, v));
  return v;
}

}  // namespace snn::lower
