#!/usr/bin/python3
"""Validation of `snnc run` against values computed independently, here: closed-form solutions,
statistics of random processes, and a reference integration with SciPy.

Each check runs one model of this folder with `snnc run FILE --out TMP`, loads what the run
wrote (NumPy .npy files and run.json) and compares it with a value that this script computes
without snnc. The model's constants are repeated here, next to each check (the .snn file says
so): the point is that the expected value does not come from the compiler.

Usage: check.py --snnc PATH_TO_SNNC CHECK [CHECK ...]      (CHECK: a name below, or `all`)
Exit status: 0 every check passed, 1 a check failed, 77 `snnc run` does not exist yet (CTest
reports the test as skipped), 2 wrong usage.

Run it with Debian's /usr/bin/python3, which sees python3-numpy and python3-scipy.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77


class CheckFailed(Exception):
    pass


class Context:
    """Runs snnc on a model of this folder and reads back what it wrote."""

    def __init__(self, snnc, keep):
        self.snnc = snnc
        self.keep = keep
        self.assertions = 0
        self.dirs = []

    def run(self, model, simulated, experiment=None, timeout=120):
        out = tempfile.mkdtemp(prefix="snn_validation_")
        self.dirs.append(out)
        command = [self.snnc, "run", os.path.join(HERE, model), "--out", out]
        if experiment:
            command += ["--experiment", experiment]
        start = time.monotonic()
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        wall = time.monotonic() - start
        if proc.returncode != 0:
            raise CheckFailed(f"`{' '.join(command)}` exited with {proc.returncode}\n"
                              f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        run = Output(out, proc.stdout, self)
        info = run.json()
        self.expect(info.get("status") == "complete", f"run.json status is {info.get('status')!r}")
        timings = info.get("timings", {})
        for key in ("parse", "check", "lower", "setup", "run", "simulated"):
            self.expect(key in timings, f"run.json timings has no {key!r}: {timings}")
        self.expect(abs(timings["simulated"] - simulated) < 1e-9,
                    f"run.json says {timings['simulated']} s were simulated, not {simulated} s")
        print(f"  ran {model}{' --experiment ' + experiment if experiment else ''} in {wall:.2f} s"
              f" (simulated {timings.get('simulated')} s, run phase {timings.get('run')} s)")
        return run

    def expect(self, condition, message):
        self.assertions += 1
        if not condition:
            raise CheckFailed(message)

    def cleanup(self, passed):
        """Removes the output directories of a passed check; keeps them to look at otherwise."""
        for directory in self.dirs:
            if passed and not self.keep:
                shutil.rmtree(directory, ignore_errors=True)
            else:
                print(f"  output kept in {directory}")


class Output:
    def __init__(self, directory, stdout, context):
        self.dir = directory
        self.stdout = stdout
        self.context = context

    def path(self, name):
        return os.path.join(self.dir, name)

    def load(self, name):
        path = self.path(name)
        if not os.path.exists(path):
            raise CheckFailed(f"the run wrote no {name} (files: {sorted(os.listdir(self.dir))})")
        return np.load(path, allow_pickle=False)

    def json(self):
        with open(self.path("run.json")) as f:
            return json.load(f)

    def spikes(self, group):
        i = self.load(f"{group}.spikes.i.npy")
        t = self.load(f"{group}.spikes.t.npy")
        self.context.expect(i.dtype == np.int64, f"{group}.spikes.i.npy has dtype {i.dtype}, not int64")
        self.context.expect(t.dtype == np.float64, f"{group}.spikes.t.npy has dtype {t.dtype}, not float64")
        self.context.expect(i.shape == t.shape and i.ndim == 1,
                            f"{group} spikes: shapes {i.shape} and {t.shape}")
        self.context.expect(bool(np.all(np.diff(t) >= 0)), f"{group} spikes are not in time order")
        return i, t

    def state(self, name):
        """A recorded variable: (values[samples, indices], times[samples], indices)."""
        values = self.load(f"{name}.npy")
        times = self.load(f"{name}.t.npy")
        index = self.load(f"{name}.index.npy")
        self.context.expect(values.dtype == np.float64, f"{name}.npy has dtype {values.dtype}")
        self.context.expect(values.ndim == 2 and values.shape == (times.size, index.size),
                            f"{name}.npy has shape {values.shape}, expected "
                            f"({times.size}, {index.size}) from its .t and .index files")
        return values, times, index


def within(value, expected, tolerance):
    return abs(value - expected) <= tolerance


# ---------------------------------------------------------------- LIF inter-spike interval

def check_lif_isi(ctx):
    # Constants of tests/validation/lif_isi.snn.
    tau, R, I = 20e-3, 100e6, 0.25e-9
    V_rest, V_th, V_reset, t_ref = -70e-3, -50e-3, -60e-3, 2e-3
    dt, duration = 0.1e-3, 0.5
    RI = R * I
    isi = t_ref + tau * math.log((RI - (V_reset - V_rest)) / (RI - (V_th - V_rest)))
    first = tau * math.log(RI / (RI - (V_th - V_rest)))  # from rest, no refractory period

    run = ctx.run("lif_isi.snn", duration)
    i, t = run.spikes("n")
    expected_count = 1 + int((duration - first) // isi)
    ctx.expect(abs(t.size - expected_count) <= 1,
               f"{t.size} spikes in {duration} s, about {expected_count} expected")
    ctx.expect(bool(np.all(i == 0)), "spikes of a neuron that does not exist")
    line = f"{t.size} spikes, mean rate {t.size / duration:.2f} Hz"
    ctx.expect(run.stdout.splitlines() == [line],
               f"the print statement should write {line!r} on stdout; it wrote {run.stdout!r}")
    ctx.expect(within(t[0], first, dt + 1e-12),
               f"first spike at {t[0] * 1e3:.4f} ms, the crossing is at {first * 1e3:.4f} ms")
    intervals = np.diff(t)
    worst = np.max(np.abs(intervals - isi))
    print(f"  ISI {np.mean(intervals) * 1e3:.4f} ms (analytic {isi * 1e3:.4f} ms), "
          f"largest deviation {worst * 1e3:.4f} ms")
    ctx.expect(worst <= dt + 1e-12,
               f"an interval differs from the analytic {isi * 1e3:.4f} ms by {worst * 1e3:.4f} ms "
               f"(more than dt = {dt * 1e3} ms): {intervals * 1e3}")
    # On the time grid the spike is stamped at the start of the step in which V crosses V_th,
    # and V is held at V_reset for t_ref/dt steps after the spike's step: every interval is the
    # same whole number of steps.
    steps = t_ref / dt + math.ceil((isi - t_ref) / dt) - 1
    ctx.expect(bool(np.all(np.abs(intervals - steps * dt) < 1e-9)),
               f"intervals are not all {steps:.0f} steps: {intervals / dt}")


# ---------------------------------------------------------------- orders of convergence

def logistic(x0, t, tau):
    return 1.0 / (1.0 + (1.0 / x0 - 1.0) * np.exp(-t / tau))


def check_convergence(ctx):
    # Constants of tests/validation/convergence.snn.
    tau = 10e-3
    x0 = 0.05 + 0.1 * np.arange(5)
    orders = {"euler": 1, "rk2": 2, "rk4": 4}
    errors = {method: [] for method in orders}
    for experiment in ("convergence_dt1", "convergence_dt2", "convergence_dt4"):
        run = ctx.run("convergence.snn", 0.06, experiment)
        for method in orders:
            values, times, index = run.state(f"{method}.x")
            ctx.expect(list(index) == list(range(5)), f"{method}.x.index.npy is {index}")
            ctx.expect(times.size == 12 and within(times[-1], 55e-3, 1e-12),
                       f"{method}.x sampled at {times}: every 5 ms from 0 to 55 ms expected")
            exact = logistic(x0[None, :], times[:, None], tau)
            errors[method].append(float(np.max(np.abs(values - exact))))
    for method, order in orders.items():
        e = errors[method]
        ctx.expect(all(x > 1e-13 for x in e), f"{method}: errors {e} are at rounding level, "
                   "the step is too small to see the order")
        observed = [math.log2(e[0] / e[1]), math.log2(e[1] / e[2])]
        print(f"  {method}: errors {', '.join(f'{x:.3e}' for x in e)}; "
              f"observed orders {observed[0]:.3f}, {observed[1]:.3f} (expected {order})")
        for value in observed:
            ctx.expect(within(value, order, 0.3),
                       f"{method}: observed order {value:.3f}, expected {order} +- 0.3 "
                       f"(max errors at dt, dt/2, dt/4: {e})")


# ---------------------------------------------------------------- exact integration

def check_exact_linear(ctx):
    from scipy.linalg import expm

    # Constants of tests/validation/exact_linear.snn.
    tau, v_inf = 15e-3, -52e-3
    v0 = -70e-3 + 10e-3 * np.arange(3)
    tau_d, tau_w, tau_z = 40e-3, 8e-3, 12e-3
    x0, y0, z0 = 10e-3, -4e-3, 3e-3

    run = ctx.run("exact_linear.snn", 0.2)
    values, times, _ = run.state("r.v")
    ctx.expect(times.size == 400, f"r.v has {times.size} samples, 400 expected (every step)")
    exact = v_inf + (v0[None, :] - v_inf) * np.exp(-times[:, None] / tau)
    relative = np.max(np.abs(values - exact)) / np.max(np.abs(exact))
    print(f"  Relax: largest error {relative:.2e} of the scale")
    ctx.expect(relative <= 1e-12, f"Relax: exact integration is off by {relative:.3e} (relative)")

    A = np.array([[-1 / tau_d, -1 / tau_w, 0.0],
                  [1 / tau_w, -1 / tau_d, 0.0],
                  [1 / tau_z, 0.0, -1 / tau_z]])
    start = np.array([x0, y0, z0])
    reference = np.array([expm(A * s) @ start for s in times])
    # The rotation in closed form, a check of the reference itself.
    decay = np.exp(-times / tau_d)
    closed_x = decay * (x0 * np.cos(times / tau_w) - y0 * np.sin(times / tau_w))
    closed_y = decay * (x0 * np.sin(times / tau_w) + y0 * np.cos(times / tau_w))
    ctx.expect(np.max(np.abs(reference[:, 0] - closed_x)) < 1e-15 and
               np.max(np.abs(reference[:, 1] - closed_y)) < 1e-15,
               "scipy's expm disagrees with the closed form (a bug of this script)")
    for column, name in enumerate("xyz"):
        got, _, _ = run.state(f"s.{name}")
        scale = np.max(np.abs(reference[:, column]))
        relative = np.max(np.abs(got[:, 0] - reference[:, column])) / scale
        print(f"  Spiral {name}: largest error {relative:.2e} of the scale")
        ctx.expect(relative <= 1e-12,
                   f"Spiral {name}: exact integration is off by {relative:.3e} of the scale")


# ---------------------------------------------------------------- Hodgkin-Huxley

def hh_reference(duration_ms, current):
    """The HH model of stdlib/neurons.snn in ms, mV, mS/cm^2, uA/cm^2, uF/cm^2, with SciPy."""
    from scipy.integrate import solve_ivp

    C, g_Na, g_K, g_L = 1.0, 120.0, 36.0, 0.3
    E_Na, E_K, E_L = 50.0, -77.0, -54.4

    def inverse_exprel(x):  # x / (exp(x) - 1), finite at 0
        return 1.0 / np.expm1(x) * x if abs(x) > 1e-12 else 1.0 - x / 2

    def rhs(_, s):
        V, m, h, n = s
        alpha_m = 0.1 * 10.0 * inverse_exprel(-(V + 40.0) / 10.0)
        beta_m = 4.0 * math.exp(-(V + 65.0) / 18.0)
        alpha_h = 0.07 * math.exp(-(V + 65.0) / 20.0)
        beta_h = 1.0 / (math.exp(-(V + 35.0) / 10.0) + 1.0)
        alpha_n = 0.01 * 10.0 * inverse_exprel(-(V + 55.0) / 10.0)
        beta_n = 0.125 * math.exp(-(V + 65.0) / 80.0)
        dV = (g_L * (E_L - V) - g_Na * m**3 * h * (V - E_Na) - g_K * n**4 * (V - E_K) + current) / C
        return [dV,
                alpha_m * (1 - m) - beta_m * m,
                alpha_h * (1 - h) - beta_h * h,
                alpha_n * (1 - n) - beta_n * n]

    def crossing(_, s):
        return s[0] + 20.0
    crossing.direction = 1

    solution = solve_ivp(rhs, (0.0, duration_ms), [-65.0, 0.0529, 0.5961, 0.3177],
                         method="LSODA", rtol=1e-10, atol=1e-12, max_step=0.05,
                         events=crossing)
    if solution.status != 0:
        raise CheckFailed(f"solve_ivp failed: {solution.message}")
    return solution.t_events[0] * 1e-3  # seconds


def check_hh_isi(ctx):
    # Constants of tests/validation/hh_isi.snn: 10 uA/cm^2, 200 ms, dt = 0.01 ms.
    dt, duration = 0.01e-3, 0.2
    reference = hh_reference(duration * 1e3, 10.0)
    ref_isi = np.diff(reference)
    steady_ref = float(np.mean(ref_isi[2:]))
    print(f"  reference (solve_ivp): {reference.size} spikes, first at {reference[0] * 1e3:.3f} ms, "
          f"ISI {steady_ref * 1e3:.3f} ms, {1 / steady_ref:.2f} Hz")
    ctx.expect(within(steady_ref, 14.7e-3, 0.3e-3) and 66 <= 1 / steady_ref <= 70,
               f"the reference itself fires every {steady_ref * 1e3:.3f} ms (a bug of this script)")
    ctx.expect(float(np.std(ref_isi[2:])) < 1e-6, "the reference is not periodic")

    run = ctx.run("hh_isi.snn", duration)
    _, t = run.spikes("cell")
    ctx.expect(abs(t.size - reference.size) <= 1,
               f"{t.size} spikes in 200 ms, the reference has {reference.size}")
    ctx.expect(within(t[0], reference[0], 0.3e-3),
               f"first spike at {t[0] * 1e3:.3f} ms, the reference's at {reference[0] * 1e3:.3f} ms")
    isi = np.diff(t)
    count = min(isi.size, ref_isi.size)
    worst = float(np.max(np.abs(isi[:count] - ref_isi[:count])))
    steady = float(np.mean(isi[2:]))
    print(f"  snnc: {t.size} spikes, first at {t[0] * 1e3:.3f} ms, ISI {steady * 1e3:.3f} ms "
          f"({1 / steady:.2f} Hz), CV {np.std(isi[2:]) / steady:.2e}; largest difference of an "
          f"interval from the reference {worst * 1e3:.3f} ms")
    ctx.expect(worst <= 0.3e-3, f"intervals {isi * 1e3} ms differ from the reference's "
               f"{ref_isi * 1e3} ms by up to {worst * 1e3:.3f} ms (more than 0.3 ms)")
    ctx.expect(within(steady, steady_ref, 0.3e-3), f"steady ISI {steady * 1e3:.3f} ms, reference "
               f"{steady_ref * 1e3:.3f} ms")
    ctx.expect(float(np.max(isi[2:]) - np.min(isi[2:])) <= 2 * dt + 1e-12,
               f"the firing is not periodic: intervals {isi * 1e3} ms")
    ctx.expect(66 <= 1 / steady <= 70, f"rate {1 / steady:.2f} Hz, about 68 Hz expected")


# ---------------------------------------------------------------- Poisson group

def check_poisson_rate(ctx):
    from scipy import stats

    # Constants of tests/validation/poisson_rate.snn.
    N, rate, duration, dt = 1000, 20.0, 1.0, 0.1e-3
    steps = round(duration / dt)
    p = rate * dt

    run = ctx.run("poisson_rate.snn", duration)
    i, t = run.spikes("P")
    ctx.expect(bool(np.all((i >= 0) & (i < N))), "spike indices outside 0..N-1")
    step_of = np.rint(t / dt).astype(np.int64)
    ctx.expect(bool(np.all(np.abs(t - step_of * dt) < 1e-9)), "spike times off the time grid")
    ctx.expect(bool(np.all((step_of >= 0) & (step_of < steps))), "spike times outside the run")
    ctx.expect(np.unique(step_of * N + i).size == i.size, "a neuron spiked twice in one step")

    # Total count: Binomial(N steps, p), 5 sigma.
    total = i.size
    mean, sigma = N * steps * p, math.sqrt(N * steps * p * (1 - p))
    print(f"  {total} spikes, {total / (N * duration):.3f} Hz; expected {mean:.0f} +- {sigma:.1f}")
    ctx.expect(abs(total - mean) <= 5 * sigma,
               f"{total} spikes, expected {mean:.0f} +- 5 * {sigma:.1f}")

    # Fano factor of the counts of the N neurons. Each count is Binomial(n, p); the sample
    # variance over N neurons is approximately normal with variance (mu4 - s^4 (N-3)/(N-1)) / N,
    # and the delta method carries it, with the mean's variance and their covariance, to the
    # ratio.
    counts = np.bincount(i, minlength=N).astype(float)
    n = steps
    mu, var = n * p, n * p * (1 - p)
    mu3 = var * (1 - 2 * p)
    mu4 = var * (1 + (3 * n - 6) * p * (1 - p))
    var_s2 = (mu4 - var**2 * (N - 3) / (N - 1)) / N
    var_m, cov = var / N, mu3 / N
    var_fano = var_s2 / mu**2 + var**2 / mu**4 * var_m - 2 * var / mu**3 * cov
    fano = counts.var(ddof=1) / counts.mean()
    expected_fano, fano_sigma = 1 - p, math.sqrt(var_fano)
    print(f"  Fano factor {fano:.4f}; expected {expected_fano:.4f} +- {fano_sigma:.4f}")
    ctx.expect(abs(fano - expected_fano) <= 5 * fano_sigma,
               f"Fano factor {fano:.4f}, expected {expected_fano:.4f} +- 5 * {fano_sigma:.4f}")

    # Spike times spread uniformly over the run (Kolmogorov-Smirnov; the time grid is much finer
    # than the test can resolve at this sample size).
    ks = stats.kstest((step_of + 0.5) / steps, "uniform")
    print(f"  spike times vs uniform: KS statistic {ks.statistic:.4f}, p = {ks.pvalue:.3g}")
    ctx.expect(ks.pvalue > 1e-6, f"spike times are not uniform over the run (KS p = {ks.pvalue:.3g})")

    # The population rate recorded every step is the step's spike count / (N dt).
    rates = run.load("P.rate.npy")
    rate_t = run.load("P.rate.t.npy")
    ctx.expect(rates.shape == (steps,) and rate_t.shape == (steps,),
               f"P.rate.npy has shape {rates.shape}, P.rate.t.npy {rate_t.shape}; ({steps},) expected")
    ctx.expect(bool(np.all(np.abs(rate_t - np.arange(steps) * dt) < 1e-9)),
               "P.rate.t.npy is not the time of each step")
    per_step = np.bincount(step_of, minlength=steps) / (N * dt)
    ctx.expect(bool(np.allclose(rates, per_step, rtol=1e-12, atol=1e-9)),
               "the recorded rate does not match the spikes of each step")


# ---------------------------------------------------------------- synaptic delay

def check_delay(ctx):
    # Constants of tests/validation/delay.snn.
    dt = 0.1e-3
    spike_steps = [round(5e-3 / dt), round(12.34e-3 / dt)]  # 50 and 123
    delays = {"zero": 0.0, "near": 1.24e-3, "far": 1.26e-3, "model": 0.74e-3}

    run = ctx.run("delay.snn", 0.02)
    _, t = run.spikes("G")
    ctx.expect(t.size == 2 and np.allclose(t, np.array(spike_steps) * dt, rtol=0, atol=1e-12),
               f"the generator's spikes are stamped {t * 1e3} ms, expected "
               f"{np.array(spike_steps) * dt * 1e3} ms")
    for name, delay in delays.items():
        values, times, _ = run.state(f"{name}.x")
        ctx.expect(times.size == 200, f"{name}.x has {times.size} samples, 200 expected")
        x = values[:, 0]
        ctx.expect(x[0] == 0 and x[-1] == 2 and np.all(np.diff(x) >= 0) and
                   set(np.unique(x)) <= {0.0, 1.0, 2.0},
                   f"{name}.x does not count two arrivals: {np.unique(x)}")
        d = round(delay / dt)
        for count, spike_step in enumerate(spike_steps, start=1):
            # Monitors record at the start of a step: a change made during step k is seen first
            # in the sample of step k + 1.
            changed = int(np.argmax(x >= count)) - 1
            ctx.expect(changed == spike_step + d,
                       f"{name} (delay {delay * 1e3} ms = {d} steps): spike {count} of step "
                       f"{spike_step} arrived in step {changed}, expected step {spike_step + d} "
                       f"(t = {(spike_step + d) * dt * 1e3:.1f} ms)")
        print(f"  {name}: arrivals at steps {spike_steps[0] + d} and {spike_steps[1] + d}, as expected")


# ---------------------------------------------------------------- pair STDP

def check_stdp_pair(ctx):
    # Constants of tests/validation/stdp_pair.snn.
    dt = 0.1e-3
    taupre, taupost, wmax = 16.8e-3, 33.7e-3, 0.01
    dApre, dApost = 0.01 * wmax, -0.0105 * wmax
    cases = {
        # name: (second spike's time, expected change)
        "potentiation": (27e-3, dApre * math.exp(-7e-3 / taupre)),
        "depression": (33e-3, dApost * math.exp(-13e-3 / taupost)),
    }
    run = ctx.run("stdp_pair.snn", 0.05)
    for name, (second, expected) in cases.items():
        values, times, index = run.state(f"{name}.w")
        ctx.expect(index.size == 1 and values.shape[0] == 500,
                   f"{name}.w: shape {values.shape}, one synapse and 500 samples expected")
        w = values[:, 0]
        w0 = 0.5 * wmax
        ctx.expect(abs(w[0] - w0) <= 1e-18, f"{name}: w starts at {w[0]}, not {w0}")
        change = w[-1] - w[0]
        print(f"  {name}: change {change:.15e}, expected {expected:.15e} "
              f"(relative error {abs(change - expected) / abs(expected):.1e})")
        ctx.expect(abs(change - expected) <= 1e-12 * abs(expected),
                   f"{name}: w changed by {change!r}, expected {expected!r}")
        moved = np.nonzero(w != w[0])[0]
        step = round(second / dt)
        ctx.expect(moved.size > 0 and moved[0] == step + 1 and np.all(w[step + 1:] == w[-1]),
                   f"{name}: w should change once, in step {step} (seen from sample {step + 1}); "
                   f"it differs from its start at samples {moved[:5]}...")


# ---------------------------------------------------------------- rest

def check_rest(ctx):
    # Constants of tests/validation/rest.snn (the stdlib's V_rest: LIF -70 mV, LIFCond -60 mV).
    run = ctx.run("rest.snn", 1.0)
    for group, v_rest in (("lif", -70e-3), ("cond", -60e-3)):
        i, _ = run.spikes(group)
        ctx.expect(i.size == 0, f"{group}: {i.size} spikes from a neuron at rest")
        values, times, _ = run.state(f"{group}.V")
        ctx.expect(times.size == 1000 and values.shape[1] == 4,
                   f"{group}.V has shape {values.shape}; 1000 samples of 4 neurons expected")
        start = values[0, 0]
        ctx.expect(abs(start - v_rest) <= 1e-15, f"{group}: V starts at {start!r}, not {v_rest}")
        moved = np.argwhere(values != start)
        ctx.expect(moved.size == 0,
                   f"{group}: V leaves rest: at t = {times[moved[0][0]] if moved.size else 0} s, "
                   f"neuron {moved[0][1] if moved.size else 0}, V = "
                   f"{values[tuple(moved[0])] if moved.size else 0!r} instead of {start!r}")
        print(f"  {group}: V == {start!r} in all {values.size} samples, no spikes")


# ---------------------------------------------------------------- inputs and protocol

def check_protocol(ctx):
    # Constants of tests/validation/protocol.snn and protocol_spikes.csv.
    dt = 0.1e-3
    run = ctx.run("protocol.snn", 0.1)
    i, t = run.spikes("F")
    ctx.expect(list(i) == [0, 2, 1] and np.allclose(t, [1e-3, 2.5e-3, 4e-3], rtol=0, atol=1e-12),
               f"the spike file's spikes came out as {list(i)} at {t * 1e3} ms")
    x, times, _ = run.state("C.x")
    ctx.expect(times.size == 1000, f"C.x has {times.size} samples, 1000 expected")
    for count, step in enumerate([10, 25, 40], start=1):
        # The spike of step k is delivered in step k: first visible in the sample of step k + 1.
        ctx.expect(x[step, 0] == count - 1 and x[step + 1, 0] == count,
                   f"C.x around step {step}: {x[step - 1:step + 3, 0]}, expected {count - 1} "
                   f"then {count}")
    y, _, _ = run.state("C.y")
    y = y[:, 0]
    increment = dt * 2 / 1e-3
    expected = np.array([0.0 if k <= 500 else min(k - 500, 250) * increment for k in range(1000)])
    error = np.max(np.abs(y - expected))
    ctx.expect(error < 1e-9, f"C.y differs from the protocol's drive by up to {error} "
                             f"(drive 0, then 2 from 50 ms, 0 again from 75 ms)")
    px, ptimes, index = run.state("P.x")
    ctx.expect(ptimes.size == 2 and index.size == 2000, f"P.x: {ptimes.size} samples of {index.size}")
    counts = px[1]  # after 500 steps
    n, p = 50 * 500, 20 * dt
    mean, var = n * p, n * p * (1 - p)
    sd_mean = np.sqrt(var / counts.size)
    ctx.expect(abs(counts.mean() - mean) < 5 * sd_mean,
               f"poisson_input: mean {counts.mean()} after 500 steps, expected {mean} +- {5 * sd_mean}")
    sd_var = var * np.sqrt(2 / (counts.size - 1))
    ctx.expect(abs(counts.var(ddof=1) - var) < 5 * sd_var,
               f"poisson_input: variance {counts.var(ddof=1)}, expected {var} +- {5 * sd_var}")
    ctx.expect(np.all(counts == np.round(counts)), "poisson_input added fractions of its weight")
    print(f"  spike file, between-run assignment, `at` block and poisson_input "
          f"(mean {counts.mean():.2f}, variance {counts.var(ddof=1):.2f}; expected {mean:.2f}, {var:.2f})")


CHECKS = {
    "lif_isi": check_lif_isi,
    "convergence": check_convergence,
    "exact_linear": check_exact_linear,
    "hh_isi": check_hh_isi,
    "poisson_rate": check_poisson_rate,
    "delay": check_delay,
    "stdp_pair": check_stdp_pair,
    "rest": check_rest,
    "protocol": check_protocol,
}


def has_run_command(snnc):
    proc = subprocess.run([snnc, "--help"], capture_output=True, text=True, timeout=30)
    return any(line.split()[:1] == ["run"] for line in proc.stdout.splitlines())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snnc", required=True, help="path to the snnc binary")
    parser.add_argument("--keep", action="store_true", help="keep the output directories")
    parser.add_argument("checks", nargs="+", help=f"checks to run: {', '.join(CHECKS)} or all")
    args = parser.parse_args()
    names = list(CHECKS) if args.checks == ["all"] else args.checks
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        parser.error(f"unknown check(s) {', '.join(unknown)}; known: {', '.join(CHECKS)}")
    if not has_run_command(args.snnc):
        print(f"{args.snnc} has no `run` command yet: skipped")
        return SKIP
    failed = []
    for name in names:
        ctx = Context(args.snnc, args.keep)
        print(f"{name}:")
        try:
            CHECKS[name](ctx)
            print(f"  passed ({ctx.assertions} assertions)")
            ctx.cleanup(passed=True)
        except CheckFailed as failure:
            print(f"  FAILED: {failure}")
            failed.append(name)
            ctx.cleanup(passed=False)
        except Exception:  # a crash of the check (a file that cannot be read, a timeout): a failure
            traceback.print_exc(file=sys.stdout)
            failed.append(name)
            ctx.cleanup(passed=False)
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
