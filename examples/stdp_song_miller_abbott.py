"""Competitive Hebbian learning with spike-timing-dependent plasticity (Song, Miller &
Abbott 2000): 1000 Poisson inputs at 15 Hz onto one integrate-and-fire neuron.

What: every input excites the neuron through a conductance whose weight follows additive
pair STDP (the built-in ``eqsnn.models.stdp.PairAdditive``): a presynaptic spike before
a postsynaptic one strengthens the synapse, the reverse weakens it, and depression is
slightly stronger than potentiation. Weights start uniform in [0, wmax]. After 100 s of
model time they have split into two groups: most near 0, many near wmax, few between —
the bimodal distribution of the paper's Fig. 1. The figure shows the STDP window,
the weight histogram at the start and at the end, and the output rate over time.

Why: it is the classic test of a plasticity implementation, and it needs what eqsnn's
synapses provide: traces that are ``(event-driven)`` (advanced exactly only when a spike
arrives), ``on_pre``/``on_post`` code, weight bounds, and a loop that stays compiled for
a million steps (the 100 s run takes a few seconds).

Run: ``python examples/stdp_song_miller_abbott.py`` (``--short``: 20 s of model time).
"""
import matplotlib.pyplot as plt
import numpy as np

import eqsnn as es
from eqsnn.models import stdp
from eqsnn.units import Hz, mV, ms, second

from _example import save, short

DURATION = (20 if short() else 100) * second
N_INPUTS, RATE = 1000, 15 * Hz

neuron = es.NeuronGroup(1, """
    dv/dt = (ge*(Ee - v) + El - v)/taum : volt
    dge/dt = -ge/taue : 1
    """, threshold="v > vt", reset="v = vr", method="euler",
    namespace={"taum": 10 * ms, "Ee": 0 * mV, "vt": -54 * mV, "vr": -60 * mV,
               "El": -74 * mV, "taue": 5 * ms})
neuron.v = -74 * mV
inputs = es.PoissonGroup(N_INPUTS, RATE, seed=1)
rule = stdp.PairAdditive(target="ge")        # wmax = 0.01, Apost = -1.05 Apre
synapses = es.Synapses(inputs, neuron, rule, seed=1)
synapses.connect()                           # w starts at rand()*wmax (the rule's default)
wmax = rule.namespace["wmax"]
w_start = synapses.w_ / wmax
output = es.SpikeMonitor(neuron)
net = es.Network(inputs, neuron, synapses, output, seed=1)
net.run(DURATION, report_timing=True)
w_end = synapses.w_ / wmax

figure, (window_ax, hist_ax, rate_ax) = plt.subplots(1, 3, figsize=(13, 3.8))
offsets = np.linspace(-0.05, 0.05, 201)
window_ax.plot(offsets * 1e3, stdp.pair_window(offsets) / wmax, color="k")
window_ax.axhline(0, color="0.7", lw=0.8)
window_ax.set(xlabel="t_post - t_pre (ms)", ylabel="Δw / wmax", title="pair STDP window")
bins = np.linspace(0, 1, 21)
hist_ax.hist(w_start, bins, alpha=0.5, label="start")
hist_ax.hist(w_end, bins, alpha=0.8, label=f"after {DURATION.to('second').magnitude:g} s")
hist_ax.set(xlabel="w / wmax", ylabel="synapses", title="weights")
hist_ax.legend()
seconds = DURATION.to("second").magnitude
edges = np.arange(0, seconds + 1e-9, 1.0)
counts, _ = np.histogram(output.t_, edges)
rate_ax.plot(edges[:-1], counts, color="k")
rate_ax.set(xlabel="time (s)", ylabel="output rate (Hz)", title="postsynaptic rate")
figure.tight_layout()

histogram = np.histogram(w_end, bins=10, range=(0, 1))[0]
save(figure, "stdp_song_miller_abbott",
     duration_s=seconds,
     fraction_below_10pct=float(np.mean(w_end < 0.1)),
     fraction_above_90pct=float(np.mean(w_end > 0.9)),
     histogram_deciles=histogram.tolist(),
     start_histogram_deciles=np.histogram(w_start, bins=10, range=(0, 1))[0].tolist(),
     first_second_rate_hz=float(counts[0]), last_second_rate_hz=float(counts[-1]),
     loop_seconds=net.timing["loop_seconds"])
