"""Shared command line, device set-up and timing of the Brian2 benchmark scripts.

Each script (cuba.py, cobahh.py, stdp.py) builds its network in a function, and common.main()
runs it on the device named on the command line and prints one JSON object with its timings.
What is measured (wall-clock seconds, time.perf_counter):

  runtime devices (`numpy`, `cython`): the network is built in Python (`setup`: objects,
  connect, initial values; in runtime mode `connect` already generates and runs code), then
  `net.run(0 ms)` generates and compiles the code of every object (`compile`), then
  `net.run(duration)` simulates (`run`; it includes a second, cached, code preparation).

  `cpp_standalone` (build_on_run=False, a fresh project in a temporary directory): `setup` is
  building the objects in Python and `net.run` recording the run; `device.build(compile=True,
  run=True)` then writes the C++ project, compiles it with make and runs the binary.
  `compile` = build wall time - the binary's wall time (`device.timers['run_binary']`), that
  is code generation and make; `run` = `device._last_run_time`, the time the binary spent in
  Network::run (std::clock around the simulation loop; one thread, so CPU time ~ wall time);
  `binary_setup` = the binary's wall time - `run`: connecting, initialising and writing the
  results to disk. Compilation is from scratch every time (a new directory).

`total` is the wall time of the whole script after importing brian2.
"""
import argparse
import json
import shutil
import sys
import tempfile
import time

import warnings

warnings.filterwarnings("ignore", category=FutureWarning)  # pythran, imported by brian2, on NumPy 1.24
import brian2 as b2  # noqa: E402

DEVICES = ("numpy", "cython", "cpp_standalone")


def parse(description, default_duration):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("device", choices=DEVICES, help="Brian2 device / code generation target")
    parser.add_argument("--duration", type=float, default=default_duration,
                        help=f"simulated time in seconds (default {default_duration})")
    parser.add_argument("--seed", type=int, default=1, help="Brian2's random seed")
    parser.add_argument("--keep", action="store_true",
                        help="keep the cpp_standalone project directory")
    return parser.parse_args()


def main(name, description, default_duration, build, summarise):
    """build(duration) -> (network, objects); summarise(objects, duration) -> dict."""
    args = parse(description, default_duration)
    b2.prefs.logging.console_log_level = "WARNING"
    b2.BrianLogger.suppress_name("brian2.codegen.generators.base")
    start = time.perf_counter()
    directory = None
    if args.device == "cpp_standalone":
        directory = tempfile.mkdtemp(prefix=f"brian2_{name}_")
        b2.set_device("cpp_standalone", directory=directory, build_on_run=False)
    else:
        b2.prefs.codegen.target = args.device
    b2.seed(args.seed)
    duration = args.duration * b2.second

    timings = {}
    t0 = time.perf_counter()
    net, objects = build()
    if args.device == "cpp_standalone":
        net.run(duration)
        timings["setup"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        b2.device.build(directory=directory, compile=True, run=True, with_output=False)
        build_wall = time.perf_counter() - t1
        binary = b2.device.timers["run_binary"]
        timings["compile"] = build_wall - binary
        timings["make"] = b2.device.timers["compile"]["make"]
        timings["run"] = b2.device._last_run_time
        timings["binary_setup"] = binary - b2.device._last_run_time
    else:
        timings["setup"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        net.run(0 * b2.ms)
        timings["compile"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        net.run(duration)
        timings["run"] = time.perf_counter() - t2
    summary = summarise(objects, float(duration))
    timings["total"] = time.perf_counter() - start
    result = {
        "model": name,
        "simulator": "brian2",
        "version": b2.__version__,
        "device": args.device,
        "simulated": float(duration),
        "timings": timings,
    }
    result.update(summary)
    if directory and not args.keep:
        shutil.rmtree(directory, ignore_errors=True)
    elif directory:
        result["directory"] = directory
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit("common.py is a helper of cuba.py, cobahh.py and stdp.py")
