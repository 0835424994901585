"""A subgroup's ``i`` and ``N`` in string values and string indices are the subgroup's,
as in Brian2 (``G[4:8].v = "i"`` gives 0..3); the subexpressions a string reads keep
the whole group's. Synapses built on subgroups count ``i``/``j`` from each subgroup's
first neuron.

Every expected number below is Brian2 2.9.0's for the same script, run with
``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python`` (``prefs.codegen.target = 'numpy'``,
the statements of each test written with ``from brian2 import *`` instead of
``eqsnn``; ``S.N_incoming_post`` is eqsnn's name for a per-target count).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import kHz, ms

MODEL = """v : 1
x = i*1.0 : 1
z = v + i : 1"""


def _group():
    group = es.NeuronGroup(10, MODEL)
    group.v = "i"
    return group


@pytest.mark.parametrize("text, expected", [
    ("i", [0, 1, 2, 3, 0, 1, 2, 3, 8, 9]),
    ("N", [0, 1, 2, 3, 4, 4, 4, 4, 8, 9]),
    # x is a subexpression: its i is the group's (4..7), the string's own i counts from 0
    ("x + i", [0, 1, 2, 3, 4, 6, 8, 10, 8, 9]),
    ("z", [0, 1, 2, 3, 8, 10, 12, 14, 8, 9]),
])
def test_string_values_of_a_subgroup_count_its_own_neurons(text, expected):
    group = _group()
    group[4:8].v = text
    np.testing.assert_array_equal(group.v, expected)


def test_a_whole_groups_strings_are_unchanged():
    group = _group()
    group.v = "x + i + N"
    np.testing.assert_array_equal(group.v, 2 * np.arange(10) + 10)


def test_string_indices_of_a_subgroup_count_its_own_neurons():
    group = _group()
    sub = group[4:8]
    np.testing.assert_array_equal(sub.v["i > 1"], [6, 7])
    np.testing.assert_array_equal(sub.v["x > 5 and i > 2"], [7])
    np.testing.assert_array_equal(sub.v["i == N - 1"], [7])
    np.testing.assert_array_equal(sub.x["x > 5"], [6, 7])      # a subexpression's own i
    np.testing.assert_array_equal(sub.x, [4, 5, 6, 7])
    sub.v["i > 1"] = "i*100"
    np.testing.assert_array_equal(group.v, [0, 1, 2, 3, 4, 5, 200, 300, 8, 9])
    # (Brian2 2.9.0 raises an IndexError in its generated code for a string written
    # through an integer or slice index of a subgroup, on the numpy and cython targets;
    # eqsnn gives what its string index gives: the subgroup's i and N)
    sub.v[[0, 1]] = "N*10 + i"
    np.testing.assert_array_equal(group.v, [0, 1, 2, 3, 40, 41, 200, 300, 8, 9])


def test_a_subgroup_of_a_subgroup():
    group = _group()
    inner = group[4:8][1:3]
    assert (inner.start, inner.stop, inner.N) == (5, 7, 2)
    inner.v = "i + 1000 + N"
    np.testing.assert_array_equal(group.v, [0, 1, 2, 3, 4, 1002, 1003, 7, 8, 9])
    with pytest.raises(InvalidValueError, match="is empty"):
        group[4:8][3:3]


def test_synapses_on_subgroups_count_i_and_j_from_each_subgroups_start():
    group = _group()
    other = es.NeuronGroup(10, "u : 1")
    other.u = "i"
    syn = es.Synapses(group[2:5], other[6:10], "w : 1")
    syn.connect("i <= j")
    np.testing.assert_array_equal(syn.i, [0, 0, 0, 0, 1, 1, 1, 2, 2])
    np.testing.assert_array_equal(syn.j, [0, 1, 2, 3, 1, 2, 3, 2, 3])
    syn.w = "i*10 + j"
    np.testing.assert_array_equal(syn.w, [0, 1, 2, 3, 11, 12, 13, 22, 23])
    syn.w = "N_pre*100 + N_post"
    np.testing.assert_array_equal(syn.w, [304] * 9)
    syn.w = "v_pre + u_post/100"
    np.testing.assert_allclose(syn.w, [2.06, 2.07, 2.08, 2.09, 3.07, 3.08, 3.09, 4.08, 4.09])
    np.testing.assert_allclose(syn.w["i == 1"], [3.07, 3.08, 3.09])
    np.testing.assert_allclose(syn.w[1, :], [3.07, 3.08, 3.09])
    np.testing.assert_array_equal(syn.N_incoming_post, [1, 2, 3, 3])
    np.testing.assert_array_equal(syn.N_outgoing_pre, [4, 3, 2])
    one_to_one = es.Synapses(group[2:5], other[6:10], "w : 1")
    one_to_one.connect(j="i + 1")
    np.testing.assert_array_equal(one_to_one.i, [0, 1, 2])
    np.testing.assert_array_equal(one_to_one.j, [1, 2, 3])


def test_synaptic_string_index_on_subgroups():
    group = _group()
    syn = es.Synapses(group[2:5], group[6:10], "w : 1")
    syn.connect()
    syn.w = "v_pre*100 + v_post"
    syn.w["i == 1 and j > 1"] = "N_pre*1000 + i*10 + j"
    np.testing.assert_array_equal(
        syn.w, [206, 207, 208, 209, 306, 307, 3012, 3013, 406, 407, 408, 409])


@pytest.mark.parametrize("backend, threads", [("numpy", 1), ("c", 1), ("c", 2)])
def test_in_the_loop_and_after_a_run(backend, threads):
    group = es.NeuronGroup(10, "v : 1", threshold="v > 5", reset="v = 0")
    group.v = "i"
    sub = group[4:8]
    sub.run_regularly("v = i + 100*N", dt=0.2 * ms)
    trace = es.StateMonitor(sub, "v", record=[0, 3])
    spikes = es.SpikeMonitor(sub)
    es.Network(group, trace, spikes, dt=0.1 * ms, backend=backend,
               threads=threads).run(0.3 * ms)
    np.testing.assert_array_equal(group.v, [0, 1, 2, 3, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(trace.v, [[400, 0, 400], [403, 0, 403]])
    np.testing.assert_array_equal(spikes.i, [0, 1, 2, 3, 0, 1, 2, 3])
    np.testing.assert_allclose(spikes.t / ms, [0, 0, 0, 0, 0.2, 0.2, 0.2, 0.2])
    sub.v = "i"
    np.testing.assert_array_equal(group.v, [0, 1, 2, 3, 0, 1, 2, 3, 0, 0])
    np.testing.assert_array_equal(sub.v["i > 2"], [3])


def test_poisson_input_weight_string_on_a_subgroup():
    group = es.NeuronGroup(10, "v : 1")
    # rate*dt = 1: exactly one event per step and neuron
    drive = es.PoissonInput(group[4:8], "v", 1, 10 * kHz, weight="i + 100*N")
    es.Network(group, drive, dt=0.1 * ms, backend="numpy").run(0.1 * ms)
    np.testing.assert_array_equal(group.v, [0, 0, 0, 0, 400, 401, 402, 403, 0, 0])


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_a_subgroups_subexpressions_after_a_run(backend):
    group = es.NeuronGroup(10, "v : 1\nx = i + N + t/ms : 1")
    sub = group[4:8]
    es.Network(group, dt=0.1 * ms, backend=backend).run(0.3 * ms)
    np.testing.assert_allclose(sub.x, [14.3, 15.3, 16.3, 17.3])    # the group's i and N
    np.testing.assert_allclose(sub.x["i > 1"], [16.3, 17.3])
    sub.v = "x + i + N + t/ms"                                     # the string's own: 0..3, 4
    np.testing.assert_allclose(group.v, [0, 0, 0, 0, 18.6, 20.6, 22.6, 24.6, 0, 0])
    np.testing.assert_allclose(sub.v["x > 16.5"], [24.6])
