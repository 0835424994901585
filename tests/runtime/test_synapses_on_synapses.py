"""Synapses whose target or source is another Synapses object (Brian2's "synapses
connecting other synapses": neuromodulation, e.g. dopamine-gated STDP as in Izhikevich
2007, tests/brian2_gallery/test_izhikevich_2007.py). Each synapse of the other object
is one "neuron": ``x_post`` / ``x_pre`` is its variable, ``j`` / ``i`` its index."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms


def _modulated(backend, threads=1):
    """A reward spike at 1 ms and at 3 ms adds k*(j+1) to d of synapses 0 and 2 of S,
    which decays with tau = 10 ms (exact)."""
    reward = es.SpikeGeneratorGroup(1, [0, 0], [1 * ms, 3 * ms])
    G = es.NeuronGroup(200, "v : 1")
    S = es.Synapses(G, G, "dd/dt = -d/(10*ms) : 1 (clock-driven)\nw : 1", method="exact")
    S.connect(i=[0, 1, 2], j=[1, 2, 0])
    R = es.Synapses(reward, S, "k : 1", on_pre="d_post += k*(j + 1) + 0*N_post")
    R.connect(i=0, j=[0, 2])
    R.k = 0.5
    M = es.StateMonitor(S, "d", record=True)
    es.Network(reward, G, S, R, M, dt=0.1 * ms, backend=backend, threads=threads).run(5 * ms)
    return R, np.asarray(M.d)


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_a_synapse_modulates_the_variables_of_other_synapses(backend):
    R, d = _modulated(backend)
    assert list(R.j) == [0, 2] and R.post_stop == 3
    # sample n is the value at t = n*dt, before step n: the spike of step 10 is seen
    # from sample 11 on, and has decayed for (n - 11) steps
    t = np.arange(50)
    expected = np.zeros(50)
    for step in (10, 30):
        expected += np.where(t > step, np.exp(-(t - step - 1) * 0.1 / 10), 0)
    np.testing.assert_allclose(d[0], 0.5 * expected, rtol=1e-12)
    np.testing.assert_allclose(d[2], 1.5 * expected, rtol=1e-12)
    np.testing.assert_array_equal(d[1], 0)


def test_synapses_on_synapses_on_two_threads_are_bit_identical():
    np.testing.assert_array_equal(_modulated("c", threads=2)[1], _modulated("c")[1])


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_a_synapses_source_is_read_per_synapse(backend):
    """A summed variable over the synapses of another object: I of neuron 0 sums
    w*(i+1) over synapses 0 and 1 of S, I of neuron 1 over synapses 2 and 3."""
    G = es.NeuronGroup(3, "v : 1\nI : 1")
    S = es.Synapses(G, G, "w : 1")
    S.connect(i=[0, 1, 2, 0], j=[1, 2, 0, 2])
    S.w = [1, 2, 3, 4]
    T = es.Synapses(S, G, "I_post = w_pre*(i + 1) : 1 (summed)")
    T.connect(i=[0, 1, 2, 3], j=[0, 0, 1, 1])
    es.Network(G, S, T, backend=backend).run(0.2 * ms)
    np.testing.assert_array_equal(G.I_, [1 * 1 + 2 * 2, 3 * 3 + 4 * 4, 0])


def test_a_pathway_cannot_be_triggered_by_synapses():
    G = es.NeuronGroup(2, "v : 1", threshold="v > 1")
    S = es.Synapses(G, G, "w : 1")
    with pytest.raises(InvalidValueError, match="a Synapses object, which has none"):
        es.Synapses(S, G, on_pre="v_post += 1")
    with pytest.raises(InvalidValueError, match="a Synapses object, which has none"):
        es.Synapses(G, S, on_post="w_post += 1")
