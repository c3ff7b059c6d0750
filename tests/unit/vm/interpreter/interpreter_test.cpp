// Tests of the bytecode interpreter, driven through the bytecode compiler from IR kernels built
// with ir::KernelBuilder. Every opcode is checked bit for bit against the IR's scalar semantics
// (the constant folder's meaning) on arrays with NaN, infinities, -0 and denormals (a NaN result
// must be a NaN, of any payload), in every
// operand form (vector, scalar operand, all-uniform) and over batch sizes around kBatchSize.
// Then: explicit-index domains, gathers/scatters/accumulation order, spikes, random numbers
// against vm/random's scalar functions, timed arrays against Brian2's rule, a LIF neuron against
// the analytic solution, the verifier on broken bytecode, bad bindings, and no allocation in run.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "allocation_counter.h"
#include "compiler/codegen/bytecode_compiler.h"
#include "compiler/ir/builder.h"
#include "compiler/ir/passes.h"
#include "compiler/ir/scalar_semantics.h"
#include "vm/interpreter/interpreter.h"
#include "vm/random/counter_rng.h"

namespace snn::interpreter {
namespace {

using ir::KernelBuilder;
using ir::Opcode;
using ir::ValueId;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::size_t kSizes[] = {1, 255, 256, 257, 10000};

std::uint64_t bits(double x) {
  return std::bit_cast<std::uint64_t>(x);
}

// Values that find the corners: signed zeros, infinities, NaNs of both signs, denormals,
// overflow and underflow arguments of exp, values near 0 for exprel, and ordinary numbers.
std::vector<double> inputs(std::size_t n, std::uint64_t seed) {
  static const double specials[] = {0.0,   -0.0,   kInf, -kInf,  kNaN,     -kNaN,   1.0,   -1.0,
                                    0.5,   2.0,    -2.5, 3.0,    1e-310,   -1e-310, 1e308, -1e308,
                                    710.0, -746.0, 1e-9, -1e-12, 0.999999, 1e-300,  7.0,   -7.0};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(-10.0, 10.0);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(specials) - 1);
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t kind = rng() % 4;
    out[i] = kind == 0   ? specials[pick(rng)]
             : kind == 1 ? std::ldexp(uniform(rng), static_cast<int>(rng() % 40) - 20)
                         : uniform(rng);
  }
  return out;
}

// A compiled kernel with its context; binds by buffer name.
struct Run {
  explicit Run(const ir::Kernel& k)
      : code(codegen::compileToBytecode(k)), ctx(std::make_unique<ExecutionContext>(code)) {
    ctx->setClock(0, 0.0, 1e-4);
  }
  Run(const Run&) = delete;

  std::uint32_t slot(std::string_view name) const {
    for (std::uint32_t s = 0; s < code.buffers.size(); ++s) {
      if (code.buffers[s].name == name) return s;
    }
    FAIL("no buffer ", std::string(name));
    return 0;
  }
  void bind(std::string_view name, std::vector<double>& data) { ctx->bindBuffer(slot(name), data); }
  void bindIndex(std::string_view name, const std::vector<std::int64_t>& data) {
    ctx->bindIndexBuffer(slot(name), data);
  }
  void operator()() { run(code, *ctx); }

  BytecodeKernel code;
  std::unique_ptr<ExecutionContext> ctx;
};

// out[e] = op(operands), where each operand is a vector input (X, Y, Z) or a parameter.
ir::Kernel opKernel(Opcode op, const bool uniform[3]) {
  ir::Kernel k;
  k.name = "op";
  KernelBuilder b(k);
  ValueId e = b.element();
  const char* vectors[] = {"X", "Y", "Z"};
  const char* params[] = {"p", "q", "r"};
  ValueId operands[3] = {ir::kNoValue, ir::kNoValue, ir::kNoValue};
  for (std::size_t a = 0; a < ir::operandCount(op); ++a) {
    operands[a] = uniform[a] ? b.param(params[a]) : b.load(vectors[a], e);
  }
  ValueId r = b.op(op, operands[0], operands[1], operands[2]);
  if (ir::info(op).result == ir::Type::Bool)
    r = b.op(Opcode::Select, r, b.constant(1.0), b.constant(0.0));
  b.store("out", e, r);
  return k;
}

void checkOp(Opcode op, std::size_t n, const bool uniform[3], const double param_values[3],
             InstructionSet set);

// Runs op over n elements with the given operand forms and checks every result bit, with the
// loop compiled for each instruction set this machine has.
void checkOp(Opcode op, std::size_t n, const bool uniform[3], const double param_values[3]) {
  for (InstructionSet set : availableInstructionSets()) checkOp(op, n, uniform, param_values, set);
}

void checkOp(Opcode op, std::size_t n, const bool uniform[3], const double param_values[3],
             InstructionSet set) {
  Run run(opKernel(op, uniform));
  run.ctx->setInstructionSet(set);
  std::vector<double> x = inputs(n, 1), y = inputs(n, 2), z = inputs(n, 3), out(n, -123.0);
  for (auto* name : {"X", "Y", "Z"}) {
    for (std::uint32_t s = 0; s < run.code.buffers.size(); ++s) {
      if (run.code.buffers[s].name != name) continue;
      run.ctx->bindBuffer(s, name[0] == 'X'   ? std::span<double>(x)
                             : name[0] == 'Y' ? std::span<double>(y)
                                              : std::span<double>(z));
    }
  }
  run.bind("out", out);
  // Parameters are bound in slot order; the kernel declares them in operand order.
  std::vector<double> params;
  for (std::size_t a = 0; a < 3; ++a) {
    if (a < ir::operandCount(op) && uniform[a]) params.push_back(param_values[a]);
  }
  run.ctx->bindParams(params);
  run.ctx->setDomain(n);
  run();
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < n && mismatches < 3; ++i) {
    double a = uniform[0] ? param_values[0] : x[i];
    double b = uniform[1] ? param_values[1] : y[i];
    double c = uniform[2] ? param_values[2] : z[i];
    double want = ir::isComparison(op) ? (ir::evaluateComparison(op, a, b) ? 1.0 : 0.0)
                                       : ir::evaluateFloat(op, a, b, c);
    // NaN is compared as NaN: which of two NaN operands propagates (payload, sign) is not
    // specified by IEEE 754, and compilers swap the operands of + and * freely.
    bool same = bits(out[i]) == bits(want) || (std::isnan(out[i]) && std::isnan(want));
    if (!same) {
      ++mismatches;
      CAPTURE(ir::info(op).spelling);
      CAPTURE(name(set));
      CAPTURE(n);
      CAPTURE(i);
      CAPTURE(a);
      CAPTURE(b);
      CAPTURE(c);
      CAPTURE(want);
      CAPTURE(out[i]);
      CHECK(same);
    }
  }
  CHECK(mismatches == 0);
}

std::vector<Opcode> floatAndComparisonOps() {
  std::vector<Opcode> ops;
  for (int code = 0; code < static_cast<int>(ir::kOpcodeCount); ++code) {
    auto op = static_cast<Opcode>(code);
    if (ir::isFloatArithmetic(op) || ir::isComparison(op)) ops.push_back(op);
  }
  return ops;
}

}  // namespace

TEST_CASE(
    "every f64 and comparison opcode matches the scalar semantics bit for bit, at every batch "
    "size") {
  const bool vectors[3] = {false, false, false};
  const double none[3] = {0, 0, 0};
  auto ops = floatAndComparisonOps();
  CHECK(ops.size() == 34);
  for (Opcode op : ops) {
    for (std::size_t n : kSizes) checkOp(op, n, vectors, none);
  }
}

TEST_CASE("scalar operand forms and the uniform section agree with the scalar semantics") {
  const double scalars[] = {0.75, -0.0, 0.0, kNaN, -kInf, 3.0, 1e-310};
  for (Opcode op : floatAndComparisonOps()) {
    std::size_t arity = ir::operandCount(op);
    for (double s : scalars) {
      const double values[3] = {s, s == 0.75 ? -2.0 : s, 4.5};
      // Each operand alone as a parameter (the .rs / .sr / .ss forms), then all of them (the
      // uniform section computes the result once and the body broadcasts it).
      for (std::size_t a = 0; a < arity; ++a) {
        bool uniform[3] = {false, false, false};
        uniform[a] = true;
        checkOp(op, 257, uniform, values);
      }
      if (arity == 3) {
        const bool bounds[3] = {false, true, true};
        checkOp(op, 257, bounds, values);
      }
      const bool all[3] = {true, true, true};
      checkOp(op, 300, all, values);
    }
  }
}

TEST_CASE("and, or, not, select on every type, and conversions") {
  ir::Kernel k;
  k.name = "logic";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId x = b.load("X", e), y = b.load("Y", e);
  ValueId zero = b.constant(0.0);
  ValueId px = b.op(Opcode::Gt, x, zero), py = b.op(Opcode::Gt, y, zero);
  auto asFloat = [&](ValueId v) {
    return b.op(Opcode::Select, v, b.constant(1.0), b.constant(0.0));
  };
  b.store("and", e, asFloat(b.op(Opcode::And, px, py)));
  b.store("or", e, asFloat(b.op(Opcode::Or, px, py)));
  b.store("not", e, asFloat(b.op(Opcode::Not, px)));
  // select on i64 values: the post index of the element or the constant 7.
  ValueId chosen = b.op(Opcode::Select, px, b.loadIndex("J", e), b.constantIndex(7));
  b.store("isel", e, b.op(Opcode::IntToFloat, chosen));
  b.store("ftoi", e, b.op(Opcode::IntToFloat, b.op(Opcode::FloatToInt, x)));
  b.store("count", e, b.op(Opcode::IntToFloat, b.count()));
  b.store("elem", e, b.op(Opcode::IntToFloat, e));
  Run run(k);
  for (InstructionSet set : availableInstructionSets()) {
    CAPTURE(name(set));
    run.ctx->setInstructionSet(set);
    const std::size_t n = 1000;
    std::vector<double> xs = inputs(n, 7), ys = inputs(n, 8);
    xs[0] = 1e300;
    xs[1] = -1e300;
    xs[2] = kNaN;
    xs[3] = -2.7;
    xs[4] = 9.2e18;
    std::vector<std::int64_t> j(n);
    std::iota(j.begin(), j.end(), 1000);
    std::vector<double> o_and(n), o_or(n), o_not(n), o_isel(n), o_ftoi(n), o_count(n), o_elem(n);
    run.bind("X", xs);
    run.bind("Y", ys);
    run.bindIndex("J", j);
    run.bind("and", o_and);
    run.bind("or", o_or);
    run.bind("not", o_not);
    run.bind("isel", o_isel);
    run.bind("ftoi", o_ftoi);
    run.bind("count", o_count);
    run.bind("elem", o_elem);
    run.ctx->setDomain(n);
    run();
    for (std::size_t i = 0; i < n; ++i) {
      bool a = xs[i] > 0, c = ys[i] > 0;
      REQUIRE(o_and[i] == (ir::evaluateLogic(Opcode::And, a, c) ? 1.0 : 0.0));
      REQUIRE(o_or[i] == (ir::evaluateLogic(Opcode::Or, a, c) ? 1.0 : 0.0));
      REQUIRE(o_not[i] == (ir::evaluateLogic(Opcode::Not, a) ? 1.0 : 0.0));
      REQUIRE(o_isel[i] == (a ? 1000.0 + static_cast<double>(i) : 7.0));
      REQUIRE(o_count[i] == 1000.0);
      REQUIRE(o_elem[i] == static_cast<double>(i));
    }
    // (i64) trunc, saturating, NaN -> 0.
    CHECK(o_ftoi[0] == 0x1p63);
    CHECK(o_ftoi[1] == -0x1p63);
    CHECK(o_ftoi[2] == 0.0);
    CHECK(o_ftoi[3] == -2.0);
    CHECK(o_ftoi[4] == 9.2e18);
    for (std::size_t i = 5; i < n; ++i) {
      if (std::isfinite(xs[i]) && std::fabs(xs[i]) < 1e18) REQUIRE(o_ftoi[i] == std::trunc(xs[i]));
    }
  }
}

TEST_CASE("an explicit-index domain reads and writes only its elements, in its order") {
  ir::Kernel k;
  k.name = "subset";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId v = b.load("V", e);
  b.store("V", e, b.op(Opcode::Mul, v, b.constant(2.0)));
  b.accumulate("hits", e, b.constant(1.0));
  b.store("order", e, b.op(Opcode::IntToFloat, e));  // the element itself
  b.emitSpike(b.op(Opcode::Gt, v, b.constant(50.0)));
  Run run(k);
  for (InstructionSet set : availableInstructionSets()) {
    CAPTURE(name(set));
    run.ctx->setInstructionSet(set);
    const std::size_t n = 3000;
    std::vector<double> V(n), hits(n, 0.0), order(n, -1.0);
    std::iota(V.begin(), V.end(), 0.0);
    std::vector<std::int64_t> elements;
    for (std::int64_t i = static_cast<std::int64_t>(n) - 1; i >= 0; i -= 3)
      elements.push_back(i);  // descending, strided
    std::vector<std::int64_t> spike_storage(n);
    SpikeList spikes{spike_storage};
    run.bind("V", V);
    run.bind("hits", hits);
    run.bind("order", order);
    run.ctx->bindSpikes(&spikes);
    run.ctx->setDomain(elements);
    run();
    std::vector<bool> in(n, false);
    for (auto i : elements) in[static_cast<std::size_t>(i)] = true;
    for (std::size_t i = 0; i < n; ++i) {
      REQUIRE(V[i] == (in[i] ? 2.0 * static_cast<double>(i) : static_cast<double>(i)));
      REQUIRE(hits[i] == (in[i] ? 1.0 : 0.0));
      REQUIRE(order[i] == (in[i] ? static_cast<double>(i) : -1.0));
    }
    // Spikes come in domain order (descending here).
    std::vector<std::int64_t> want;
    for (auto i : elements) {
      if (static_cast<double>(i) > 50.0) want.push_back(i);
    }
    CHECK(std::vector<std::int64_t>(spikes.spikes().begin(), spikes.spikes().end()) == want);
  }
}

TEST_CASE("gathers, scatters and accumulations go through index buffers in element order") {
  // A synaptic event: each synapse e of the spiking neurons adds w[e] onto g[post[e]] and
  // records the post neuron's V; several synapses share a target.
  ir::Kernel k;
  k.name = "on_pre";
  k.domain = ir::Domain::Synapses;
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId post = b.loadIndex("post", e);
  ValueId w = b.load("w", e);
  b.accumulate("g", post, w);
  b.store("seen", e, b.load("V", post));               // gather
  b.store("last", post, b.op(Opcode::IntToFloat, e));  // scatter: the last synapse wins
  Run run(k);
  for (InstructionSet set : availableInstructionSets()) {
    CAPTURE(name(set));
    run.ctx->setInstructionSet(set);
    const std::size_t synapses = 2000, neurons = 7;
    std::vector<std::int64_t> post_index(synapses);
    std::vector<double> weights(synapses), seen(synapses), V(neurons), g(neurons, 0.0),
        last(neurons, -1.0);
    std::mt19937_64 rng(3);
    for (std::size_t s = 0; s < synapses; ++s) {
      post_index[s] = static_cast<std::int64_t>(rng() % neurons);
      // Order-sensitive in floating point: large and small terms.
      weights[s] = s % 3 == 0 ? 1e16 : s % 3 == 1 ? 1.0 : -1e16;
    }
    for (std::size_t i = 0; i < neurons; ++i) V[i] = 0.5 + static_cast<double>(i);
    std::vector<std::int64_t> active;  // the synapses of spiking neurons: a subset, in order
    for (std::int64_t s = 0; s < static_cast<std::int64_t>(synapses); ++s) {
      if (rng() % 2) active.push_back(s);
    }
    run.bindIndex("post", post_index);
    run.bind("w", weights);
    run.bind("g", g);
    run.bind("seen", seen);
    run.bind("V", V);
    run.bind("last", last);
    run.ctx->setDomain(active);
    run();
    std::vector<double> want_g(neurons, 0.0), want_last(neurons, -1.0);
    for (auto s : active) {
      want_g[static_cast<std::size_t>(post_index[s])] += weights[s];
      want_last[static_cast<std::size_t>(post_index[s])] = static_cast<double>(s);
    }
    for (std::size_t i = 0; i < neurons; ++i) {
      CHECK(bits(g[i]) == bits(want_g[i]));
      CHECK(last[i] == want_last[i]);
    }
    for (auto s : active) REQUIRE(seen[s] == V[static_cast<std::size_t>(post_index[s])]);

    // An index out of range is an error, not a crash; the batch with it is not applied, the
    // batches before it are.
    std::fill(g.begin(), g.end(), 0.0);
    post_index[active[300]] = 7;  // one past the end of g
    CHECK_THROWS_WITH_AS(run(),
                         doctest::Contains("index 7 out of range for buffer `g` of 7 elements"),
                         InterpreterError);
    std::vector<double> first_batch(neurons, 0.0);
    for (std::size_t a = 0; a < kBatchSize; ++a)
      first_batch[static_cast<std::size_t>(post_index[active[a]])] += weights[active[a]];
    for (std::size_t i = 0; i < neurons; ++i) CHECK(bits(g[i]) == bits(first_batch[i]));
    post_index[active[300]] = -1;
    CHECK_THROWS_AS(run(), InterpreterError);
  }
}

TEST_CASE("spikes: appended in element order across batches; a full list is an error") {
  ir::Kernel k;
  k.name = "threshold";
  KernelBuilder b(k);
  ValueId e = b.element();
  b.emitSpike(b.op(Opcode::Gt, b.load("V", e), b.param("theta")));
  Run run(k);
  for (InstructionSet set : availableInstructionSets()) {
    CAPTURE(name(set));
    run.ctx->setInstructionSet(set);
    for (std::size_t n : kSizes) {
      std::vector<double> V = inputs(n, 11);
      std::vector<std::int64_t> storage(n + 1);
      SpikeList spikes{storage};
      const double theta[] = {0.5};
      run.bind("V", V);
      run.ctx->bindParams(theta);
      run.ctx->bindSpikes(&spikes);
      run.ctx->setDomain(n);
      run();
      std::vector<std::int64_t> want;
      for (std::size_t i = 0; i < n; ++i) {
        if (V[i] > 0.5) want.push_back(static_cast<std::int64_t>(i));
      }
      CAPTURE(n);
      CHECK(std::vector<std::int64_t>(spikes.spikes().begin(), spikes.spikes().end()) == want);
      if (want.size() > 1) {
        SpikeList small{std::span<std::int64_t>(storage).first(want.size() - 1)};
        run.ctx->bindSpikes(&small);
        CHECK_THROWS_WITH_AS(run(), doctest::Contains("spike list is full"), InterpreterError);
        CHECK(small.size == want.size() - 1);
      }
    }
  }
}

TEST_CASE("rand and randn equal vm/random's scalar functions for the same counters") {
  ir::Kernel k;
  k.name = "noise";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId u = b.rand(3, e);
  ValueId g = b.randn(3, e);
  ValueId via_post = b.rand(4, b.loadIndex("post", e));  // a non-contiguous element operand
  ValueId shared = b.rand(5, b.constantIndex(42));       // uniform: computed once per call
  b.store("u", e, u);
  b.store("g", e, g);
  b.store("p", e, via_post);
  b.store("s", e, shared);
  const std::uint64_t u_draw = k.body[u].slot, g_draw = k.body[g].slot,
                      p_draw = k.body[via_post].slot, s_draw = k.body[shared].slot;
  Run run(k);
  for (InstructionSet set : availableInstructionSets()) {
    CAPTURE(name(set));
    run.ctx->setInstructionSet(set);
    const std::uint64_t seed = 0x1234'5678'9abcULL, step = 777;
    for (bool explicit_domain : {false, true}) {
      const std::size_t n = 700;
      std::vector<double> U(n), G(n), P(n), S(n);
      std::vector<std::int64_t> post(n), elements;
      for (std::size_t i = 0; i < n; ++i) post[i] = static_cast<std::int64_t>((i * 7919) % 100000);
      for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); i += 2) elements.push_back(i);
      run.bind("u", U);
      run.bind("g", G);
      run.bind("p", P);
      run.bind("s", S);
      run.bindIndex("post", post);
      run.ctx->setSeed(seed);
      run.ctx->setClock(step, 0.0777, 1e-4);
      if (explicit_domain) {
        run.ctx->setDomain(elements);
      } else {
        run.ctx->setDomain(n);
      }
      run();
      std::size_t checked = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (explicit_domain && i % 2) {
          REQUIRE(U[i] == 0.0);  // not in the domain: untouched
          continue;
        }
        ++checked;
        REQUIRE(bits(U[i]) == bits(random::uniform(seed, 3, i, step, u_draw)));
        REQUIRE(bits(G[i]) == bits(random::normal(seed, 3, i, step, g_draw)));
        REQUIRE(bits(P[i]) ==
                bits(random::uniform(seed, 4, static_cast<std::uint64_t>(post[i]), step, p_draw)));
        REQUIRE(bits(S[i]) == bits(random::uniform(seed, 5, 42, step, s_draw)));
      }
      CHECK(checked == (explicit_domain ? n / 2 : n));
    }
  }
}

TEST_CASE("timed arrays follow Brian2's sampling rule, uniform or per element") {
  ir::Kernel k;
  k.name = "drive";
  KernelBuilder b(k);
  ValueId e = b.element();
  b.store("now", e, b.timed("I_ext", b.time()));          // uniform: the uniform section
  b.store("at", e, b.timed("I_ext", b.load("when", e)));  // per element
  Run run(k);
  for (InstructionSet set : availableInstructionSets()) {
    CAPTURE(name(set));
    run.ctx->setInstructionSet(set);
    std::vector<double> table = {10, 11, 12, 13, 14};
    const double sim_dt = 1e-4, table_dt = 1e-3;  // 10 steps per value
    run.ctx->bindTable(0, TableView{table, table_dt});
    const std::size_t n = 3;
    std::vector<double> now(n), at(n), when = {-1.0, 0.0029999, 1.0};
    run.bind("now", now);
    run.bind("at", at);
    run.bind("when", when);
    run.ctx->setDomain(n);
    for (std::uint64_t step = 0; step < 80; ++step) {
      double t = static_cast<double>(step) * sim_dt;  // rounded: 0.3 ms is 0.00030000000000000003
      run.ctx->setClock(step, t, sim_dt);
      run();
      CAPTURE(step);
      REQUIRE(now[0] == table[std::min<std::size_t>(step / 10, table.size() - 1)]);
    }
    CHECK(at[0] == 10);  // before the start: the first value
    CHECK(at[1] == 13);  // 2.9999 ms is step 30 after rounding: the fourth value
    CHECK(at[2] == 14);  // after the end: the last value
    CHECK_THROWS_AS(run.ctx->bindTable(0, TableView{{}, 1e-3}), InterpreterError);
  }
}

TEST_CASE("a LIF neuron integrated by Euler for 1000 steps stays within the Euler error bound") {
  // dV/dt = (V_rest - V) / tau, V(0) = V0 differing per neuron, tau per neuron (a buffer).
  ir::Kernel k;
  k.name = "E.update";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId v = b.load("V", e);
  ValueId dv = b.op(Opcode::Div, b.op(Opcode::Sub, b.param("V_rest"), v), b.load("tau", e));
  b.store("V", e, b.op(Opcode::Add, v, b.op(Opcode::Mul, b.timeStep(), dv)));
  ir::optimize(k);
  Run run(k);
  for (InstructionSet set : availableInstructionSets()) {
    CAPTURE(name(set));
    run.ctx->setInstructionSet(set);
    const std::size_t n = 1000;
    const double dt = 1e-4, V_rest = -0.07;
    std::vector<double> V(n), tau(n), reference(n);
    for (std::size_t i = 0; i < n; ++i) {
      V[i] = reference[i] = -0.07 + 0.03 * static_cast<double>(i) / n;
      tau[i] = 0.005 + 0.02 * static_cast<double>(i % 17) / 17;
    }
    const std::vector<double> V0 = V;
    const double params[] = {V_rest};
    run.bind("V", V);
    run.bind("tau", tau);
    run.ctx->bindParams(params);
    run.ctx->setDomain(n);
    const int steps = 1000;
    for (int s = 0; s < steps; ++s) {
      run.ctx->setClock(static_cast<std::uint64_t>(s), s * dt, dt);
      run();
      for (std::size_t i = 0; i < n; ++i)
        reference[i] = reference[i] + dt * ((V_rest - reference[i]) / tau[i]);
    }
    double worst = 0;
    for (std::size_t i = 0; i < n; ++i) {
      // The same arithmetic in the same order as plain C++: identical bits.
      REQUIRE(bits(V[i]) == bits(reference[i]));
      double h = dt / tau[i];
      double exact = V_rest + (V0[i] - V_rest) * std::exp(-steps * h);
      // |(1-h)^n - e^{-nh}| <= n h^2 / 2 for 0 < h < 1 (each step errs by at most h^2/2).
      double bound = std::fabs(V0[i] - V_rest) * steps * h * h / 2;
      REQUIRE(std::fabs(V[i] - exact) <= bound + 1e-15);
      worst = std::max(worst, std::fabs(V[i] - exact));
    }
    CHECK(worst > 0);  // Euler is not exact: the comparison is not vacuous
  }
}

// Also the kernel of the callgrind measurement (instructions per element per IR instruction;
// valgrind has no AVX-512, so it runs the x86-64-v3 loop):
//   valgrind --tool=callgrind --toggle-collect='snn::interpreter::run*'
//            snn_unit_tests -tc='a 4000-neuron LIF update*'
TEST_CASE("a 4000-neuron LIF update with input current equals the same arithmetic in plain C++") {
  ir::Kernel k;
  k.name = "E.update";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId v = b.load("V", e);
  ValueId rest = b.param("V_rest");
  ValueId resistance = b.param("R");
  ValueId tau = b.param("tau");
  ValueId drive =
      b.op(Opcode::Add, b.op(Opcode::Sub, rest, v), b.op(Opcode::Mul, resistance, b.load("I", e)));
  b.store("V", e,
          b.op(Opcode::Add, v, b.op(Opcode::Mul, b.timeStep(), b.op(Opcode::Div, drive, tau))));
  ir::optimize(k);
  MESSAGE("IR instructions: ", k.body.size());
  Run run(k);
  const std::size_t n = 4000;
  const double dt = 1e-4, params[] = {-0.07, 1e7, 0.02};
  std::vector<double> V(n, -0.07), I(n), reference(n, -0.07);
  for (std::size_t i = 0; i < n; ++i) I[i] = 1e-9 * static_cast<double>(i % 100) / 50;
  run.bind("V", V);
  run.bind("I", I);
  run.ctx->bindParams(params);
  run.ctx->setDomain(n);
  for (std::uint64_t step = 0; step < 100; ++step) {
    run.ctx->setClock(step, static_cast<double>(step) * dt, dt);
    run();
    for (std::size_t i = 0; i < n; ++i) {
      reference[i] =
          reference[i] + dt * (((params[0] - reference[i]) + params[1] * I[i]) / params[2]);
    }
  }
  for (std::size_t i = 0; i < n; ++i) REQUIRE(bits(V[i]) == bits(reference[i]));
  CHECK(V[99] > V[0]);
}

TEST_CASE("a long chain runs in a few registers and gives the sequential result") {
  ir::Kernel k;
  k.name = "chain";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId acc = b.load("X", e);
  for (int i = 0; i < 500; ++i) acc = b.op(i % 2 ? Opcode::Add : Opcode::Mul, acc, b.load("Y", e));
  b.store("out", e, acc);
  Run run(k);
  CHECK(run.code.num_vector_registers <= 3);
  std::vector<double> x(300, 0.5), y(300, 1.001), out(300);
  run.bind("X", x);
  run.bind("Y", y);
  run.bind("out", out);
  run.ctx->setDomain(300);
  run();
  double want = 0.5;
  for (int i = 0; i < 500; ++i) want = i % 2 ? want + 1.001 : want * 1.001;
  CHECK(bits(out[299]) == bits(want));
}

TEST_CASE("the verifier rejects broken bytecode before it can run") {
  ir::Kernel k;
  k.name = "victim";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId v = b.load("V", e);
  ValueId r = b.op(Opcode::Select, b.op(Opcode::Gt, v, b.param("th")), b.constant(0.0), v);
  b.store("V", e, r);
  b.loadIndex("post", e);  // dead, but declares an index buffer slot
  const BytecodeKernel good = codegen::compileToBytecode(k);
  REQUIRE(verifyBytecode(good).empty());
  // Finds the first body instruction with opcode `op`.
  auto find = [](std::vector<Instruction>& code, Op op) -> Instruction& {
    for (auto& inst : code) {
      if (inst.op == static_cast<std::uint16_t>(op)) return inst;
    }
    FAIL("no such instruction");
    return code.front();
  };
  auto rejects = [&](BytecodeKernel bad, std::string_view what) {
    auto problems = verifyBytecode(bad);
    CAPTURE(what);
    REQUIRE_FALSE(problems.empty());
    bool found = false;
    for (const auto& p : problems) found = found || p.find(what) != std::string::npos;
    if (!found) CHECK(problems.front() == what);
    CHECK_THROWS_AS(ExecutionContext{bad}, BytecodeError);
  };
  {
    BytecodeKernel bad = good;
    find(bad.body_code, Op::LoadE).a = static_cast<std::uint16_t>(bad.num_vector_registers);
    rejects(bad, "out of range (");
  }
  {
    BytecodeKernel bad = good;
    find(bad.body_code, Op::LoadE).c = 9;
    rejects(bad, "buffer slot 9 out of range");
  }
  {
    BytecodeKernel bad = good;
    bad.buffers[find(bad.body_code, Op::LoadE).c].is_index = true;
    rejects(bad, "needs f64");
  }
  {
    BytecodeKernel bad = good;
    bad.buffers[find(bad.body_code, Op::StoreE).c].written = false;
    rejects(bad, "not marked written");
  }
  {
    BytecodeKernel bad = good;
    bad.body_code.pop_back();
    rejects(bad, "does not end with `end`");
  }
  {
    BytecodeKernel bad = good;
    bad.body_code.front().op = 999;
    rejects(bad, "unknown opcode 999");
  }
  {
    BytecodeKernel bad = good;
    // The select's extra word replaced by an `end`.
    for (std::size_t i = 0; i + 1 < bad.body_code.size(); ++i) {
      if (opInfo(static_cast<Op>(bad.body_code[i].op)).extra != '-')
        bad.body_code[i + 1].op = static_cast<std::uint16_t>(Op::End);
    }
    rejects(bad, "not followed by its `extra` word");
  }
  {
    BytecodeKernel bad = good;
    Instruction& gt = find(bad.body_code, Op::GtRS);
    gt.a = gt.b;  // destination = source: the loops' restrict would be a lie
    rejects(bad, "writes register");
  }
  {
    BytecodeKernel bad = good;
    bad.uniform_code.insert(bad.uniform_code.begin(),
                            Instruction{static_cast<std::uint16_t>(Op::LoadE), 3, 0, 0});
    rejects(bad, "only allowed in the body");
  }
  {
    BytecodeKernel bad = good;
    bad.num_scalar_registers += 1;
    bad.uniform_code.insert(
        bad.uniform_code.begin(),
        Instruction{static_cast<std::uint16_t>(Op::Neg), kDtRegister, kTimeRegister, 0});
    rejects(bad, "overwrites s1");
  }
  {
    BytecodeKernel bad = good;
    find(bad.body_code, Op::LoadE).b = 1;
    rejects(bad, "unused, must be 0");
  }
  {
    BytecodeKernel bad = good;
    bad.num_vector_registers = kMaxVectorRegisters + 1;
    rejects(bad, "more than the limit");
  }
  {
    BytecodeKernel bad = good;
    bad.body_code.insert(bad.body_code.begin(),
                         Instruction{static_cast<std::uint16_t>(Op::Extra), 0, 0, 0});
    rejects(bad, "`extra` without an instruction");
  }
}

TEST_CASE("bad bindings and domains are errors") {
  ir::Kernel k;
  k.name = "bind";
  KernelBuilder b(k);
  ValueId e = b.element();
  b.store("V", e, b.op(Opcode::Add, b.load("V", e), b.param("x")));
  Run run(k);
  std::vector<double> V(10, 0.0);
  const double one[] = {1.0};
  run.ctx->setDomain(10);
  CHECK_THROWS_WITH_AS(run(), doctest::Contains("buffer `V` is not bound"), InterpreterError);
  run.bind("V", V);
  CHECK_THROWS_WITH_AS(run(), doctest::Contains("parameters are not bound"), InterpreterError);
  CHECK_THROWS_AS(run.ctx->bindParams({}), InterpreterError);
  run.ctx->bindParams(one);
  run.ctx->setDomain(11);
  CHECK_THROWS_WITH_AS(
      run(), doctest::Contains("buffer `V` has 10 elements, the domain reaches element 10"),
      InterpreterError);
  const std::vector<std::int64_t> negative = {1, -2};
  run.ctx->setDomain(negative);
  CHECK_THROWS_WITH_AS(run(), doctest::Contains("negative element -2"), InterpreterError);
  CHECK_THROWS_AS(run.ctx->bindIndexBuffer(0, {}), InterpreterError);  // V is f64
  CHECK_THROWS_AS(run.ctx->bindBuffer(5, V), InterpreterError);
  BytecodeKernel other = run.code;
  CHECK_THROWS_WITH_AS(snn::interpreter::run(other, *run.ctx), doctest::Contains("made for kernel"),
                       InterpreterError);
  run.ctx->setDomain(10);
  run();
  CHECK(V[9] == 1.0);
  run.ctx->setDomain(std::size_t{0});  // an empty domain does nothing
  run();
  CHECK(V[9] == 1.0);
}

TEST_CASE("instruction sets: the baseline is always there, unknown ones are refused") {
  auto sets = availableInstructionSets();
  REQUIRE(!sets.empty());
  CHECK(sets.front() == InstructionSet::Baseline);
  MESSAGE("instruction sets on this machine: ", sets.size(), ", best ",
          std::string(name(sets.back())));
  ir::Kernel k;
  k.name = "isa";
  KernelBuilder b(k);
  b.store("V", b.element(), b.constant(1.0));
  Run run(k);
  CHECK(run.ctx->instructionSet() == sets.back());  // the best by default
  CHECK_THROWS_AS(run.ctx->setInstructionSet(static_cast<InstructionSet>(99)), InterpreterError);
}

TEST_CASE("run allocates nothing and keeps its register arena") {
  ir::Kernel k;
  k.name = "E.step";
  KernelBuilder b(k);
  ValueId e = b.element();
  ValueId v = b.load("V", e);
  // One statement per parameter: argument evaluation order would make the slot order vary.
  ValueId rest = b.param("V_rest");
  ValueId tau = b.param("tau");
  ValueId threshold = b.param("V_th");
  ValueId reset = b.param("V_reset");
  ValueId v_new =
      b.op(Opcode::Add, v,
           b.op(Opcode::Mul, b.timeStep(), b.op(Opcode::Div, b.op(Opcode::Sub, rest, v), tau)));
  ValueId noisy = b.op(Opcode::Add, v_new, b.op(Opcode::Mul, b.randn(1, e), b.constant(1e-4)));
  ValueId spiked = b.op(Opcode::Gt, noisy, threshold);
  b.emitSpike(spiked);
  b.store("V", e, b.op(Opcode::Select, spiked, reset, noisy));
  b.accumulate("total", b.constantIndex(0), noisy);
  Run run(k);
  const std::size_t n = 1000;
  std::vector<double> V(n, -0.06), total(1, 0.0);
  std::vector<std::int64_t> storage(n);
  SpikeList spikes{storage};
  const double params[] = {-0.05, 0.01, -0.055, -0.07};  // V_rest, tau, V_th, V_reset
  run.bind("V", V);
  run.bind("total", total);
  run.ctx->bindParams(params);
  run.ctx->bindSpikes(&spikes);
  run.ctx->setDomain(n);
  const Word* arena = run.ctx->registerArena();
  std::size_t before = snn::testing::allocationCount();
  std::size_t spike_count = 0;
  for (std::uint64_t step = 0; step < 200; ++step) {
    spikes.clear();
    run.ctx->setClock(step, static_cast<double>(step) * 1e-4, 1e-4);
    run();
    spike_count += spikes.size;
  }
  CHECK(snn::testing::allocationCount() == before);
  CHECK(run.ctx->registerArena() == arena);
  // The counter does count: a vector allocates.
  std::vector<int> probe(10);
  CHECK(snn::testing::allocationCount() > before);
  CHECK(spike_count > 0);  // the kernel did real work
  CHECK(total[0] != 0.0);
}

}  // namespace snn::interpreter
