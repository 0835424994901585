"""connect(): every form makes the pairs it promises, fast, and values take units."""

import numpy as np
import pytest

import eqsnn as es
from eqsnn.runtime.propagation import pathway_structure
from eqsnn.units import mV, ms, second


def _groups(n_pre=20, n_post=30):
    pre = es.NeuronGroup(n_pre, "x : 1")
    post = es.NeuronGroup(n_post, "x : 1\nv : volt")
    pre.x = "i/N"
    post.x = "i/N"
    return pre, post


def _pairs(syn):
    return set(zip(syn.i.tolist(), syn.j.tolist()))


def test_all_to_all_one_to_one_and_explicit_pairs():
    pre, post = _groups()
    syn = es.Synapses(pre, post, "w : volt")
    syn.connect()
    assert syn.N == 600 and _pairs(syn) == {(a, b) for a in range(20) for b in range(30)}
    same = es.Synapses(pre, pre)
    same.connect(j="i")
    assert list(same.i) == list(range(20)) and list(same.j) == list(range(20))
    explicit = es.Synapses(pre, post, "w : 1")
    explicit.connect(i=[5, 0, 5], j=[1, 2, 29])
    explicit.connect(i=3, j=[4, 7])          # a scalar broadcasts; synapses accumulate
    assert list(zip(explicit.i, explicit.j)) == [(5, 1), (0, 2), (5, 29), (3, 4), (3, 7)]


def test_probability_gives_a_binomial_number_of_distinct_valid_pairs():
    pre, post = _groups(300, 200)
    syn = es.Synapses(pre, post, seed=1)
    syn.connect(p=0.05)
    n, p = 300 * 200, 0.05
    assert abs(syn.N - n * p) < 5 * np.sqrt(n * p * (1 - p))
    assert len(_pairs(syn)) == syn.N
    assert syn.i.min() >= 0 and syn.i.max() < 300 and syn.j.max() < 200
    # every source gets its share (no bias towards early or late indices)
    per_source = np.bincount(syn.i, minlength=300)
    assert abs(per_source[:150].sum() - per_source[150:].sum()) < 5 * np.sqrt(syn.N)


def test_conditions_on_indices_and_neuron_variables():
    pre, post = _groups()
    no_self = es.Synapses(pre, pre)
    no_self.connect("i != j")
    assert no_self.N == 20 * 19 and all(a != b for a, b in _pairs(no_self))
    near = es.Synapses(pre, post)
    near.connect(condition="abs(x_pre - x_post) < 0.11")  # distance-like, on variables
    xs, ys = pre.x_, post.x_
    expected = {(a, b) for a in range(20) for b in range(30) if abs(xs[a] - ys[b]) < 0.11}
    assert _pairs(near) == expected
    sparse = es.Synapses(pre, pre, seed=3)
    sparse.connect("i != j", p=0.5)
    assert all(a != b for a, b in _pairs(sparse)) and 100 < sparse.N < 280


def test_probability_as_an_expression_of_the_pair():
    pre, post = _groups(200, 200)
    syn = es.Synapses(pre, post, seed=5)
    syn.connect(p="exp(-abs(i - j)/10)")
    i, j = np.meshgrid(np.arange(200), np.arange(200), indexing="ij")
    expected = np.exp(-np.abs(i - j) / 10)
    assert abs(syn.N - expected.sum()) < 5 * np.sqrt((expected * (1 - expected)).sum())
    assert np.max(np.abs(syn.i - syn.j)) < 150


@pytest.mark.parametrize("k", [3, 15])
def test_fixed_number_of_distinct_sources_per_target(k):
    pre, post = _groups(20, 300)
    syn = es.Synapses(pre, post, seed=2)
    syn.connect(fixed_in=k)
    assert np.all(np.bincount(syn.j, minlength=300) == k)
    assert len(_pairs(syn)) == syn.N                     # no source twice for a target
    counts = np.bincount(syn.i, minlength=20)            # sources chosen uniformly
    expected = 300 * k / 20
    assert np.all(np.abs(counts - expected) < 6 * np.sqrt(expected))
    no_self = es.Synapses(pre, pre, seed=4)
    no_self.connect("i != j", fixed_in=19)
    assert no_self.N == 20 * 19 and all(a != b for a, b in _pairs(no_self))


def test_same_seed_same_connectivity():
    pre, post = _groups(100, 100)
    a, b = es.Synapses(pre, post, seed=9), es.Synapses(pre, post, seed=9)
    a.connect(p=0.1)
    b.connect(p=0.1)
    np.testing.assert_array_equal(a.i, b.i)
    np.testing.assert_array_equal(a.j, b.j)


def test_weights_by_value_array_and_string_with_units():
    pre, post = _groups(4, 3)
    syn = es.Synapses(pre, post, "w : volt\nd : 1", namespace={"wmax": 2 * mV}, seed=0)
    syn.connect()
    syn.w = 0.5 * mV
    np.testing.assert_allclose(syn.w_, 0.5e-3)
    syn.w = np.arange(12) * mV
    np.testing.assert_allclose(syn.w.to("mV").magnitude, np.arange(12))
    syn.w = "rand()*wmax"
    assert np.all((syn.w_ >= 0) & (syn.w_ < 2e-3)) and np.unique(syn.w_).size == 12
    syn.w = "i*1*mV + j*10*mV + x_pre*mV"
    np.testing.assert_allclose(syn.w_, (syn.i + 10 * syn.j + syn.i / 4) * 1e-3)
    syn.d = "j"
    np.testing.assert_allclose(syn.d_, syn.j)
    syn.delay = "i*ms"
    np.testing.assert_allclose(syn.delay.to("ms").magnitude, syn.i)


def test_a_million_synapses_are_laid_out_for_the_loop():
    # How long the build takes is measured in benchmarks/ (run.py --plan growth), not here.
    pre, post = _groups(10_000, 10_000)
    syn = es.Synapses(pre, post, "w : volt", on_pre="v_post += w",
                      namespace={"wmax": 1 * mV}, seed=0)
    syn.connect(p=0.01)
    syn.w = "rand()*wmax"
    structure = pathway_structure(syn, "pre", 1e-4)
    assert abs(syn.N - 1_000_000) < 5_000
    # sorted by source: the propagation loop walks rows without an index permutation,
    # and none is held (the compiled loop is handed an empty one)
    assert structure.in_order and structure.loop_order.size == 0
    np.testing.assert_array_equal(structure.order, np.arange(syn.N))
    assert np.all(np.diff(syn.i) >= 0)
    per_synapse = syn.memory_bytes() / syn.N
    # int32 pre/post and float64 w, plus the row pointers: one delay for the whole
    # pathway and no event-driven variable need nothing per synapse
    assert 16 <= per_synapse < 18, per_synapse
    syn.delay = "1*ms + 0.1*ms*rand()"        # now one delay per synapse, and the rows
    assert not pathway_structure(syn, "pre", 1e-4).in_order  # sorted by delay: a permutation
    assert 28 <= syn.memory_bytes() / syn.N < 30


def test_one_delay_for_all_synapses_is_stored_once_and_restored():
    pre, post = _groups(3, 4)
    syn = es.Synapses(pre, post, "w : 1", on_pre="v_post += 1*mV", delay=2 * ms)
    syn.connect()
    assert syn.pre._delay is None and np.all(syn.delay_ == 2e-3) and syn.delay_.size == 12
    net = es.Network(pre, post, syn)
    net.store()
    syn.delay = [1, 2, 3] * 4 * ms
    assert syn.pre._delay is not None
    net.restore()
    assert syn.pre._delay is None and np.all(syn.delay_ == 2e-3)
    syn.delay = 3 * ms                        # one value again: back to one for all
    syn.connect(i=0, j=0)                     # and later synapses get it too
    assert syn.pre._delay is None and np.all(syn.delay_ == 3e-3) and syn.N == 13


def test_heterogeneous_delays_sort_each_row_by_delay():
    pre, post = _groups(3, 4)
    syn = es.Synapses(pre, post, on_pre="v_post += 1*mV")
    syn.connect()
    syn.delay = [3, 1, 2, 0, 0, 0, 0, 0, 2, 2, 1, 1] * ms
    s = pathway_structure(syn, "pre", 1e-3)
    assert (s.first_age, s.n_ages, s.D) == (0, 4, 4)
    for row in range(3):
        for age in range(4):
            members = s.order[s.ptr[row * 4 + age]:s.ptr[row * 4 + age + 1]]
            assert np.all(syn.i[members] == row)
            assert np.all(np.rint(syn.delay_[members] / 1e-3) == age)
