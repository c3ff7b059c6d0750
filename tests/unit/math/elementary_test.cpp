// The elementary functions (vm/math/elementary.h): every vector variant this CPU runs gives the
// scalar form's bits, tails and in-place calls included; the scalar forms are accurate (within
// 2 ulp of glibc, an independent implementation); exprel is 1 at 0 and its series near 0; and
// the places that define a kernel's meaning (the constant folder, the normal random numbers)
// use these functions and not the C library's.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/scalar_semantics.h"
#include "vm/math/elementary.h"
#include "vm/math/elementary_variants.h"
#include "vm/random/counter_rng.h"

namespace {

namespace math = snn::math;
namespace detail = snn::math::detail;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMax = std::numeric_limits<double>::max();
constexpr double kMinNormal = std::numeric_limits<double>::min();
constexpr double kMinSubnormal = std::numeric_limits<double>::denorm_min();

// Bits equal, or both NaN: which NaN (sign, payload) comes out is not part of the contract
// (SLEEF's widths differ in the sign of some NaNs, e.g. log(-inf)).
bool same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) ||
         (std::isnan(a) && std::isnan(b));
}

// Distance in units in the last place, counting the doubles between a and b (-0 and +0 are one
// point, infinity is one step past the largest finite double).
std::uint64_t ulpDistance(double a, double b) {
  auto ordered = [](double d) {
    auto i = std::bit_cast<std::int64_t>(d);
    return i < 0 ? std::numeric_limits<std::int64_t>::min() - i : i;
  };
  const std::int64_t x = ordered(a), y = ordered(b);
  return x > y ? static_cast<std::uint64_t>(x) - static_cast<std::uint64_t>(y)
               : static_cast<std::uint64_t>(y) - static_cast<std::uint64_t>(x);
}

// A fixed, portable stream of test inputs (splitmix64), so a failure reproduces anywhere.
class Inputs {
 public:
  std::uint64_t bits() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double unit() { return static_cast<double>(bits() >> 11) * 0x1p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
  // |x| log-uniform in [lo, hi], either sign.
  double logUniform(double lo, double hi) {
    const double m = std::exp(uniform(std::log(lo), std::log(hi)));
    return bits() & 1 ? -m : m;
  }
  // Any double at all: NaNs, infinities, subnormals, huge and tiny arguments.
  double anyDouble() { return std::bit_cast<double>(bits()); }

 private:
  std::uint64_t state_ = 0x5eed'e1e0'0000'0001ull;
};

// Values every function is tried on, with their neighbours: signed zeros and infinities, NaNs,
// subnormals and the normal/subnormal boundary, the overflow and underflow edges of exp, expm1,
// sinh and cosh, and the ends of the domains of log, asin and acos.
std::vector<double> specialValues() {
  const double base[] = {0.0,
                         kInf,
                         kNaN,
                         kMax,
                         kMinNormal,
                         kMinSubnormal,
                         0x1p-1030,
                         0x1p-1060,
                         1e-300,
                         0x1p-54,
                         1e-8,
                         0.5,
                         1.0,
                         2.0,
                         3.0,
                         10.0,
                         0.7853981633974483,  // pi/4
                         1.5707963267948966,  // pi/2
                         3.141592653589793,   // pi
                         6.283185307179586,   // 2 pi
                         709.782712893384,    // glibc's exp overflows above
                         709.7827111495575,   // SLEEF's exp overflows above
                         708.3964185322641,   // exp of its negative is the first subnormal
                         745.1332191019411,   // exp of its negative underflows to 0
                         710.4758600739439,   // sinh and cosh overflow above
                         19.061547465398498,  // tanh rounds to 1 above
                         36.04365338911715,   // expm1 rounds to -1 below its negative
                         1e15,
                         1e22,
                         1e300};
  std::vector<double> values;
  for (double v : base) {
    for (double s : {v, -v}) {
      values.push_back(s);
      values.push_back(std::nextafter(s, kInf));
      values.push_back(std::nextafter(s, -kInf));
    }
  }
  return values;
}

// The inputs of a one-argument function: specials, at least 100000 over the range where it is
// used, then arbitrary bit patterns. The count is not a multiple of 8 (the widest vector), so
// every variant has a tail.
std::vector<double> unaryInputs(std::string_view f) {
  Inputs in;
  std::vector<double> x = specialValues();
  for (int i = 0; i < 100'003; ++i) {
    double v;
    if (f == "exp")
      v = in.uniform(-746, 710);
    else if (f == "expm1")
      v = i % 2 ? in.uniform(-40, 710) : in.logUniform(1e-300, 1);
    else if (f == "exprel")
      v = i % 2 ? in.uniform(-50, 50) : in.logUniform(1e-300, 1);
    else if (f == "log" || f == "log10")
      v = std::fabs(in.logUniform(1e-320, 1e308));
    else if (f == "sin" || f == "cos" || f == "tan")
      v = i % 4 ? in.uniform(-1e4, 1e4) : in.logUniform(1e-20, 1e300);
    else if (f == "sinh" || f == "cosh")
      v = in.uniform(-711, 711);
    else if (f == "tanh")
      v = in.uniform(-20, 20);
    else if (f == "asin" || f == "acos")
      v = i % 8 ? in.uniform(-1, 1) : in.uniform(-1.5, 1.5);
    else if (f == "atan")
      v = in.logUniform(1e-300, 1e300);
    else
      v = in.uniform(-100, 100);  // a function this test does not know yet
    x.push_back(v);
  }
  for (int i = 0; i < 20'000; ++i) x.push_back(in.anyDouble());
  if (x.size() % 8 == 0) x.push_back(0.25);
  return x;
}

// Pairs for pow: every pair of specials (and small integers, whose sign rules differ), then
// positive bases with exponents that overflow and underflow, bases near 1 with huge exponents,
// negative bases with integer exponents, and arbitrary bit patterns.
void powInputs(std::vector<double>& x, std::vector<double>& y) {
  std::vector<double> specials = specialValues();
  for (double v : {4.0, 0.25, 1.5, 7.0, 1e-3, 1e3}) {
    specials.push_back(v);
    specials.push_back(-v);
  }
  for (double a : specials) {
    for (double b : specials) {
      x.push_back(a);
      y.push_back(b);
    }
  }
  Inputs in;
  for (int i = 0; i < 100'003; ++i) {
    double a, b;
    switch (i % 4) {
      case 0:
        a = std::fabs(in.logUniform(1e-3, 1e3)), b = in.uniform(-110, 110);
        break;
      case 1:
        a = in.uniform(0.999, 1.001), b = in.logUniform(1, 1e12);
        break;
      case 2:
        a = in.logUniform(1e-2, 1e2), b = std::round(in.uniform(-60, 60));
        break;
      default:
        a = in.uniform(0, 10), b = in.uniform(-3, 3);
        break;
    }
    x.push_back(a);
    y.push_back(b);
  }
  for (int i = 0; i < 20'000; ++i) {
    x.push_back(in.anyDouble());
    y.push_back(in.anyDouble());
  }
  if (x.size() % 8 == 0) x.push_back(0.25), y.push_back(0.5);
}

double glibcExprel(double x) {
  return x == 0 ? 1.0 : std::expm1(x) / x;
}

// SLEEF overflows a little early, and that is now the definition: exp and pow give infinity for
// results above 1.79769e308 (SLEEF's threshold, 3e-6 relative below the largest double), sinh
// and cosh once e^|x| overflows (|x| above 709.7827, results above DBL_MAX / 2) instead of at
// 710.4758. The comparison with glibc accepts infinity there and nowhere else.
double earlyOverflowAbove(std::string_view f) {
  if (f == "exp" || f == "pow") return 1.79769e308;
  if (f == "sinh" || f == "cosh") return kMax / 2;
  // exprel is e^x / x there, made from exp (vm/math/exprel.h): infinite once exp is, at
  // x = 709.78, where e^x / x is 2.53e305.
  if (f == "exprel") return 2.53e305;
  return kInf;
}

// One unary function: its scalar form, glibc's, its array form in a variant, its public array form.
struct Unary {
  std::string name;
  double (*scalar)(double);
  double (*glibc)(double);
  detail::UnaryArray detail::ArrayVariant::*member;
  void (*array)(const double*, double*, std::size_t);
};

std::vector<Unary> unaryFunctions() {
  std::vector<Unary> fs;
#define SNN_MATH_UNARY_CASE_1(base)                                                 \
  fs.push_back({#base, [](double x) { return math::base(x); },                      \
                [](double x) { return std::base(x); }, &detail::ArrayVariant::base, \
                &math::base##Array});
#define SNN_MATH_UNARY_CASE_2(base)
#define SNN_ELEMENTARY(Name, base, arity) SNN_MATH_UNARY_CASE_##arity(base)
#include "vm/math/elementary.def"
#undef SNN_ELEMENTARY
  SNN_MATH_UNARY_CASE_1(expm1)
#undef SNN_MATH_UNARY_CASE_2
#undef SNN_MATH_UNARY_CASE_1
  fs.push_back({"exprel", [](double x) { return math::exprel(x); }, &glibcExprel,
                &detail::ArrayVariant::exprel, &math::exprelArray});
  return fs;
}

std::vector<const detail::ArrayVariant*> variants() {
  std::vector<const detail::ArrayVariant*> vs;
  for (std::size_t i = 0; i < detail::supportedVariantCount(); ++i)
    vs.push_back(&detail::supportedVariant(i));
  return vs;
}

// Counts the elements where got differs from want (NaN == NaN), reporting the first few.
std::size_t countMismatches(const std::string& what, const std::string& variant,
                            const std::vector<double>& x, const std::vector<double>& got,
                            const std::vector<double>& want, std::size_t first, std::size_t n) {
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (same(got[i], want[first + i])) continue;
    if (++bad <= 3) {
      CAPTURE(what);
      CAPTURE(variant);
      CAPTURE(first + i);
      CAPTURE(x[first + i]);
      CAPTURE(got[i]);
      CAPTURE(want[first + i]);
      CHECK(same(got[i], want[first + i]));
    }
  }
  return bad;
}

}  // namespace

TEST_CASE("the table lists the IR's elementary opcodes with their SLEEF stems") {
  // IrOpcodeName must name an IR opcode (this does not compile otherwise), and the folder's
  // meaning of that opcode must be exactly snn::math's function.
  std::size_t entries = 0;
  const double probes[] = {0.3, -0.7, 2.5, 1e-9, 40.0, -3.25};
#define SNN_MATH_FOLD_CHECK_1(Name, base) \
  for (double x : probes)                 \
    CHECK(same(snn::ir::evaluateFloat(snn::ir::Opcode::Name, x), math::base(x)));
#define SNN_MATH_FOLD_CHECK_2(Name, base) \
  for (double x : probes)                 \
    for (double y : probes)               \
      CHECK(same(snn::ir::evaluateFloat(snn::ir::Opcode::Name, x, y), math::base(x, y)));
#define SNN_ELEMENTARY(Name, base, arity) \
  ++entries;                              \
  SNN_MATH_FOLD_CHECK_##arity(Name, base)
#include "vm/math/elementary.def"
#undef SNN_ELEMENTARY
#undef SNN_MATH_FOLD_CHECK_2
#undef SNN_MATH_FOLD_CHECK_1
  CHECK(entries == 13);
  for (double x : probes) {
    CHECK(same(snn::ir::evaluateFloat(snn::ir::Opcode::Exprel, x), math::exprel(x)));
    CHECK(same(snn::ir::exprel(x), math::exprel(x)));
  }
}

TEST_CASE("every vector variant this CPU runs gives the scalar form's bits, tails included") {
  const auto vs = variants();
  REQUIRE(vs.size() >= 1);
  CHECK(std::string_view(vs.front()->name) == "scalar");
  CHECK(math::arrayVariantName() == vs.back()->name);
#if defined(__x86_64__)
  CHECK(vs.size() >= 2);  // every x86-64 CPU has SSE2
  if (__builtin_cpu_supports("avx512f")) CHECK(math::arrayVariantName() == "avx512");
#endif
  MESSAGE("array forms use the " << math::arrayVariantName() << " variant");

  for (const Unary& f : unaryFunctions()) {
    CAPTURE(f.name);
    const std::vector<double> x = unaryInputs(f.name);
    REQUIRE(x.size() >= 100'000);
    REQUIRE(x.size() % 8 != 0);
    std::vector<double> want(x.size()), got(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) want[i] = f.scalar(x[i]);

    for (const detail::ArrayVariant* v : vs) {
      // The whole array at once...
      std::fill(got.begin(), got.end(), -123.0);
      (v->*f.member)(x.data(), got.data(), x.size());
      CHECK(countMismatches(f.name, v->name, x, got, want, 0, x.size()) == 0);
      // ...every short length from every misaligned start (the tail alone, one vector plus a
      // tail, ...), which must also leave what follows untouched...
      for (std::size_t first = 0; first < 3; ++first) {
        for (std::size_t n = 0; n <= 19; ++n) {
          std::fill(got.begin(), got.begin() + 20, -123.0);
          (v->*f.member)(x.data() + first, got.data(), n);
          CHECK(countMismatches(f.name, v->name, x, got, want, first, n) == 0);
          CHECK(got[n] == -123.0);
        }
      }
      // ...and in place.
      got = x;
      (v->*f.member)(got.data(), got.data(), got.size());
      CHECK(countMismatches(f.name, v->name, x, got, want, 0, x.size()) == 0);
    }
    // The public array form (the widest variant).
    f.array(x.data(), got.data(), x.size());
    CHECK(countMismatches(f.name, "public", x, got, want, 0, x.size()) == 0);
  }
}

TEST_CASE("pow: every variant and operand form gives the scalar form's bits") {
  std::vector<double> x, y;
  powInputs(x, y);
  REQUIRE(x.size() >= 100'000);
  REQUIRE(x.size() % 8 != 0);
  std::vector<double> want(x.size()), got(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) want[i] = math::pow(x[i], y[i]);
  // For the broadcast forms: a few scalars against every array element.
  const double broadcast[] = {0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -3.0, 1e300, -kInf, kNaN, 2.7182818};

  for (const detail::ArrayVariant* v : variants()) {
    v->pow(x.data(), y.data(), got.data(), x.size());
    CHECK(countMismatches("pow", v->name, x, got, want, 0, x.size()) == 0);
    for (std::size_t n = 0; n <= 19; ++n) {
      std::fill(got.begin(), got.begin() + 20, -123.0);
      v->pow(x.data() + 1, y.data() + 1, got.data(), n);
      CHECK(countMismatches("pow", v->name, x, got, want, 1, n) == 0);
      CHECK(got[n] == -123.0);
    }
    for (double s : broadcast) {
      CAPTURE(s);
      std::vector<double> want_rs(x.size()), want_sr(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) {
        want_rs[i] = math::pow(x[i], s);
        want_sr[i] = math::pow(s, y[i]);
      }
      v->powRS(x.data(), s, got.data(), x.size());
      CHECK(countMismatches("pow.rs", v->name, x, got, want_rs, 0, x.size()) == 0);
      v->powSR(s, y.data(), got.data(), y.size());
      CHECK(countMismatches("pow.sr", v->name, y, got, want_sr, 0, y.size()) == 0);
      if (v == variants().back()) {
        math::powArrayRS(x.data(), s, got.data(), x.size());
        CHECK(countMismatches("powArrayRS", "public", x, got, want_rs, 0, x.size()) == 0);
        math::powArraySR(s, y.data(), got.data(), y.size());
        CHECK(countMismatches("powArraySR", "public", y, got, want_sr, 0, y.size()) == 0);
      }
    }
  }
  math::powArray(x.data(), y.data(), got.data(), x.size());
  CHECK(countMismatches("powArray", "public", x, got, want, 0, x.size()) == 0);
}

// exprel is (e^x - 1) / x from exp away from 0 (vm/math/exprel.h): the cancellation costs up to
// a few ulp near |x| = 1/2; everything else is within 2.
std::uint64_t ulpBound(std::string_view f) { return f == "exprel" ? 4 : 2; }

TEST_CASE("the scalar forms agree with glibc within 2 ulp (exprel 4)") {
  // An independent check of accuracy: both claim about 1 ulp. Where glibc's result is not
  // finite, SLEEF's must be the same infinity (or within 2 ulp of it), or a NaN where glibc has
  // one; the one exception is SLEEF's early overflow (earlyOverflowAbove).
  std::size_t early = 0;
  auto check = [&early](const std::string& name, double x, double y, double snn, double libm,
                        std::size_t& bad, std::uint64_t& worst) {
    bool ok;
    if (std::isnan(libm)) {
      ok = std::isnan(snn);
    } else if (std::isinf(libm)) {
      ok = snn == libm || ulpDistance(snn, libm) <= ulpBound(name);
    } else if (std::isinf(snn) && std::signbit(snn) == std::signbit(libm) &&
               std::fabs(libm) > earlyOverflowAbove(name)) {
      ok = true;
      ++early;
    } else {
      ok = !std::isnan(snn) && ulpDistance(snn, libm) <= ulpBound(name);
      if (!std::isnan(snn)) worst = std::max(worst, ulpDistance(snn, libm));
    }
    if (!ok && ++bad <= 3) {
      CAPTURE(name);
      CAPTURE(x);
      CAPTURE(y);
      CAPTURE(snn);
      CAPTURE(libm);
      CHECK(ok);
    }
  };
  std::string summary = "largest distance from glibc (ulp):";
  for (const Unary& f : unaryFunctions()) {
    std::size_t bad = 0;
    std::uint64_t worst = 0;
    for (double x : unaryInputs(f.name)) check(f.name, x, 0, f.scalar(x), f.glibc(x), bad, worst);
    CAPTURE(f.name);
    CHECK(bad == 0);
    summary += " " + f.name + " " + std::to_string(worst);
  }
  std::vector<double> x, y;
  powInputs(x, y);
  std::size_t bad = 0;
  std::uint64_t worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    check("pow", x[i], y[i], math::pow(x[i], y[i]), std::pow(x[i], y[i]), bad, worst);
  CHECK(bad == 0);
  summary += " pow " + std::to_string(worst);
  MESSAGE(summary);
  // The inputs reach into the early-overflow windows (sinh and cosh over [-711, 711], the
  // special values at the edges), so the exception above is exercised, and it stays rare.
  CHECK(early > 0);
  CHECK(early < 1000);
}

TEST_CASE("SLEEF's overflow thresholds, part of the definition") {
  CHECK(std::isfinite(math::exp(709.7827111495575)));
  CHECK(math::exp(std::nextafter(709.7827111495575, kInf)) == kInf);
  CHECK(std::isfinite(std::exp(std::nextafter(709.7827111495575, kInf))));  // glibc: finite
  CHECK(std::isfinite(math::sinh(709.78271289338397)));
  CHECK(math::sinh(std::nextafter(709.78271289338397, kInf)) == kInf);
  CHECK(math::sinh(-std::nextafter(709.78271289338397, kInf)) == -kInf);
  CHECK(math::cosh(-std::nextafter(709.78271289338397, kInf)) == kInf);
  CHECK(std::isfinite(std::sinh(710.0)));  // glibc: finite up to 710.4758
  CHECK(math::pow(kMax, 1.0) == kInf);
  CHECK(math::pow(2.0, 1023.0) == 0x1p1023);
  CHECK(std::isfinite(math::pow(1.7976e308, 1.0)));
  // expm1 overflows where glibc's does.
  CHECK(math::expm1(709.78271289338397) == std::expm1(709.78271289338397));
  CHECK(math::expm1(std::nextafter(709.78271289338397, kInf)) == kInf);
}

TEST_CASE("special values follow IEEE 754 and C") {
  CHECK(math::exp(0.0) == 1.0);
  CHECK(math::exp(-kInf) == 0.0);
  CHECK(math::exp(kInf) == kInf);
  CHECK(math::exp(710.0) == kInf);
  CHECK(math::exp(-746.0) == 0.0);
  CHECK(math::log(1.0) == 0.0);
  CHECK(math::log(0.0) == -kInf);
  CHECK(math::log(-0.0) == -kInf);
  CHECK(std::isnan(math::log(-1.0)));
  CHECK(math::log10(1000.0) == 3.0);
  CHECK(std::signbit(math::sin(-0.0)));
  CHECK(std::signbit(math::expm1(-0.0)));
  CHECK(std::isnan(math::sin(kInf)));
  CHECK(std::isnan(math::asin(1.5)));
  CHECK(math::tanh(kInf) == 1.0);
  CHECK(math::atan(kInf) == doctest::Approx(1.5707963267948966));
  CHECK(math::pow(0.0, 0.0) == 1.0);
  CHECK(math::pow(kNaN, 0.0) == 1.0);
  CHECK(math::pow(1.0, kNaN) == 1.0);
  CHECK(math::pow(-2.0, 3.0) == -8.0);
  CHECK(std::isnan(math::pow(-2.0, 0.5)));
  CHECK(math::pow(-0.0, -1.0) == -kInf);
  CHECK(math::pow(2.0, 10.0) == 1024.0);
  CHECK(math::pow(kMinSubnormal, 0.5) > 0.0);
}

TEST_CASE("exprel is 1 at 0 and follows its series near 0") {
  CHECK(math::exprel(0.0) == 1.0);
  CHECK(math::exprel(-0.0) == 1.0);
  // expm1(x) / x taken literally, as Brian2: inf / inf.
  CHECK(std::isnan(math::exprel(kInf)));
  CHECK(math::exprel(-kInf) == 0.0);
  CHECK(std::isnan(math::exprel(kNaN)));
  CHECK(math::exprel(1.0) == doctest::Approx(std::exp(1.0) - 1.0).epsilon(1e-15));
  CHECK(math::exprel(-745.0) == doctest::Approx(1.0 / 745.0).epsilon(1e-15));
  // Where (e^x - 1) / x computed directly loses every digit, exprel keeps them: the series
  // 1 + x/2 + x^2/6 errs by x^3/24 < 5e-17 relative for |x| <= 1e-5.
  Inputs in;
  std::size_t bad = 0;
  std::vector<double> x, out;
  for (int i = 0; i < 100'000; ++i) x.push_back(in.logUniform(1e-300, 1e-5));
  for (double v : {kMinSubnormal, -kMinSubnormal, kMinNormal, -kMinNormal, 1e-5, -1e-5})
    x.push_back(v);
  out.resize(x.size());
  math::exprelArray(x.data(), out.data(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double series = 1 + x[i] / 2 + x[i] * x[i] / 6;
    const double got = math::exprel(x[i]);
    if (!(std::fabs(got - series) <= 1e-15 * series) || !same(out[i], got)) {
      if (++bad <= 3) {
        CAPTURE(x[i]);
        CAPTURE(got);
        CAPTURE(out[i]);
        CAPTURE(series);
        CHECK(false);
      }
    }
  }
  CHECK(bad == 0);
  // The naive quotient is far off near 0, so the check above would catch expm1 being exp - 1.
  CHECK(std::fabs((math::exp(1e-12) - 1) / 1e-12 - 1) > 1e-6);
}

TEST_CASE("normal random numbers use snn::math's log, sin and cos") {
  namespace random = snn::random;
  std::size_t checked = 0, differs_from_libm = 0;
  for (std::uint64_t element = 0; element < 20'000; ++element) {
    const random::PhiloxBlock w = random::randomBlock(7, 3, element, 11, 0);
    const double u1 = static_cast<double>(random::blockBits53(w, 0) + 1) * random::kTwoToMinus53;
    const double u2 = static_cast<double>(random::blockBits53(w, 1)) * random::kTwoToMinus53;
    const double r = std::sqrt(-2.0 * math::log(u1));
    const double theta = 6.283185307179586476925286766559 * u2;
    CHECK(same(random::normal(7, 3, element, 11, 0), r * math::cos(theta)));
    CHECK(same(random::normal(7, 3, element, 11, 1), r * math::sin(theta)));
    const double libm = std::sqrt(-2.0 * std::log(u1)) * std::cos(theta);
    differs_from_libm += !same(random::normal(7, 3, element, 11, 0), libm);
    ++checked;
  }
  CHECK(checked == 20'000);
  // glibc's functions give other bits for some draws (about 3%), so the checks above would
  // notice normal() going back to them.
  CHECK(differs_from_libm > 0);
}
