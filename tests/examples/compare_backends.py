#!/usr/bin/env python3
"""Runs one example with `--backend vm`, with `--backend jit --threads 1` and with `--backend jit
--threads 3` splitting every kernel call between threads (SNN_MIN_PARALLEL_WORK=0), and checks
that all give the same results bit for bit: the same printed lines and, for every file run.json
lists (spike files, state recordings, ...), arrays of the same dtype, shape and bytes. The JIT
promises the VM's numbers exactly, vectorised or not and on any number of threads
(docs/architecture.md, "Same answers on both back ends"), so any difference is a bug.

Usage: compare_backends.py SNNC EXAMPLE.snn
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy


def run(snnc, example, backend, threads, out):
    env = dict(os.environ, SNN_MIN_PARALLEL_WORK="0")
    proc = subprocess.run([snnc, "run", "--color=never", "--quiet", "--backend", backend,
                           "--threads", str(threads), "--out", out, example],
                          capture_output=True, text=True, timeout=900, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"--backend {backend} --threads {threads}: snnc exited with "
                           f"{proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    with open(os.path.join(out, "run.json"), encoding="utf-8") as f:
        return proc.stdout, json.load(f)


def compare(name, vm_out, vm_stdout, vm_run, other_out, other_stdout, other_run):
    failures = []
    if vm_stdout != other_stdout:
        failures.append(f"printed lines differ:\n vm:  {vm_stdout!r}\n {name}: {other_stdout!r}")
    vm_files = sorted(entry["path"] for entry in vm_run.get("files", []))
    other_files = sorted(entry["path"] for entry in other_run.get("files", []))
    if vm_files != other_files:
        failures.append(f"files differ: vm {vm_files}, {name} {other_files}")
    compared = 0
    for path in vm_files:
        if path not in other_files or not path.endswith(".npy"):
            continue
        a = numpy.load(os.path.join(vm_out, path))
        b = numpy.load(os.path.join(other_out, path))
        compared += 1
        if a.dtype != b.dtype or a.shape != b.shape:
            failures.append(f"{path}: vm {a.dtype} {a.shape}, {name} {b.dtype} {b.shape}")
        elif a.tobytes() != b.tobytes():
            diff = numpy.flatnonzero(a.reshape(-1).view(numpy.uint8) != b.reshape(-1).view(numpy.uint8))
            failures.append(f"{path}: {name} differs from vm (first differing byte {diff[0]})")
    return compared, failures


def main():
    snnc, example = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as vm_out, tempfile.TemporaryDirectory() as jit1_out, \
            tempfile.TemporaryDirectory() as jit3_out:
        try:
            vm = run(snnc, example, "vm", 1, vm_out)
            jit1 = run(snnc, example, "jit", 1, jit1_out)
            jit3 = run(snnc, example, "jit", 3, jit3_out)
        except RuntimeError as e:
            print(e)
            return 1
        compared, failures = compare("jit", vm_out, *vm, jit1_out, *jit1)
        compared3, failures3 = compare("jit --threads 3", vm_out, *vm, jit3_out, *jit3)
        failures += failures3
        if compared3 != compared:
            failures.append("the two JIT runs wrote different files")
        print(f"{os.path.basename(example)}: {compared} array file(s) compared, vm against jit on "
              f"1 and on 3 threads")
        if failures:
            print("FAILED:\n  " + "\n  ".join(failures))
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(main())
