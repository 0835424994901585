"""A random network of excitatory and inhibitory neurons whose excitatory synapses
learn by STDP: raster and mean excitatory weight over time.

What: 400 excitatory and 100 inhibitory leaky integrate-and-fire neurons, connected at
random (p = 0.1) with exponentially decaying currents, driven by 200 Poisson inputs.
The excitatory-to-excitatory synapses follow additive pair STDP (Song, Miller & Abbott
2000; ``eqsnn.models.stdp.PairAdditive``), with depression slightly stronger than
potentiation. Additive STDP drives each weight away from the middle, so the
distribution spreads towards the bounds 0 and wmax; the mean changes little, because
the network's synchronous bursts (pre shortly before post) favour potentiation enough
to offset depression's edge.

Why: a plasticity rule from the library, written as equation strings with
``(event-driven)`` traces, runs inside the compiled loop together with the static
synapses. The run is split into 50 ms pieces (each ``run()`` continues where the last
stopped) to read the weights between them.

Run: ``python examples/ei_network_stdp.py`` (``--short``: 1 s of network time instead of 10 s).
"""
import matplotlib.pyplot as plt
import numpy as np

import eqsnn as es
from eqsnn import plot
from eqsnn.models.stdp import PairAdditive
from eqsnn.units import Hz, ms, mV, second

from _example import save, short

DURATION = 1 * second if short() else 10 * second
PIECE = 50 * ms
N_EXC, N_INH = 400, 100

cells = es.NeuronGroup(N_EXC + N_INH, """
    dv/dt = (El - v + ge - gi) / taum : volt (unless refractory)
    dge/dt = -ge / taue : volt
    dgi/dt = -gi / taui : volt
    """, threshold="v > -50*mV", reset="v = -60*mV", refractory=5 * ms, method="exact",
    namespace={"El": -60 * mV, "taum": 20 * ms, "taue": 5 * ms, "taui": 10 * ms},
    seed=1)
cells.v = "-60*mV + 10*mV*rand()"
exc, inh = cells[:N_EXC], cells[N_EXC:]

inputs = es.PoissonGroup(200, 15 * Hz)
feed = es.Synapses(inputs, cells, on_pre="ge_post += 3*mV", seed=2)
feed.connect(p=0.2)
# Plastic excitatory-to-excitatory synapses: weights start uniform in [0, wmax].
stdp = PairAdditive(target="ge", unit="volt", wmax=2 * mV, Apre=0.05 * mV,
                    Apost=-0.0525 * mV)
ee = es.Synapses(exc, exc, stdp, seed=3)
ee.connect("i != j", p=0.1)
ei = es.Synapses(exc, inh, on_pre="ge_post += 1*mV", seed=4)
ei.connect(p=0.1)
ie = es.Synapses(inh, cells, on_pre="gi_post += 4*mV", seed=5)
ie.connect(p=0.1)

spikes = es.SpikeMonitor(cells)
rate = es.PopulationRateMonitor(exc)
net = es.Network(cells, inputs, feed, ee, ei, ie, spikes, rate, seed=6)
initial_weights = ee.w.to("mV").magnitude.copy()
times, weights = [0.0], [ee.w_.copy()]
for _ in range(int(round(float(DURATION / PIECE)))):
    net.run(PIECE)
    times.append(net.t_)
    weights.append(ee.w_.copy())
weights = np.array(weights).T  # (synapses, times)

figure = plt.figure(figsize=(11, 7))
grid = figure.add_gridspec(2, 2, height_ratios=[2, 1.2])
window = min(1.0, float(DURATION.to("second").magnitude))
ax = plot.raster(spikes, figure.add_subplot(grid[0, :]),
                 populations={"excitatory": N_EXC, "inhibitory": N_INH})
ax.set_xlim(net.t_ * 1e3 - window * 1e3, net.t_ * 1e3)
ax.set_title(f"the last {window:g} s", fontsize="small")
plot.weight_over_time((np.array(times), weights * 1e3 * mV), figure.add_subplot(grid[1, 0]),
                      individual=20, unit="mV")
ax = plot.weights(initial_weights * mV, figure.add_subplot(grid[1, 1]), bins=30,
                  color="0.7", label="start")
plot.weights(ee.w, ax, bins=30, color="C0", label="end")
ax.legend()
figure.suptitle(f"E/I network with STDP on the excitatory synapses ({len(ee)} plastic synapses)")
figure.tight_layout()
seconds = float(DURATION.to("second").magnitude)
save(figure, "ei_network_stdp", plastic_synapses=len(ee),
     exc_rate_hz=float(np.sum(spikes.i < N_EXC) / N_EXC / seconds),
     inh_rate_hz=float(np.sum(spikes.i >= N_EXC) / N_INH / seconds),
     mean_weight_start_mV=float(initial_weights.mean()),
     mean_weight_end_mV=float(ee.w.to("mV").magnitude.mean()),
     weight_sd_start_mV=float(initial_weights.std()),
     weight_sd_end_mV=float(ee.w.to("mV").magnitude.std()))
