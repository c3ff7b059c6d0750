"""Recomputes what snn_vm_python_tool computed with vm/analysis: Welch spectra with
scipy.signal.welch (default Hann window, detrend='constant', density scaling) and smoothed rates
with Brian2's PopulationRateMonitor.smooth_rate (called on the recorded rate directly), or, when
Brian2 is not installed, with the same formula written here in numpy. Run by CTest
(vm/analysis/welch_scipy)."""
import json
import os
import shutil
import subprocess
import sys
import types

import numpy as np
import scipy.signal


def brian2_smoother():
    try:
        import brian2
        from brian2.monitors.ratemonitor import PopulationRateMonitor
    except Exception as error:  # noqa: BLE001 - any import failure means "not available"
        print(f"brian2 not importable ({error}); using its smoothing formula in numpy")
        return None

    def smooth(rate, window, width, dt):
        monitor = types.SimpleNamespace(rate_=rate, clock=types.SimpleNamespace(dt=dt * brian2.second))
        return np.asarray(PopulationRateMonitor.smooth_rate(monitor, window=window, width=width * brian2.second))

    print(f"brian2 {brian2.__version__}: comparing with PopulationRateMonitor.smooth_rate")
    return smooth


def numpy_smooth(rate, window, width, dt):
    # brian2/monitors/ratemonitor.py, smooth_rate (2.5).
    if window == "gaussian":
        width_dt = int(np.round(2 * width / dt))
        w = np.exp(-np.arange(-width_dt, width_dt + 1) ** 2 * 1.0 / (2 * (width / dt) ** 2))
    else:
        width_dt = int(width / 2 / dt) * 2 + 1
        w = np.ones(width_dt)
    return np.convolve(rate, w * 1.0 / sum(w), mode="same")


def main():
    tool, directory = sys.argv[1], sys.argv[2]
    shutil.rmtree(directory, ignore_errors=True)
    subprocess.run([tool, "analysis", directory], check=True)
    with open(os.path.join(directory, "configs.json")) as f:
        configs = json.load(f)
    load = lambda name: np.load(os.path.join(directory, name))  # noqa: E731
    failures = []

    signal = load("signal.npy")
    fs = configs["sample_rate_hz"]
    for case in configs["welch"]:
        kwargs = {"nperseg": case["nperseg"]}
        if case["noverlap"] is not None:
            kwargs["noverlap"] = case["noverlap"]
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nperseg > len(x) warns; we reduce it the same way
            f, p = scipy.signal.welch(signal, fs=fs, **kwargs)
        ours_f, ours_p = load(case["frequencies"]), load(case["density"])
        label = f"welch(nperseg={case['nperseg']}, noverlap={case['noverlap']})"
        if ours_f.shape != f.shape or ours_p.shape != p.shape:
            failures.append(f"{label}: shapes {ours_p.shape} vs scipy {p.shape}")
            continue
        if not np.allclose(ours_f, f, rtol=1e-12, atol=0):
            failures.append(f"{label}: frequencies differ")
        error = np.max(np.abs(ours_p - p)) / np.max(p)
        if error > 1e-9:
            failures.append(f"{label}: density differs, max relative error {error:.3g}")
        peak = f[1:][np.argmax(p[1:])]
        if abs(case["peak_hz"] - peak) > 1e-9:
            failures.append(f"{label}: peak {case['peak_hz']} vs {peak}")

    rate = load("rate.npy")
    smoother = brian2_smoother() or numpy_smooth
    for case in configs["smooth"]:
        expected = smoother(rate, case["window"], case["width_s"], case["dt_s"])
        ours = load(case["file"])
        label = f"smooth({case['window']}, {case['width_s']})"
        if ours.shape != expected.shape:
            failures.append(f"{label}: shape {ours.shape} vs {expected.shape}")
            continue
        error = np.max(np.abs(ours - expected)) / np.max(np.abs(expected))
        if error > 1e-12:
            failures.append(f"{label}: max relative error {error:.3g}")

    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print(f"scipy {scipy.__version__}: {len(configs['welch'])} Welch spectra and "
          f"{len(configs['smooth'])} smoothed rates agree")


if __name__ == "__main__":
    main()
