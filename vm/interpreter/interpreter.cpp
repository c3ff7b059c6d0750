// The interpreter loop; see interpreter.h. One function template runs a section: instantiated
// for the uniform section (one row, registers are the scalar file) and for the body (a batch of
// rows, registers are kBatchSize-word rows of the vector file). Each opcode's handler is a plain
// loop over the rows, which the compiler vectorises where the operation allows, so a kernel
// costs one dispatch per instruction per batch plus the arithmetic itself.
//
// Every element-wise operation computes exactly what compiler/ir/scalar_semantics.cpp computes
// for one element (the same C library calls, no reassociation, no contraction: the library is
// built with -ffp-contract=off), so folding at compile time, this VM and a native back end
// agree bit for bit; the unit tests check every opcode against it.
#include "vm/interpreter/interpreter.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>

#include <fmt/format.h>

#include "vm/random/counter_rng.h"

// Computed goto where the compiler has labels as values (GCC, Clang), else a switch in a loop.
// Define SNN_VM_SWITCH_DISPATCH to force the switch (to test it).
#if (defined(__GNUC__) || defined(__clang__)) && !defined(SNN_VM_SWITCH_DISPATCH)
#define SNN_VM_COMPUTED_GOTO 1
#else
#define SNN_VM_COMPUTED_GOTO 0
#endif

namespace snn::interpreter {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kArenaAlignment = 64;

// --- the scalar semantics, element by element (mirrors compiler/ir/scalar_semantics.cpp)

inline double modF(double x, double y) {
  double r = std::fmod(x, y);
  if (r != 0 && ((r < 0) != (y < 0))) r += y;
  return r;
}
inline double minF(double x, double y) { return std::isnan(x) || std::isnan(y) ? kNaN : std::min(x, y); }
inline double maxF(double x, double y) { return std::isnan(x) || std::isnan(y) ? kNaN : std::max(x, y); }
inline double clipF(double x, double lo, double hi) {
  if (std::isnan(x) || std::isnan(lo) || std::isnan(hi)) return kNaN;
  return std::min(std::max(x, lo), hi);
}
inline double signF(double x) { return std::isnan(x) ? x : static_cast<double>((x > 0) - (x < 0)); }
inline double exprelF(double x) { return x == 0 ? 1.0 : std::expm1(x) / x; }

// (i64) trunc x, saturating, NaN -> 0 (LLVM's fptosi.sat; a plain cast would be undefined).
inline std::int64_t toInt(double x) {
  if (std::isnan(x)) return 0;
  if (x >= 0x1p63) return std::numeric_limits<std::int64_t>::max();
  if (x < -0x1p63) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(x);
}

// --- loops over rows. The destination never aliases a source (the verifier checks it), which
//     `restrict` tells the compiler so that it vectorises without run-time overlap tests.

template <class Fn>
inline void mapRR(Word* __restrict r, const Word* __restrict x, const Word* __restrict y,
                  std::size_t n, Fn fn) {
  for (std::size_t i = 0; i < n; ++i) r[i].f = fn(x[i].f, y[i].f);
}
template <class Fn>
inline void mapRS(Word* __restrict r, const Word* __restrict x, double y, std::size_t n, Fn fn) {
  for (std::size_t i = 0; i < n; ++i) r[i].f = fn(x[i].f, y);
}
template <class Fn>
inline void mapSR(Word* __restrict r, double x, const Word* __restrict y, std::size_t n, Fn fn) {
  for (std::size_t i = 0; i < n; ++i) r[i].f = fn(x, y[i].f);
}
template <class Fn>
inline void map1(Word* __restrict r, const Word* __restrict x, std::size_t n, Fn fn) {
  for (std::size_t i = 0; i < n; ++i) r[i].f = fn(x[i].f);
}
template <class Fn>
inline void compareRR(Word* __restrict r, const Word* __restrict x, const Word* __restrict y,
                      std::size_t n, Fn fn) {
  for (std::size_t i = 0; i < n; ++i) r[i].i = fn(x[i].f, y[i].f);
}
template <class Fn>
inline void compareRS(Word* __restrict r, const Word* __restrict x, double y, std::size_t n, Fn fn) {
  for (std::size_t i = 0; i < n; ++i) r[i].i = fn(x[i].f, y);
}
template <class Fn>
inline void compareSR(Word* __restrict r, double x, const Word* __restrict y, std::size_t n, Fn fn) {
  for (std::size_t i = 0; i < n; ++i) r[i].i = fn(x, y[i].f);
}
// Selects copy words, so they serve f64, i64 and bool alike; written as blends.
inline void selectWords(Word* __restrict r, const Word* __restrict c, const Word* __restrict y,
                        const Word* __restrict z, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) r[i].i = c[i].i != 0 ? y[i].i : z[i].i;
}
inline void selectSR(Word* __restrict r, const Word* __restrict c, std::int64_t y,
                     const Word* __restrict z, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) r[i].i = c[i].i != 0 ? y : z[i].i;
}
inline void selectRS(Word* __restrict r, const Word* __restrict c, const Word* __restrict y,
                     std::int64_t z, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) r[i].i = c[i].i != 0 ? y[i].i : z;
}
inline void selectSS(Word* __restrict r, const Word* __restrict c, std::int64_t y, std::int64_t z,
                     std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) r[i].i = c[i].i != 0 ? y : z;
}

constexpr auto kAdd = [](double x, double y) { return x + y; };
constexpr auto kSub = [](double x, double y) { return x - y; };
constexpr auto kMul = [](double x, double y) { return x * y; };
constexpr auto kDiv = [](double x, double y) { return x / y; };
constexpr auto kMod = [](double x, double y) { return modF(x, y); };
constexpr auto kPow = [](double x, double y) { return std::pow(x, y); };
constexpr auto kMin = [](double x, double y) { return minF(x, y); };
constexpr auto kMax = [](double x, double y) { return maxF(x, y); };
constexpr auto kEq = [](double x, double y) -> std::int64_t { return x == y; };
constexpr auto kNe = [](double x, double y) -> std::int64_t { return x != y; };
constexpr auto kLt = [](double x, double y) -> std::int64_t { return x < y; };
constexpr auto kLe = [](double x, double y) -> std::int64_t { return x <= y; };
constexpr auto kGt = [](double x, double y) -> std::int64_t { return x > y; };
constexpr auto kGe = [](double x, double y) -> std::int64_t { return x >= y; };

// What a section needs besides its registers.
struct Frame {
  const BytecodeKernel* kernel;
  const std::span<double>* buffers;
  const std::span<const std::int64_t>* index_buffers;
  const TableView* tables;
  const std::int64_t* domain;  // explicit elements, or null for the range 0..count-1
  std::size_t base;            // the batch's first row in the domain
  SpikeList* spikes;
  std::uint64_t seed;
  std::uint64_t step;
  double dt;
};

// --- errors (cold: formatting allocates, which is fine once the run has failed)

[[noreturn]] [[gnu::cold]] [[gnu::noinline]] void fail(const BytecodeKernel& k, std::string what) {
  throw InterpreterError(fmt::format("kernel `{}`: {}", k.name, what));
}

[[noreturn]] [[gnu::cold]] [[gnu::noinline]] void indexOutOfRange(const Frame& f, Op op,
                                                                   std::uint16_t slot,
                                                                   const Word* index,
                                                                   std::size_t n,
                                                                   std::size_t size) {
  std::int64_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (static_cast<std::uint64_t>(index[i].i) >= size) {
      bad = index[i].i;
      break;
    }
  }
  fail(*f.kernel, fmt::format("`{}`: index {} out of range for buffer `{}` of {} elements",
                              opInfo(op).mnemonic, bad, f.kernel->buffers[slot].name, size));
}

// True if every index is below size; one pass the compiler can vectorise, then an unchecked loop.
inline bool allBelow(const Word* index, std::size_t n, std::size_t size) {
  bool bad = false;
  for (std::size_t i = 0; i < n; ++i) bad |= static_cast<std::uint64_t>(index[i].i) >= size;
  return !bad;
}

// --- inputs

void sampleTable(Word* __restrict r, const Word* __restrict at, std::size_t n, const TableView& t,
                 double sim_dt) {
  // Brian2's TimedArray (brian2/input/timedarray.py, _find_K and the C++ template).
  const double k = std::max(std::exp2(std::ceil(std::log2(8.0 / sim_dt * t.dt))), 1.0);
  const double epsilon = t.dt / k;
  const std::size_t last = t.values.size() - 1;
  const double* values = t.values.data();
  for (std::size_t i = 0; i < n; ++i) {
    double x = at[i].f;
    if (std::isnan(x)) {
      r[i].f = kNaN;
      continue;
    }
    double position = (x / epsilon + 0.5) / k;
    std::size_t index = position < 1 ? 0
                        : position >= static_cast<double>(last) ? last
                                                                 : static_cast<std::size_t>(position);
    r[i].f = values[index];
  }
}

// The draw of a random instruction: stream in A, draw index in B:C of its `extra` word.
void randomRows(Word* __restrict r, const Word* __restrict element, std::size_t n, const Frame& f,
                const Instruction& extra, bool normal) {
  const std::uint32_t stream = extra.a;
  const std::uint64_t draw = (std::uint64_t{extra.b} << 16) | extra.c;
  const std::uint64_t first = static_cast<std::uint64_t>(element[0].i);
  bool contiguous = true;
  for (std::size_t i = 0; i < n; ++i) contiguous &= static_cast<std::uint64_t>(element[i].i) == first + i;
  if (contiguous && first < random::kElementLimit && random::kElementLimit - first >= n) {
    // The common case (element = e over a range): the batched fill, bit-identical to the scalar.
    double values[kBatchSize];
    std::span<double> out(values, n);
    if (normal) {
      random::normalFill(f.seed, stream, f.step, draw, first, out);
    } else {
      random::uniformFill(f.seed, stream, f.step, draw, first, out);
    }
    for (std::size_t i = 0; i < n; ++i) r[i].f = values[i];
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t e = element[i].i;
    if (e < 0 || static_cast<std::uint64_t>(e) >= random::kElementLimit) {
      fail(*f.kernel, fmt::format("random number for element {}, outside 0..2^40", e));
    }
    r[i].f = normal ? random::normal(f.seed, stream, static_cast<std::uint64_t>(e), f.step, draw)
                    : random::uniform(f.seed, stream, static_cast<std::uint64_t>(e), f.step, draw);
  }
}

// --- the loop

template <bool kUniform>
void execute(const Instruction* ip, Word* regs, Word* scalars, std::size_t rows, Frame& f) {
  constexpr std::size_t kStride = kUniform ? 1 : kBatchSize;
  const std::size_t n = kUniform ? 1 : rows;
  const std::int64_t* const domain = f.domain ? f.domain + f.base : nullptr;
  const std::int64_t base = static_cast<std::int64_t>(f.base);

#define R(field) (regs + std::size_t{ip->field} * kStride)
#define S(field) (scalars + ip->field)
#define RD (regs + std::size_t{ip[1].a} * kStride) /* D of the extra word, a register */
#define SD (scalars + ip[1].a)                     /* D of the extra word, a scalar */

#if SNN_VM_COMPUTED_GOTO
  static void* const kLabels[] = {
#define BC_OP(Name, Mnemonic, Fields, Extra, Section) &&op_##Name,
#include "vm/interpreter/opcodes.def"
#undef BC_OP
  };
#define VM_DISPATCH() goto* kLabels[ip->op]
#define VM_CASE(Name) op_##Name:
#define VM_NEXT(words) \
  do {                 \
    ip += (words);     \
    VM_DISPATCH();     \
  } while (0)
#define VM_LOOP_BEGIN VM_DISPATCH();
#define VM_LOOP_END
#else
#define VM_CASE(Name) case Op::Name:
#define VM_NEXT(words) \
  {                    \
    ip += (words);     \
    continue;          \
  }
#define VM_LOOP_BEGIN \
  for (;;) {          \
    switch (static_cast<Op>(ip->op)) {
#define VM_LOOP_END \
  }                 \
  }
#endif

#define VM_BINARY(Name, fn)                                 \
  VM_CASE(Name) {                                           \
    mapRR(R(a), R(b), R(c), n, fn);                         \
    VM_NEXT(1);                                             \
  }                                                         \
  VM_CASE(Name##RS) {                                       \
    mapRS(R(a), R(b), S(c)->f, n, fn);                      \
    VM_NEXT(1);                                             \
  }                                                         \
  VM_CASE(Name##SR) {                                       \
    mapSR(R(a), S(b)->f, R(c), n, fn);                      \
    VM_NEXT(1);                                             \
  }
#define VM_COMPARE(Name, fn)                                \
  VM_CASE(Name) {                                           \
    compareRR(R(a), R(b), R(c), n, fn);                     \
    VM_NEXT(1);                                             \
  }                                                         \
  VM_CASE(Name##RS) {                                       \
    compareRS(R(a), R(b), S(c)->f, n, fn);                  \
    VM_NEXT(1);                                             \
  }                                                         \
  VM_CASE(Name##SR) {                                       \
    compareSR(R(a), S(b)->f, R(c), n, fn);                  \
    VM_NEXT(1);                                             \
  }
#define VM_UNARY(Name, expr)                                \
  VM_CASE(Name) {                                           \
    map1(R(a), R(b), n, [](double x) { return expr; });     \
    VM_NEXT(1);                                             \
  }

  VM_LOOP_BEGIN

  VM_CASE(End) { return; }
  VM_CASE(Extra) { fail(*f.kernel, "an `extra` word was executed"); }

  VM_CASE(Element) {
    Word* r = R(a);
    if (domain) {
      for (std::size_t i = 0; i < n; ++i) r[i].i = domain[i];
    } else {
      for (std::size_t i = 0; i < n; ++i) r[i].i = base + static_cast<std::int64_t>(i);
    }
    VM_NEXT(1);
  }
  VM_CASE(Broadcast) {
    Word* r = R(a);
    const std::int64_t word = S(b)->i;
    for (std::size_t i = 0; i < n; ++i) r[i].i = word;
    VM_NEXT(1);
  }

  VM_CASE(LoadE) {
    Word* __restrict r = R(a);
    const double* __restrict buffer = f.buffers[ip->c].data();
    if (domain) {
      for (std::size_t i = 0; i < n; ++i) r[i].f = buffer[domain[i]];
    } else {
      std::memcpy(r, buffer + base, n * sizeof(double));
    }
    VM_NEXT(1);
  }
  VM_CASE(Load) {
    Word* __restrict r = R(a);
    const Word* __restrict index = R(b);
    std::span<double> buffer = f.buffers[ip->c];
    if (!allBelow(index, n, buffer.size())) indexOutOfRange(f, Op::Load, ip->c, index, n, buffer.size());
    const double* data = buffer.data();
    for (std::size_t i = 0; i < n; ++i) r[i].f = data[index[i].i];
    VM_NEXT(1);
  }
  VM_CASE(LoadIndexE) {
    Word* __restrict r = R(a);
    const std::int64_t* __restrict buffer = f.index_buffers[ip->c].data();
    if (domain) {
      for (std::size_t i = 0; i < n; ++i) r[i].i = buffer[domain[i]];
    } else {
      std::memcpy(r, buffer + base, n * sizeof(std::int64_t));
    }
    VM_NEXT(1);
  }
  VM_CASE(LoadIndex) {
    Word* __restrict r = R(a);
    const Word* __restrict index = R(b);
    std::span<const std::int64_t> buffer = f.index_buffers[ip->c];
    if (!allBelow(index, n, buffer.size())) indexOutOfRange(f, Op::LoadIndex, ip->c, index, n, buffer.size());
    const std::int64_t* data = buffer.data();
    for (std::size_t i = 0; i < n; ++i) r[i].i = data[index[i].i];
    VM_NEXT(1);
  }
  VM_CASE(StoreE) {
    const Word* __restrict v = R(b);
    double* __restrict buffer = f.buffers[ip->c].data();
    if (domain) {
      for (std::size_t i = 0; i < n; ++i) buffer[domain[i]] = v[i].f;
    } else {
      std::memcpy(buffer + base, v, n * sizeof(double));
    }
    VM_NEXT(1);
  }
  VM_CASE(Store) {
    const Word* index = R(a);
    const Word* v = R(b);
    std::span<double> buffer = f.buffers[ip->c];
    if (!allBelow(index, n, buffer.size())) indexOutOfRange(f, Op::Store, ip->c, index, n, buffer.size());
    double* data = buffer.data();
    for (std::size_t i = 0; i < n; ++i) data[index[i].i] = v[i].f;
    VM_NEXT(1);
  }
  VM_CASE(AccumulateE) {
    const Word* __restrict v = R(b);
    double* __restrict buffer = f.buffers[ip->c].data();
    if (domain) {
      for (std::size_t i = 0; i < n; ++i) buffer[domain[i]] += v[i].f;
    } else {
      double* out = buffer + base;
      for (std::size_t i = 0; i < n; ++i) out[i] += v[i].f;
    }
    VM_NEXT(1);
  }
  VM_CASE(Accumulate) {
    const Word* index = R(a);
    const Word* v = R(b);
    std::span<double> buffer = f.buffers[ip->c];
    if (!allBelow(index, n, buffer.size())) indexOutOfRange(f, Op::Accumulate, ip->c, index, n, buffer.size());
    double* data = buffer.data();
    for (std::size_t i = 0; i < n; ++i) data[index[i].i] += v[i].f;  // in element order
    VM_NEXT(1);
  }
  VM_CASE(Spike) {
    const Word* c = R(a);
    SpikeList& list = *f.spikes;
    std::int64_t* out = list.storage.data();
    const std::size_t capacity = list.storage.size();
    std::size_t size = list.size;
    for (std::size_t i = 0; i < n; ++i) {
      if (c[i].i == 0) continue;
      if (size == capacity) {
        list.size = size;
        fail(*f.kernel, fmt::format("the spike list is full ({} spikes)", capacity));
      }
      out[size++] = domain ? domain[i] : base + static_cast<std::int64_t>(i);
    }
    list.size = size;
    VM_NEXT(1);
  }

  VM_CASE(Timed) {
    sampleTable(R(a), R(b), n, f.tables[ip->c], f.dt);
    VM_NEXT(1);
  }
  VM_CASE(Rand) {
    randomRows(R(a), R(b), n, f, ip[1], false);
    VM_NEXT(2);
  }
  VM_CASE(Randn) {
    randomRows(R(a), R(b), n, f, ip[1], true);
    VM_NEXT(2);
  }

  VM_CASE(IntToFloat) {
    Word* __restrict r = R(a);
    const Word* __restrict x = R(b);
    for (std::size_t i = 0; i < n; ++i) r[i].f = static_cast<double>(x[i].i);
    VM_NEXT(1);
  }
  VM_CASE(FloatToInt) {
    Word* __restrict r = R(a);
    const Word* __restrict x = R(b);
    for (std::size_t i = 0; i < n; ++i) r[i].i = toInt(x[i].f);
    VM_NEXT(1);
  }
  VM_CASE(Select) {
    selectWords(R(a), R(b), R(c), RD, n);
    VM_NEXT(2);
  }
  VM_CASE(SelectSR) {
    selectSR(R(a), R(b), S(c)->i, RD, n);
    VM_NEXT(2);
  }
  VM_CASE(SelectRS) {
    selectRS(R(a), R(b), R(c), SD->i, n);
    VM_NEXT(2);
  }
  VM_CASE(SelectSS) {
    selectSS(R(a), R(b), S(c)->i, SD->i, n);
    VM_NEXT(2);
  }

  VM_BINARY(Add, kAdd)
  VM_BINARY(Sub, kSub)
  VM_BINARY(Mul, kMul)
  VM_BINARY(Div, kDiv)
  VM_BINARY(Mod, kMod)
  VM_BINARY(Pow, kPow)
  VM_BINARY(Min, kMin)
  VM_BINARY(Max, kMax)
  VM_CASE(Clip) {
    Word* __restrict r = R(a);
    const Word* __restrict x = R(b);
    const Word* __restrict lo = R(c);
    const Word* __restrict hi = RD;
    for (std::size_t i = 0; i < n; ++i) r[i].f = clipF(x[i].f, lo[i].f, hi[i].f);
    VM_NEXT(2);
  }
  VM_CASE(ClipSS) {
    Word* __restrict r = R(a);
    const Word* __restrict x = R(b);
    const double lo = S(c)->f, hi = SD->f;
    for (std::size_t i = 0; i < n; ++i) r[i].f = clipF(x[i].f, lo, hi);
    VM_NEXT(2);
  }

  VM_UNARY(Neg, -x)
  VM_UNARY(Exp, std::exp(x))
  VM_UNARY(Log, std::log(x))
  VM_UNARY(Log10, std::log10(x))
  VM_UNARY(Sqrt, std::sqrt(x))
  VM_UNARY(Sin, std::sin(x))
  VM_UNARY(Cos, std::cos(x))
  VM_UNARY(Tan, std::tan(x))
  VM_UNARY(Sinh, std::sinh(x))
  VM_UNARY(Cosh, std::cosh(x))
  VM_UNARY(Tanh, std::tanh(x))
  VM_UNARY(Asin, std::asin(x))
  VM_UNARY(Acos, std::acos(x))
  VM_UNARY(Atan, std::atan(x))
  VM_UNARY(Abs, std::fabs(x))
  VM_UNARY(Floor, std::floor(x))
  VM_UNARY(Ceil, std::ceil(x))
  VM_UNARY(Sign, signF(x))
  VM_UNARY(Exprel, exprelF(x))

  VM_COMPARE(Eq, kEq)
  VM_COMPARE(Ne, kNe)
  VM_COMPARE(Lt, kLt)
  VM_COMPARE(Le, kLe)
  VM_COMPARE(Gt, kGt)
  VM_COMPARE(Ge, kGe)

  VM_CASE(And) {
    Word* __restrict r = R(a);
    const Word* __restrict x = R(b);
    const Word* __restrict y = R(c);
    for (std::size_t i = 0; i < n; ++i) r[i].i = x[i].i & y[i].i;
    VM_NEXT(1);
  }
  VM_CASE(Or) {
    Word* __restrict r = R(a);
    const Word* __restrict x = R(b);
    const Word* __restrict y = R(c);
    for (std::size_t i = 0; i < n; ++i) r[i].i = x[i].i | y[i].i;
    VM_NEXT(1);
  }
  VM_CASE(Not) {
    Word* __restrict r = R(a);
    const Word* __restrict x = R(b);
    for (std::size_t i = 0; i < n; ++i) r[i].i = x[i].i ^ 1;
    VM_NEXT(1);
  }

  VM_LOOP_END

#undef VM_UNARY
#undef VM_COMPARE
#undef VM_BINARY
#undef VM_LOOP_END
#undef VM_LOOP_BEGIN
#undef VM_NEXT
#undef VM_CASE
#undef VM_DISPATCH
#undef SD
#undef RD
#undef S
#undef R
}

}  // namespace

void ExecutionContext::AlignedDelete::operator()(Word* p) const {
  ::operator delete[](p, std::align_val_t{kArenaAlignment});
}

ExecutionContext::ExecutionContext(const BytecodeKernel& kernel) : kernel_(&kernel) {
  auto problems = verifyBytecode(kernel);
  if (!problems.empty()) {
    std::string text = fmt::format("kernel `{}` has invalid bytecode:", kernel.name);
    for (const auto& p : problems) text += "\n  " + p;
    throw BytecodeError(text);
  }
  std::size_t slots = kernel.buffers.size();
  buffers_.assign(slots, {});
  index_buffers_.assign(slots, {});
  buffer_bound_.assign(slots, 0);
  element_addressed_.assign(slots, 0);
  tables_.assign(kernel.tables.size(), {});
  table_bound_.assign(kernel.tables.size(), 0);
  for (const auto* code : {&kernel.uniform_code, &kernel.body_code}) {
    for (const Instruction& inst : *code) {
      switch (static_cast<Op>(inst.op)) {
        case Op::LoadE:
        case Op::LoadIndexE:
        case Op::StoreE:
        case Op::AccumulateE: element_addressed_[inst.c] = 1; break;
        case Op::Spike: uses_spikes_ = true; break;
        case Op::Timed: uses_tables_ = true; break;
        default: break;
      }
    }
  }
  std::size_t words = std::size_t{kernel.num_vector_registers} * kBatchSize + kernel.num_scalar_registers;
  arena_.reset(static_cast<Word*>(::operator new[](words * sizeof(Word), std::align_val_t{kArenaAlignment})));
  std::memset(static_cast<void*>(arena_.get()), 0, words * sizeof(Word));
  vector_registers_ = arena_.get();
  scalar_registers_ = arena_.get() + std::size_t{kernel.num_vector_registers} * kBatchSize;
  for (std::size_t c = 0; c < kernel.constants.size(); ++c) {
    scalar_registers_[kernel.firstConstantRegister() + c].i = std::bit_cast<std::int64_t>(kernel.constants[c].bits);
  }
}

void ExecutionContext::bindBuffer(std::uint32_t slot, std::span<double> data) {
  if (slot >= kernel_->buffers.size() || kernel_->buffers[slot].is_index) {
    fail(*kernel_, fmt::format("buffer slot {} is not an f64 buffer", slot));
  }
  buffers_[slot] = data;
  buffer_bound_[slot] = 1;
}

void ExecutionContext::bindIndexBuffer(std::uint32_t slot, std::span<const std::int64_t> data) {
  if (slot >= kernel_->buffers.size() || !kernel_->buffers[slot].is_index) {
    fail(*kernel_, fmt::format("buffer slot {} is not an index buffer", slot));
  }
  index_buffers_[slot] = data;
  buffer_bound_[slot] = 1;
}

void ExecutionContext::bindParams(std::span<const double> params) {
  if (params.size() < kernel_->params.size()) {
    fail(*kernel_, fmt::format("{} parameters bound, the kernel has {}", params.size(), kernel_->params.size()));
  }
  params_ = params;
  params_bound_ = true;
}

void ExecutionContext::bindTable(std::uint32_t slot, TableView table) {
  if (slot >= kernel_->tables.size()) fail(*kernel_, fmt::format("table slot {} out of range", slot));
  if (table.values.empty() || !(table.dt > 0) || !std::isfinite(table.dt)) {
    fail(*kernel_, fmt::format("table `{}` needs at least one value and a positive dt", kernel_->tables[slot]));
  }
  tables_[slot] = table;
  table_bound_[slot] = 1;
}

void ExecutionContext::bindSpikes(SpikeList* spikes) { spikes_ = spikes; }

void run(const BytecodeKernel& kernel, ExecutionContext& ctx) {
  if (&kernel != ctx.kernel_) {
    fail(kernel, fmt::format("the execution context was made for kernel `{}`", ctx.kernel_->name));
  }
  // Bindings: every slot the code touches must be bound.
  for (std::size_t slot = 0; slot < kernel.buffers.size(); ++slot) {
    if (!ctx.buffer_bound_[slot]) fail(kernel, fmt::format("buffer `{}` is not bound", kernel.buffers[slot].name));
  }
  for (std::size_t slot = 0; slot < kernel.tables.size(); ++slot) {
    if (!ctx.table_bound_[slot]) fail(kernel, fmt::format("table `{}` is not bound", kernel.tables[slot]));
  }
  if (!kernel.params.empty() && !ctx.params_bound_) fail(kernel, "parameters are not bound");
  if (ctx.uses_spikes_ && ctx.spikes_ == nullptr) fail(kernel, "no spike list is bound");
  if (ctx.uses_tables_ && !(ctx.dt_ > 0 && std::isfinite(ctx.dt_))) {
    fail(kernel, fmt::format("dt = {} s: timed arrays need a positive dt", ctx.dt_));
  }
  if (ctx.step_ >= random::kStepLimit) fail(kernel, fmt::format("step {} is beyond 2^40", ctx.step_));

  const std::size_t count = ctx.domain_count_;
  if (count == 0) return;
  // The domain: elements must be valid random counters and within every buffer read or
  // written at e, so the .e forms run unchecked.
  std::uint64_t end = count;
  if (ctx.explicit_domain_) {
    std::int64_t lo = 0, hi = 0;
    for (std::int64_t e : ctx.domain_elements_) {
      lo = std::min(lo, e);
      hi = std::max(hi, e);
    }
    if (lo < 0) fail(kernel, fmt::format("the domain has the negative element {}", lo));
    end = static_cast<std::uint64_t>(hi) + 1;
  }
  if (end > random::kElementLimit) fail(kernel, fmt::format("the domain reaches element {}, beyond 2^40", end - 1));
  for (std::size_t slot = 0; slot < kernel.buffers.size(); ++slot) {
    if (!ctx.element_addressed_[slot]) continue;
    std::size_t size = kernel.buffers[slot].is_index ? ctx.index_buffers_[slot].size() : ctx.buffers_[slot].size();
    if (size < end) {
      fail(kernel, fmt::format("buffer `{}` has {} elements, the domain reaches element {}",
                               kernel.buffers[slot].name, size, end - 1));
    }
  }

  Word* scalars = ctx.scalar_registers_;
  scalars[kTimeRegister].f = ctx.time_;
  scalars[kDtRegister].f = ctx.dt_;
  scalars[kCountRegister].i = static_cast<std::int64_t>(count);
  for (std::size_t p = 0; p < kernel.params.size(); ++p) scalars[kFirstParamRegister + p].f = ctx.params_[p];

  Frame frame{&kernel,
              ctx.buffers_.data(),
              ctx.index_buffers_.data(),
              ctx.tables_.data(),
              ctx.explicit_domain_ ? ctx.domain_elements_.data() : nullptr,
              0,
              ctx.spikes_,
              ctx.seed_,
              ctx.step_,
              ctx.dt_};
  execute<true>(kernel.uniform_code.data(), scalars, scalars, 1, frame);
  for (std::size_t base = 0; base < count; base += kBatchSize) {
    frame.base = base;
    execute<false>(kernel.body_code.data(), ctx.vector_registers_, scalars,
                   std::min(kBatchSize, count - base), frame);
  }
}

}  // namespace snn::interpreter
