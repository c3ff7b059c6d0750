// One kernel under construction: the bridge from the equations stage's symbolic form (and the
// statements of resets and synaptic events) to the IR.
//
// A kernel reads and writes named arrays (vm/engine/plan.h gives the conventions): its own
// variables at the element ("V" of neuron e, "w" of synapse e), a neighbour's at the synapse's
// pre or post index ("post.I_syn"), indices and outputs. Statements run in order, each seeing the
// values the previous ones wrote: own variables are kept as SSA values while the kernel is built
// and stored once at the end (flush), so `V = V_reset; w = V` reads the new V without a reload.
// Writes to a neighbour go to memory at once (several synapses may share a target): `+=` and
// `-=` become accumulations, so events onto one neuron add up.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/equations/symbolic.h"
#include "compiler/ir/builder.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/checked_program.h"

namespace snn::lower {

// What the element of a kernel is.
enum class KernelShape : std::uint8_t {
  Neuron,   // a neuron of a group: `i` is the element
  Synapse,  // a synapse: `i` and `j` are its pre and post indices
  Pair,     // a candidate pair during connection generation: "pair.pre", "pair.post"
};

// Something the kernel cannot express; the caller reports it with the node's origin.
struct LoweringError {
  std::string what;
  const ast::Expr* where = nullptr;
};

class KernelContext {
 public:
  KernelContext(std::string name, ir::Domain domain, KernelShape shape, std::uint32_t stream);
  // The builder refers to the kernel member: a context stays where it was made.
  KernelContext(const KernelContext&) = delete;
  KernelContext& operator=(const KernelContext&) = delete;

  // Configuration, set before lowering anything.
  std::vector<std::string> own_names;      // State leaf k -> the buffer own_names[k]
  std::vector<double> parameters;          // Parameter leaf k -> this value
  double size = 0, n_pre = 0, n_post = 0;  // N, N_pre, N_post
  // The experiment's time step: a constant of every kernel, so that `exp(-dt/tau)` folds to a
  // number at compile time (0: read it from the clock).
  double dt = 0;

  ir::KernelBuilder& builder() { return builder_; }
  ir::Kernel take();  // flushes first; the context is spent afterwards

  // Values.
  ir::ValueId element();
  ir::ValueId preIndex();   // Synapse: pre_index[e]; Pair: pair.pre[e]
  ir::ValueId postIndex();  // Synapse: post_index[e]; Pair: pair.post[e]
  ir::ValueId own(const std::string& name);
  void setOwn(const std::string& name, ir::ValueId value);
  ir::ValueId neighbour(bool is_post, const std::string& name);
  // `pre.X op= value` / `post.X op= value`, applied only where `mask` holds (if given).
  void writeNeighbour(bool is_post, const std::string& name, ast::AssignOp op, ir::ValueId value,
                      std::optional<ir::ValueId> mask);
  // Symbolic -> IR. Throws LoweringError for what the IR cannot express.
  ir::ValueId lower(const equations::Expr& e);
  ir::ValueId asFloat(ir::ValueId v);
  ir::ValueId asBool(ir::ValueId v);
  ir::ValueId constant(double v) { return builder_.constant(v); }
  ir::ValueId timeStep() { return dt > 0 ? builder_.constant(dt) : builder_.timeStep(); }
  ir::Type typeOf(ir::ValueId v) const { return kernel_.body.at(v).type; }

  // Stores every own variable that was set.
  void flush();
  // The timed arrays the kernel samples.
  const std::vector<const sema::CheckedLet*>& tablesUsed() const { return tables_; }

 private:
  ir::ValueId lowerNode(const equations::Expr& e);
  ir::ValueId lowerBuiltin(const equations::Node& n);
  ir::ValueId lowerCall(const equations::Node& n);
  ir::ValueId randomElement(const equations::Node& n);
  void invalidate() { memo_.clear(); }

  ir::Kernel kernel_;
  ir::KernelBuilder builder_;
  KernelShape shape_;
  std::uint32_t stream_;
  std::optional<ir::ValueId> element_, pre_, post_;
  std::map<std::string, ir::ValueId> current_;     // own variables: loaded or set
  std::map<std::string, bool> dirty_;              // set since the last flush
  std::map<std::string, ir::ValueId> neighbours_;  // loaded neighbour values (until written)
  std::unordered_map<std::string, ir::ValueId> noise_;
  // Lowered nodes, valid until a write; each entry keeps its node alive so that its address is
  // never reused by another node while it is a key.
  std::unordered_map<const equations::Node*, std::pair<equations::Expr, ir::ValueId>> memo_;
  std::vector<const sema::CheckedLet*> tables_;
};

}  // namespace snn::lower
