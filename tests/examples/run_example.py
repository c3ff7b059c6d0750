#!/usr/bin/env python3
"""Runs one example with `snnc run` and checks what a user would look at.

 - snnc exits 0 and prints one line per `print` statement of the experiment;
 - run.json says the run is complete and lists every file it wrote, and numpy reads each one
   with the dtype and shape run.json gives;
 - every number the example's own print lines call "expected" (`14 spikes (14 expected)`,
   `about 14.7 ms (14.7 ms expected)`) agrees with the number printed just before it: the
   examples state, in their text, what the model must do, and this test holds them to it.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy

# `X (Y expected)` or `X ... (Y expected...)`: the last number before the parenthesis.
EXPECTED = re.compile(r"(-?\d+(?:\.\d+)?)\s*(?:[a-zA-Z/%]+)?\s*\((-?\d+(?:\.\d+)?)[^()]*expected")


def main():
    snnc, example = sys.argv[1], sys.argv[2]
    with open(example, encoding="utf-8") as f:
        source = f.read()
    prints = len(re.findall(r"^\s*print\s+\"", source, re.M))
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run([snnc, "run", "--color=never", "--out", out, example],
                              capture_output=True, text=True, timeout=900)
        if proc.returncode != 0:
            print(f"snnc run exited with {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
            return 1
        lines = proc.stdout.splitlines()
        failures = []
        if len(lines) != prints:
            failures.append(f"{len(lines)} printed line(s), the experiment has {prints} print(s)")
        for line in lines:
            for got, want in EXPECTED.findall(line):
                digits = len(want.split(".")[1]) if "." in want else 0
                tolerance = 0.5 * 10 ** -digits + 1e-12
                if abs(float(got) - float(want)) > tolerance:
                    failures.append(f"`{line}`: {got} is not {want}")
        with open(os.path.join(out, "run.json"), encoding="utf-8") as f:
            run = json.load(f)
        if run.get("status") != "complete":
            failures.append(f"run.json status is {run.get('status')!r}")
        if run.get("printed") != lines:
            failures.append("run.json's printed lines differ from stdout")
        for entry in run.get("files", []):
            data = numpy.load(os.path.join(out, entry["path"]))
            if str(data.dtype) != entry["dtype"] or list(data.shape) != entry["shape"]:
                failures.append(f"{entry['path']}: {data.dtype} {data.shape}, run.json says "
                                f"{entry['dtype']} {entry['shape']}")
            if data.dtype.kind == "f" and not numpy.all(numpy.isfinite(data)):
                failures.append(f"{entry['path']} holds NaN or infinite values")
        print("\n".join(lines))
        if failures:
            print("FAILED:\n  " + "\n  ".join(failures))
            return 1
        print(f"ok: {len(lines)} line(s), {len(run.get('files', []))} file(s)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
