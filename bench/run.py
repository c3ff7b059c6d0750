#!/usr/bin/python3
"""Benchmarks: snnc against Brian2 on three classic models (CUBA, COBAHH, STDP).

Runs `snnc run` on bench/{cuba,cobahh,stdp}.snn in each configuration (the JIT on every core,
the JIT on one thread, the VM) and reads the phase timings from each run's run.json and the
process's peak memory; with --brian2, also runs the same networks in Brian2 (bench/brian2/*.py)
with the runtime `numpy` device and the `cpp_standalone` device. Prints a table (README.md
explains the columns), the targets of issue 4 against Brian2's cpp_standalone, and with
--scaling how the JIT's time and memory grow with the size of CUBA. --json FILE writes every
figure.

Usage: bench/run.py [--snnc PATH] [--quick] [--configs jit,jit1,vm] [--brian2]
                    [--devices numpy,cpp_standalone] [--models cuba,cobahh,stdp] [--scaling]
                    [--json FILE]
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


# name: (back end, threads; 0 = every core)
CONFIGS = {"jit": ("jit", 0), "jit1": ("jit", 1), "vm": ("vm", 1)}


def run_measured(command):
    """Runs `command`; returns (returncode, stdout, stderr, wall seconds, peak RSS in bytes)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        # wait4 rather than proc.wait(): it also returns the child's resource usage (Linux gives
        # ru_maxrss in kilobytes).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), wall, usage.ru_maxrss * 1024


def run_snnc(snnc, name, duration, scratch, config="jit", model_path=None, size=None):
    backend, threads = CONFIGS[config]
    out = os.path.join(scratch, f"{name}_{config}_out")
    path = model_path or model_file(name, duration, scratch)
    command = [snnc, "run", path, "--out", out, "--backend", backend, "--quiet"]
    if threads:
        command += ["--threads", str(threads)]
    returncode, stdout, stderr, wall, peak_rss = run_measured(command)
    proc = subprocess.CompletedProcess(command, returncode, stdout, stderr)
    if proc.returncode != 0:
        return {"model": name, "simulator": "snnc", "device": config, "error":
                f"exit {proc.returncode}: {proc.stderr.strip()[-2000:]}"}
    with open(os.path.join(out, "run.json")) as f:
        info = json.load(f)
    t = info.get("timings", {})
    population, rate_size = MODELS[name]["rate_of"]
    size = size or rate_size
    spikes = np.load(os.path.join(out, f"{population}.spikes.i.npy"))
    simulated = float(t.get("simulated", duration))
    result = {
        "model": name,
        "simulator": "snnc",
        "device": config,
        "threads": info.get("threads"),
        "simulated": simulated,
        "timings": {
            # Front end, lowering and (JIT) waiting for compilation: to the first step, less
            # set-up.
            "compile": t.get("parse", 0) + t.get("check", 0) + t.get("lower", 0) +
                       t.get("compile_wait", 0),
            "setup": t.get("setup"),
            "run": t.get("run"),
            "to_first_step": t.get("to_first_step"),
            "total": wall,
        },
        "run_json_timings": t,
        "neurons": sum(p.get("size") or 0 for p in info.get("populations", [])),
        "synapses": sum(c.get("synapses") or 0 for c in info.get("connections", [])),
        "mean_rate_hz": spikes.size / (size * simulated),
        "stdout": proc.stdout.strip(),
        "peak_rss_bytes": peak_rss,
    }
    return result


def cuba_of_size(n, in_degree, duration, scratch):
    """bench/cuba.snn with n neurons (80% excitatory) and connection probability in_degree / n,
    so that every neuron keeps about `in_degree` inputs (the usual way to scale CUBA)."""
    with open(os.path.join(HERE, "cuba.snn")) as f:
        text = f.read()
    replacements = [
        (r"CubaLIF\[4000\]", f"CubaLIF[{n}]"),
        (r"p = 0\.02 if i < 3200", f"p = {in_degree / n!r} if i < {n * 4 // 5}"),
        (r"p = 0\.02 if i >= 3200", f"p = {in_degree / n!r} if i >= {n * 4 // 5}"),
        (r"(?m)^(\s*)run\s+\S+\s*\S*\s*$", rf"\g<1>run {duration * 1e3:g} ms"),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        if count != 1:
            raise SystemExit(f"cuba.snn: `{pattern}` matched {count} times")
    path = os.path.join(scratch, f"cuba_{n}_{in_degree}.snn")
    with open(path, "w") as f:
        f.write(text)
    return path


def scaling(snnc, duration, scratch):
    """CUBA at 4k..256k neurons with 80 inputs each, plus 64k with 160 inputs, on the JIT (every
    core). Memory per synapse comes from the two 64k runs (same neurons, twice the synapses),
    memory per neuron from 64k against 256k net of their synapses."""
    runs = []
    for n, k in [(4000, 80), (16000, 80), (64000, 80), (256000, 80), (64000, 160)]:
        print(f"snnc jit: cuba {n} neurons, {k} inputs each, {duration:g} s ...", file=sys.stderr,
              flush=True)
        r = run_snnc(snnc, "cuba", duration, scratch, "jit", cuba_of_size(n, k, duration, scratch),
                     size=n)
        r["in_degree"] = k
        runs.append(r)
    ok = [r for r in runs if "error" not in r]
    by = {(r["neurons"], r["in_degree"]): r for r in ok}
    memory = {}
    a, b, c = by.get((64000, 80)), by.get((64000, 160)), by.get((256000, 80))
    if a and b and a["peak_rss_bytes"] and b["peak_rss_bytes"]:
        per_synapse = (b["peak_rss_bytes"] - a["peak_rss_bytes"]) / (b["synapses"] - a["synapses"])
        memory["bytes_per_synapse"] = per_synapse
        if c and c["peak_rss_bytes"]:
            memory["bytes_per_neuron"] = ((c["peak_rss_bytes"] - a["peak_rss_bytes"]) -
                                          per_synapse * (c["synapses"] - a["synapses"])) / (
                                             c["neurons"] - a["neurons"])
    return runs, memory


def print_scaling(runs, memory):
    print()
    print("CUBA scaling (JIT, every core): neurons, inputs per neuron, synapses, compile s, "
          "setup s, run s, sim s / run s, run s per million neurons, peak MB")
    for r in runs:
        if "error" in r:
            print(f"  {r['model']}: error: {r['error'].splitlines()[-1][:100]}")
            continue
        t = r["timings"]
        print(f"  {r['neurons']:>7}  {r['in_degree']:>4}  {r['synapses']:>9}  "
              f"{fmt(t['compile'])}  {fmt(t['setup'])}  {fmt(t['run'])}  "
              f"{fmt(r['simulated'] / t['run'], '.2f')}  "
              f"{fmt(t['run'] / r['neurons'] * 1e6 / r['simulated'], '.2f')}  "
              f"{fmt((r['peak_rss_bytes'] or 0) / 1e6, '.0f')}")
    if memory:
        print(f"  peak memory: {memory.get('bytes_per_synapse', 0):.1f} bytes per synapse, "
              f"{memory.get('bytes_per_neuron', 0):.0f} bytes per neuron")


# Issue 4's targets against Brian2 cpp_standalone, as (model, what, bound): the snnc JIT's
# figure divided by Brian2's must not exceed the bound.
TARGETS = [("cuba", "run", 0.5), ("cuba", "total", 1 / 20), ("cobahh", "run", 0.2),
           ("stdp", "run", 0.5)]


def print_targets(results):
    snnc = {r["model"]: r for r in results if r["simulator"] == "snnc" and r["device"] == "jit"
            and "error" not in r}
    cpp = {r["model"]: r for r in results if r["simulator"] == "brian2"
           and r["device"] == "cpp_standalone" and "error" not in r}
    lines = []
    for model, what, bound in TARGETS:
        if model in snnc and model in cpp:
            ratio = snnc[model]["timings"][what] / cpp[model]["timings"][what]
            verdict = "met" if ratio <= bound else "NOT met"
            lines.append(f"  {model} {what}: snnc jit / brian2 cpp_standalone = {ratio:.3f} "
                         f"(target <= {bound:.3f}): {verdict}")
    if lines:
        print()
        print("Targets (issue 4):")
        print("\n".join(lines))


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
              "total s", "rate Hz", "peak MB", "run / snnc jit run"]
    rows = []
    snnc_run = {r["model"]: r["timings"]["run"] for r in results
                if r["simulator"] == "snnc" and r["device"] == "jit" and "error" not in r}
    for r in results:
        label = f"snnc {r['device']}" if r["simulator"] == "snnc" else f"brian2 {r['device']}"
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
                     fmt(r.get("mean_rate_hz"), ".2f"),
                     fmt(r["peak_rss_bytes"] / 1e6 if r.get("peak_rss_bytes") else None, ".0f"),
                     fmt(ratio, ".2f")])
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
    parser.add_argument("--configs", default="jit,jit1,vm",
                        help="snnc configurations, comma-separated: jit (every core), jit1 (the "
                             "JIT on one thread), vm")
    parser.add_argument("--scaling", action="store_true",
                        help="also CUBA at 4k, 16k, 64k and 256k neurons (JIT), with memory per "
                             "neuron and per synapse")
    parser.add_argument("--json", metavar="FILE", help="write every figure to FILE")
    args = parser.parse_args()

    models = [m for m in args.models.split(",") if m]
    for m in models:
        if m not in MODELS:
            parser.error(f"unknown model {m}; known: {', '.join(MODELS)}")
    devices = [d for d in args.devices.split(",") if d]
    configs = [c for c in args.configs.split(",") if c]
    for c in configs:
        if c not in CONFIGS:
            parser.error(f"unknown configuration {c}; known: {', '.join(CONFIGS)}")

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
                for config in configs:
                    print(f"snnc {config}: {name}, {duration:g} s ...", file=sys.stderr, flush=True)
                    results.append(run_snnc(args.snnc, name, duration, scratch, config))
            if run_brian2_too:
                for device in devices:
                    print(f"brian2 {device}: {name}, {duration:g} s ...", file=sys.stderr, flush=True)
                    results.append(run_brian2(name, device, duration))

        scaling_runs, memory = ([], {})
        if args.scaling and have_snnc:
            scaling_runs, memory = scaling(args.snnc, 0.2 if args.quick else 1.0, scratch)

    print_table(results)
    print_targets(results)
    if scaling_runs:
        print_scaling(scaling_runs, memory)
    if args.json:
        document = {
            "quick": args.quick,
            "machine": {"platform": platform.platform(), "processor": platform.processor(),
                        "cpus": os.cpu_count()},
            "snnc": args.snnc if have_snnc else None,
            "results": results,
            "scaling": scaling_runs,
            "memory": memory,
        }
        with open(args.json, "w") as f:
            json.dump(document, f, indent=2)
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
