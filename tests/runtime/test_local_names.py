"""Generated code uses the model's own names (``v[_i]``, ``tau``), bound by each template
to the network's arrays. A name that the target language reserves — a C keyword, a
function of C's math library, numpy's ``np`` — must still work, on both backends."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms, mV

# 'long' is a C keyword, 'y0' a function of math.h, 'np' the numpy module of the twin,
# 'exp1' an ordinary name; the constant 'double' is a C type.
MODEL = """
dlong/dt = -long/double : volt
dnp/dt = (y0 - np)/double : volt
y0 : volt
exp1 = long + np : volt
"""


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_reserved_words_as_model_names(backend):
    group = es.NeuronGroup(3, MODEL, method="exact", namespace={"double": 10 * ms})
    group.long = "1*mV*(i + 1)"
    group.y0 = 2 * mV
    trace = es.StateMonitor(group, ["exp1"], record=True)
    net = es.Network(group, trace, backend=backend, dt=0.1 * ms)
    net.run(20 * ms)
    decay = np.exp(-20 / 10)
    expected_long = 1e-3 * np.arange(1, 4) * decay
    expected_np = 2e-3 * (1 - decay)
    np.testing.assert_allclose(group.long_, expected_long, rtol=1e-9)
    np.testing.assert_allclose(group.np_, expected_np, rtol=1e-9)
    np.testing.assert_allclose(trace.exp1_[:, 0], 1e-3 * np.arange(1, 4), rtol=1e-12)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_pre_and_post_names_of_one_group(backend):
    """v_pre and v_post name the same array when a group connects to itself (C binds
    them without restrict). Neuron 3 spikes at the first step; the synapses run before
    the reset, so each other neuron gets 0.5*3 mV."""
    group = es.NeuronGroup(4, "v : volt", threshold="v > 2.5*mV", reset="v = 0*mV")
    group.v = "1*mV*i"
    syn = es.Synapses(group, group, on_pre="v_post += 0.5*v_pre")
    syn.connect(condition="i != j")
    net = es.Network(group, syn, backend=backend, dt=0.1 * ms)
    net.run(0.1 * ms)
    np.testing.assert_allclose(group.v_, [1.5e-3, 2.5e-3, 3.5e-3, 0.0], rtol=1e-12)
