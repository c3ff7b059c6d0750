#!/usr/bin/env bash
# First command of the README: installs the Debian packages, builds snnc, and runs an example
# model end to end. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}

scripts/install-deps.sh
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"

echo "== snnc run examples/ei_network.snn"
"$BUILD_DIR"/compiler/driver/snnc run examples/ei_network.snn --out out/ei_network
echo "== results in out/ei_network/ (run.json, *.npy)"
echo "== ok: snnc is at $BUILD_DIR/compiler/driver/snnc"
