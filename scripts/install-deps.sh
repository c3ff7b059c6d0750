#!/usr/bin/env bash
# Installs every Debian 12 (bookworm) package snn needs to build and test.
# Idempotent: apt-get skips what is already there. Run as root (or with sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    cmake ninja-build g++ make \
    antlr4 libantlr4-runtime-dev uuid-dev \
    libboost-dev libfmt-dev doctest-dev libcli11-dev \
    llvm-19-dev zlib1g-dev libzstd-dev \
    librandom123-dev libeigen3-dev nlohmann-json3-dev libsleef-dev \
    clang-14 libclang-rt-14-dev \
    python3 python3-numpy python3-scipy vim chromium >/dev/null
# The editor tests need npm (to fetch vscode-textmate). Debian's npm conflicts with a nodejs
# from elsewhere that already brings its own npm (NodeSource's): install it only when missing.
if ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
