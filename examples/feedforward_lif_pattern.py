"""A feed-forward network of leaky integrate-and-fire neurons that detects a spike
pattern through its synaptic delays (3 inputs, 2 outputs, weights and delays).

What: three input neurons fire one spike each, in a given temporal order. Each of the
two output neurons receives all three inputs through a double-exponential
synapse, with delays chosen so that one particular order makes the three currents
arrive together: output 0 is tuned to the order 0-1-2 (10 ms apart), output 1 to the
reverse order 2-1-0. One input spike alone, or three that arrive spread out, stay below
threshold; three that coincide cross it. We present pattern A (0-1-2), pattern B
(2-1-0) and a pattern with the same spikes but too slow (30 ms apart).

Why: delays exact to the time step, per synapse, and a synapse model from the library
(``eqsnn.models.synapses.DoubleExponential``) that writes a summed current into the
target — all in the one compiled loop.

Run: ``python examples/feedforward_lif_pattern.py`` (``--short``: the same; it is small).
"""
import matplotlib.pyplot as plt
import numpy as np

import eqsnn as es
from eqsnn import plot
from eqsnn.models.synapses import DoubleExponential
from eqsnn.units import ms, mV, nS, pF

from _example import save, short  # noqa: F401  (short mode: nothing to shorten)

GAP = 10.0  # ms between the spikes of a pattern
PATTERNS = {"A (0-1-2)": (50.0, [0, 1, 2], GAP), "B (2-1-0)": (150.0, [2, 1, 0], GAP),
            "slow (0-1-2)": (250.0, [0, 1, 2], 3 * GAP)}

# Input spikes: each pattern is one spike per input neuron, in the order given.
indices, times = [], []
for start, order, gap in PATTERNS.values():
    for rank, neuron in enumerate(order):
        indices.append(neuron)
        times.append(start + rank * gap)
inputs = es.SpikeGeneratorGroup(3, indices, np.array(times) * ms)

# Outputs: LIF in the capacitance form (C = 300 pF, gL = 30 nS).
outputs = es.NeuronGroup(2, """
    dv/dt = (gL*(El - v) + I_syn) / C : volt (unless refractory)
    I_syn : amp
    """, threshold="v > -55*mV", reset="v = El", refractory=2 * ms, method="exact",
    namespace={"gL": 30 * nS, "C": 300 * pF, "El": -70 * mV})
outputs.v = -70 * mV

synapses = es.Synapses(inputs, outputs, DoubleExponential(w=600))
synapses.connect()  # all 3 x 2 pairs; synapse k joins input i to output j
# Delays line the pattern up: for output 0 the input that fires first waits longest.
rank_in = {0: {0: 0, 1: 1, 2: 2}, 1: {2: 0, 1: 1, 0: 2}}  # output -> input -> rank
synapses.delay = np.array([(2 - rank_in[j][i]) * GAP + 1
                           for i, j in zip(synapses.i, synapses.j)]) * ms

spikes_in, spikes_out = es.SpikeMonitor(inputs), es.SpikeMonitor(outputs)
voltage = es.StateMonitor(outputs, ["v", "I_syn"])
net = es.Network(inputs, outputs, synapses, spikes_in, spikes_out, voltage, dt=0.05 * ms)
net.run(360 * ms)

figure, axes = plt.subplots(3, 1, figsize=(9, 7), sharex=True,
                            gridspec_kw={"height_ratios": [1, 2, 1.2]})
plot.raster(spikes_in, axes[0], markersize=10, colors=["k"])
axes[0].set_ylabel("input")
plot.trace(voltage, "v", [0, 1], axes[1], label=["output 0 (tuned to A)",
                                                  "output 1 (tuned to B)"])
axes[1].axhline(-55, color="grey", ls=":", lw=1)
for t in spikes_out.t_[spikes_out.i == 0] * 1e3:
    axes[1].plot(t, -50, "v", color="C0")
for t in spikes_out.t_[spikes_out.i == 1] * 1e3:
    axes[1].plot(t, -50, "v", color="C1")
axes[1].legend(loc="upper right")
plot.trace(voltage, "I_syn", [0, 1], axes[2])
axes[0].set_ylim(-0.5, 3.3)
for name, (start, _, _) in PATTERNS.items():
    axes[0].annotate(f"pattern {name}", (start, 2.6), fontsize="small")
for ax in axes[:2]:
    ax.set_xlabel("")
figure.suptitle("Feed-forward LIF network: delays make each output detect one spike order")
figure.tight_layout()


def fired(output, start):
    window = (spikes_out.t_ >= start / 1e3) & (spikes_out.t_ < (start + 90) / 1e3)
    return int(np.sum(window & (spikes_out.i == output)))


save(figure, "feedforward_lif_pattern",
     **{f"output{k}_after_{name.split()[0]}": fired(k, start)
        for k in (0, 1) for name, (start, _, _) in PATTERNS.items()},
     delays_ms=(synapses.delay.to("ms").magnitude).tolist())
