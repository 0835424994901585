"""Port of Brian2's examples/frompapers/Brette_2004.py (Fig. 2A of Brette 2004): phase
locking of 2000 leaky IF neurons to a sinusoidal current, for a drive a from 2 to 4;
5 s discarded, then 5 s recorded.

Features: ``t`` in the equations, ``euler``, an array initialiser (``linspace``), a
``SpikeMonitor`` added to the network between two runs.
Reference: Brian2 2.9.0 running the original (references.json "Brette_2004";
deterministic): every neuron's spike count in the recorded 5 s. The same Euler steps,
but 100 000 of them: a neuron whose crossing is a near-tie on the grid may move by one
step, which moves a spike across the 5 s boundary at most once per neuron — so every
count within 1 of Brian2's, and at least 99% of them equal.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms, second

from _gallery import reference


@pytest.mark.slow
def test_phase_locking_counts_are_brian2s():
    n, tau = 2000, 100 * ms
    neurons = es.NeuronGroup(n, """
        dv/dt = (-v + a + 2*sin(2*pi*t/tau))/tau : 1
        a : 1
        """, threshold="v>1", reset="v=0", method="euler", namespace={"tau": tau})
    neurons.a = np.linspace(2, 4, n)
    net = es.Network(neurons)
    net.run(5 * second)  # discard the first spikes (wait for convergence)
    spikes = es.SpikeMonitor(neurons)
    net.add(spikes)
    net.run(5 * second)
    expected = np.asarray(reference("Brette_2004")["count"])
    count = np.asarray(spikes.count)
    assert np.max(np.abs(count - expected)) <= 1
    assert np.mean(count == expected) >= 0.99
