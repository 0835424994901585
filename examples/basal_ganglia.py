"""A seven-population model of the basal ganglia loop: cortex,
striatum D1 and D2, external globus pallidus (GPe), subthalamic nucleus (STN), internal
globus pallidus / substantia nigra reticulata (GPi), and thalamus.

What: 100 Izhikevich neurons per population, connected at random (p = 0.15) by voltage
jumps with delays, following the classic circuit: cortex excites striatum and STN;
D1 cells inhibit GPi (the direct pathway), D2 cells inhibit GPe (indirect), GPe
inhibits STN and GPi, STN excites GPe and GPi, GPi inhibits the thalamus, and the
thalamus excites cortex. GPi fires tonically and holds the thalamus down. From 200 to
400 ms the cortical drive is raised (a "go" signal): striatal D1 cells fire in volleys
that pause GPi, and in those pauses the thalamus fires — the direct pathway's
disinhibition (modest here: GPi's rate drops by a fifth, the thalamus's rises by half).

Why: many populations with different parameter sets in one group (subgroups share one
compiled update), several Synapses objects with delays, and a change of input between
runs without recompiling.

Run: ``python examples/basal_ganglia.py`` (``--short``: the same 600 ms; it is small).
"""
import matplotlib.pyplot as plt
import numpy as np

import eqsnn as es
from eqsnn import plot
from eqsnn.units import mV, ms

from _example import save, short  # noqa: F401  (short mode: nothing to shorten)

SIZE = 100
# population: (a, b, c, d) of Izhikevich (2003) and its baseline input I (mV)
POPULATIONS = {
    "cortex": ((0.02, 0.2, -65, 8), 3.0),          # regular spiking, weakly driven
    "striatum D1": ((0.02, 0.2, -65, 8), 0.0),     # silent without cortical drive
    "striatum D2": ((0.02, 0.2, -65, 8), 0.0),
    "GPe": ((0.1, 0.2, -65, 2), 6.0),              # fast spiking, tonically active
    "STN": ((0.02, 0.2, -65, 8), 5.0),
    "GPi": ((0.1, 0.2, -65, 2), 6.0),              # fast spiking, tonically active
    "thalamus": ((0.02, 0.2, -65, 8), 6.0),        # relay cells, driven, held down by GPi
}
# (source, target): weight in mV (negative: inhibitory), delay in ms
CONNECTIONS = {
    ("cortex", "striatum D1"): (6.0, 5), ("cortex", "striatum D2"): (1.5, 5),
    ("cortex", "STN"): (1.0, 3),
    ("striatum D1", "GPi"): (-15.0, 4), ("striatum D2", "GPe"): (-3.0, 4),
    ("GPe", "STN"): (-1.0, 3), ("GPe", "GPi"): (-1.0, 3),
    ("STN", "GPe"): (0.5, 2), ("STN", "GPi"): (0.5, 2),
    ("GPi", "thalamus"): (-4.0, 2), ("thalamus", "cortex"): (0.5, 5),
}

names = list(POPULATIONS)
brain = es.NeuronGroup(SIZE * len(names), """
    dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u + I)/ms + 2*mV*xi/sqrt(ms) : volt
    du/dt = a*(b*v - u)/ms : volt
    a : 1
    b : 1
    c : volt
    d : volt
    I : volt
    """, threshold="v >= 30*mV", reset="v = c; u += d", method="euler", seed=1)
part = {name: brain[k * SIZE:(k + 1) * SIZE] for k, name in enumerate(names)}
for name, ((a, b, c, d), current) in POPULATIONS.items():
    group = part[name]
    group.a, group.b, group.c, group.d = a, b, c * mV, d * mV
    group.I = current * mV
brain.v = "-65*mV + 5*mV*rand()"
brain.u = "b*v"

pathways = []
for k, ((source, target), (weight, delay)) in enumerate(CONNECTIONS.items()):
    synapses = es.Synapses(part[source], part[target], on_pre=f"v_post += {weight}*mV",
                           delay=delay * ms, seed=10 + k)
    synapses.connect(p=0.15)
    pathways.append(synapses)

spikes = es.SpikeMonitor(brain)
rates = {name: es.PopulationRateMonitor(part[name]) for name in names}
net = es.Network(brain, *pathways, spikes, *rates.values(), dt=0.1 * ms, seed=1)
net.run(200 * ms)
part["cortex"].I = 12 * mV          # the "go" signal
net.run(200 * ms)
part["cortex"].I = POPULATIONS["cortex"][1] * mV
net.run(200 * ms)

figure, axes = plt.subplots(2, 1, figsize=(10, 9), sharex=True,
                            gridspec_kw={"height_ratios": [3, 2]})
plot.raster(spikes, axes[0], populations={name: SIZE for name in names}, markersize=2)
axes[0].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", markerscale=4)
for k, name in enumerate(names):
    plot.rate(rates[name], axes[1], width=20 * ms, label=name, color=f"C{k}")
axes[1].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
for ax in axes:
    ax.axvspan(200, 400, color="0.9", zorder=0)
axes[0].set_xlabel("")
figure.suptitle("Basal ganglia loop: a cortical 'go' signal (grey) releases the thalamus")
figure.tight_layout()


def rate(name, start, stop):
    k = names.index(name)
    chosen = (spikes.i >= k * SIZE) & (spikes.i < (k + 1) * SIZE) & \
        (spikes.t_ >= start / 1e3) & (spikes.t_ < stop / 1e3)
    return float(np.sum(chosen) / SIZE / ((stop - start) / 1e3))


save(figure, "basal_ganglia",
     **{f"{name}_before_hz": rate(name, 50, 200) for name in names},
     **{f"{name}_go_hz": rate(name, 250, 400) for name in names})
