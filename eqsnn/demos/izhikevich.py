"""Izhikevich (2003) neurons: 800 regular-spiking excitatory and 200 fast-spiking
inhibitory cells with heterogeneous parameters and random thalamic input."""
from __future__ import annotations

import eqsnn as es
from eqsnn.demos import DemoResult, register
from eqsnn.units import mV, ms

@register("izhikevich", "1000 Izhikevich (2003) neurons, 800 RS + 200 FS, noisy thalamic input")
def izhikevich_population(duration: float, backend: str | None, seed: int) -> DemoResult:
    n_exc, n_inh = 800, 200
    cells = es.NeuronGroup(
        n_exc + n_inh,
        """
        dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u)/ms + sigma*xi/sqrt(ms) : volt
        du/dt = a*(b*v - u)/ms : volt
        a : 1
        b : 1
        c : volt
        d : volt
        sigma : volt
        """,
        threshold="v >= 30*mV", reset="v = c; u += d", method="euler",
        name="izhikevich", seed=seed)
    exc, inh = cells[:n_exc], cells[n_exc:]
    # Heterogeneity as in Izhikevich (2003): r uniform in [0, 1) per neuron.
    exc.a, exc.b = 0.02, 0.2
    exc.c = "-65*mV + 15*mV*rand()**2"
    exc.d = "8*mV - 6*mV*rand()**2"
    inh.a = "0.02 + 0.08*rand()"
    inh.b = "0.25 - 0.05*rand()"
    inh.c, inh.d = -65 * mV, 2 * mV
    exc.sigma, inh.sigma = 5 * mV, 2 * mV
    cells.v = -65 * mV
    cells.u = "b*v"
    spikes = es.SpikeMonitor(cells)
    trace = es.StateMonitor(cells, "v", record=[0])
    rate = es.PopulationRateMonitor(cells)
    net = es.Network(cells, spikes, trace, rate, dt=0.1 * ms, seed=seed, backend=backend)
    net.run(duration * es.units.second)
    return DemoResult("Izhikevich (2003): 800 RS + 200 FS neurons, noisy input", net,
                      spikes=spikes, trace=trace, rate=rate, neurons=cells.N,
                      populations={"RS (excitatory)": n_exc, "FS (inhibitory)": n_inh},
                      trace_label="neuron 0 (RS)")
