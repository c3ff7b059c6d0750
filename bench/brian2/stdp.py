#!/usr/bin/python3
"""Brian2's STDP example (Song, Miller & Abbott 2000: 1000 Poisson inputs at 15 Hz onto one
conductance-based LIF neuron through pair-STDP synapses with event-driven traces), as in Brian2's
examples/synapses/STDP.py but 10 s instead of 100 s, with a spike monitor on the output neuron:
the same network as bench/stdp.snn.

Usage: stdp.py numpy|cython|cpp_standalone [--duration S] [--seed N]; prints JSON (common.py
says what each timing is).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import numpy as np  # noqa: E402
from brian2 import (NeuronGroup, PoissonGroup, Synapses, SpikeMonitor, StateMonitor,  # noqa: E402
                    Network, ms, mV, Hz)

N = 1000
gmax = 0.01


def build():
    taum = 10 * ms
    taupre = 20 * ms
    taupost = taupre
    Ee = 0 * mV
    vt = -54 * mV
    vr = -60 * mV
    El = -74 * mV
    taue = 5 * ms
    F = 15 * Hz
    dApre = .01
    dApost = -dApre * taupre / taupost * 1.05
    dApost *= gmax
    dApre *= gmax
    namespace = dict(locals(), gmax=gmax)
    eqs_neurons = """
    dv/dt = (ge * (Ee-v) + El - v) / taum : volt
    dge/dt = -ge / taue : 1
    """
    poisson_input = PoissonGroup(N, rates=F)
    neurons = NeuronGroup(1, eqs_neurons, threshold="v>vt", reset="v = vr",
                          method="euler", namespace=namespace)
    S = Synapses(poisson_input, neurons,
                 """w : 1
                    dApre/dt = -Apre / taupre : 1 (event-driven)
                    dApost/dt = -Apost / taupost : 1 (event-driven)""",
                 on_pre="""ge += w
                        Apre += dApre
                        w = clip(w + Apost, 0, gmax)""",
                 on_post="""Apost += dApost
                         w = clip(w + Apre, 0, gmax)""",
                 namespace=namespace)
    S.connect()
    S.w = "rand() * gmax"
    weights = StateMonitor(S, "w", record=[0, 1])
    input_spikes = SpikeMonitor(poisson_input)
    output_spikes = SpikeMonitor(neurons)
    net = Network(poisson_input, neurons, S, weights, input_spikes, output_spikes)
    return net, {"S": S, "input_spikes": input_spikes, "output_spikes": output_spikes}


def summarise(objects, duration):
    w = np.asarray(objects["S"].w) / gmax
    return {
        "neurons": N + 1,
        "synapses": int(len(objects["S"])),
        "spikes": int(objects["input_spikes"].num_spikes + objects["output_spikes"].num_spikes),
        "input_rate_hz": objects["input_spikes"].num_spikes / (N * duration),
        "mean_rate_hz": objects["output_spikes"].num_spikes / duration,
        "w_mean": float(w.mean()),
        "w_std": float(w.std()),
        "w_below_0.1": float(np.mean(w < 0.1)),
        "w_above_0.9": float(np.mean(w > 0.9)),
    }


if __name__ == "__main__":
    sys.exit(common.main("stdp", __doc__, 10.0, build, summarise))
