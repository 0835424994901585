"""Port of Brian2's examples/adaptive_threshold.py: a neuron whose threshold jumps by
3 mV at each spike and relaxes back, driven by a 500 Hz Poisson input, 2 s.

Features: ``PoissonGroup``, ``Synapses`` with ``on_pre`` and no model, a threshold on a
state variable (``v > vt``), a two-line reset, ``StateMonitor`` of two variables.
Brian2's ``SpikeMonitor(IF, variables="v")`` (v at each spike, for the right panel's
histogram) has no eqsnn equivalent (docs/brian2.md), so the port checks the left
panel's process through its spike count. Reference: Brian2 2.9.0 running the original
with 8 seeds (references.json "adaptive_threshold"): the spike count of one run must lie
within 4 s.d. of Brian2's spread.
"""
import eqsnn as es
from eqsnn.units import Hz, mV, ms, second

from _gallery import assert_in_spread


def test_spike_count_within_brian2s_spread():
    neuron = es.NeuronGroup(1, """
        dv/dt = -v/(10*ms) : volt
        dvt/dt = (10*mV-vt)/(15*ms) : volt
        """, reset="v = 0*mV\nvt += 3*mV", threshold="v>vt", method="exact")
    neuron.vt = 10 * mV
    poisson = es.PoissonGroup(1, 500 * Hz)
    drive = es.Synapses(poisson, neuron, on_pre="v += 3*mV")
    drive.connect()
    v = es.StateMonitor(neuron, "v", record=True)
    vt = es.StateMonitor(neuron, "vt", record=True)
    spikes = es.SpikeMonitor(neuron)
    es.Network(neuron, poisson, drive, v, vt, spikes, seed=11).run(2 * second)
    assert_in_spread(spikes.num_spikes, "adaptive_threshold", "n_spikes")
