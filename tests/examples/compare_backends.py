#!/usr/bin/env python3
"""Runs one example with `--backend vm` and with `--backend jit` and checks that both give the
same results bit for bit: the same printed lines and, for every file run.json lists (spike
files, state recordings, ...), arrays of the same dtype, shape and bytes. The JIT promises the
VM's numbers exactly (compiler/jit/llvm_lowering.h), so any difference is a bug.

Usage: compare_backends.py SNNC EXAMPLE.snn
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy


def run(snnc, example, backend, out):
    proc = subprocess.run([snnc, "run", "--color=never", "--quiet", "--backend", backend,
                           "--out", out, example], capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"--backend {backend}: snnc exited with {proc.returncode}\n"
                           f"{proc.stdout}\n{proc.stderr}")
    with open(os.path.join(out, "run.json"), encoding="utf-8") as f:
        return proc.stdout, json.load(f)


def main():
    snnc, example = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as vm_out, tempfile.TemporaryDirectory() as jit_out:
        try:
            vm_stdout, vm_run = run(snnc, example, "vm", vm_out)
            jit_stdout, jit_run = run(snnc, example, "jit", jit_out)
        except RuntimeError as e:
            print(e)
            return 1
        failures = []
        if vm_stdout != jit_stdout:
            failures.append(f"printed lines differ:\n vm:  {vm_stdout!r}\n jit: {jit_stdout!r}")
        vm_files = sorted(entry["path"] for entry in vm_run.get("files", []))
        jit_files = sorted(entry["path"] for entry in jit_run.get("files", []))
        if vm_files != jit_files:
            failures.append(f"files differ: vm {vm_files}, jit {jit_files}")
        compared = 0
        for path in vm_files:
            if path not in jit_files or not path.endswith(".npy"):
                continue
            a = numpy.load(os.path.join(vm_out, path))
            b = numpy.load(os.path.join(jit_out, path))
            compared += 1
            if a.dtype != b.dtype or a.shape != b.shape:
                failures.append(f"{path}: vm {a.dtype} {a.shape}, jit {b.dtype} {b.shape}")
            elif a.tobytes() != b.tobytes():
                diff = numpy.flatnonzero(a.reshape(-1).view(numpy.uint8) != b.reshape(-1).view(numpy.uint8))
                failures.append(f"{path}: contents differ (first differing byte {diff[0]})")
        print(f"{os.path.basename(example)}: {compared} array file(s) compared")
        if failures:
            print("FAILED:\n  " + "\n  ".join(failures))
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(main())
