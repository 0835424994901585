"""``N_pre``, ``N_post``, ``N_incoming`` and ``N_outgoing`` in synaptic strings (Brian2's).

``N_pre``/``N_post`` are the sizes of the source and target (sub)groups, usable in every
synaptic string: connect conditions and probabilities, values, event statements (both
backends). ``N_incoming``/``N_outgoing`` are, per synapse, how many synapses share its
target / its source; they exist once the synapses do, so values, equations and event code
may read them, while connect conditions say where to get them instead.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import UnknownNameError
from eqsnn.units import ms


def test_sizes_in_connect_conditions_are_the_subgroups():
    group = es.NeuronGroup(10, "v : 1")
    ring = es.Synapses(group[2:10], group[0:8])
    ring.connect("abs(((j - i) % N_post) - N_post/2) <= 1 and i < N_pre - 1")
    pre, post = np.meshgrid(np.arange(8), np.arange(8), indexing="ij")
    mask = (np.abs(np.mod(post - pre, 8) - 4) <= 1) & (pre < 7)
    assert sorted(zip(ring.i, ring.j)) == sorted(zip(*np.nonzero(mask)))


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_sizes_in_event_statements(backend):
    source = es.NeuronGroup(8, "v : 1", threshold="v > 1", reset="v = 0")
    target = es.NeuronGroup(3, "v : 1")
    synapses = es.Synapses(source, target, "w : 1", on_pre="v_post += w*N_post + N_pre")
    synapses.connect()
    synapses.w = 1
    source.v = 2
    es.Network(source, target, synapses, backend=backend).run(0.2 * ms)
    # each of the 8 sources spikes once; each synapse adds 1*3 + 8
    np.testing.assert_array_equal(target.v_, np.full(3, 8 * 11.0))


def test_connectivity_counts_in_values():
    source = es.NeuronGroup(6, "v : 1")
    target = es.NeuronGroup(4, "v : 1")
    synapses = es.Synapses(source[1:5], target, "w : 1\nu : 1")
    synapses.connect("i <= j")
    synapses.w = "N_incoming"
    synapses.u = "1.0/N_outgoing"
    i, j = np.asarray(synapses.i), np.asarray(synapses.j)
    np.testing.assert_array_equal(synapses.w_, np.bincount(j)[j])
    np.testing.assert_allclose(synapses.u_, 1 / np.bincount(i)[i])
    synapses.w = "w/N_incoming + N_pre + N_post"   # sizes in values too
    np.testing.assert_allclose(synapses.w_, 1 + 4 + 4)


@pytest.mark.parametrize("backend", ["c", "numpy"])
@pytest.mark.parametrize("threads", [1, 2])
def test_connectivity_counts_in_event_code_and_equations(backend, threads):
    """Every source spikes once: each target receives the sum over its synapses of
    1/N_incoming, which is 1; a clock-driven 'du/dt = N_outgoing/ms' grows each
    synapse's u by its source's number of synapses per ms."""
    if threads == 2 and backend == "numpy":
        pytest.skip("threads are the compiled loop's")
    source = es.NeuronGroup(130, "v : 1", threshold="v > 1", reset="v = 0")
    target = es.NeuronGroup(140, "v : 1")
    synapses = es.Synapses(source, target, "du/dt = N_outgoing/ms : 1 (clock-driven)",
                           on_pre="v_post += 1.0/N_incoming", method="euler")
    synapses.connect("(i + 2*j) % 7 < 3")
    source.v = 2
    es.Network(source, target, synapses, backend=backend, threads=threads).run(0.2 * ms)
    i, j = np.asarray(synapses.i), np.asarray(synapses.j)
    received = np.bincount(j, minlength=140) > 0
    np.testing.assert_allclose(target.v_, received.astype(float), rtol=1e-12)
    np.testing.assert_allclose(synapses.u_, 0.2 * np.bincount(i)[i], rtol=1e-12)


def test_connectivity_counts_in_connect_conditions_say_what_to_do():
    source = es.NeuronGroup(3, "v : 1", threshold="v > 1")
    target = es.NeuronGroup(3, "v : 1")
    with pytest.raises(UnknownNameError) as caught:
        es.Synapses(source, target).connect("N_outgoing > 1")
    message = str(caught.value)
    assert "connect() conditions" in message and "S.n = 'N_" in message and "^~~~" in message
