// Tests of the IR core: building, printing, verifying and optimising kernels. Folding is
// checked against the scalar semantics evaluated directly, and CSE/DCE by counting what is
// left and what every write still depends on.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <limits>

#include "compiler/ir/builder.h"
#include "compiler/ir/passes.h"
#include "compiler/ir/printer.h"
#include "compiler/ir/scalar_semantics.h"
#include "compiler/ir/verifier.h"

namespace snn::ir {
namespace {

std::size_t countOps(const Kernel& k, Opcode op) {
  std::size_t n = 0;
  for (const auto& inst : k.body) n += inst.op == op;
  return n;
}

// A forward-Euler LIF update: V += dt * (V_rest - V) / tau.
Kernel lifUpdate() {
  Kernel k;
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

TEST_CASE("a built kernel verifies and prints every instruction") {
  Kernel k = lifUpdate();
  CHECK(verify(k).empty());
  std::string text = printKernel(k);
  CHECK(text.find("kernel E.update over neurons") == 0);
  CHECK(text.find("buffer V: f64 (written)") != std::string::npos);
  CHECK(text.find("%1 = load V[%0]") != std::string::npos);
  CHECK(text.find("param tau") != std::string::npos);
  CHECK(text.find("store V[%0], %") != std::string::npos);
  CHECK(k.params.size() == 2);
}

TEST_CASE("the verifier finds type errors, undefined operands and bad slots") {
  Kernel k;
  k.name = "broken";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId x = b.constant(1.0);
  b.op(Opcode::Add, x, e);  // i64 where f64 is needed
  Instruction forward;
  forward.op = Opcode::Neg;
  forward.operands[0] = 10;  // not defined yet
  k.body.push_back(forward);
  Instruction bad_slot;
  bad_slot.op = Opcode::Param;
  bad_slot.slot = 3;
  k.body.push_back(bad_slot);
  auto problems = verify(k);
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].find("operand 1 of `add` must be f64") != std::string::npos);
  CHECK(problems[1].find("not defined before use") != std::string::npos);
  CHECK(problems[2].find("parameter slot out of range") != std::string::npos);
}

TEST_CASE("constant folding agrees with the scalar semantics for every arithmetic opcode") {
  const double xs[] = {-2.5, -0.0, 0.0, 0.3, 1.0, 7.0, std::numeric_limits<double>::infinity()};
  for (int code = static_cast<int>(Opcode::Add); code <= static_cast<int>(Opcode::Exprel); ++code) {
    auto op = static_cast<Opcode>(code);
    for (double x : xs) {
      Kernel k;
      k.name = "fold";
      KernelBuilder b(k);
      ValueId a = b.constant(x), c = b.constant(0.75), d = b.constant(2.0);
      std::size_t n = operandCount(op);
      ValueId r = b.op(op, a, n > 1 ? c : kNoValue, n > 2 ? d : kNoValue);
      b.store("out", b.element(), r);
      optimize(k);
      // Only the folded constant, the element and the store are left.
      REQUIRE(k.body.size() == 3);
      const Instruction* constant = nullptr;
      for (const auto& inst : k.body) {
        if (inst.op == Opcode::ConstF) constant = &inst;
      }
      REQUIRE(constant != nullptr);
      double want = evaluateFloat(op, x, 0.75, 2.0);
      CAPTURE(info(op).spelling);
      CAPTURE(x);
      if (std::isnan(want)) {
        CHECK(std::isnan(constant->constant));
      } else {
        CHECK(std::bit_cast<std::uint64_t>(constant->constant) == std::bit_cast<std::uint64_t>(want));
      }
    }
  }
}

TEST_CASE("scalar semantics: Python modulo, exprel near zero, NaN through min and sign") {
  CHECK(evaluateFloat(Opcode::Mod, -1.0, 3.0) == 2.0);
  CHECK(evaluateFloat(Opcode::Mod, 1.0, -3.0) == -2.0);
  CHECK(evaluateFloat(Opcode::Exprel, 0.0) == 1.0);
  CHECK(evaluateFloat(Opcode::Exprel, 1e-10) == doctest::Approx(1.0 + 5e-11).epsilon(1e-15));
  CHECK(evaluateFloat(Opcode::Exprel, 2.0) == doctest::Approx((std::exp(2.0) - 1) / 2.0));
  double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isnan(evaluateFloat(Opcode::Min, nan, 1.0)));
  CHECK(std::isnan(evaluateFloat(Opcode::Max, 1.0, nan)));
  CHECK(std::isnan(evaluateFloat(Opcode::Sign, nan)));
  CHECK(evaluateFloat(Opcode::Sign, -3.0) == -1.0);
  CHECK_FALSE(evaluateComparison(Opcode::Lt, nan, 1.0));
  CHECK(evaluateComparison(Opcode::Ne, nan, nan));
}

TEST_CASE("folding never applies identities that are wrong for some doubles") {
  Kernel k;
  k.name = "identities";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId v = b.load("V", e);
  b.store("a", e, b.op(Opcode::Add, v, b.constant(0.0)));   // x + 0 is not x for x = -0
  b.store("b", e, b.op(Opcode::Mul, v, b.constant(0.0)));   // x * 0 is not 0 for NaN
  b.store("c", e, b.op(Opcode::Mul, v, b.constant(1.0)));   // x * 1 is x
  b.store("d", e, b.op(Opcode::Sub, v, b.constant(0.0)));   // x - 0 is x
  optimize(k);
  CHECK(countOps(k, Opcode::Add) == 1);
  CHECK(countOps(k, Opcode::Mul) == 1);
  CHECK(countOps(k, Opcode::Sub) == 0);
}

TEST_CASE("CSE merges pure repeats and loads until their buffer is written") {
  Kernel k;
  k.name = "cse";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId v1 = b.load("V", e);
  ValueId v2 = b.load("V", e);  // same load: merged
  ValueId s1 = b.op(Opcode::Exp, v1);
  ValueId s2 = b.op(Opcode::Exp, v2);  // same after the loads merge
  b.store("out", e, b.op(Opcode::Add, s1, s2));
  b.store("V", e, b.constant(3.0));
  ValueId v3 = b.load("V", e);  // after a store to V: a new load
  b.store("after", e, v3);
  ValueId r1 = b.rand(1, e);
  ValueId r2 = b.rand(1, e);  // a second draw: never merged
  b.store("r", e, b.op(Opcode::Sub, r1, r2));
  auto stats = optimize(k);
  CHECK(countOps(k, Opcode::Load) == 2);
  CHECK(countOps(k, Opcode::Exp) == 1);
  CHECK(countOps(k, Opcode::Rand) == 2);
  CHECK(stats.merged >= 2);
  CHECK(verify(k).empty());
}

TEST_CASE("dead code is removed; selects on constant conditions collapse") {
  Kernel k;
  k.name = "dce";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId v = b.load("V", e);
  b.op(Opcode::Sqrt, v);  // unused
  b.load("unused", e);    // unused load
  ValueId pick = b.op(Opcode::Select, b.op(Opcode::Lt, b.constant(1.0), b.constant(2.0)), v,
                      b.constant(5.0));
  b.store("out", e, pick);
  b.emitSpike(b.op(Opcode::Gt, v, b.constant(0.0)));
  optimize(k);
  CHECK(countOps(k, Opcode::Sqrt) == 0);
  CHECK(countOps(k, Opcode::Select) == 0);
  CHECK(countOps(k, Opcode::Load) == 1);
  CHECK(countOps(k, Opcode::EmitSpike) == 1);
  CHECK(verify(k).empty());
}

TEST_CASE("a normal draw never shares its uniforms with an earlier uniform draw") {
  Kernel k;
  k.name = "draws";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId u = b.rand(3, e);
  ValueId n = b.randn(3, e);
  ValueId u2 = b.rand(3, e);
  // Box-Muller uses draws 2k and 2k+1: the normal must start at an even index past the uniform.
  CHECK(k.body[u].slot == 0);
  CHECK(k.body[n].slot == 2);
  CHECK(k.body[u2].slot == 4);
}

}  // namespace snn::ir
