// Kernels for engine tests, built the way lowering will build them: IR through
// ir::KernelBuilder, optimised, compiled to bytecode and wrapped as engine kernels by
// makeVmKernel. Tests write the body of a kernel as a lambda over a builder, and plans as plain
// aggregates, so each test shows the whole model it runs.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/builder.h"
#include "vm/engine/kernel.h"
#include "vm/engine/plan.h"

namespace snn::testing {

using KernelBody = std::function<void(ir::KernelBuilder&)>;

// Builds, optimises, compiles and wraps one kernel.
std::unique_ptr<engine::Kernel> vmKernel(std::string name, ir::Domain domain,
                                         const KernelBody& body);

// Shorthands for the common statements: X[e] = f(X[e]) over the element.
ir::ValueId loadAt(ir::KernelBuilder& b, std::string_view buffer);  // buffer[elem]
void storeAt(ir::KernelBuilder& b, std::string_view buffer, ir::ValueId value);

// A threshold as lowering writes one when there is no update kernel to fuse it into: spikes
// where `variable > threshold` and the neuron is not refractory by Brian2's formula
// (int((t - lastspike)/dt + 1e-3) >= int(refractory/dt + 1e-3)); stores not_refractory for
// the next update. The engine sets lastspike and not_refractory of the neurons that spiked.
std::unique_ptr<engine::Kernel> refractoryThreshold(std::string name, std::string variable,
                                                    double threshold, double refractory);

// A group of `size` neurons with these variables (name, initial value; unit "1").
engine::GroupPlan group(std::string name, engine::Index size,
                        std::vector<std::pair<std::string, double>> variables);

// A spike generator: spikes[k] = (neuron, step).
engine::GroupPlan spikeGenerator(std::string name, engine::Index size,
                                 std::vector<std::pair<engine::Index, engine::Step>> spikes);

// A connection with the given rule and no kernels yet.
engine::ConnectionPlan connection(std::string name, std::size_t source, std::size_t target,
                                  engine::ConnectionRule rule);

}  // namespace snn::testing
