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

std::unique_ptr<engine::Kernel> refractoryThreshold(std::string name, std::string variable,
                                                    double threshold, double refractory) {
  using ir::Opcode;
  return vmKernel(std::move(name), ir::Domain::Neurons, [&](ir::KernelBuilder& b) {
    ir::ValueId t = b.time(), dt = b.timeStep(), last = loadAt(b, "lastspike");
    auto steps = [&](ir::ValueId seconds) {
      return b.op(Opcode::Floor,
                  b.op(Opcode::Add, b.op(Opcode::Div, seconds, dt), b.constant(1e-3)));
    };
    ir::ValueId not_refractory =
        b.op(Opcode::Ge, steps(b.op(Opcode::Sub, t, last)), steps(b.constant(refractory)));
    b.emitSpike(b.op(Opcode::And, b.op(Opcode::Gt, loadAt(b, variable), b.constant(threshold)),
                     not_refractory));
    storeAt(b, "not_refractory",
            b.op(Opcode::Select, not_refractory, b.constant(1.0), b.constant(0.0)));
  });
}

}  // namespace snn::testing
