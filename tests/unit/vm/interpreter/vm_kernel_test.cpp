// VmKernel, the interpreter behind the engine's Kernel interface: the signature read off the
// bytecode, parameters given once, spikes appended after what the engine's SpikeOutput holds,
// explicit domains, and binding errors from the interpreter.
#include "vm/interpreter/vm_kernel.h"

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "compiler/codegen/bytecode_compiler.h"
#include "compiler/ir/builder.h"
#include "compiler/ir/passes.h"

namespace snn::interpreter {
namespace {

using ir::KernelBuilder;
using ir::Opcode;
using ir::ValueId;

BytecodeKernel compile(const std::function<void(KernelBuilder&)>& body) {
  ir::Kernel k;
  k.name = "G.threshold";
  KernelBuilder b(k);
  body(b);
  ir::optimize(k);
  return codegen::compileToBytecode(k);
}

TEST_CASE("VmKernel: signature, parameters, spikes after the output's size, explicit domains") {
  // spike where V > theta (a parameter); count[e] += 1 (a written buffer); a table read.
  BytecodeKernel code = compile([](KernelBuilder& b) {
    ValueId e = b.element();
    b.emitSpike(b.op(Opcode::Gt, b.load("V", e), b.param("theta")));
    b.store("count", e, b.op(Opcode::Add, b.load("count", e), b.timed("drive", b.time())));
    b.store("index_copy", e, b.op(Opcode::IntToFloat, b.loadIndex("ids", e)));
  });
  CHECK_THROWS_AS(VmKernel{code}, std::invalid_argument);  // theta not given
  VmKernel kernel(code, {0.5});
  const engine::KernelSignature& s = kernel.signature();
  CHECK(s.name == "G.threshold");
  CHECK(s.emits_spikes);
  REQUIRE(s.buffers.size() == 4);
  CHECK(s.buffers[0].name == "V");
  CHECK(!s.buffers[0].written);
  CHECK(s.buffers[1].name == "count");
  CHECK(s.buffers[1].written);
  CHECK(s.buffers[2].name == "ids");  // read before index_copy is written
  CHECK(s.buffers[2].is_index);
  CHECK(s.buffers[3].name == "index_copy");
  CHECK(!s.buffers[3].is_index);
  CHECK(s.tables == std::vector<std::string>{"drive"});

  std::vector<double> v = {1, 0, 1, 1, 0}, count(5, 0.0), copy(5, 0.0), drive = {2.0};
  std::vector<engine::Index> ids = {10, 11, 12, 13, 14};
  kernel.bindBuffer(0, v);
  kernel.bindBuffer(1, count);
  kernel.bindIndexBuffer(2, ids);
  kernel.bindBuffer(3, copy);
  kernel.bindTable(0, drive, 1e-3);
  std::vector<engine::Index> storage(5, -1);
  engine::SpikeOutput out{storage, 1};  // one spike there already
  kernel.bindSpikes(&out);
  const engine::KernelClock clock{3, 3e-4, 1e-4, 7};
  kernel.run(clock, engine::KernelDomain::range(5));
  CHECK(out.size == 4);
  CHECK(storage == std::vector<engine::Index>{-1, 0, 2, 3, -1});
  CHECK(count == std::vector<double>{2, 2, 2, 2, 2});
  CHECK(copy == std::vector<double>{10, 11, 12, 13, 14});

  out.size = 0;
  const engine::Index some[] = {4, 2};
  kernel.run(clock, engine::KernelDomain::list(some));
  CHECK(out.size == 1);
  CHECK(storage[0] == 2);
  CHECK(count == std::vector<double>{2, 2, 4, 2, 4});

  kernel.bindSpikes(nullptr);
  CHECK_THROWS_AS(kernel.run(clock, engine::KernelDomain::range(5)), InterpreterError);
  CHECK_THROWS_AS(kernel.bindIndexBuffer(0, ids), InterpreterError);  // V is f64
  CHECK_THROWS_AS(kernel.bindBuffer(99, v), InterpreterError);
}

TEST_CASE("VmKernel: a kernel without the spike op does not emit; makeVmKernel") {
  std::unique_ptr<engine::Kernel> k =
      makeVmKernel(compile([](KernelBuilder& b) { b.store("x", b.element(), b.constant(1.0)); }));
  CHECK(!k->signature().emits_spikes);
  std::vector<double> x(3, 0.0);
  k->bindBuffer(0, x);
  k->run({0, 0.0, 1e-4, 0}, engine::KernelDomain::range(3));
  CHECK(x == std::vector<double>{1, 1, 1});
}

}  // namespace
}  // namespace snn::interpreter
