"""Hodgkin–Huxley under a square current pulse, with its sodium, potassium and leak
currents.

What: the squid axon model of Hodgkin & Huxley (1952), in the shifted voltage
convention (rest near -65 mV), receives a 15 µA/cm² pulse from 60 to 90 ms in a 150 ms
run. The top panel shows the membrane potential, the middle one the
three ionic currents, the bottom one the gates m, h, n.

Why: it shows how a built-in model is just equation strings. The currents are not part
of the built-in model; we add them as three subexpression lines, and the monitor
records them like any variable. The pulse is made by three run() calls in a row,
changing the input between them: each run continues where the last stopped, and
changing a parameter never recompiles.

Run: ``python examples/hh_square_pulse.py`` (``--short``: the same, it is small).
"""
import matplotlib.pyplot as plt
import numpy as np

import eqsnn as es
from eqsnn import plot
from eqsnn.models import HodgkinHuxley
from eqsnn.units import cm2, ms, uA

from _example import save, short

model = HodgkinHuxley()
# The membrane currents (per unit area), written out so that they can be recorded.
currents = """
I_Na = g_Na*m**3*h*(v - E_Na) : amp/meter**2
I_K = g_K*n**4*(v - E_K) : amp/meter**2
I_L = g_l*(v - E_l) : amp/meter**2
"""
neuron = es.NeuronGroup(1, model.equations + currents, threshold=model.threshold,
                        refractory=model.refractory, method=model.method,
                        namespace=model.namespace)
model.initialise(neuron)  # v, m, h, n at their resting values, computed from the equations
record = es.StateMonitor(neuron, ["v", "I_Na", "I_K", "I_L", "I", "m", "h", "n"], record=0)
spikes = es.SpikeMonitor(neuron)
net = es.Network(neuron, record, spikes, dt=0.01 * ms)
# The pulse: no input for 60 ms, 15 uA/cm2 (model.stimulus) for 30 ms, none for 60 ms.
net.run(60 * ms)
neuron.I = model.stimulus
net.run(30 * ms)
neuron.I = 0 * uA / cm2
net.run(60 * ms)

figure, (top, middle, bottom) = plt.subplots(3, 1, figsize=(8, 8), sharex=True,
                                             gridspec_kw={"height_ratios": [2, 2, 1.3]})
plot.trace(record, "v", 0, top, color="k")
top.axvspan(60, 90, color="C1", alpha=0.15, label="15 µA/cm² pulse")
top.legend(loc="upper right")
for name, colour in (("I_Na", "C3"), ("I_K", "C0"), ("I_L", "C2")):
    plot.trace(record, name, 0, middle, unit=uA / cm2, label=name, color=colour)
middle.set_ylabel("current (µA/cm²)")
middle.legend(loc="upper right", ncol=3)
for gate, colour in (("m", "C3"), ("h", "C1"), ("n", "C0")):
    plot.trace(record, gate, 0, bottom, label=gate, color=colour)
bottom.set_ylabel("gate (open fraction)")
bottom.legend(loc="upper right", ncol=3)
for ax in (top, middle):
    ax.set_xlabel("")
figure.suptitle("Hodgkin–Huxley neuron, square current pulse of 15 µA/cm²")
figure.tight_layout()

during = spikes.t_[(spikes.t_ >= 0.060) & (spikes.t_ < 0.090)]
save(figure, "hh_square_pulse",
     spikes_during_pulse=int(during.size), spikes_outside_pulse=int(spikes.num_spikes - during.size),
     rate_during_pulse_hz=during.size / 0.030,
     peak_v_mV=float(np.max(record.v_[0]) * 1e3),
     rest_v_mV=float(record.v_[0][0] * 1e3))
