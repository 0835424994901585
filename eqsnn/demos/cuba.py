"""CUBA (Vogels & Abbott 2005, as in Brette et al. 2007 and Brian2's example): 4000
leaky integrate-and-fire neurons, 3200 excitatory and 800 inhibitory, connected at
random with probability 2 %, exponential synaptic currents — self-sustained
asynchronous irregular activity."""
from __future__ import annotations

import eqsnn as es
from eqsnn.demos import DemoResult, register
from eqsnn.units import mV, ms


@register("cuba", "CUBA benchmark: 4000 LIF neurons, p = 0.02, exponential currents")
def cuba(duration: float, backend: str | None, seed: int) -> DemoResult:
    namespace = {"taum": 20 * ms, "taue": 5 * ms, "taui": 10 * ms, "Vt": -50 * mV,
                 "Vr": -60 * mV, "El": -49 * mV}
    cells = es.NeuronGroup(4000, """
        dv/dt  = (ge + gi - (v - El))/taum : volt (unless refractory)
        dge/dt = -ge/taue : volt
        dgi/dt = -gi/taui : volt
        """, threshold="v > Vt", reset="v = Vr", refractory=5 * ms, method="exact",
        namespace=namespace, name="cuba", seed=seed)
    cells.v = "Vr + rand()*(Vt - Vr)"
    exc = es.Synapses(cells[:3200], cells, on_pre="ge += 1.62*mV", seed=seed)
    inh = es.Synapses(cells[3200:], cells, on_pre="gi += -9*mV", seed=seed + 1)
    exc.connect(p=0.02)
    inh.connect(p=0.02)
    spikes = es.SpikeMonitor(cells)
    trace = es.StateMonitor(cells, "v", record=[0])
    rate = es.PopulationRateMonitor(cells)
    net = es.Network(cells, exc, inh, spikes, trace, rate, dt=0.1 * ms, seed=seed,
                     backend=backend)
    net.run(duration * es.units.second)
    return DemoResult("CUBA: 3200 excitatory + 800 inhibitory LIF neurons, p = 0.02", net,
                      spikes=spikes, trace=trace, rate=rate, neurons=cells.N,
                      synapses=len(exc) + len(inh),
                      populations={"excitatory": 3200, "inhibitory": 800},
                      trace_label="neuron 0")
