"""Iterating what eqsnn hands out behaves as numpy and Python sequences do: ``len``,
``iter``, ``list`` and ``in`` of a variable's values (of a group, a subgroup, synapses,
a pathway's delays), of groups and subgroups (one-neuron subgroups, as Brian2's
``list(G)``), of synapses (their synapse numbers) and of a StateMonitor (a view per
recorded index). Python stops a ``__getitem__`` iteration at the first IndexError, so
every index past the end raises :class:`~eqsnn.errors.IndexOutOfRangeError` (an
InvalidValueError that is also an IndexError); closing note 3 found ``list(G.v_)``
ending in an InvalidValueError, and ``list(G)`` did the same until session 6.

Brian2 2.9.0 (~/.cache/eqsnn/bench/brian2-2.9.0/bin/python, numpy target) gives
``list(G)`` as the N one-neuron subgroups ``G[0]`` .. ``G[N-1]``, and its
``list(mon)`` stops at the first index not recorded, as eqsnn's did.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import IndexOutOfRangeError, InvalidValueError
from eqsnn.units import mV, ms


@pytest.fixture
def net():
    G = es.NeuronGroup(5, "v : volt\nx : 1\nc : 1 (shared)", name="cells")
    G.v = "i*mV"
    G.x = "2.0*i"
    S = es.Synapses(G, G, "w : 1", on_pre="x += w", delay=1 * ms, name="S")
    S.connect(j="(i + 1) % N_post")
    S.w = "0.5*i"
    return G, S


def _like_numpy(values, expected):
    """``values`` iterate, count and contain as the numpy array ``expected`` does."""
    assert len(values) == len(expected)
    items = list(values)
    assert len(items) == len(expected)
    assert [float(np.asarray(getattr(v, "magnitude", v))) for v in items] == \
        pytest.approx(list(expected))
    assert [float(np.asarray(getattr(v, "magnitude", v))) for v in iter(values)] == \
        pytest.approx(list(expected))
    assert items[-1] in values


def test_values_of_groups_subgroups_and_synapses_iterate_like_numpy_arrays(net):
    G, S = net
    _like_numpy(G.v_, [0, 1e-3, 2e-3, 3e-3, 4e-3])
    _like_numpy(G.x, [0, 2, 4, 6, 8])
    _like_numpy(G.c, [0])                              # a shared variable: one value
    _like_numpy(G[1:4].x, [2, 4, 6])
    _like_numpy(G[1:4].v_, [1e-3, 2e-3, 3e-3])
    _like_numpy(G[3].x_, [6])
    _like_numpy(S.w, [0, 0.5, 1, 1.5, 2])
    _like_numpy(S.w["i > 2"], [1.5, 2])
    _like_numpy(S.pre.delay_, [1e-3] * 5)
    assert [v / mV for v in G[2:].v] == pytest.approx([2, 3, 4])   # with their unit
    assert 2 * mV in G.v and 7 * mV not in G.v
    assert 4.0 in G.x and 5.0 not in G.x


def test_an_index_past_the_end_is_an_index_error_and_an_eqsnn_error(net):
    G, S = net
    for reach in (lambda: G.v[5], lambda: G[1:4].x[3], lambda: S.w[5], lambda: G[5],
                  lambda: G[1:4][3], lambda: S[5]):
        with pytest.raises(IndexOutOfRangeError) as caught:
            reach()
        assert isinstance(caught.value, IndexError) and \
            isinstance(caught.value, InvalidValueError)
    with pytest.raises(IndexOutOfRangeError, match=r"cells\[5\] is not a neuron of 'cells': "
                                                   r"its indices lie in 0\.\.4"):
        G[5]


def test_groups_and_subgroups_iterate_as_one_neuron_subgroups_as_in_brian2(net):
    G, _ = net
    neurons = list(G)
    assert len(neurons) == len(G) == 5
    assert [(n.start, n.stop) for n in neurons] == [(k, k + 1) for k in range(5)]
    assert [float(n.x[0]) for n in neurons] == [0, 2, 4, 6, 8]
    assert [(n.start, n.stop) for n in G[2:4]] == [(2, 3), (3, 4)]
    assert len(G[2:4]) == 2


def test_synapses_iterate_as_their_synapse_numbers(net):
    _, S = net
    numbers = list(S)
    assert len(numbers) == len(S) == 5
    assert [int(k) for k in numbers] == [0, 1, 2, 3, 4]
    assert all(np.ndim(k) == 0 for k in numbers)       # S[3] is 0-d, as in Brian2


def test_a_state_monitor_iterates_over_its_recorded_indices(net):
    G, _ = net
    mon = es.StateMonitor(G, ["v", "x"], record=[1, 3, 4])
    es.Network(G, mon, backend="numpy").run(0.3 * ms)
    traces = list(mon)
    assert [t.item for t in traces] == [1, 3, 4]
    np.testing.assert_array_equal(np.array([t.x for t in traces]), mon.x)
    assert [t.v[0] / mV for t in mon] == pytest.approx([1, 3, 4])
    with pytest.raises(IndexOutOfRangeError, match=r"did not record index 2; it records "
                                                   r"1, 3, 4(?s:.*)hint: index it with a "
                                                   r"recorded index"):
        mon[2]
