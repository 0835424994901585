"""Port of Brian2's examples/synapses/gapjunctions.py: ten IF neurons coupled all-to-all
by gap junctions, ``Igap_post = w*(v_pre - v_post) (summed)``, 500 ms.

Features: summed variables on an all-to-all ``Synapses`` without pathways, ``exact``
integration with a parameter (``Igap``) that a summed variable sets every step,
``StateMonitor`` of two neurons. Reference: Brian2 2.9.0 running the original
(references.json "gapjunctions"; deterministic, one seed): the steps at which neurons
0 and 5 reset, and v every 10 ms. Same arithmetic in both simulators up to rounding, so
the reset steps must be equal and v agree to 1e-9 (v is of order 1).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms

from _gallery import reference


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_reset_steps_and_trace_are_brian2s(backend):
    n = 10
    neurons = es.NeuronGroup(n, """
        dv/dt = (v0 - v + Igap) / tau : 1
        Igap : 1  # gap junction current
        """, threshold="v > 1", reset="v = 0", method="exact",
        namespace={"v0": 1.05, "tau": 10 * ms, "n": n})
    neurons.v = "i * 1.0 / (n-1)"
    trace = es.StateMonitor(neurons, "v", record=[0, 5])
    gaps = es.Synapses(neurons, neurons, """
        w : 1  # gap junction conductance
        Igap_post = w * (v_pre - v_post) : 1 (summed)
        """)
    gaps.connect()
    gaps.w = 0.02
    es.Network(neurons, trace, gaps, backend=backend).run(500 * ms)
    expected = reference("gapjunctions")
    v = np.asarray(trace.v)
    resets = [np.flatnonzero(np.diff(row) < -0.5).tolist() for row in v]
    assert resets == expected["reset_steps"]
    np.testing.assert_allclose(v[:, ::100], expected["v_every_10ms"], atol=1e-9)
