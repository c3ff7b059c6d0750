// Counts every global operator new of the test binary, so that tests can assert that a piece of
// code (the interpreter's run loop) allocates nothing. allocation_counter.cpp replaces the global
// allocation functions; they forward to malloc/free and only add a count.
#pragma once

#include <cstddef>

namespace snn::testing {

std::size_t allocationCount();

}  // namespace snn::testing
