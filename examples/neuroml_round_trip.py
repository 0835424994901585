"""NeuroML in, NeuroML out, recordings out: a published model imported, an eqsnn network
exported and imported back, and the recordings written for Neo and NWB readers.

What: (1) the Pinsky & Rinzel (1994) two-compartment CA3 cell, read from a NeuroML 2
document (tests/neuroml/data/PinskyRinzel1994.nml: NeuroML's pinskyRinzelCA3Cell with
the parameters of their Fig. 2A), bursting under a steady somatic current; its
equations are translated from NeuroML's own definition of the cell, not retyped.
(2) a small eqsnn network (a driven LIF cell and three targets through exponential
synaptic currents of three weights and delays) exported to NeuroML 2 / LEMS files,
imported back, and run again: the same spikes. (3) both runs' recordings as a Neo
block and an NWB file, read back.

Why: a model written elsewhere runs in eqsnn without being retyped, a model written
in eqsnn runs elsewhere (jNeuroML, and through pyNeuroML's exporters NEURON or
NetPyNE), and recordings go where the analysis tools read them.

Run: python examples/neuroml_round_trip.py [--short]   (needs: pip install
"eqsnn[neuroml,recordings]")
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import eqsnn as es
from eqsnn import models
from eqsnn.neuroml import load, write
from eqsnn.recordings import read_nwb, to_neo, write_nwb
from eqsnn.units import Mohm, ms, mV, nA

from _example import save, short

DOCUMENT = Path(__file__).resolve().parent.parent / "tests/neuroml/data/PinskyRinzel1994.nml"
DURATION = (150 if short() else 600) * ms


def pinsky_rinzel():
    """Import the published cell and record both compartments."""
    model = load(DOCUMENT, dt=0.01 * ms)      # forward Euler, as jNeuroML integrates
    cell = model.groups["pyramidal"]
    print("Pinsky-Rinzel, as eqsnn equations:")
    print("\n".join("  " + line for line in model.translations["pyramidal"].lines[:4]))
    trace = es.StateMonitor(cell, ["Vs", "Vd"], record=True, name="ca3_trace")
    net = model.network(trace, dt=0.01 * ms)
    net.run(DURATION)
    return net, trace


def small_network():
    lif = """
    dv/dt = (El - v + R*(I + I_syn))/tau : volt (unless refractory)
    I : amp
    I_syn : amp
    """
    namespace = {"El": -70 * mV, "R": 100 * Mohm, "tau": 10 * ms, "V_th": -50 * mV,
                 "V_reset": -65 * mV}
    driver = es.NeuronGroup(1, lif, threshold="v > V_th", reset="v = V_reset",
                            refractory=2 * ms, method="euler", namespace=namespace,
                            name="driver")
    targets = es.NeuronGroup(3, lif, threshold="v > V_th", reset="v = V_reset",
                             refractory=2 * ms, method="euler", namespace=namespace,
                             name="targets")
    driver.v = targets.v = -70 * mV
    driver.I = 0.3 * nA
    feed = es.Synapses(driver, targets, models.get("ExponentialCurrent"), method="euler",
                       name="feed")
    feed.connect(i=[0, 0, 0], j=[0, 1, 2])
    feed.w = np.array([0.5, 1.0, 1.5]) * nA
    feed.delay = np.array([1.0, 2.0, 3.0]) * ms
    spikes = es.SpikeMonitor(targets, name="targets_spikes")
    return es.Network(driver, targets, feed, spikes, dt=0.01 * ms), spikes


def main():
    ca3_net, trace = pinsky_rinzel()
    vs = trace.Vs_[0]
    bursts = int(np.sum((vs[:-1] < 0) & (vs[1:] >= 0)))

    net, spikes = small_network()
    scratch = tempfile.TemporaryDirectory(prefix="eqsnn-neuroml-")
    folder = Path(scratch.name)
    files = write(net, folder, name="small", duration=DURATION)
    print(f"exported: {files.types.name}, {files.network.name}, {files.simulation.name}")
    net.run(DURATION)
    back = load(files.simulation)
    back_net = back.network()
    back_net.run(DURATION)
    again = back.monitors["targets.spikes"]
    same = bool(np.array_equal(again.t_, spikes.t_) and np.array_equal(again.i, spikes.i))
    print(f"round trip: {spikes.num_spikes} spikes, identical after import: {same}")

    nwb = write_nwb(ca3_net, folder / "ca3.nwb")
    stored = read_nwb(nwb)["signals"]["pyramidal.Vs"]
    block = to_neo(net)
    print(f"NWB: {nwb.name} holds {stored['data'].shape[0]} samples of Vs in {stored['unit']};"
          f" Neo: {len(block.segments[0].spiketrains)} spike trains")

    figure, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), constrained_layout=True)
    t = trace.t_ * 1e3
    top.plot(t, trace.Vs_[0] * 1e3, label="soma (Vs)")
    top.plot(t, trace.Vd_[0] * 1e3, label="dendrite (Vd)", alpha=0.7)
    top.set(xlabel="time (ms)", ylabel="mV",
            title="Pinsky & Rinzel (1994) CA3 cell, imported from NeuroML")
    top.legend(loc="upper right")
    bottom.plot(spikes.t_ * 1e3, spikes.i, "|", markersize=12, label="eqsnn")
    bottom.plot(again.t_ * 1e3, again.i + 0.25, "|", markersize=12,
                label="exported to NeuroML and imported back")
    bottom.set(xlabel="time (ms)", ylabel="target", yticks=[0, 1, 2], ylim=(-0.5, 3.3),
               title="round trip eqsnn -> NeuroML -> eqsnn")
    bottom.legend(loc="upper left", ncol=2)
    save(figure, "neuroml_round_trip", ca3_somatic_spikes=bursts,
         round_trip_spikes=int(spikes.num_spikes), round_trip_identical=same,
         nwb_samples=int(stored["data"].shape[0]),
         neo_spiketrains=len(block.segments[0].spiketrains))
    scratch.cleanup()


if __name__ == "__main__":
    main()
