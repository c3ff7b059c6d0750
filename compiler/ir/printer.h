// Prints a kernel readably, for `snnc emit ir` and for tests:
//   kernel E.update over neurons
//     buffer V: f64 (written)
//     %0 = elem
//     %1 = load V[%0]
#pragma once

#include <string>

#include "compiler/ir/ir.h"

namespace snn::ir {

std::string printKernel(const Kernel& kernel);
std::string_view spelling(Domain domain);

}  // namespace snn::ir
