// The LLVM back end must give the VM's results bit for bit: each case builds one IR kernel,
// runs it through the interpreter (VmKernel) and the JIT (JitKernel) on identical copies of the
// same buffers, and compares every buffer and the spike list byte by byte.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "compiler/codegen/bytecode_compiler.h"
#include "compiler/ir/builder.h"
#include "compiler/ir/verifier.h"
#include "compiler/jit/jit_kernel.h"
#include "vm/interpreter/vm_kernel.h"

namespace snn {
namespace {

using ir::Opcode;
using ir::ValueId;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Buffers {
  std::map<std::string, std::vector<double>> values;
  std::map<std::string, std::vector<engine::Index>> indices;
  std::vector<double> table;
  double table_dt = 1e-3;
  std::vector<engine::Index> spike_storage;
  engine::SpikeOutput spikes;
};

// Buffers the kernel names but the test does not give are outputs: `size` zeros.
void bindAll(engine::Kernel& kernel, Buffers& b, std::size_t size) {
  const engine::KernelSignature& s = kernel.signature();
  for (std::size_t slot = 0; slot < s.buffers.size(); ++slot) {
    const engine::KernelBufferInfo& info = s.buffers[slot];
    if (info.is_index) {
      kernel.bindIndexBuffer(slot, b.indices.at(info.name));
    } else {
      auto [it, added] = b.values.try_emplace(info.name, std::vector<double>(size, 0.0));
      kernel.bindBuffer(slot, it->second);
    }
  }
  for (std::size_t slot = 0; slot < s.tables.size(); ++slot) kernel.bindTable(slot, b.table, b.table_dt);
  if (s.emits_spikes) {
    b.spike_storage.assign(size, -1);
    b.spikes.storage = b.spike_storage;
    b.spikes.size = 0;
    kernel.bindSpikes(&b.spikes);
  }
}

// Bit for bit, except that any NaN equals any NaN: SLEEF's log of a negative number gives NaN
// with a sign that depends on the vector width (compiler/jit/vector_library.h).
bool sameBits(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (std::isnan(a[k]) && std::isnan(b[k])) continue;
    if (std::memcmp(&a[k], &b[k], sizeof(double)) != 0) return false;
  }
  return true;
}

std::string describe(const std::vector<double>& v) {
  std::string out;
  for (double x : v) out += std::to_string(x) + " ";
  return out;
}

struct Run {
  engine::KernelClock clock{7, 7e-4, 1e-4, 42};
  std::vector<engine::Index> elements;  // empty: a range
  bool explicit_elements = false;
  std::vector<double> params;
};

// Runs `kernel` on both back ends from the same inputs and checks every output is identical.
// Returns the VM's buffers for further checks.
Buffers compareBackEnds(const ir::Kernel& kernel, const Buffers& inputs, std::size_t size,
                        const Run& run = {}) {
  REQUIRE(ir::verify(kernel).empty());
  auto vm = interpreter::makeVmKernel(codegen::compileToBytecode(kernel), run.params);
  auto jit = jit::makeJitKernel(kernel, run.params);
  CHECK(jit->signature().name == vm->signature().name);
  CHECK(jit->signature().buffers.size() == vm->signature().buffers.size());
  CHECK(jit->signature().emits_spikes == vm->signature().emits_spikes);
  Buffers a = inputs;
  Buffers b = inputs;
  bindAll(*vm, a, size);
  bindAll(*jit, b, size);
  const engine::KernelDomain domain = run.explicit_elements
                                          ? engine::KernelDomain::list(run.elements)
                                          : engine::KernelDomain::range(size);
  vm->run(run.clock, domain);
  jit->run(run.clock, domain);
  for (const auto& [name, values] : a.values) {
    INFO("buffer ", name, "\n vm:  ", describe(values), "\n jit: ", describe(b.values.at(name)));
    CHECK(sameBits(values, b.values.at(name)));
  }
  CHECK(a.spikes.size == b.spikes.size);
  CHECK(a.spike_storage == b.spike_storage);
  if (!run.explicit_elements) {
    // A range runs the JIT's fast (vectorised) form; the same elements as a list run its
    // checked form, which must agree too.
    std::vector<engine::Index> all(size);
    for (std::size_t k = 0; k < size; ++k) all[k] = static_cast<engine::Index>(k);
    auto checked = jit::makeJitKernel(kernel, run.params);
    Buffers c = inputs;
    bindAll(*checked, c, size);
    checked->run(run.clock, engine::KernelDomain::list(all));
    for (const auto& [name, values] : a.values) {
      INFO("buffer ", name, " (checked form)");
      CHECK(sameBits(values, c.values.at(name)));
    }
    CHECK(a.spike_storage == c.spike_storage);
  }
  return a;
}

// Every (x, y) pair of edge values, one per element.
Buffers edgePairs(std::size_t& size) {
  const std::vector<double> edges = {0.0, -0.0, 1.0, -1.0, 2.5, -7.25, 0.5, 1e-310, -1e300,
                                     1e300, kInf, -kInf, kNaN, 3.0, -3.0, 710.0, 1e20};
  Buffers b;
  for (double x : edges) {
    for (double y : edges) {
      b.values["x"].push_back(x);
      b.values["y"].push_back(y);
      b.values["z"].push_back(y * 0.5 + 1);
    }
  }
  size = b.values["x"].size();
  return b;
}

TEST_CASE("jit: arithmetic, functions, comparisons and logic on edge values equal the VM's") {
  ir::Kernel kernel;
  kernel.name = "edges";
  ir::KernelBuilder b(kernel);
  ValueId e = b.element();
  ValueId x = b.load("x", e);
  ValueId y = b.load("y", e);
  ValueId z = b.load("z", e);
  ValueId one = b.constant(1.0);
  ValueId zero = b.constant(0.0);
  int k = 0;
  auto out = [&](ValueId v) { b.store("out" + std::to_string(k++), e, v); };
  for (Opcode op : {Opcode::Add, Opcode::Sub, Opcode::Mul, Opcode::Div, Opcode::Mod, Opcode::Pow,
                    Opcode::Min, Opcode::Max})
    out(b.op(op, x, y));
  out(b.op(Opcode::Clip, x, y, z));
  for (Opcode op : {Opcode::Neg, Opcode::Exp, Opcode::Log, Opcode::Log10, Opcode::Sqrt, Opcode::Sin,
                    Opcode::Cos, Opcode::Tan, Opcode::Sinh, Opcode::Cosh, Opcode::Tanh, Opcode::Asin,
                    Opcode::Acos, Opcode::Atan, Opcode::Abs, Opcode::Floor, Opcode::Ceil,
                    Opcode::Sign, Opcode::Exprel})
    out(b.op(op, x));
  std::vector<ValueId> comparisons;
  for (Opcode op : {Opcode::Eq, Opcode::Ne, Opcode::Lt, Opcode::Le, Opcode::Gt, Opcode::Ge}) {
    comparisons.push_back(b.op(op, x, y));
    out(b.op(Opcode::Select, comparisons.back(), one, zero));
  }
  out(b.op(Opcode::Select, b.op(Opcode::And, comparisons[2], comparisons[1]), x, y));
  out(b.op(Opcode::Select, b.op(Opcode::Or, comparisons[0], comparisons[4]), x, y));
  out(b.op(Opcode::Select, b.op(Opcode::Not, comparisons[3]), x, y));
  // Conversions, including the saturation of ftoi on inf, NaN and 1e300.
  out(b.op(Opcode::IntToFloat, b.op(Opcode::FloatToInt, x)));
  out(b.op(Opcode::Select, comparisons[2], b.op(Opcode::IntToFloat, e), b.op(Opcode::IntToFloat, b.count())));
  out(b.op(Opcode::Add, b.time(), b.op(Opcode::Mul, b.timeStep(), x)));
  out(b.op(Opcode::Mul, b.param("p"), x));
  std::size_t size = 0;
  Buffers inputs = edgePairs(size);
  Run run;
  run.params = {2.5};
  Buffers result = compareBackEnds(kernel, inputs, size, run);
  // The comparison is not vacuous: the outputs hold what scalar_semantics says.
  CHECK(result.values.at("out0")[1] == inputs.values["x"][1] + inputs.values["y"][1]);
  CHECK(std::isnan(result.values.at("out0")[12]));
}

TEST_CASE("jit: rand and randn draw the VM's numbers, over a range and over a list") {
  ir::Kernel kernel;
  kernel.name = "noise";
  ir::KernelBuilder b(kernel);
  ValueId e = b.element();
  b.store("u", e, b.rand(0, e));
  b.store("n", e, b.randn(1, e));
  b.store("u2", e, b.op(Opcode::Add, b.rand(0, e), b.randn(3, e)));
  Buffers inputs;
  Buffers range = compareBackEnds(kernel, inputs, 64);
  CHECK(range.values.at("u")[0] != range.values.at("u")[1]);
  Run listed;
  listed.explicit_elements = true;
  listed.elements = {5, 3, 3, 60, 0};
  compareBackEnds(kernel, inputs, 64, listed);
}

TEST_CASE("jit: timed arrays are sampled as the VM samples them") {
  ir::Kernel kernel;
  kernel.name = "timed";
  ir::KernelBuilder b(kernel);
  ValueId e = b.element();
  b.store("out", e, b.timed("stimulus", b.load("at", e)));
  b.store("now", e, b.timed("stimulus", b.time()));
  Buffers inputs;
  inputs.table = {1.0, 2.0, 3.0, 4.0, 5.0};
  inputs.table_dt = 2e-4;
  inputs.values["at"] = {-1.0, 0.0, 1e-4, 1.99e-4, 2e-4, 3e-4, 4.5e-4, 7.9e-4, 8e-4, 1.0, kNaN, kInf};
  Buffers result = compareBackEnds(kernel, inputs, inputs.values["at"].size());
  CHECK(result.values.at("out")[0] == 1.0);
  CHECK(result.values.at("out")[9] == 5.0);
}

TEST_CASE("jit: spikes are appended in domain order, after those already in the list") {
  ir::Kernel kernel;
  kernel.name = "threshold";
  kernel.domain = ir::Domain::Neurons;
  ir::KernelBuilder b(kernel);
  ValueId e = b.element();
  ValueId v = b.load("v", e);
  b.emitSpike(b.op(Opcode::Gt, v, b.constant(1.0)));
  Buffers inputs;
  inputs.values["v"] = {0, 2, 1, 1.5, kNaN, 3, -1, 5};
  Buffers range = compareBackEnds(kernel, inputs, 8);
  CHECK(range.spikes.size == 4);
  CHECK(range.spike_storage[0] == 1);
  Run listed;
  listed.explicit_elements = true;
  listed.elements = {7, 5, 1, 0};
  Buffers list = compareBackEnds(kernel, inputs, 8, listed);
  CHECK(list.spike_storage[0] == 7);
}

TEST_CASE("jit: accumulate with repeated indices adds in element order") {
  ir::Kernel kernel;
  kernel.name = "E->I.on_pre";
  kernel.domain = ir::Domain::Synapses;
  ir::KernelBuilder b(kernel);
  ValueId e = b.element();
  ValueId post = b.loadIndex("post", e);
  b.accumulate("g", post, b.load("w", e));
  Buffers inputs;
  inputs.indices["post"] = {0, 2, 0, 0, 1, 2, 0};
  inputs.values["w"] = {0.1, 1e16, 0.2, 0.3, -0.0, 1.0, 1e-17};
  inputs.values["g"] = {0.0, -0.0, -1e16};
  Buffers result = compareBackEnds(kernel, inputs, 7);
  CHECK(result.values.at("g")[0] == 0.1 + 0.2 + 0.3 + 1e-17);
}

TEST_CASE("jit: an index out of range throws like the VM, and never touches memory") {
  ir::Kernel kernel;
  kernel.name = "bad";
  ir::KernelBuilder b(kernel);
  ValueId e = b.element();
  ValueId post = b.loadIndex("post", e);
  b.store("g", post, b.constant(1.0));
  Buffers inputs;
  inputs.indices["post"] = {0, 1, 3, -1};
  inputs.values["g"] = {0.0, 0.0, 0.0};
  auto jit = jit::makeJitKernel(kernel);
  bindAll(*jit, inputs, 4);
  CHECK_THROWS_WITH_AS(jit->run({}, engine::KernelDomain::range(4)),
                       "kernel `bad`: `store`: index 3 out of range for buffer `g` of 3 elements",
                       jit::JitError);
  // The two stores before the bad one happened; nothing past the buffer was written.
  CHECK(inputs.values["g"] == std::vector<double>{1.0, 1.0, 0.0});
  // A domain longer than the index buffer fails on the load.index.
  inputs.indices["post"] = {0};
  bindAll(*jit, inputs, 4);
  CHECK_THROWS_AS(jit->run({}, engine::KernelDomain::range(2)), jit::JitError);
}

TEST_CASE("jit: a full spike list is an error, not an overflow") {
  ir::Kernel kernel;
  kernel.name = "many";
  ir::KernelBuilder b(kernel);
  b.emitSpike(b.constantBool(true));
  auto jit = jit::makeJitKernel(kernel);
  std::vector<engine::Index> storage(2, -1);
  engine::SpikeOutput output{storage, 0};
  jit->bindSpikes(&output);
  CHECK_THROWS_WITH_AS(jit->run({}, engine::KernelDomain::range(3)),
                       "kernel `many`: the spike list is full (2 spikes)", jit::JitError);
  CHECK(output.size == 2);
}

TEST_CASE("jit: the optimised LLVM IR of a kernel has its loop and no fast-math") {
  ir::Kernel kernel;
  kernel.name = "E.update";
  ir::KernelBuilder b(kernel);
  ValueId e = b.element();
  ValueId v = b.load("v", e);
  b.store("v", e, b.op(Opcode::Add, b.op(Opcode::Mul, v, b.constant(0.9)), b.constant(0.1)));
  std::string text = jit::optimizedLlvmIr(kernel);
  CHECK(text.find("define void @E.update(ptr") != std::string::npos);
  CHECK(text.find(" x double>") != std::string::npos);  // the loop is vectorised
  CHECK(text.find("fmul") != std::string::npos);
  CHECK(text.find("define void @E.update.fast(ptr") != std::string::npos);
  for (const char* flag : {"fadd fast", "fmul fast", "reassoc", "contract", "nnan", "ninf", "afn"}) {
    INFO(flag);
    CHECK(text.find(flag) == std::string::npos);
  }
  CHECK(text.find("llvm.fma") == std::string::npos);
}

TEST_CASE("jit: a kernel's parameters must all be given") {
  ir::Kernel kernel;
  kernel.name = "scaled";
  ir::KernelBuilder b(kernel);
  ValueId e = b.element();
  b.store("v", e, b.param("tau"));
  CHECK_THROWS_AS(jit::JitKernel(kernel, {}), std::invalid_argument);
}

}  // namespace
}  // namespace snn

namespace snn {
namespace {

// A kernel LLVM cannot be given (an operand that names no instruction: lowering's bug) is an
// internal error naming the kernel with the way out, whether it is compiled at once or on the
// compile threads (then the first run reports it).
ir::Kernel brokenKernel() {
  ir::Kernel kernel;
  kernel.name = "E.broken";
  ir::Instruction bad;
  bad.op = ir::Opcode::Neg;
  bad.operands[0] = 99;
  kernel.body.push_back(bad);
  return kernel;
}

TEST_CASE("jit: a kernel that cannot be compiled is an internal error with the kernel's name") {
  auto expectMessage = [](const std::string& what) {
    CHECK(what.find("kernel `E.broken`") != std::string::npos);
    CHECK(what.find("--backend vm") != std::string::npos);
  };
  try {
    jit::JitKernel now(brokenKernel(), {}, jit::JitKernel::Compile::Now);
    FAIL("compiled a broken kernel");
  } catch (const jit::JitCompileError& e) {
    expectMessage(e.what());
  }
  for (auto when : {jit::JitKernel::Compile::InBackground, jit::JitKernel::Compile::OnFirstRun}) {
    jit::JitKernel later(brokenKernel(), {}, when);
    try {
      later.run({}, engine::KernelDomain::range(1));
      FAIL("ran a broken kernel");
    } catch (const jit::JitCompileError& e) {
      expectMessage(e.what());
    }
  }
}

}  // namespace
}  // namespace snn
