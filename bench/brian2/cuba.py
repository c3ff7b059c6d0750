#!/usr/bin/python3
"""Brian2's CUBA example (Vogels & Abbott 2005; benchmark 2 of Brette et al. 2007), as in
Brian2's examples/CUBA.py, with a spike monitor: the same network as bench/cuba.snn.

Usage: cuba.py numpy|cython|cpp_standalone [--duration S] [--seed N]; prints JSON (common.py
says what each timing is).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, Network, ms, mV)  # noqa: E402

N = 4000


def build():
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    eqs = """
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    """
    P = NeuronGroup(N, eqs, threshold="v>Vt", reset="v = Vr", refractory=5 * ms,
                    method="exact", namespace=locals())
    P.v = "Vr + rand() * (Vt - Vr)"
    P.ge = 0 * mV
    P.gi = 0 * mV
    we = (60 * 0.27 / 10) * mV  # excitatory synaptic weight (voltage)
    wi = (-20 * 4.5 / 10) * mV  # inhibitory synaptic weight
    Ce = Synapses(P, P, on_pre="ge += we", namespace={"we": we})
    Ci = Synapses(P, P, on_pre="gi += wi", namespace={"wi": wi})
    Ce.connect("i<3200", p=0.02)
    Ci.connect("i>=3200", p=0.02)
    spikes = SpikeMonitor(P)
    net = Network(P, Ce, Ci, spikes)
    return net, {"P": P, "Ce": Ce, "Ci": Ci, "spikes": spikes}


def summarise(objects, duration):
    return {
        "neurons": N,
        "synapses": int(len(objects["Ce"]) + len(objects["Ci"])),
        "spikes": int(objects["spikes"].num_spikes),
        "mean_rate_hz": objects["spikes"].num_spikes / (N * duration),
    }


if __name__ == "__main__":
    sys.exit(common.main("cuba", __doc__, 1.0, build, summarise))
