// Statements of resets, synaptic events and the protocol (`V = V_reset`, `post.I_syn += w`,
// `if ... { } else { }`) lowered into a kernel. Conditionals become data flow: each write under
// a condition keeps the old value where the condition does not hold.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "compiler/ast/ast.h"
#include "compiler/equations/symbolic_builder.h"
#include "compiler/lower/kernel_context.h"

namespace snn::lower {

// Where an assignment writes.
struct WriteTarget {
  bool neighbour = false;  // pre.X / post.X of a synapse
  bool is_post = false;
  std::string name;  // the buffer of an own variable, or X of a neighbour
};

// Maps a resolved assignment target to a WriteTarget; throws LoweringError when it cannot be
// written here.
using TargetResolver = std::function<WriteTarget(const ast::LValue&, const sema::Resolution&)>;

void lowerBlock(const ast::Block& block, const sema::CheckedProgram& program, KernelContext& kernel,
                equations::SymbolicBuilder& symbols, const TargetResolver& resolve,
                std::optional<ir::ValueId> mask = std::nullopt);

// One assignment `target op= value` to an own variable or a neighbour.
void lowerAssignment(const WriteTarget& target, ast::AssignOp op, ir::ValueId value,
                     KernelContext& kernel, std::optional<ir::ValueId> mask);

}  // namespace snn::lower
