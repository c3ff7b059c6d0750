#!/usr/bin/env python3
"""CTest editors/vim: the Vim syntax file loads on every model without errors and colours known
tokens with the expected syntax groups.

Each file is opened in `vim -es -N -u NONE` with editors/vim first on the runtimepath; the run
fails if Vim exits non-zero or v:errmsg is set. Before that, a copy of the syntax file with a
deliberate error must make the same command fail, so the error check can never go blind.
Exits 77 (skipped) only when vim is missing.

  vim_test.py --root REPO
"""

import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile

# (file, text of the line, token on it, expected innermost syntax group)
EXPECTED = [
    ("examples/lif_step.snn", "import \"stdlib", "import", "snnConditional"),
    ("examples/lif_step.snn", "experiment lif_step", "experiment", "snnStorage"),
    ("examples/lif_step.snn", "experiment lif_step", "lif_step", "snnTypeName"),
    ("examples/lif_step.snn", "dt = 0.1 ms", "0.1", "snnNumber"),
    ("examples/lif_step.snn", "dt = 0.1 ms", "ms", "snnUnit"),
    ("examples/lif_step.snn", "dt = 0.1 ms", "dt", "snnBuiltinVariable"),
    ("examples/lif_step.snn", "population n = LIF[1]", "population", "snnKeyword"),
    ("examples/lif_step.snn", "record spikes(n)", "spikes", "snnBuiltinFunction"),
    ("examples/lif_step.snn", "// step on", "step", "snnComment"),
    ("examples/lif_step.snn", "print \"{spike_count", "spike_count", "snnBuiltinFunction"),
    ("examples/lif_step.snn", "print \"{spike_count", "spikes during", "snnString"),
    ("examples/lif_step.snn", "print \"mean rate", ":.1f", "snnFormatSpec"),
    ("examples/lif_step.snn", "print \"mean rate", "Hz", "snnString"),
    ("stdlib/neurons.snn", "neuron LIF {", "LIF", "snnTypeName"),
    ("stdlib/neurons.snn", "V_rest  = -70 mV", "mV", "snnUnit"),
    ("stdlib/neurons.snn", "V_rest  = -70 mV", "V_rest", ""),
    ("stdlib/neurons.snn", "V     : volt = V_rest", "volt", "snnUnit"),
    ("stdlib/neurons.snn", "g_e   : 1 ", "1", "snnUnit"),
    ("stdlib/neurons.snn", "dV/dt = (V_rest - V + I_ext", "dV", "snnDerivative"),
    ("stdlib/neurons.snn", "dV/dt = (V_rest - V + I_ext", "unless", "snnFlag"),
    ("stdlib/neurons.snn", "dV/dt = (V_rest - V + I_ext", "tau", ""),
    ("stdlib/neurons.snn", "threshold V > V_th", "threshold", "snnKeyword"),
    ("stdlib/neurons.snn", "Delta_T * exp((V", "exp", "snnBuiltinFunction"),
    ("stdlib/neurons.snn", "C_m  = 1 uF/cm^2", "uF", "snnUnit"),
    ("stdlib/neurons.snn", "C_m  = 1 uF/cm^2", "cm", "snnUnit"),
    ("stdlib/plasticity.snn", "dApre/dt  = -Apre / taupre", "event-driven", "snnFlag"),
]


def vim_command(vim, runtime, model, script):
    return [vim, "-es", "-N", "-u", "NONE", "-i", "NONE",
            "-c", f"set rtp^={runtime}", "-c", "filetype on", "-c", "syntax on",
            "-c", f"edit {model}", "-S", str(script),
            "-c", 'if v:errmsg != "" | cquit | endif', "-c", "qa!"]


def run_vim(vim, runtime, model, probes, tmp):
    """(exit code, [filetype, current_syntax, group per probe]) for one file."""
    out = tmp / "out.txt"
    out.unlink(missing_ok=True)
    script = tmp / "probe.vim"
    items = ["&filetype", "get(b:, 'current_syntax', '')"]
    items += [f"synIDattr(synID({line}, {col}, 1), 'name')" for line, col in probes]
    script.write_text(f"call writefile([{', '.join(items)}], '{out}')\n", encoding="utf-8")
    rc = subprocess.run(vim_command(vim, runtime, model, script), stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60).returncode
    return rc, (out.read_text(encoding="utf-8").split("\n") if out.exists() else [])


def position(text, line_text, needle):
    """1-based line and byte column of needle on the first line containing line_text."""
    for number, line in enumerate(text.split("\n"), 1):
        start = line.find(line_text)
        if start >= 0:
            column = line.index(needle, start)
            return number, len(line[:column].encode("utf-8")) + 1
    raise SystemExit(f"no line contains {line_text!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True, type=pathlib.Path)
    args = parser.parse_args()
    vim = shutil.which("vim")
    if not vim:
        print("skipped: vim is not installed")
        return 77
    runtime = args.root / "editors/vim"
    failures, passed = [], 0

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = pathlib.Path(tmp_name)
        # The failure path: a syntax file with an error must fail the run.
        broken = tmp / "broken"
        shutil.copytree(runtime, broken)
        with open(broken / "syntax/snn.vim", "a", encoding="utf-8") as f:
            f.write('syn match snnBroken "\\v(unclosed"\n')
        rc, _ = run_vim(vim, broken, args.root / "examples/lif_step.snn", [], tmp)
        if rc == 0:
            failures.append("a syntax file with an error loaded without failing: the check is blind")
        else:
            passed += 1

        models = sorted((args.root / "examples").glob("*.snn")) + \
            sorted((args.root / "stdlib").glob("*.snn"))
        for model in models:
            relative = model.relative_to(args.root).as_posix()
            text = model.read_text(encoding="utf-8")
            expected = [e for e in EXPECTED if e[0] == relative]
            probes = [position(text, e[1], e[2]) for e in expected]
            rc, values = run_vim(vim, runtime, model, probes, tmp)
            if rc != 0 or values[:2] != ["snn", "snn"]:
                failures.append(f"{relative}: vim exited {rc}, filetype/syntax {values[:2]}")
                continue
            passed += 1
            for (_, line_text, needle, group), got in zip(expected, values[2:]):
                if got == group:
                    passed += 1
                else:
                    failures.append(f"{relative}: `{needle}` in `{line_text}`: group "
                                    f"{got or '(none)'}, expected {group or '(none)'}")

    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    print(f"vim_test: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
