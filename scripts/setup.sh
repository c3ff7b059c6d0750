#!/usr/bin/env bash
# First command of the README: installs the Debian packages, builds snnc, and runs an example
# model end to end. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}

scripts/install-deps.sh
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"

echo "== snnc check examples/ei_network.snn"
"$BUILD_DIR"/compiler/driver/snnc check -v examples/ei_network.snn
echo "== ok: snnc is at $BUILD_DIR/compiler/driver/snnc"
