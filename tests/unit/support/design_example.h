// The E-I network of the language design (../shared/LANGUAGE.md, section 1), as one source
// text shared by the parser and checker tests: the example every user starts from must parse
// into the expected tree and check without diagnostics.
#pragma once

namespace snn::testing {

inline constexpr const char* kDesignExample =
    R"snn(// examples/ei_network.snn — 400 excitatory and 100 inhibitory LIF neurons
import "stdlib/neurons.snn"            // LIF, AdEx, HH, Izhikevich, ...

neuron LIF {
    parameters {
        tau     = 20 ms
        V_rest  = -70 mV
        V_th    = -50 mV
        V_reset = -60 mV
    }
    state {
        V     : volt = V_rest
        I_ext : volt = 0 mV            // set by the experiment
        I_syn : volt = 0 mV            // written by synapses
    }
    equations {
        dV/dt = (-(V - V_rest) + I_ext + I_syn) / tau   (unless refractory)
    }
    threshold V >= V_th
    reset { V = V_reset }
    refractory 2 ms
    method euler                       // optional; default is chosen (section 4)
}

experiment ei_network {
    dt   = 0.1 ms
    seed = 42

    population E = LIF[400] { V = V_rest + rand() * 10 mV;  I_ext = 5 mV }
    population I = LIF[100](tau = 10 ms) { V = V_rest + rand() * 10 mV }

    connect E -> E { p = 0.05 if i != j;  delay = 1 ms;  on pre { I_syn += 0.5 mV } }
    connect E -> I { p = 0.10;            delay = 1 ms;  on pre { I_syn += 1.0 mV } }
    connect I -> E { p = 0.25;            delay = 1 ms;  on pre { I_syn -= 2.0 mV } }

    record spikes(E), spikes(I), rate(E)

    run 500 ms

    print "Mean E rate: {mean_rate(E):.1f} Hz"
    plot raster(E, I) to "ei_network.svg"
    plot rate(E, smooth = gaussian(20 ms)) to "ei_rate.svg"
}
)snn";

}  // namespace snn::testing
