"""Strings evaluated over synapses (initialisers, conditions, probabilities) read the
right neurons of subgroups, and only the variables they name: setting a weight on a
million synapses must not gather every neuron variable of both groups first."""
import tracemalloc

import numpy as np

import eqsnn as es


def _subgroups():
    pre = es.NeuronGroup(20, "x : 1\ny : 1")
    post = es.NeuronGroup(30, "x : 1\ny : 1")
    pre.x, pre.y = "i", "-i"
    post.x, post.y = "100*i", "-100*i"
    return pre, post


def test_initialisers_on_subgroups_use_relative_indices_and_the_right_neurons():
    pre, post = _subgroups()
    syn = es.Synapses(pre[5:15], post[10:20], "w : 1\nk : 1")
    syn.connect()
    syn.w = "x_pre + x_post"           # neuron variables: whole-group values
    syn.k = "i + 1000*j"               # indices relative to the subgroups
    i, j = np.asarray(syn.i), np.asarray(syn.j)
    np.testing.assert_array_equal(syn.w, (i + 5) + 100 * (j + 10))
    np.testing.assert_array_equal(syn.k, i + 1000 * j)


def test_conditions_and_probabilities_on_subgroups_see_the_same_values():
    pre, post = _subgroups()
    syn = es.Synapses(pre[5:15], post[10:20], seed=3)
    syn.connect("x_post - 100*x_pre > 0 and j != i")   # x_post = 100*(j+10), x_pre = i+5
    expected = {(a, b) for a in range(10) for b in range(10) if b + 10 > a + 5 and a != b}
    assert set(zip(syn.i.tolist(), syn.j.tolist())) == expected
    none = es.Synapses(pre[5:15], post[10:20], seed=3)
    none.connect(p="(y_pre < -100)*1.0")                  # y_pre >= -14: never
    assert none.N == 0


def test_an_initialiser_allocates_only_what_it_reads():
    """The old way gathered all 2 x 8 neuron variables per synapse (128 bytes each)
    before evaluating ``rand()*w_max``; the string needs one 8-byte draw per synapse."""
    variables = "\n".join(f"v{k} : 1" for k in range(8))
    pre, post = es.NeuronGroup(400, variables), es.NeuronGroup(500, variables)
    syn = es.Synapses(pre, post, "w : 1", seed=1)
    syn.connect()
    syn.w = "0.5*rand()"                 # derive once, so the cache is not measured
    n = syn.N
    tracemalloc.start()
    try:
        syn.w = "0.5*rand()"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * n, f"{peak / n:.0f} bytes per synapse"
    assert 0 <= syn.w.min() and syn.w.max() < 0.5
