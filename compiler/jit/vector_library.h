// The vector library the JIT's loop vectoriser may call: for every elementary function of the
// IR (vm/math/elementary.def; exprel is built inline from exp, vm/math/exprel.h), SLEEF's
// deterministic no-FMA variants at the widths this CPU runs (2 with SSE2, 4 with AVX, 8 with
// AVX-512F). Kernels call the scalar variant (Sleef_cinz_<f>d1_u10purec); LLVM replaces a loop's
// calls by the vector variant of the width it picks. All widths give the bits snn::math gives the
// VM, so vectorising a loop never changes a result (docs/architecture.md, "Same answers on both
// back ends").
#pragma once

#include <string>

#include <llvm/Analysis/TargetLibraryInfo.h>

namespace llvm {
class TargetMachine;
}

namespace snn::jit {

// SLEEF's name for `base` (e.g. "exp") at `width` 1, 2, 4 or 8.
std::string sleefName(const std::string& base, unsigned width);

// Library information for `machine`'s triple with the vector variants it can run.
llvm::TargetLibraryInfoImpl vectorLibrary(const llvm::TargetMachine& machine);

}  // namespace snn::jit
