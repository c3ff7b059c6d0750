#!/usr/bin/env python3
"""Tests of snnc's command line as a user meets it: exit codes, help, colour, missing files.

Usage: cli_test.py SNNC SOURCE_DIR
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

snnc, root = sys.argv[1], sys.argv[2]
# "jit" when snnc was built with LLVM (the default), "vm" when built with -DSNN_WITH_JIT=OFF.
has_jit = (sys.argv[3] if len(sys.argv) > 3 else "jit") == "jit"
failures = []
checks = 0


def run(*args, env=None):
    return subprocess.run([snnc, *args], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, **(env or {})))


def expect(name, condition, proc=None):
    global checks
    checks += 1
    if not condition:
        detail = f"\n  exit {proc.returncode}\n  stdout: {proc.stdout[:500]}\n  stderr: {proc.stderr[:500]}" if proc else ""
        failures.append(name + detail)


example = os.path.join(root, "examples", "ei_network.snn")
with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, "bad.snn")
    with open(bad, "w") as f:
        f.write("neuron N {\n    state { V : volt }\n    threshold V > 5 nA\n}\n")

    p = run("check", example)
    expect("a clean model: exit 0, nothing printed", p.returncode == 0 and p.stdout == "" and p.stderr == "", p)

    p = run("check", "--color=never", bad)
    expect("a model with errors: exit 1", p.returncode == 1, p)
    expect("the diagnostic names file, line and column",
           f"{bad}:3:17: error: cannot compare these" in p.stderr, p)
    expect("the source line and a caret follow", "    3 |     threshold V > 5 nA\n" in p.stderr and "^" in p.stderr, p)
    expect("no colour when asked for none (and not a terminal)", "\033[" not in p.stderr, p)

    p = run("check", "--color=always", bad)
    expect("colour when asked", "\033[1;31merror: " in p.stderr, p)

    p = run("check", os.path.join(tmp, "missing.snn"))
    expect("a missing file: exit 1 and a diagnostic",
           p.returncode == 1 and "cannot read" in p.stderr and "[FileNotReadable]" in p.stderr, p)

    p = run("check", example, bad)
    expect("several files: exit 1 if any has errors", p.returncode == 1, p)

    p = run()
    expect("no subcommand: usage error, exit 2", p.returncode == 2, p)
    p = run("frobnicate")
    expect("unknown subcommand: exit 2", p.returncode == 2, p)
    p = run("check", "--no-such-flag", example)
    expect("unknown flag: exit 2", p.returncode == 2, p)
    p = run("emit", "bytecode-of-the-future", example)
    expect("unknown emit form: exit 2", p.returncode == 2, p)

    p = run("--help")
    expect("--help lists the subcommands", p.returncode == 0 and "check" in p.stdout and "emit" in p.stdout, p)
    p = run("check", "--help")
    expect("check --help documents -v", p.returncode == 0 and "--verbose" in p.stdout, p)
    p = run("--version")
    expect("--version", p.returncode == 0 and p.stdout.startswith("snnc "), p)

    p = run("check", "-v", example)
    expect("check -v lists models with units",
           p.returncode == 0 and "neuron LIF" in p.stdout and "volt" in p.stdout, p)

    expect("check -v lists only the models the file declares or uses",
           "neuron HH" not in p.stdout and "synapse STDP" not in p.stdout, p)

    p = run("emit", "ast", example)
    expect("emit ast prints the tree", p.returncode == 0 and "ei_network" in p.stdout, p)

    p = run("emit", "ir", example)
    expect("emit ir prints a kernel per piece of model code",
           p.returncode == 0 and "E.update" in p.stdout and "E->I.on_pre" in p.stdout, p)
    p = run("emit", "llvm", example)
    if has_jit:
        expect("emit llvm prints the optimised LLVM IR of each kernel",
               p.returncode == 0 and "define void @E.update" in p.stdout, p)
    else:
        expect("emit llvm without LLVM: a usage error that says so",
               p.returncode == 2 and "built without LLVM" in p.stderr, p)
        p = run("run", "--backend", "jit", example)
        expect("run --backend jit without LLVM: a usage error that says so",
               p.returncode == 2 and "use --backend vm" in p.stderr, p)
    # Wrong back-end and thread settings are usage errors that say what to give instead.
    p = run("run", example, env={"SNN_BACKEND": "gpu"})
    expect("run: SNN_BACKEND=gpu is a usage error naming the choices",
           p.returncode == 2 and "use vm or jit" in p.stderr, p)
    p = run("run", example, env={"SNN_MIN_PARALLEL_WORK": "lots"})
    expect("run: SNN_MIN_PARALLEL_WORK=lots is a usage error",
           p.returncode == 2 and "non-negative whole number" in p.stderr, p)
    p = run("run", "--threads", "0", example)
    expect("run --threads 0: a usage error", p.returncode == 2 and "--threads" in p.stderr, p)
    p = run("run", "--backend", "gpu", example)
    expect("run --backend gpu: a usage error", p.returncode == 2 and "--backend" in p.stderr, p)
    p = run("emit", "bytecode", example)
    expect("emit bytecode disassembles the kernels", p.returncode == 0 and "E.update" in p.stdout and "spike" in p.stdout, p)

    # Same seed, same model: byte-identical recordings.
    out_a, out_b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
    pa = run("run", "--out", out_a, example)
    pb = run("run", "--out", out_b, example)
    expect("run: exit 0, prints the experiment's lines", pa.returncode == 0 and "Mean E rate" in pa.stdout, pa)
    same = pa.returncode == 0 and pb.returncode == 0
    for name in sorted(os.listdir(out_a)) if same else []:
        if name.endswith(".npy"):
            with open(os.path.join(out_a, name), "rb") as fa, open(os.path.join(out_b, name), "rb") as fb:
                same = same and fa.read() == fb.read()
    expect("two runs of one model and seed write byte-identical .npy files", same, pb)
    expect("two runs print the same lines", pa.stdout == pb.stdout, pb)

    # Overrides: checked like the source, recorded in run.json, and they change the result.
    out_o = os.path.join(tmp, "o")
    po = run("run", "--out", out_o, "--set", "E.tau=10ms", "--seed", "7", "--duration", "100ms", example)
    expect("run with --set/--seed/--duration: exit 0", po.returncode == 0, po)
    try:
        with open(os.path.join(out_o, "run.json")) as f:
            document = json.load(f)
        overrides = {o["name"]: o["value"] for o in document["overrides"]}
        tau = next(p for p in document["populations"] if p["name"] == "E")["parameters"]["tau"]["value"]
        expect("run.json records the overrides and their effect",
               overrides == {"E.tau": "10ms", "seed": "7", "duration": "100ms"} and
               document["seed"] == 7 and abs(tau - 0.01) < 1e-15 and
               abs(document["timings"]["simulated"] - 0.1) < 1e-12, po)
    except (OSError, ValueError, KeyError, StopIteration) as e:
        expect(f"run.json after overrides: {e}", False, po)
    p = run("check", "--color=never", "--set", "E.tau=10mV", example)
    expect("a wrong unit in --set is a diagnostic in the option's text",
           p.returncode == 1 and "--set E.tau:1:1: error:" in p.stderr, p)

    # Ctrl-C: the run stops after the step, what was recorded is written, marked partial.
    long_model = os.path.join(tmp, "long.snn")
    with open(example) as f:
        text = f.read().replace("run 500 ms", "run 10000 s")
    with open(long_model, "w") as f:
        f.write(text)
    out_c = os.path.join(tmp, "c")
    proc = subprocess.Popen([snnc, "run", "--out", out_c, long_model], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    expect("Ctrl-C: exit 130", proc.returncode == 130, None)
    status = None
    try:
        with open(os.path.join(out_c, "run.json")) as f:
            document = json.load(f)
        status = document.get("status")
        files_ok = all(os.path.exists(os.path.join(out_c, e["path"])) for e in document["files"])
    except (OSError, ValueError):
        files_ok = False
    expect(f"Ctrl-C: run.json written and marked partial (status {status!r}; stderr {stderr[-300:]!r})",
           status == "partial" and files_ok, None)

for f in failures:
    print("FAIL:", f)
print(f"{checks - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
