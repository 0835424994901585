"""The two network benchmarks of Brette et al. (2007): CUBA (current-based LIF) and
COBAHH (conductance-based Hodgkin–Huxley-type cells), 4000 neurons each.

What: CUBA (Vogels & Abbott 2005): 3200 excitatory and 800 inhibitory leaky
integrate-and-fire neurons, connected at random with probability 2 %, exponentially
decaying synaptic currents; the network sustains asynchronous irregular firing at about
6 Hz. COBAHH: the same architecture with Traub–Miles cells (the built-in
``TraubMiles`` model) and conductance synapses (6 nS excitatory, 67 nS inhibitory);
it settles into self-sustained activity of a few tens of Hz (the test suite runs it as
Brian2's example does — dt 0.1 ms, gates starting at 0 — and compares it with Brian2:
35.5 ± 3.3 Hz over 24 seeds, eqsnn 35.6 ± 2.6 Hz over 40). Top: rasters; bottom:
population rates.

Why: the standard benchmarks of simulators, as in Brian2's examples, written with the
same equations, so rates can be compared directly (the test suite compares CUBA and
COBAHH with Brian2 running the same networks).

Run: ``python examples/cuba_cobahh.py`` (``--short``: 200 ms instead of 1 s).
"""
import matplotlib.pyplot as plt
import numpy as np

import eqsnn as es
from eqsnn import plot
from eqsnn.models import TraubMiles
from eqsnn.units import mV, ms, nS, second

from _example import save, short

DURATION = 0.2 * second if short() else 1 * second
N_EXC, N_INH = 3200, 800


def cuba():
    cells = es.NeuronGroup(N_EXC + N_INH, """
        dv/dt = (ge + gi - (v - El))/taum : volt (unless refractory)
        dge/dt = -ge/taue : volt
        dgi/dt = -gi/taui : volt
        """, threshold="v > Vt", reset="v = Vr", refractory=5 * ms, method="exact",
        namespace={"taum": 20 * ms, "taue": 5 * ms, "taui": 10 * ms, "Vt": -50 * mV,
                   "Vr": -60 * mV, "El": -49 * mV}, name="cuba", seed=1)
    cells.v = "Vr + rand()*(Vt - Vr)"
    exc = es.Synapses(cells[:N_EXC], cells, on_pre="ge += 1.62*mV", seed=2)
    inh = es.Synapses(cells[N_EXC:], cells, on_pre="gi += -9*mV", seed=3)
    return cells, [exc, inh]


def cobahh():
    model = TraubMiles()
    cells = model.group(N_EXC + N_INH, name="cobahh", seed=4)
    cells.v = "El + (randn()*5 - 5)*mV"       # Brette et al.: a spread of initial voltages
    exc = es.Synapses(cells[:N_EXC], cells, on_pre="ge += 6*nS", seed=5)
    inh = es.Synapses(cells[N_EXC:], cells, on_pre="gi += 67*nS", seed=6)
    return cells, [exc, inh]


figure, axes = plt.subplots(2, 2, figsize=(12, 7), sharex=True,
                            gridspec_kw={"height_ratios": [3, 1.2]})
numbers = {}
for column, (name, build, dt) in enumerate((("CUBA", cuba, 0.1 * ms),
                                            ("COBAHH", cobahh, 0.05 * ms))):
    cells, synapses = build()
    for s in synapses:
        s.connect(p=0.02)
    spikes, rate = es.SpikeMonitor(cells), es.PopulationRateMonitor(cells)
    net = es.Network(cells, *synapses, spikes, rate, dt=dt, seed=7)
    net.run(DURATION, report_timing=True)
    plot.raster(spikes, axes[0, column], populations={"excitatory": N_EXC,
                                                      "inhibitory": N_INH}, markersize=1)
    axes[0, column].set_title(f"{name}: {sum(len(s) for s in synapses)} synapses",
                              fontsize="medium")
    axes[0, column].set_xlabel("")
    plot.rate(rate, axes[1, column], color="k")
    seconds = float(DURATION.to("second").magnitude)
    numbers[f"{name}_rate_hz"] = spikes.num_spikes / (N_EXC + N_INH) / seconds
    numbers[f"{name}_exc_rate_hz"] = float(np.sum(spikes.i < N_EXC) / N_EXC / seconds)
    numbers[f"{name}_inh_rate_hz"] = float(np.sum(spikes.i >= N_EXC) / N_INH / seconds)
    numbers[f"{name}_loop_seconds"] = net.timing["loop_seconds"]
figure.suptitle("The benchmarks of Brette et al. (2007): CUBA and COBAHH, 4000 neurons each")
figure.tight_layout()
save(figure, "cuba_cobahh", **numbers)
