"""Port of Brian2's examples/IF_curve_LIF.py: firing rate of 1000 unconnected leaky IF
neurons against their drive v0 (0 to 20 mV), with 5 ms refractoriness.

Features: ``exact`` integration, ``(unless refractory)``, refractory period, a string
initialiser that reads an external constant (``n``), ``SpikeMonitor.count``.
Reference: Brian2 2.9.0 running the original (references.json "IF_curve_LIF", one
seed — nothing is random). Deterministic, and the crossings are far from ties: every
neuron's spike count must be Brian2's, on both backends.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms, mV, second

from _gallery import reference

N = 1000


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_every_count_is_brian2s(backend):
    group = es.NeuronGroup(N, """
        dv/dt = (v0 - v) / tau : volt (unless refractory)
        v0 : volt
        """, threshold="v > 10*mV", reset="v = 0*mV", refractory=5 * ms, method="exact",
        namespace={"tau": 10 * ms, "n": N})
    group.v = 0 * mV
    group.v0 = "20*mV * i / (n-1)"
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes, backend=backend).run(1 * second)
    np.testing.assert_array_equal(spikes.count, reference("IF_curve_LIF")["count"])
