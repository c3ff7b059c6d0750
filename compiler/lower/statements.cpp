// Lowering statement blocks; see statements.h.
#include "compiler/lower/statements.h"

#include <fmt/format.h>

namespace snn::lower {

using ir::Opcode;
using ir::ValueId;

void lowerAssignment(const WriteTarget& target, ast::AssignOp op, ValueId value,
                     KernelContext& kernel, std::optional<ValueId> mask) {
  if (target.neighbour) {
    kernel.writeNeighbour(target.is_post, target.name, op, value, mask);
    return;
  }
  auto& b = kernel.builder();
  ValueId old = kernel.own(target.name);
  value = kernel.asFloat(value);
  switch (op) {
    case ast::AssignOp::Set:
      break;
    case ast::AssignOp::Add:
      value = b.op(Opcode::Add, old, value);
      break;
    case ast::AssignOp::Sub:
      value = b.op(Opcode::Sub, old, value);
      break;
    case ast::AssignOp::Mul:
      value = b.op(Opcode::Mul, old, value);
      break;
    case ast::AssignOp::Div:
      value = b.op(Opcode::Div, old, value);
      break;
  }
  if (mask) value = b.op(Opcode::Select, *mask, value, old);
  kernel.setOwn(target.name, value);
}

void lowerBlock(const ast::Block& block, const sema::CheckedProgram& program, KernelContext& kernel,
                equations::SymbolicBuilder& symbols, const TargetResolver& resolve,
                std::optional<ValueId> mask) {
  auto& b = kernel.builder();
  for (const auto& stmt : block) {
    if (const auto* assign = std::get_if<ast::AssignStmt>(&stmt->node)) {
      const sema::Resolution* r = program.tables.targetOf(&assign->target);
      if (!r || !assign->value) throw LoweringError{"an assignment could not be resolved"};
      WriteTarget target = resolve(assign->target, *r);
      ValueId value = kernel.lower(symbols.build(*assign->value));
      lowerAssignment(target, assign->op, value, kernel, mask);
    } else if (const auto* branch = std::get_if<ast::IfStmt>(&stmt->node)) {
      if (!branch->condition) throw LoweringError{"a condition could not be resolved"};
      ValueId cond = kernel.asBool(kernel.lower(symbols.build(*branch->condition)));
      ValueId then_mask = mask ? b.op(Opcode::And, *mask, cond) : cond;
      ValueId not_cond = b.op(Opcode::Not, cond);
      ValueId else_mask = mask ? b.op(Opcode::And, *mask, not_cond) : not_cond;
      lowerBlock(branch->then_body, program, kernel, symbols, resolve, then_mask);
      lowerBlock(branch->else_body, program, kernel, symbols, resolve, else_mask);
    }
  }
}

}  // namespace snn::lower
