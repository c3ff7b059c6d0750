// Optimisations on the IR, done here once so that both back ends get them:
//   - constant folding (with the same scalar semantics the VM runs, scalar_semantics.h),
//   - common sub-expression elimination (pure instructions; loads until the next write to
//     their buffer),
//   - dead code elimination (values that no write depends on).
// Folding never changes a result bit: only identities exact for every double (x*1, x/1, x-0)
// are applied, never x+0 (wrong for -0) or x*0 (wrong for NaN and infinities).
#pragma once

#include "compiler/ir/ir.h"

namespace snn::ir {

struct PassStatistics {
  std::size_t folded = 0;
  std::size_t merged = 0;
  std::size_t removed = 0;
};

// Folding and CSE in one forward sweep, then dead code elimination. The result is verified.
PassStatistics optimize(Kernel& kernel);

}  // namespace snn::ir
