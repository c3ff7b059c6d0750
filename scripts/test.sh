#!/usr/bin/env bash
# Second command of the README: builds and runs every test.
#   1. the normal build: unit tests (doctest), lit tests (.snn files with expected diagnostics),
#      round trips and examples;
#   2. the same tests under AddressSanitizer and UndefinedBehaviorSanitizer.
# SNN_SKIP_SANITIZE=1 skips step 2 for a quick local run.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=$(nproc)

run_suite() {
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
  ctest --test-dir "$dir" -j "$JOBS" --output-on-failure --timeout 300
}

echo "== tests (RelWithDebInfo)"
run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ "${SNN_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== tests under ASan + UBSan"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    run_suite build-sanitize -DCMAKE_BUILD_TYPE=Debug -DSNN_SANITIZE=ON
fi
