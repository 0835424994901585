"""1000 Izhikevich neurons, all-to-all, with random normal weights, decaying synaptic
currents and constant input.

What: a classic teaching network: 1000 regular-spiking Izhikevich neurons, fully
interconnected, with a synaptic decay kernel ``exp(-t/20)`` and a constant external
input of 5. Here the kernel is a synaptic current that jumps at each spike and decays
with tau = 20 ms, the weights are drawn from a normal distribution (mean 0: as much
inhibition as excitation on average), and every neuron gets I = 5 (in the model's mV
units). The figure shows the raster, two neurons and the population rate.

Why: a direct implementation computes the kernel's sum over the last 50 ms of spikes at every step
(``howfar = 50``); as an equation, the same current costs one multiplication per neuron
per step and has no cut-off. The weights are per-synapse data set with a string.

Run: ``python examples/izhikevich_normal_weights.py`` (``--short``: 300 ms instead of 1 s).
"""
import matplotlib.pyplot as plt
import numpy as np

import eqsnn as es
from eqsnn import plot
from eqsnn.models import Izhikevich
from eqsnn.units import mV, ms, second

from _example import save, short

DURATION = 0.3 * second if short() else 1 * second
N = 1000
model = Izhikevich("RS")
# The built-in model's equations plus a decaying synaptic current I_syn (in mV, like I).
cells = es.NeuronGroup(N, model.equations.replace("+ I)", "+ I + I_syn)") + """
    dI_syn/dt = -I_syn/tau_syn : volt
    """, threshold=model.threshold, reset=model.reset, method="euler",
    namespace={**model.namespace, "tau_syn": 20 * ms}, seed=4)
model.initialise(cells)
cells.I = 5 * mV                                 # a constant input of 5 (mV units)
cells.v = "-65*mV + 10*mV*rand()"                # start unsynchronised

synapses = es.Synapses(cells, cells, "w : volt", on_pre="I_syn_post += w", seed=4)
synapses.connect("i != j")
synapses.w = "0.12*mV*randn()"                   # random normal weights, mean 0

spikes = es.SpikeMonitor(cells)
trace = es.StateMonitor(cells, ["v", "I_syn"], record=[0, 1])
rate = es.PopulationRateMonitor(cells)
net = es.Network(cells, synapses, spikes, trace, rate, dt=0.1 * ms, seed=4)
net.run(DURATION)

figure, axes = plt.subplots(4, 1, figsize=(10, 9), sharex=True,
                            gridspec_kw={"height_ratios": [3, 1.3, 1, 1]})
plot.raster(spikes, axes[0])
plot.trace(trace, "v", [0, 1], axes[1], label=["neuron 0", "neuron 1"])
axes[1].legend(loc="upper right", fontsize="small")
plot.trace(trace, "I_syn", [0, 1], axes[2])
plot.rate(rate, axes[3], color="k")
for ax in axes[:3]:
    ax.set_xlabel("")
figure.suptitle("1000 Izhikevich RS neurons, all-to-all, normal weights, decaying "
                "synaptic current")
figure.tight_layout()
seconds = float(DURATION.to("second").magnitude)
counts = spikes.count
save(figure, "izhikevich_normal_weights", synapses=len(synapses),
     weight_mean_mV=float(synapses.w.to("mV").magnitude.mean()),
     weight_sd_mV=float(synapses.w.to("mV").magnitude.std()),
     rate_hz=spikes.num_spikes / N / seconds,
     rate_cv_across_neurons=float(np.std(counts) / max(np.mean(counts), 1e-9)))
