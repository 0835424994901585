"""Indexing variables as Brian2 does (docs_sphinx/user/synapses.rst "Accessing synaptic
variables", models.rst "State variables"): string conditions, 2-D synaptic indices,
slices and arrays, for reading and writing; bad indices are eqsnn errors."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, EqsnnError, InvalidValueError
from eqsnn.units import mV, ms


def _group(n=6):
    group = es.NeuronGroup(n, "v : volt\nx : 1\nc : 1 (shared)", namespace={"El": -70 * mV})
    group.v = "-70*mV + i*mV"
    group.x = "i"
    return group


def _synapses(group, **kwargs):
    syn = es.Synapses(group, group, "w : 1", on_pre="v += w*mV", **kwargs)
    syn.connect()
    syn.w = "10*i + j"
    return syn


def test_string_indices_on_neuron_variables_read_and_write():
    group = _group()
    np.testing.assert_allclose(group.v["i > 1"] / mV, [-68, -67, -66, -65])
    np.testing.assert_allclose(group.x["v >= -67*mV and x != 5"], [3, 4])
    group.v["i > 3"] = "El - x*mV"                   # a string, evaluated where it is set
    np.testing.assert_allclose(group.v / mV, [-70, -69, -68, -67, -74, -75])
    group.x["v < -70*mV"] = 0.5                      # a value
    np.testing.assert_allclose(group.x, [0, 1, 2, 3, 0.5, 0.5])
    group.v_["i == 0"] = -0.06                       # SI without units
    assert group.v[0] == -60 * mV
    group.c["True"] = 3                              # a shared variable: its one value
    assert group.c[0] == 3


def test_integer_slice_and_array_indices_write_through_with_units_checked():
    group = _group()
    group.v[1:3] = -50 * mV
    group.v[[0, 5]] = [-10, -20] * mV
    group.v[-2] = -30 * mV
    np.testing.assert_allclose(group.v / mV, [-10, -50, -50, -67, -30, -20])
    group.x[np.array([True, False] * 3)] = 7
    np.testing.assert_allclose(group.x, [7, 1, 7, 3, 7, 5])
    with pytest.raises(DimensionMismatchError, match="v has unit volt, but a plain number"):
        group.v[0] = 1
    with pytest.raises(DimensionMismatchError):
        group.v["i > 1"] = "3*ms"


def test_subgroups_index_their_own_neurons():
    group = _group(10)
    sub = group[4:8]
    np.testing.assert_allclose(sub.v[1:3] / mV, [-65, -64])
    sub.v[[0, 3]] = 0 * mV
    sub.x["x > 5"] = -1                       # x = i: neurons 6 and 7 of the group
    np.testing.assert_allclose(group.v[3:9] / mV, [-67, 0, -65, -64, 0, -62])
    np.testing.assert_allclose(group.x[3:9], [3, 4, 5, -1, -1, 8])


def test_synaptic_string_and_two_dimensional_indices_in_synapse_order():
    group = _group(4)
    syn = _synapses(group)                     # 16 synapses, w = 10*i + j
    np.testing.assert_allclose(syn.w["i > j"], [10, 20, 21, 30, 31, 32])
    np.testing.assert_allclose(syn.w[1, [2, 3]], [12, 13])
    np.testing.assert_allclose(syn.w[[3, 1], 2], [12, 32])   # synapse order, as Brian2
    np.testing.assert_allclose(syn.w[2, :], [20, 21, 22, 23])
    np.testing.assert_allclose(syn.w[:, 1], [1, 11, 21, 31])
    np.testing.assert_allclose(syn.w[1:3, 2:], [12, 13, 22, 23])
    np.testing.assert_allclose(syn.w[5], 11)                  # one index: a synapse number
    np.testing.assert_allclose(syn.w["x_pre > 2"], [30, 31, 32, 33])
    syn.w["i > j"] = "-(i - j)"
    syn.w[0, 0] = 100
    syn.w[3, [1, 2]] = [7, 8]
    w = np.zeros((4, 4))
    w[syn.i, syn.j] = syn.w
    np.testing.assert_allclose(w, [[100, 1, 2, 3], [-1, 11, 12, 13], [-2, -1, 22, 23],
                                   [-3, 7, 8, 33]])


def test_several_synapses_of_a_pair_are_all_picked():
    group = _group(3)
    syn = es.Synapses(group, group, "w : 1")
    syn.connect(i=[0, 1, 1, 2], j=[1, 2, 2, 0])
    syn.w[1, 2] = [5, 6]
    np.testing.assert_allclose(syn.w, [0, 5, 6, 0])


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_delays_set_by_string_index_and_2d_index_are_the_ones_spikes_take(backend):
    source = es.SpikeGeneratorGroup(2, [0, 1], [0, 0] * ms)
    target = es.NeuronGroup(3, "v : 1")
    syn = es.Synapses(source, target, on_pre="v += 1")
    syn.connect()
    syn.delay["i == 0"] = "(j + 1)*ms"
    syn.delay[1, :] = 10 * ms
    syn.delay[1, [2]] = 4 * ms
    np.testing.assert_allclose(syn.delay_[0, :], [1e-3, 2e-3, 3e-3])
    np.testing.assert_allclose(syn.delay[1, :] / ms, [10, 10, 4])
    state = es.StateMonitor(target, "v", record=True)
    es.Network(source, target, syn, state, dt=0.1 * ms, backend=backend).run(12 * ms)
    arrivals = [np.flatnonzero(np.diff(row) > 0) + 1 for row in np.asarray(state.v)]
    # spikes at t = 0 arrive after the delay; recorded one step after the arrival step
    steps = [sorted(np.round(a * 1 - 1).astype(int).tolist()) for a in arrivals]
    assert steps == [[10, 100], [20, 100], [30, 40]]


@pytest.mark.parametrize("action, expected", [
    (lambda g, s: g.v[6], "cannot index neurongroup"),
    (lambda g, s: g.v[1.5], "only integers, slices"),
    (lambda g, s: g.v[1, 2], "too many indices"),
    (lambda g, s: g.v["i + 1"], "a string index must be a condition such as 'i > 1'"),
    (lambda g, s: g.v["i >"], "the index ends with '>'"),
    (lambda g, s: g.v["q > 1"], "unknown name 'q' in the index"),
    (lambda g, s: g.v.__setitem__(9, 1 * mV), "[9]: index 9 is out of range: there are 6 "
                                              "neurons (0..5)"),
    (lambda g, s: g.v.__setitem__([0.5], 1 * mV), "an index must be an integer, a slice"),
    (lambda g, s: g.v.__setitem__(True, 1 * mV), "True/False is not an index"),
    (lambda g, s: g.x.__setitem__(np.array([True]), 1), "a boolean index needs one value "
                                                        "for each of the 6 neurons"),
    (lambda g, s: s.w[7, 0], "index 7 is out of range: there are 6 neurons in the source"),
    (lambda g, s: s.w[0, -7], "index -7 is out of range: there are 6 neurons in the target"),
    (lambda g, s: s.w[1, 2, 0], "a third index numbers the synapses of a pair, which needs "
                                "Synapses(..., multisynaptic_index='k')"),
    (lambda g, s: s.w[1, 2, 0, 1], "takes two indices [i, j] (source, target) or three "
                                   "[i, j, k], not 4"),
    (lambda g, s: s.w["w"], "the index must be a comparison"),
    (lambda g, s: s.w[999], "cannot index"),
    (lambda g, s: s.w.__setitem__(999, 1), "index 999 is out of range: there are 36 synapses"),
    (lambda g, s: s.delay.__setitem__("i > 3", -1 * ms), "delays must be finite and not "
                                                          "negative"),
    (lambda g, s: g.v.__setitem__((1, 2), 1 * mV), "takes one index, not 2"),
])
def test_bad_indices_are_eqsnn_errors(action, expected):
    group = _group()
    syn = _synapses(group)
    with pytest.raises(EqsnnError) as error:
        action(group, syn)
    assert expected in str(error.value)


def test_values_iterate_like_a_sequence():
    # Python stops iterating a sequence at the IndexError past its end; the eqsnn error
    # for an index out of range is one, so iterating never ends in an error
    group = _group(3)
    syn = _synapses(group)
    assert [float(x) for x in group.v_] == pytest.approx([-0.070, -0.069, -0.068])
    assert [x / mV for x in group.v] == pytest.approx([-70, -69, -68])
    assert list(group.x) == [0, 1, 2]
    assert [float(w) for w in syn.w] == [10 * i + j for i in range(3) for j in range(3)]
    with pytest.raises(IndexError) as error:
        group.v[3]
    assert isinstance(error.value, InvalidValueError)
    assert "cannot index neurongroup" in str(error.value)


def test_values_computed_from_an_indexed_variable_are_plain():
    group = _group()
    doubled = group.x * 2
    assert type(doubled) is np.ndarray and type(group.x[1:]) is np.ndarray
    assert repr(group.x) == repr(np.arange(6.0))
    copy = group.v[2:4]
    copy[0] = 5 * mV        # a copy: the group keeps its values
    assert group.v[2] == -68 * mV
    with pytest.raises(InvalidValueError, match="is a subexpression"):
        es.NeuronGroup(2, "v : volt\nu = 2*v : volt").u["i > 0"] = 1 * mV


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_indexing_the_synapses_object_picks_synapses_to_record(backend):
    group = _group(3)
    syn = es.Synapses(group, group, "dw/dt = -w/(1*ms) : 1", method="exact")
    syn.connect(i=[0, 0, 1, 2], j=[1, 2, 2, 2])
    syn.w = "1 + i + j"
    # Brian2's docs: S.N_outgoing_pre [2 1 1], S.N_incoming_post [0 1 3]
    assert syn.N_outgoing_pre.tolist() == [2, 1, 1]
    assert syn.N_incoming_post.tolist() == [0, 1, 3]
    assert syn[0, :].tolist() == [0, 1] and syn["j == 2"].tolist() == [1, 2, 3]
    assert syn[1:].tolist() == [1, 2, 3]
    mon = es.StateMonitor(syn, "w", record=syn[0, :])
    es.Network(group, syn, mon, dt=0.1 * ms, backend=backend).run(0.2 * ms)
    np.testing.assert_allclose(np.asarray(mon.w)[:, 0], [2, 3])
    with pytest.raises(InvalidValueError, match="index 5 is out of range"):
        syn[5, 0]
