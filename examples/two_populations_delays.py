"""Two populations of Izhikevich neurons joined by decaying-kernel synapses with delays.

What: population A (200 regular-spiking cells) receives three 50 ms pulses of input;
population B (200 cells, no input of its own) listens to A through synapses whose
current jumps at each spike and decays with tau = 10 ms (a decay kernel
``exp(-t/tau)``), after a conduction delay of 10 to 20 ms drawn per synapse. B answers
each volley of A, later by the delay plus the time the current needs to build up.

Why: per-synapse delays, set with a string (``"10*ms + 10*ms*rand()"``), exact to the
time step, and a synaptic kernel written as one linear equation that eqsnn integrates
exactly (method ``exact``) instead of summing exponentials over past spikes.

Run: ``python examples/two_populations_delays.py`` (``--short``: the same; it is small).
"""
import matplotlib.pyplot as plt
import numpy as np

import eqsnn as es
from eqsnn import plot
from eqsnn.models import Izhikevich
from eqsnn.units import mV, ms

from _example import save, short  # noqa: F401  (short mode: nothing to shorten)

N = 200
PULSES = [50, 250, 450]  # ms, each 50 ms long
model = Izhikevich("RS")
# Izhikevich's equations with a synaptic current s (mV, like I) that decays with tau_s.
equations = model.equations.replace("+ I)", "+ I + s)") + "\nds/dt = -s/tau_s : volt\n"
namespace = {**model.namespace, "tau_s": 10 * ms}
A = es.NeuronGroup(N, equations, threshold=model.threshold, reset=model.reset,
                   method="euler", namespace=namespace, name="A", seed=1)
B = es.NeuronGroup(N, equations, threshold=model.threshold, reset=model.reset,
                   method="euler", namespace=namespace, name="B", seed=2)
for group in (A, B):
    model.initialise(group)
    group.I = 0 * mV

link = es.Synapses(A, B, "w : volt", on_pre="s_post += w", seed=3)
link.connect(p=0.2)
link.w = "0.4*mV + 0.2*mV*rand()"
link.delay = "10*ms + 10*ms*rand()"

spikes_a, spikes_b = es.SpikeMonitor(A), es.SpikeMonitor(B)
rate_a, rate_b = es.PopulationRateMonitor(A), es.PopulationRateMonitor(B)
current = es.StateMonitor(B, "s", record=[0])
net = es.Network(A, B, link, spikes_a, spikes_b, rate_a, rate_b, current, dt=0.1 * ms, seed=4)
clock = 0
for onset in PULSES:     # pulses by successive runs: no recompile when I changes
    net.run((onset - clock) * ms)
    A.I = "8*mV + 4*mV*rand()"
    net.run(50 * ms)
    A.I = 0 * mV
    clock = onset + 50
net.run((650 - clock) * ms)

figure, axes = plt.subplots(4, 1, figsize=(10, 8), sharex=True,
                            gridspec_kw={"height_ratios": [2, 2, 1, 1.3]})
plot.raster(spikes_a, axes[0], colors=["C0"])
axes[0].set_ylabel("A: neuron")
plot.raster(spikes_b, axes[1], colors=["C1"])
axes[1].set_ylabel("B: neuron")
plot.trace(current, "s", 0, axes[2], color="C1")
axes[2].set_ylabel("s of B[0] (mV)")
plot.rate(rate_a, axes[3], label="A", color="C0", width=5 * ms)
plot.rate(rate_b, axes[3], label="B", color="C1", width=5 * ms)
axes[3].legend()
for ax in axes:
    for onset in PULSES:
        ax.axvspan(onset, onset + 50, color="0.92", zorder=0)
for ax in axes[:3]:
    ax.set_xlabel("")
figure.suptitle("Two populations, decaying synaptic current, delays of 10-20 ms")
figure.tight_layout()

# Lag of B behind A: the shift that best aligns the two population rates.
a = rate_a.smooth_rate(5 * ms).magnitude
b = rate_b.smooth_rate(5 * ms).magnitude
shifts = np.arange(0, 600)  # steps of 0.1 ms: 0 to 60 ms
overlap = [np.dot(a[: a.size - k], b[k:]) for k in shifts]
save(figure, "two_populations_delays",
     a_spikes=int(spikes_a.num_spikes), b_spikes=int(spikes_b.num_spikes),
     lag_ms=float(shifts[int(np.argmax(overlap))] * 0.1),
     delay_min_ms=float(link.delay.to("ms").magnitude.min()),
     delay_max_ms=float(link.delay.to("ms").magnitude.max()),
     b_spikes_outside_pulses_plus_80ms=int(sum(
         np.sum((spikes_b.t_ >= (o + 130) / 1e3) & (spikes_b.t_ < (o + 200) / 1e3))
         for o in PULSES)))
