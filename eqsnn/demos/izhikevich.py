"""Izhikevich (2003): 800 excitatory and 200 inhibitory neurons, all-to-all connected,
driven by random thalamic input — the network of the paper's Fig. 3, whose rhythms
(delta/alpha and gamma-like bursts of synchrony) come out of the connectivity.

The parameters follow the paper: excitatory cells range from regular spiking to
chattering (``r`` uniform in [0, 1): ``c = -65 + 15 r²``, ``d = 8 - 6 r²``), inhibitory
cells from fast spiking to low-threshold spiking (``a = 0.02 + 0.08 r``,
``b = 0.25 - 0.05 r``); weights are ``0.5 rand()`` mV from excitatory and
``-rand()`` mV from inhibitory cells; the thalamic input, ``5 randn()`` (exc) and
``2 randn()`` (inh) per millisecond in the paper, is white noise of the same size.
"""
from __future__ import annotations

import numpy as np

import eqsnn as es
from eqsnn.demos import DemoResult, register
from eqsnn.units import mV, ms

_EQUATIONS = """
dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u)/ms + sigma*xi/sqrt(ms) : volt
du/dt = a*(b*v - u)/ms : volt
a : 1
b : 1
c : volt
d : volt
sigma : volt
"""


@register("izhikevich", "Izhikevich (2003) network: 800 exc + 200 inh neurons, all-to-all, "
                        "thalamic noise")
def izhikevich_network(duration: float, backend: str | None, seed: int) -> DemoResult:
    n_exc, n_inh = 800, 200
    rng = np.random.default_rng(seed)
    cells = es.NeuronGroup(n_exc + n_inh, _EQUATIONS, threshold="v >= 30*mV",
                           reset="v = c; u += d", method="euler", name="izhikevich",
                           seed=seed)
    exc, inh = cells[:n_exc], cells[n_exc:]
    r_exc, r_inh = rng.random(n_exc), rng.random(n_inh)
    exc.a, exc.b = 0.02, 0.2
    exc.c = (-65 + 15 * r_exc ** 2) * mV
    exc.d = (8 - 6 * r_exc ** 2) * mV
    inh.a = 0.02 + 0.08 * r_inh
    inh.b = 0.25 - 0.05 * r_inh
    inh.c, inh.d = -65 * mV, 2 * mV
    exc.sigma, inh.sigma = 5 * mV, 2 * mV
    cells.v = -65 * mV
    cells.u = "b*v"
    synapses = es.Synapses(cells, cells, "w : volt", on_pre="v_post += w", seed=seed)
    synapses.connect()
    synapses.w = "(0.5*mV*(i < 800) - 1*mV*(i >= 800))*rand()"
    spikes = es.SpikeMonitor(cells)
    trace = es.StateMonitor(cells, "v", record=[0])
    rate = es.PopulationRateMonitor(cells)
    net = es.Network(cells, synapses, spikes, trace, rate, dt=0.1 * ms, seed=seed,
                     backend=backend)
    net.run(duration * es.units.second)
    return DemoResult("Izhikevich (2003) network: 800 excitatory + 200 inhibitory neurons, "
                      "all-to-all", net, spikes=spikes, trace=trace, rate=rate,
                      neurons=cells.N, synapses=len(synapses),
                      populations={"excitatory (RS to CH)": n_exc,
                                   "inhibitory (FS to LTS)": n_inh},
                      trace_label="neuron 0 (excitatory)")
