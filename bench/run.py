#!/usr/bin/python3
"""Benchmarks: snnc against Brian2 on three classic models (CUBA, COBAHH, STDP).

Runs `snnc run` on bench/{cuba,cobahh,stdp}.snn and reads the phase timings from each run's
run.json; with --brian2, also runs the same networks in Brian2 (bench/brian2/*.py) with the
runtime `numpy` device and the `cpp_standalone` device. Prints a table (README.md explains the
columns) and, with --json FILE, writes every figure.

Usage: bench/run.py [--snnc PATH] [--quick] [--brian2] [--devices numpy,cpp_standalone]
                    [--models cuba,cobahh,stdp] [--json FILE]
"""
import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PYTHON = "/usr/bin/python3"  # Debian's python, which sees python3-brian and python3-numpy

# name: (simulated seconds in full and in --quick runs, population whose rate is reported and
# its size)
MODELS = {
    "cuba": {"duration": 1.0, "quick": 0.2, "rate_of": ("P", 4000)},
    "cobahh": {"duration": 1.0, "quick": 0.2, "rate_of": ("P", 4000)},
    "stdp": {"duration": 10.0, "quick": 2.0, "rate_of": ("output", 1)},
}


def default_snnc():
    for candidate in (os.environ.get("SNNC"),
                      os.path.join(ROOT, "build", "compiler", "driver", "snnc")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("snnc")


def has_run_command(snnc):
    proc = subprocess.run([snnc, "--help"], capture_output=True, text=True, timeout=30)
    return any(line.split()[:1] == ["run"] for line in proc.stdout.splitlines())


def model_file(name, duration, scratch):
    """The model's .snn file; for another duration, a copy with its `run` statement changed
    (snnc has no --set yet). The bench models import nothing, so the copy may live anywhere."""
    path = os.path.join(HERE, f"{name}.snn")
    if duration == MODELS[name]["duration"]:
        return path
    with open(path) as f:
        text = f.read()
    text, count = re.subn(r"(?m)^(\s*)run\s+\S+\s*\S*\s*$", rf"\g<1>run {duration * 1e3:g} ms", text)
    if count != 1:
        raise SystemExit(f"{path}: expected one `run` statement to shorten, found {count}")
    copy = os.path.join(scratch, f"{name}.snn")
    with open(copy, "w") as f:
        f.write(text)
    return copy


def run_snnc(snnc, name, duration, scratch):
    out = os.path.join(scratch, f"{name}_out")
    command = [snnc, "run", model_file(name, duration, scratch), "--out", out]
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return {"model": name, "simulator": "snnc", "device": "vm", "error":
                f"exit {proc.returncode}: {proc.stderr.strip()[-2000:]}"}
    with open(os.path.join(out, "run.json")) as f:
        info = json.load(f)
    t = info.get("timings", {})
    population, size = MODELS[name]["rate_of"]
    spikes = np.load(os.path.join(out, f"{population}.spikes.i.npy"))
    simulated = float(t.get("simulated", duration))
    result = {
        "model": name,
        "simulator": "snnc",
        "device": "vm",
        "simulated": simulated,
        "timings": {
            "compile": t.get("parse", 0) + t.get("check", 0) + t.get("lower", 0),
            "setup": t.get("setup"),
            "run": t.get("run"),
            "total": wall,
        },
        "run_json_timings": t,
        "synapses": sum(c.get("synapses") or 0 for c in info.get("connections", [])),
        "mean_rate_hz": spikes.size / (size * simulated),
        "stdout": proc.stdout.strip(),
    }
    return result


def run_brian2(name, device, duration):
    script = os.path.join(HERE, "brian2", f"{name}.py")
    proc = subprocess.run([PYTHON, script, device, "--duration", str(duration)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return {"model": name, "simulator": "brian2", "device": device,
                "error": f"exit {proc.returncode}: {proc.stderr.strip()[-2000:]}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def brian2_available():
    proc = subprocess.run([PYTHON, "-c", "import brian2"], capture_output=True)
    return proc.returncode == 0


def fmt(value, spec=".3f"):
    return "-" if value is None else format(value, spec)


def print_table(results):
    header = ["model", "simulator", "compile s", "setup s", "run s", "sim s / run s",
              "total s", "rate Hz", "run / snnc run"]
    rows = []
    snnc_run = {r["model"]: r["timings"]["run"] for r in results
                if r["simulator"] == "snnc" and "error" not in r}
    for r in results:
        label = "snnc vm" if r["simulator"] == "snnc" else f"brian2 {r['device']}"
        if "error" in r:
            rows.append([r["model"], label, "error: " + r["error"].splitlines()[-1][:80]])
            continue
        t = r["timings"]
        setup = t.get("setup")
        if r["simulator"] == "brian2" and "binary_setup" in t:
            setup = t["setup"] + t["binary_setup"]
        speed = r["simulated"] / t["run"] if t.get("run") else None
        ratio = t["run"] / snnc_run[r["model"]] if snnc_run.get(r["model"]) else None
        rows.append([r["model"], label, fmt(t.get("compile")), fmt(setup), fmt(t.get("run")),
                     fmt(speed, ".2f"), fmt(t.get("total"), ".2f"),
                     fmt(r.get("mean_rate_hz"), ".2f"), fmt(ratio, ".2f")])
    widths = [max(len(str(row[k])) for row in rows + [header] if k < len(row))
              for k in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snnc", default=default_snnc(),
                        help="the snnc binary (default: $SNNC, then build/compiler/driver/snnc)")
    parser.add_argument("--quick", action="store_true",
                        help="shorter simulations: " + ", ".join(
                            f"{k} {v['quick']:g} s" for k, v in MODELS.items()))
    parser.add_argument("--brian2", action="store_true", help="also run Brian2")
    parser.add_argument("--devices", default="numpy,cpp_standalone",
                        help="Brian2 devices, comma-separated: numpy, cython, cpp_standalone")
    parser.add_argument("--models", default=",".join(MODELS),
                        help="models, comma-separated (default: all)")
    parser.add_argument("--json", metavar="FILE", help="write every figure to FILE")
    args = parser.parse_args()

    models = [m for m in args.models.split(",") if m]
    for m in models:
        if m not in MODELS:
            parser.error(f"unknown model {m}; known: {', '.join(MODELS)}")
    devices = [d for d in args.devices.split(",") if d]

    results = []
    have_snnc = bool(args.snnc) and os.access(args.snnc, os.X_OK) and has_run_command(args.snnc)
    if not have_snnc:
        print(f"snnc with a `run` command not found ({args.snnc}): snnc is not benchmarked",
              file=sys.stderr)
    run_brian2_too = args.brian2 and brian2_available()
    if args.brian2 and not run_brian2_too:
        print(f"{PYTHON} cannot import brian2 (Debian: python3-brian): Brian2 is not run",
              file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="snn_bench_") as scratch:
        for name in models:
            duration = MODELS[name]["quick" if args.quick else "duration"]
            if have_snnc:
                print(f"snnc: {name}, {duration:g} s ...", file=sys.stderr, flush=True)
                results.append(run_snnc(args.snnc, name, duration, scratch))
            if run_brian2_too:
                for device in devices:
                    print(f"brian2 {device}: {name}, {duration:g} s ...", file=sys.stderr, flush=True)
                    results.append(run_brian2(name, device, duration))

    print_table(results)
    if args.json:
        document = {
            "quick": args.quick,
            "machine": {"platform": platform.platform(), "processor": platform.processor(),
                        "cpus": os.cpu_count()},
            "snnc": args.snnc if have_snnc else None,
            "results": results,
        }
        with open(args.json, "w") as f:
            json.dump(document, f, indent=2)
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
