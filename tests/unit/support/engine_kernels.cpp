// See engine_kernels.h.
#include "engine_kernels.h"

#include <utility>

#include "compiler/codegen/bytecode_compiler.h"
#include "compiler/ir/passes.h"
#include "vm/interpreter/vm_kernel.h"

namespace snn::testing {

std::unique_ptr<engine::Kernel> vmKernel(std::string name, ir::Domain domain,
                                         const KernelBody& body) {
  ir::Kernel kernel;
  kernel.name = std::move(name);
  kernel.domain = domain;
  ir::KernelBuilder builder(kernel);
  body(builder);
  ir::optimize(kernel);
  return interpreter::makeVmKernel(codegen::compileToBytecode(kernel));
}

ir::ValueId loadAt(ir::KernelBuilder& b, std::string_view buffer) {
  return b.load(buffer, b.element());
}

void storeAt(ir::KernelBuilder& b, std::string_view buffer, ir::ValueId value) {
  b.store(buffer, b.element(), value);
}

engine::GroupPlan group(std::string name, engine::Index size,
                        std::vector<std::pair<std::string, double>> variables) {
  engine::GroupPlan g;
  g.name = std::move(name);
  g.size = size;
  g.model = "test";
  for (auto& [variable, initial] : variables) g.variables.push_back({variable, "1", initial});
  return g;
}

engine::GroupPlan spikeGenerator(std::string name, engine::Index size,
                                 std::vector<std::pair<engine::Index, engine::Step>> spikes) {
  engine::GroupPlan g = group(std::move(name), size, {});
  g.kind = engine::GroupKind::SpikeGenerator;
  g.model = "spikes";
  for (auto [neuron, step] : spikes) {
    g.generator_indices.push_back(neuron);
    g.generator_steps.push_back(step);
  }
  return g;
}

engine::ConnectionPlan connection(std::string name, std::size_t source, std::size_t target,
                                  engine::ConnectionRule rule) {
  engine::ConnectionPlan c;
  c.name = std::move(name);
  c.source = source;
  c.target = target;
  c.rule = rule;
  return c;
}

}  // namespace snn::testing
