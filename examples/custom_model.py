"""A model written from scratch: a quadratic integrate-and-fire neuron with an
adaptation current and an exponential synaptic current, with its derivation printed.

What: the equations below are not a built-in model. eqsnn parses them, checks their
units, chooses an integration method (and says why), prints how the update rule is
derived, and simulates 20 neurons driven by Poisson input through a decaying
exponential current. The figure shows one neuron's v, w and input current, the raster,
and the f-I curve of the same model (one network, one neuron per current).

Why: this is the whole point of eqsnn — a new model is a few lines of text, and what
the simulator does with them is shown, step by step, rather than hidden.

Run: ``python examples/custom_model.py`` (``--short``: 300 ms instead of 1 s).
"""
import matplotlib.pyplot as plt
import numpy as np

import eqsnn as es
from eqsnn import plot
from eqsnn.models import Model, fi_curve
from eqsnn.units import Hz, ms, mV, nA, pA, second

from _example import save, short

DURATION = 0.3 * second if short() else 1 * second

# The model, in the equation language. Units after the colon are checked: a term with
# the wrong unit is an error that points at it.
qif = Model(
    name="QIF-adaptive",
    description="quadratic integrate-and-fire with spike-triggered adaptation",
    equations="""
    dv/dt = (k*(v - v_rest)*(v - v_crit) - w + I + I_syn) / C : volt
    dw/dt = -w / tau_w : amp              # adaptation, grows at each spike
    dI_syn/dt = -I_syn / tau_syn : amp    # synaptic current, jumps at input spikes
    I : amp
    """,
    threshold="v > v_peak", reset="v = v_reset; w += b", refractory=None,
    namespace={"k": 1.5 * nA / mV ** 2 / 1000, "v_rest": -65 * mV, "v_crit": -50 * mV,
               "C": 150 * nA * ms / mV / 1000, "tau_w": 100 * ms, "tau_syn": 5 * ms,
               "v_peak": 20 * mV, "v_reset": -60 * mV, "b": 50 * pA},
    initial={"v": -65 * mV, "w": 0 * pA, "I_syn": 0 * pA})
print(qif)
print()

cells = qif.group(20)
# How the update of one time step is derived, with the method these neurons are
# simulated with (chosen by capability; the reason is printed after the run): the
# scheme, its stages with the model put in, and the update as code (es.derive(qif)
# adds the statements the compiled loop runs: units as numbers, invariants hoisted).
print(cells.state_update.derivation.to_text())
print()
cells.I = "100*pA + 10*pA*i"
inputs = es.PoissonGroup(20, 20 * Hz)
spikes = es.SpikeMonitor(cells)
record = es.StateMonitor(cells, ["v", "w", "I_syn"], record=[10])
# Input neuron k drives neuron k: each input spike adds 150 pA to I_syn, which decays.
synapses = es.Synapses(inputs, cells, "w_in : amp", on_pre="I_syn_post += w_in")
synapses.connect(j="i")
synapses.w_in = 150 * pA
net = es.Network(cells, inputs, synapses, spikes, record, dt=0.05 * ms, seed=2)
net.run(DURATION, report_timing=True)
print(cells.state_update.method, "-", cells.state_update.reason)

currents = np.linspace(0, 500, 11) * pA
curve = fi_curve(qif, currents, DURATION, transient=100 * ms)

figure = plt.figure(figsize=(11, 7))
grid = figure.add_gridspec(3, 2)
plot.trace(record, "v", 0, figure.add_subplot(grid[0, 0]), color="k")
plot.trace(record, "w", 0, figure.add_subplot(grid[1, 0]), color="C1")
plot.trace(record, "I_syn", 0, figure.add_subplot(grid[2, 0]), color="C0")
plot.raster(spikes, figure.add_subplot(grid[:2, 1]), markersize=4)
plot.fi_curve(curve, figure.add_subplot(grid[2, 1]))
figure.suptitle("A model written from scratch: QIF with adaptation and synaptic input")
figure.tight_layout()
rates = spikes.count / float(DURATION.to("second").magnitude)
save(figure, "custom_model", mean_rate_hz=float(rates.mean()), spikes=int(spikes.num_spikes),
     method=cells.state_update.method, fi_rates_hz=curve.rates.to("Hz").magnitude.tolist())
