// Tests of IR -> bytecode: what goes to the uniform section and what to the body, which opcode
// forms are chosen, register allocation (reuse along chains, destinations never sources), the
// constant pool, and the disassembly. Running the bytecode is tested in
// tests/unit/vm/interpreter/.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "compiler/codegen/bytecode_compiler.h"
#include "compiler/ir/builder.h"
#include "compiler/ir/passes.h"

namespace snn::codegen {
namespace {

using interpreter::BytecodeKernel;
using interpreter::Op;
using ir::KernelBuilder;
using ir::Opcode;
using ir::ValueId;

std::size_t countOps(const std::vector<interpreter::Instruction>& code, Op op) {
  std::size_t n = 0;
  for (const auto& inst : code) n += inst.op == static_cast<std::uint16_t>(op);
  return n;
}

// V += dt * (V_rest - V) / tau, as ir_test.cpp builds it.
ir::Kernel lifUpdate() {
  ir::Kernel k;
  k.name = "E.update";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId v = b.load("V", e);
  ValueId rest = b.param("V_rest");
  ValueId tau = b.param("tau");
  ValueId dv = b.op(Opcode::Div, b.op(Opcode::Sub, rest, v), tau);
  b.store("V", e, b.op(Opcode::Add, v, b.op(Opcode::Mul, b.timeStep(), dv)));
  return k;
}

}  // namespace

TEST_CASE("a LIF update compiles to element-addressed memory and scalar-operand forms") {
  BytecodeKernel bc = compileToBytecode(lifUpdate());
  CHECK(interpreter::verifyBytecode(bc).empty());
  // Nothing to hoist: each uniform value is read directly from its scalar register.
  CHECK(bc.uniform_code.size() == 1);
  CHECK(countOps(bc.body_code, Op::Element) == 0);  // e only addresses memory
  CHECK(countOps(bc.body_code, Op::LoadE) == 1);
  CHECK(countOps(bc.body_code, Op::SubSR) == 1);  // V_rest - V
  CHECK(countOps(bc.body_code, Op::DivRS) == 1);  // ... / tau
  CHECK(countOps(bc.body_code, Op::MulSR) == 1);  // dt * ...
  CHECK(countOps(bc.body_code, Op::Add) == 1);
  CHECK(countOps(bc.body_code, Op::StoreE) == 1);
  CHECK(bc.body_code.size() == 7);
  CHECK(bc.num_vector_registers == 3);
  CHECK(bc.params == std::vector<std::string>{"V_rest", "tau"});

  std::string text = disassemble(bc);
  CAPTURE(text);
  CHECK(text.find("bytecode E.update over neurons\n") == 0);
  CHECK(text.find("  buffer 0 V: f64 (written)\n") != std::string::npos);
  CHECK(text.find("  param s3 V_rest\n") != std::string::npos);
  CHECK(text.find("  param s4 tau\n") != std::string::npos);
  CHECK(text.find("load.e    v0, V[e]") != std::string::npos);
  CHECK(text.find("sub.sr    v1, s3, v0") != std::string::npos);
  CHECK(text.find("; s3 = V_rest") != std::string::npos);
  CHECK(text.find("mul.sr    ") != std::string::npos);
  CHECK(text.find("; s1 = dt") != std::string::npos);
  CHECK(text.find("store.e   V[e], v") != std::string::npos);
}

TEST_CASE("uniform computations are hoisted into the uniform section, once") {
  ir::Kernel k;
  k.name = "hoist";
  KernelBuilder b(k);
  ValueId e = b.element();
  // exp(-dt / tau) is the same for every element: computed once per call.
  ValueId decay =
      b.op(Opcode::Exp, b.op(Opcode::Neg, b.op(Opcode::Div, b.timeStep(), b.param("tau"))));
  ValueId now = b.timed("I_ext", b.time());
  b.store("V", e, b.op(Opcode::Add, b.op(Opcode::Mul, b.load("V", e), decay), now));
  BytecodeKernel bc = compileToBytecode(k);
  CHECK(interpreter::verifyBytecode(bc).empty());
  CHECK(countOps(bc.uniform_code, Op::Div) == 1);
  CHECK(countOps(bc.uniform_code, Op::Neg) == 1);
  CHECK(countOps(bc.uniform_code, Op::Exp) == 1);
  CHECK(countOps(bc.uniform_code, Op::Timed) == 1);
  CHECK(countOps(bc.body_code, Op::MulRS) == 1);
  CHECK(countOps(bc.body_code, Op::AddRS) == 1);
  CHECK(countOps(bc.body_code, Op::Exp) == 0);
  // Temporaries of the uniform chain are reused: div, neg, exp, timed need at most 3 registers
  // beyond the fixed ones, as decay and now stay live for the body.
  CHECK(bc.num_scalar_registers <= bc.firstTemporaryRegister() + 3);
}

TEST_CASE("register allocation reuses registers along long chains, in both sections") {
  ir::Kernel k;
  k.name = "chains";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId x = b.load("X", e);
  ValueId u = b.param("p");
  for (int i = 0; i < 1000; ++i) {
    x = b.op(Opcode::Sin, x);
    u = b.op(Opcode::Cos, u);
  }
  b.store("out", e, b.op(Opcode::Add, x, u));
  BytecodeKernel bc = compileToBytecode(k);
  CHECK(interpreter::verifyBytecode(bc).empty());  // includes: no destination is its own source
  CHECK(bc.body_code.size() == 1000 + 4);
  CHECK(bc.uniform_code.size() == 1000 + 1);
  CHECK(bc.num_vector_registers == 2);
  CHECK(bc.num_scalar_registers == bc.firstTemporaryRegister() + 2);
}

TEST_CASE(
    "uniform operands without a scalar form are broadcast once, and freed after their last use") {
  ir::Kernel k;
  k.name = "reset";
  k.domain = ir::Domain::Spiking;
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId reset = b.param("V_reset");
  b.store("V", e, reset);   // needs a register of values
  b.store("V2", e, reset);  // the same broadcast
  b.emitSpike(b.constantBool(true));
  BytecodeKernel bc = compileToBytecode(k);
  CHECK(interpreter::verifyBytecode(bc).empty());
  CHECK(countOps(bc.body_code, Op::Broadcast) == 2);  // V_reset once, `true` once
  CHECK(bc.num_vector_registers == 1);                // V_reset's register is free again for `true`
  std::string text = disassemble(bc);
  CHECK(text.find("over spiking neurons") != std::string::npos);
  CHECK(text.find("bcast     v0, s3") != std::string::npos);
  CHECK(text.find("; s3 = V_reset") != std::string::npos);
  CHECK(text.find("constant s4 = true") != std::string::npos);
}

TEST_CASE("the constant pool keeps one entry per bit pattern and type") {
  ir::Kernel k;
  k.name = "pool";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId v = b.load("V", e);
  ValueId a = b.op(Opcode::Add, v, b.constant(0.5));
  ValueId c = b.op(Opcode::Mul, a, b.constant(0.5));  // the same constant
  ValueId d = b.op(Opcode::Sub, c, b.constant(0.0));
  ValueId f = b.op(Opcode::Sub, d, b.constant(-0.0));  // not the same as 0
  b.store("V", e, f);
  b.store("W", b.constantIndex(0), f);   // i64 0: a different type from 0.0
  b.op(Opcode::Sqrt, b.constant(99.0));  // dead: never emitted or pooled
  BytecodeKernel bc = compileToBytecode(k);
  CHECK(interpreter::verifyBytecode(bc).empty());
  REQUIRE(bc.constants.size() == 4);
  CHECK(bc.constants[0].type == interpreter::ConstantType::F64);
  CHECK(bc.constants[3].type == interpreter::ConstantType::I64);
  CHECK(countOps(bc.uniform_code, Op::Sqrt) == 0);
  std::string text = disassemble(bc);
  CHECK(text.find("constant s3 = 0.5\n") != std::string::npos);
  CHECK(text.find("constant s4 = 0\n") != std::string::npos);
  CHECK(text.find("constant s5 = -0\n") != std::string::npos);
  CHECK(text.find("constant s6 = 0 (i64)\n") != std::string::npos);
  CHECK(text.find("store     W[v") != std::string::npos);  // a scatter through a broadcast index
}

TEST_CASE("selects, clips and random draws use their extra word") {
  ir::Kernel k;
  k.name = "selection";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId v = b.load("V", e);
  ValueId lo = b.param("lo");
  ValueId hi = b.param("hi");
  ValueId clipped = b.op(Opcode::Clip, v, lo, hi);
  ValueId chosen =
      b.op(Opcode::Select, b.op(Opcode::Lt, v, b.constant(0.0)), clipped, b.randn(7, e));
  b.store("V", e, chosen);
  BytecodeKernel bc = compileToBytecode(k);
  CHECK(interpreter::verifyBytecode(bc).empty());
  CHECK(countOps(bc.body_code, Op::ClipSS) == 1);
  CHECK(countOps(bc.body_code, Op::Select) == 1);
  CHECK(countOps(bc.body_code, Op::Randn) == 1);
  CHECK(countOps(bc.body_code, Op::Extra) == 3);
  CHECK(countOps(bc.body_code, Op::Element) == 1);  // the draw needs the element as a value
  std::string text = disassemble(bc);
  CAPTURE(text);
  CHECK(text.find("clip.ss   v") != std::string::npos);
  CHECK(text.find(", s3, s4") != std::string::npos);
  CHECK(text.find(", stream 7, draw 0") != std::string::npos);
  CHECK(text.find("extra") == std::string::npos);  // printed with its instruction
}

TEST_CASE("invalid IR and out-of-range random streams are compiler bugs") {
  ir::Kernel k;
  k.name = "broken";
  KernelBuilder b(k);
  ValueId e = b.element();
  b.op(Opcode::Add, e, e);  // i64 operands
  CHECK_THROWS_AS(compileToBytecode(k), std::logic_error);

  ir::Kernel r;
  r.name = "streams";
  KernelBuilder rb(r);
  ValueId re = rb.element();
  rb.store("x", re, rb.rand(70000, re));
  CHECK_THROWS_WITH_AS(compileToBytecode(r), doctest::Contains("random stream 70000"),
                       std::logic_error);
}

TEST_CASE("optimised IR compiles to valid bytecode") {
  ir::Kernel k = lifUpdate();
  KernelBuilder b(k);
  ValueId e = b.element();  // a second element, merged by CSE
  b.store("W", e, b.load("V", e));
  ir::optimize(k);
  BytecodeKernel bc = compileToBytecode(k);
  CHECK(interpreter::verifyBytecode(bc).empty());
  CHECK(countOps(bc.body_code, Op::StoreE) == 2);
}

}  // namespace snn::codegen
