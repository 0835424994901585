"""The Izhikevich (2003) network: 800 excitatory and 200 inhibitory neurons, all-to-all,
with random thalamic input (the paper's Fig. 3, and the network ``eqsnn demo`` runs).

What: excitatory cells range from regular spiking to chattering, inhibitory ones from
fast spiking to low-threshold spiking (parameters drawn per neuron as in the paper);
every neuron connects to every other by an instantaneous voltage jump (0.5 rand() mV
excitatory, -rand() mV inhibitory); the thalamic input is noise. Without any structure
put in by hand, the population falls into rhythms: synchronous volleys at a few Hz with
faster oscillations inside them.

Why: a million synapses and the whole time loop in one compiled module: after the
first compile this runs in well under a second. The mean rate is compared in the test
suite with Brian2 running the same network (about 9 Hz).

Run: ``python examples/izhikevich_2003_network.py`` (``--short``: 300 ms instead of 1 s).
"""
import matplotlib.pyplot as plt
import numpy as np

import eqsnn as es
from eqsnn import plot
from eqsnn.units import mV, ms, second

from _example import save, short

DURATION = 0.3 * second if short() else 1 * second
N_EXC, N_INH = 800, 200
rng = np.random.default_rng(3)

cells = es.NeuronGroup(N_EXC + N_INH, """
    dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u)/ms + sigma*xi/sqrt(ms) : volt
    du/dt = a*(b*v - u)/ms : volt
    a : 1
    b : 1
    c : volt
    d : volt
    sigma : volt
    """, threshold="v >= 30*mV", reset="v = c; u += d", method="euler", seed=3)
exc, inh = cells[:N_EXC], cells[N_EXC:]
r_exc, r_inh = rng.random(N_EXC), rng.random(N_INH)
exc.a, exc.b = 0.02, 0.2
exc.c = (-65 + 15 * r_exc ** 2) * mV        # r = 0: regular spiking; r = 1: chattering
exc.d = (8 - 6 * r_exc ** 2) * mV
inh.a = 0.02 + 0.08 * r_inh                 # r = 0: low-threshold; r = 1: fast spiking
inh.b = 0.25 - 0.05 * r_inh
inh.c, inh.d = -65 * mV, 2 * mV
exc.sigma, inh.sigma = 5 * mV, 2 * mV       # thalamic input: 5 randn() and 2 randn() per ms
cells.v = -65 * mV
cells.u = "b*v"

synapses = es.Synapses(cells, cells, "w : volt", on_pre="v_post += w", seed=3)
synapses.connect()
synapses.w = "(0.5*mV*(i < 800) - 1*mV*(i >= 800))*rand()"

spikes = es.SpikeMonitor(cells)
trace = es.StateMonitor(cells, "v", record=[0, 900])
rate = es.PopulationRateMonitor(cells)
net = es.Network(cells, synapses, spikes, trace, rate, dt=0.1 * ms, seed=3)
net.run(DURATION, report_timing=True)

figure, axes = plt.subplots(3, 1, figsize=(10, 8), sharex=True,
                            gridspec_kw={"height_ratios": [3, 1.2, 1.2]})
plot.raster(spikes, axes[0], populations={"excitatory": N_EXC, "inhibitory": N_INH})
plot.trace(trace, "v", [0, 1], axes[1], label=["excitatory cell 0", "inhibitory cell 900"])
axes[1].legend(loc="upper right", fontsize="small")
plot.rate(rate, axes[2], color="k")
for ax in axes[:2]:
    ax.set_xlabel("")
figure.suptitle("Izhikevich (2003): 1000 neurons, 1,000,000 synapses")
figure.tight_layout()

seconds = float(DURATION.to("second").magnitude)
# Rhythm: the population rate's strongest frequency between 2 and 20 Hz.
signal = rate.smooth_rate(5 * ms).magnitude - np.mean(rate.rate_)
freqs = np.fft.rfftfreq(signal.size, net._dt)
power = np.abs(np.fft.rfft(signal)) ** 2
band = (freqs >= 2) & (freqs <= 20)
save(figure, "izhikevich_2003_network", synapses=len(synapses),
     rate_hz=spikes.num_spikes / 1000 / seconds,
     exc_rate_hz=float(np.sum(spikes.i < N_EXC) / N_EXC / seconds),
     inh_rate_hz=float(np.sum(spikes.i >= N_EXC) / N_INH / seconds),
     dominant_rhythm_hz=float(freqs[band][np.argmax(power[band])]),
     loop_seconds=net.timing["loop_seconds"])
