"""Port of Brian2's examples/synapses/state_variables.py: setting values with strings —
a random initial v per neuron, and all-to-all weights set only where ``i > j``.

Features: string-indexed assignment ``S.w["i > j"] = "..."`` (the other weights stay 0),
``N`` in a group's string initialiser, ``randn()``, an external constant in a synaptic
string. Reference: Brian2 2.9.0 running the original (references.json
"state_variables"): the weight matrix is deterministic — its sum, the number of nonzero
weights, and row 5 must equal Brian2's to 1e-12 mV.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import mV

from _gallery import reference



def test_weight_matrix_is_brian2s():
    G = es.NeuronGroup(100, "v:volt", threshold="v>-50*mV")
    G.v = "(sin(2*pi*i/N) - 70 + 0.25*randn()) * mV"
    S = es.Synapses(G, G, "w : volt", on_pre="v += w", namespace={"space_constant": 200.0})
    S.connect()
    S.w["i > j"] = "exp(-(i - j)**2/space_constant) * mV"
    w = np.zeros((len(G), len(G)))
    w[S.i, S.j] = S.w_
    expected = reference("state_variables")
    assert w.sum() * 1e3 == pytest.approx(expected["w_sum_mV"], rel=1e-12)
    assert np.count_nonzero(w) == expected["n_nonzero"]
    np.testing.assert_allclose(w[5] * 1e3, expected["w_row_5_mV"], atol=1e-12)
