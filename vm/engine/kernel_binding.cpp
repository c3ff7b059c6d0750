// Binding kernels to the engine's arrays by the names of plan.h: a group kernel's names are the
// group's variables; a connection kernel's are its synapse variables, `pre.X` and `post.X` (the
// two groups' variables, indexed by the kernel with pre_index / post_index), the two index
// arrays, and the scratch buffers of the kernel's role ("delay", "result", "pair.pre",
// "pair.post"). A name the engine does not know, or an f64 array read as indices, is a lowering
// bug: std::logic_error naming the kernel and the buffer.
#include <algorithm>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "vm/engine/simulation_impl.h"

namespace snn::engine {

[[noreturn]] void failBinding(const Kernel& kernel, std::string_view buffer, std::string_view why) {
  throw std::logic_error(
      fmt::format("kernel `{}`: buffer `{}` {}", kernel.signature().name, buffer, why));
}

std::vector<double>* GroupState::find(std::string_view name) {
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return &values[k];
  return nullptr;
}

const std::vector<double>* GroupState::find(std::string_view name) const {
  return const_cast<GroupState*>(this)->find(name);
}

void Simulation::Impl::bindTables(Kernel& kernel) {
  const KernelSignature& s = kernel.signature();
  for (std::size_t slot = 0; slot < s.tables.size(); ++slot) {
    auto it = std::find_if(plan.tables.begin(), plan.tables.end(),
                           [&](const TablePlan& t) { return t.name == s.tables[slot]; });
    if (it == plan.tables.end())
      throw std::logic_error(
          fmt::format("kernel `{}`: no timed array `{}` in the plan", s.name, s.tables[slot]));
    kernel.bindTable(slot, it->values, it->dt);
  }
}

void Simulation::Impl::bindGroupKernel(std::size_t g, Kernel& kernel) {
  const KernelSignature& s = kernel.signature();
  for (std::size_t slot = 0; slot < s.buffers.size(); ++slot) {
    const KernelBufferInfo& b = s.buffers[slot];
    std::vector<double>* values = groups[g].find(b.name);
    if (values == nullptr)
      failBinding(kernel, b.name, fmt::format("is not a variable of `{}`", plan.groups[g].name));
    if (b.is_index) failBinding(kernel, b.name, "is an f64 variable, read as indices");
    kernel.bindBuffer(slot, *values);
  }
  bindTables(kernel);
}

void Simulation::Impl::bindConnectionKernel(std::size_t c, Kernel& kernel,
                                            std::span<const ExtraBuffer> extras,
                                            bool storage_exists) {
  const ConnectionPlan& cp = plan.connections[c];
  ConnectionState& cs = connections[c];
  const KernelSignature& s = kernel.signature();
  for (std::size_t slot = 0; slot < s.buffers.size(); ++slot) {
    const KernelBufferInfo& b = s.buffers[slot];
    const std::string_view name = b.name;
    auto extra = std::find_if(extras.begin(), extras.end(),
                              [&](const ExtraBuffer& e) { return e.name == name; });
    if (extra != extras.end()) {
      if (extra->is_index != b.is_index)
        failBinding(kernel, name,
                    extra->is_index ? "holds indices, read as f64" : "is f64, read as indices");
      if (b.is_index) {
        kernel.bindIndexBuffer(slot, extra->indices);
      } else {
        kernel.bindBuffer(slot, extra->values);
      }
      continue;
    }
    if (name == "pre_index" || name == "post_index") {
      if (!storage_exists) failBinding(kernel, name, "does not exist before the synapses do");
      if (!b.is_index) failBinding(kernel, name, "holds indices, read as f64");
      kernel.bindIndexBuffer(slot,
                             name == "pre_index" ? cs.storage.preIndex() : cs.storage.postIndex());
      continue;
    }
    std::vector<double>* values = nullptr;
    std::span<double> synapse_values;
    if (name.starts_with("pre.")) {
      values = groups[cp.source].find(name.substr(4));
      if (values == nullptr)
        failBinding(kernel, name,
                    fmt::format("is not a variable of `{}`", plan.groups[cp.source].name));
      synapse_values = *values;
    } else if (name.starts_with("post.")) {
      values = groups[cp.target].find(name.substr(5));
      if (values == nullptr)
        failBinding(kernel, name,
                    fmt::format("is not a variable of `{}`", plan.groups[cp.target].name));
      synapse_values = *values;
    } else if (storage_exists && cs.storage.hasVariable(name)) {
      synapse_values = cs.storage.variable(name);
    } else {
      failBinding(kernel, name, fmt::format("is not a variable of connection `{}`", cp.name));
    }
    if (b.is_index) failBinding(kernel, name, "is an f64 variable, read as indices");
    kernel.bindBuffer(slot, synapse_values);
  }
  bindTables(kernel);
}
}  // namespace snn::engine
