"""``Synapses(..., multisynaptic_index="k")`` and the third index ``S.w[i, j, k]``.

The numbers are Brian2 2.9.0's: the script of ``_network`` run with
``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python`` (``prefs.codegen.target = "numpy"``,
``defaultclock.dt = 0.1*ms``, 10 ms). Brian2 2.9.0 gets ``S.w[i, j, k]`` wrong when
``i``/``j`` do not pick every synapse (it intersects synapse numbers with positions
within the picked ones: ``S.w[2, :, 0:3:2] = 20`` sets nothing, ``S[0, 1, 1:]`` gives
``[1, 2]``); eqsnn follows its documented meaning (``S.w[:, :, 5:]`` is
``S.w["k >= 5"]``), checked below against the condition-string form.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms


def _network(backend="numpy"):
    src = es.SpikeGeneratorGroup(3, [0, 2], [1, 2] * ms)
    tgt = es.NeuronGroup(2, "v : 1")
    syn = es.Synapses(src, tgt, "w : 1", on_pre="v += w", multisynaptic_index="k")
    syn.connect(i=[0, 2], j=[1, 0], n=3)
    syn.connect(i=0, j=1, n=2)
    syn.connect(i=[1, 0], j=[1, 1])
    mon = es.StateMonitor(tgt, "v", record=True)
    return es.Network(src, tgt, syn, mon, backend=backend, dt=0.1 * ms), syn, tgt, mon


def test_the_index_numbers_each_pairs_synapses_over_all_connects():
    _, syn, _, _ = _network()
    assert syn.k.dtype == np.int32
    assert syn.k[:].tolist() == [0, 1, 2, 0, 1, 2, 3, 4, 0, 5]   # Brian2's


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_delays_and_weights_set_by_it_give_brian2s_trace(backend):
    net, syn, tgt, mon = _network(backend)
    syn.delay = "(k + 1)*ms"
    syn.w = "1 + k"
    syn.w[:, :, 3:] = 100
    syn.w[0, 1, 1] = 10
    assert syn.w[:].tolist() == [1, 10, 3, 1, 2, 3, 100, 100, 1, 100]
    assert syn.w[:, :, 0].tolist() == [1, 1, 1]
    net.run(10 * ms)
    assert tgt.v[:].tolist() == [6, 314]
    assert np.asarray(mon.v)[:, ::10].tolist() == [
        [0, 0, 0, 0, 1, 3, 6, 6, 6, 6], [0, 0, 0, 1, 11, 14, 114, 214, 314, 314]]


def test_a_third_index_picks_what_the_condition_on_k_picks():
    _, syn, _, _ = _network()
    syn.w = "1 + k"
    assert syn[0, 1, 1:].tolist() == [1, 2, 6, 7, 9]
    assert syn.w[0, 1, 2:4].tolist() == syn.w["i == 0 and j == 1 and k >= 2 and k < 4"].tolist()
    syn.w[2, :, 0:3:2] = 20
    assert syn.w[[3, 4, 5]].tolist() == [20, 2, 20]
    syn.w[:, 1, ::2] = -1
    np.testing.assert_array_equal(syn.w["j == 1 and k % 2 == 0"], -1)


def test_print_shows_the_values():
    _, syn, _, _ = _network()
    assert str(syn.k) == "[0 1 2 0 1 2 3 4 0 5]"


def test_a_third_index_without_the_variable_says_how_to_get_it():
    group = es.NeuronGroup(2, "v : 1")
    syn = es.Synapses(group, group, "w : 1")
    syn.connect(n=2)
    assert syn.w[0, 1, :].tolist() == [0, 0]                    # Brian2: every synapse
    with pytest.raises(InvalidValueError, match="multisynaptic_index='k'"):
        syn.w[0, 1, 0]


def test_a_third_index_array_is_refused_as_in_brian2():
    _, syn, _, _ = _network()
    with pytest.raises(InvalidValueError, match="a whole number or a slice") as info:
        syn.w[0, 1, [0, 1]]
    assert "k == 1 or k == 3" in info.value.hint
    with pytest.raises(InvalidValueError, match="takes two indices"):
        syn.w[0, 1, 0, 0]


def test_the_name_must_be_a_name():
    group = es.NeuronGroup(2, "v : 1")
    with pytest.raises(InvalidValueError, match="multisynaptic_index must be the name"):
        es.Synapses(group, group, "w : 1", multisynaptic_index=3)
    syn = es.Synapses(group, group, multisynaptic_index="n")  # (no model of its own)
    syn.connect(n=3)
    assert syn.n[:].tolist() == [0, 1, 2] * 4
