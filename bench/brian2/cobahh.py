#!/usr/bin/python3
"""Brian2's COBAHH example (benchmark 3 of Brette et al. 2007: Hodgkin-Huxley-type neurons with
Traub & Miles kinetics and exponential conductances), as in Brian2's examples/COBAHH.py, with a
spike monitor instead of its three voltage traces: the same network as bench/cobahh.snn.

Usage: cobahh.py numpy|cython|cpp_standalone [--duration S] [--seed N]; prints JSON (common.py
says what each timing is).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, Network, Equations, ms, mV, nS,  # noqa: E402
                    umetre, ufarad, cm, siemens, msiemens)

N, N_E = 4000, 3200


def build():
    area = 20000 * umetre**2
    Cm = (1 * ufarad * cm**-2) * area
    gl = (5e-5 * siemens * cm**-2) * area
    El = -60 * mV
    EK = -90 * mV
    ENa = 50 * mV
    g_na = (100 * msiemens * cm**-2) * area
    g_kd = (30 * msiemens * cm**-2) * area
    VT = -63 * mV
    taue = 5 * ms
    taui = 10 * ms
    Ee = 0 * mV
    Ei = -80 * mV
    we = 6 * nS  # excitatory synaptic weight
    wi = 67 * nS  # inhibitory synaptic weight
    eqs = Equations("""
    dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-
             g_na*(m*m*m)*h*(v-ENa)-
             g_kd*(n*n*n*n)*(v-EK))/Cm : volt
    dm/dt = alpha_m*(1-m)-beta_m*m : 1
    dn/dt = alpha_n*(1-n)-beta_n*n : 1
    dh/dt = alpha_h*(1-h)-beta_h*h : 1
    dge/dt = -ge*(1./taue) : siemens
    dgi/dt = -gi*(1./taui) : siemens
    alpha_m = 0.32*(mV**-1)*(13*mV-v+VT)/
             (exp((13*mV-v+VT)/(4*mV))-1.)/ms : Hz
    beta_m = 0.28*(mV**-1)*(v-VT-40*mV)/
            (exp((v-VT-40*mV)/(5*mV))-1)/ms : Hz
    alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
    beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
    alpha_n = 0.032*(mV**-1)*(15*mV-v+VT)/
             (exp((15*mV-v+VT)/(5*mV))-1.)/ms : Hz
    beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
    """)
    namespace = dict(locals())
    P = NeuronGroup(N, model=eqs, threshold="v>-20*mV", refractory=3 * ms,
                    method="exponential_euler", namespace=namespace)
    Pe = P[:N_E]
    Pi = P[N_E:]
    Ce = Synapses(Pe, P, on_pre="ge+=we", namespace=namespace)
    Ci = Synapses(Pi, P, on_pre="gi+=wi", namespace=namespace)
    Ce.connect(p=0.02)
    Ci.connect(p=0.02)
    P.v = "El + (randn() * 5 - 5)*mV"
    P.ge = "(randn() * 1.5 + 4) * 10.*nS"
    P.gi = "(randn() * 12 + 20) * 10.*nS"
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
    sys.exit(common.main("cobahh", __doc__, 1.0, build, summarise))
