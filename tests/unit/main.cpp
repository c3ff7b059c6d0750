// The one main() of the doctest unit-test binary; test cases live beside it, mirroring the
// source tree (tests/unit/units/ tests compiler/units/, and so on).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
