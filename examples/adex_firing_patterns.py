"""Adaptive exponential integrate-and-fire (AdEx) neurons: regular-spiking (RS),
intrinsically bursting (IB) and chattering (CH) cells at three input currents, and the
eight firing patterns of Naud et al. (2008).

What: two figures. ``adex_cell_types.png``: rows RS, IB, CH (three of Naud's
parameter sets, named by cell type), columns a step current of 250, 350 and 450 pA. ``adex_naud_patterns.png``: the
eight patterns of Naud, Marcille, Clopath & Gerstner (2008), each preset driven by the
step current the paper uses for it (``model.stimulus``).

Why: one equation string, eleven parameter sets. Parameters are data: after the first
network is compiled, the others (same equations, other values) load the cached module
and never compile again. The spike counts and first-spike latencies printed at the end
tell the patterns apart in numbers, not only by eye.

Run: ``python examples/adex_firing_patterns.py`` (``--short``: 250 ms instead of 500 ms).
"""
import matplotlib.pyplot as plt
import numpy as np

import eqsnn as es
from eqsnn.models import AdEx, NAUD_PATTERNS
from eqsnn.units import ms, pA

from _example import save, short

DURATION = 250 * ms if short() else 500 * ms
ONSET = 20 * ms  # the step starts after a short baseline, as in the paper's figures


def simulate(model, currents):
    """Neurons of ``model``, one per current, stepped on at ONSET: times, v (mV), spikes."""
    cells = model.group(len(currents))
    record = es.StateMonitor(cells, "v")
    spikes = es.SpikeMonitor(cells)
    net = es.Network(cells, record, spikes, dt=0.05 * ms)
    net.run(ONSET)
    cells.I = currents
    net.run(DURATION - ONSET)
    v = record.v_ * 1e3
    # Draw each spike up to +20 mV: the integration stops at V_peak = 0 mV, and a
    # spike drawn at its peak is what a reader of the paper's figures expects.
    for k, t in zip(spikes.i, spikes.t_):
        v[k, np.searchsorted(record.t_, t) - 1] = 20.0
    return record.t_ * 1e3, v, spikes


numbers = {}
# --- Figure 1: RS, IB, CH cells at three currents ----- --------------------------------
currents = [250, 350, 450] * pA
figure, axes = plt.subplots(3, 3, figsize=(11, 7), sharex=True, sharey=True)
for row, cell in enumerate(["RS", "IB", "CH"]):
    t, v, spikes = simulate(AdEx(cell), currents)
    for col in range(3):
        ax = axes[row, col]
        ax.plot(t, v[col], lw=0.8, color=f"C{row}")
        count = int(np.sum(spikes.i == col))
        numbers[f"{cell}_{int(currents[col].magnitude)}pA_spikes"] = count
        ax.set_title(f"{cell}, {currents[col].magnitude:g} pA: {count} spikes", fontsize="small")
    axes[row, 0].set_ylabel("v (mV)")
for ax in axes[-1]:
    ax.set_xlabel("time (ms)")
figure.suptitle("AdEx regular-spiking, intrinsically bursting and chattering cells, "
                "step current from 20 ms")
figure.tight_layout()
save(figure, "adex_cell_types")

# --- Figure 2: Naud et al. (2008) -----------------------------------------------------
figure, axes = plt.subplots(4, 2, figsize=(11, 9), sharex=True)
for ax, (pattern, description) in zip(axes.T.ravel(), NAUD_PATTERNS.items()):
    model = AdEx(pattern)
    t, v, spikes = simulate(model, [model.stimulus.to("pA").magnitude] * pA)
    times = spikes.t_ * 1e3 - ONSET.magnitude
    isi = np.diff(times)
    numbers[f"{pattern}_spikes"] = int(times.size)
    numbers[f"{pattern}_first_spike_ms"] = float(times[0]) if times.size else None
    numbers[f"{pattern}_isi_cv"] = float(np.std(isi) / np.mean(isi)) if isi.size > 1 else None
    ax.plot(t, v[0], lw=0.8, color="k")
    ax.set_title(f"{pattern} ({model.stimulus.to('pA'):~P}): {description.split(':')[0]}",
                 fontsize="small")
    ax.set_ylabel("v (mV)")
for ax in axes[-1]:
    ax.set_xlabel("time (ms)")
figure.suptitle("The eight AdEx firing patterns of Naud et al. (2008)")
figure.tight_layout()
save(figure, "adex_naud_patterns", **numbers)
