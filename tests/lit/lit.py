#!/usr/bin/env python3
"""Runs one lit-style test: a .snn file that carries its expected diagnostics inside.

Each expected error or warning is a comment line in the test file:

    // CHECK: 12:9: error: undefined name `tua` [UndefinedName]

that is the first line snnc prints for the diagnostic, without the file name. A diagnostic in
another file (an imported one) keeps its path, relative to the test's directory:

    // CHECK: inputs/cycle_b.snn:1:8: error: import cycle: ... [ImportCycle]

A test whose diagnostics only a simulation finds (a NaN, a run-time limit) says so with a line

    // RUN: run

and is run with `snnc run --out <temporary folder>` instead of `snnc check`. Command-line
options for snnc (overrides) go on a line `// ARGS: --set E.tau=20ms`.

The test passes when snnc prints exactly the expected errors and warnings (as a
multiset, in any order) and exits with 1 when an error is expected, 0 otherwise. Notes are not
compared. `--autoupdate` rewrites the CHECK lines from what snnc prints now: review the diff.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

HEADER = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|fatal error): (?P<msg>.*)$")
CHECK = re.compile(r"^\s*//\s*CHECK:\s?(?P<text>.*?)\s*$")
RUN = re.compile(r"^\s*//\s*RUN:\s*run\s*$")
ARGS = re.compile(r"^\s*//\s*ARGS:\s*(?P<args>.*?)\s*$")


def actual_diagnostics(snnc, test_file, run, extra):
    with tempfile.TemporaryDirectory() as out:
        command = [snnc, "run", "--color=never", "--out", out, test_file] if run else \
                  [snnc, "check", "--color=never", test_file]
        command += extra
        proc = subprocess.run(command, capture_output=True, text=True, errors="replace",
                              timeout=120)
    test_dir = os.path.dirname(os.path.abspath(test_file))
    found = []
    for line in proc.stderr.splitlines():
        m = HEADER.match(line)
        if not m:
            continue
        path = os.path.abspath(m.group("path"))
        where = f"{m.group('line')}:{m.group('col')}"
        if not os.path.exists(m.group("path")):
            where = f"{m.group('path')}:{where}"  # a command-line option's text: `--set X`
        elif path != os.path.abspath(test_file):
            where = f"{os.path.relpath(path, test_dir)}:{where}"
        found.append(f"{where}: {m.group('sev')}: {m.group('msg')}")
    return proc, found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snnc", required=True)
    parser.add_argument("--autoupdate", action="store_true")
    parser.add_argument("test_file")
    args = parser.parse_args()

    with open(args.test_file, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().split("\n")
    expected = [m.group("text") for m in (CHECK.match(l) for l in lines) if m]
    run = any(RUN.match(l) for l in lines)
    extra = [a for m in (ARGS.match(l) for l in lines) if m for a in shlex.split(m.group("args"))]
    proc, found = actual_diagnostics(args.snnc, args.test_file, run, extra)

    if proc.returncode not in (0, 1):
        print(f"snnc exited with {proc.returncode} (crash or usage error):\n{proc.stderr}")
        return 1

    if args.autoupdate:
        kept = [l for l in lines if not CHECK.match(l)]
        while kept and kept[-1] == "":
            kept.pop()
        kept.append("")
        kept += [f"// CHECK: {d}" for d in found]
        with open(args.test_file, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write("\n".join(kept) + "\n")
        print(f"updated {args.test_file}: {len(found)} diagnostic(s)")
        return 0

    ok = True
    missing = list(expected)
    unexpected = []
    for d in found:
        if d in missing:
            missing.remove(d)
        else:
            unexpected.append(d)
    if missing or unexpected:
        ok = False
        for d in missing:
            print(f"expected but not reported: {d}")
        for d in unexpected:
            print(f"reported but not expected: {d}")
    has_error = any(": error: " in e or ": fatal error: " in e for e in expected)
    want_code = 1 if has_error else 0
    if proc.returncode != want_code:
        ok = False
        print(f"exit code {proc.returncode}, expected {want_code}")
    if not ok:
        print("--- snnc stderr ---\n" + proc.stderr)
        return 1
    print(f"{len(found)} diagnostic(s) as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
