"""connect() grows each synapse array once, in place (no int64 and int32 temporaries):
the indices, values and their types are those of appending each connect's synapses."""

import numpy as np

import eqsnn as es
from eqsnn.units import mV


def test_synapses_of_several_connects_onto_subgroups_keep_indices_values_and_types():
    group = es.NeuronGroup(50, "v : volt")
    source, target = group[10:30], group[25:50]
    syn = es.Synapses(source, target, "w : volt\nk : integer\nflag : boolean",
                      on_pre="v_post += w", seed=3)
    syn.connect(i=[0, 19, 4], j=[24, 0, 3])
    syn.w = 1 * mV
    syn.k = 7
    syn.flag = True
    syn.connect(p=0.3)
    syn.connect(j="i")
    n_first = 3
    # indices in the whole group: the subgroups' starts added once, stored as int32
    assert syn._pre.dtype == np.int32 and syn._post.dtype == np.int32
    assert syn._pre[:n_first].tolist() == [10, 29, 14]
    assert syn._post[:n_first].tolist() == [49, 25, 28]
    assert np.array_equal(syn.i, syn._pre.astype(np.int64) - 10)
    assert np.array_equal(syn.j, syn._post.astype(np.int64) - 25)
    assert syn.i.min() >= 0 and syn.i.max() < 20 and syn.j.min() >= 0 and syn.j.max() < 25
    assert np.array_equal(syn.i[-20:], np.arange(20)) and np.array_equal(syn.j[-20:], np.arange(20))
    # values of the first synapses kept, the later ones zero, each in its type
    assert np.allclose(syn.w[:n_first] / mV, 1) and np.all(syn.w[n_first:] / mV == 0)
    assert syn.k.dtype.kind == "i" and syn.k[:n_first].tolist() == [7] * 3
    assert not syn.k[n_first:].any()
    assert syn.flag.dtype == bool and syn.flag[:n_first].all() and not syn.flag[n_first:].any()


def test_the_same_seed_gives_the_same_synapses_as_one_array_per_connect():
    group = es.NeuronGroup(400, "v : 1")
    made = []
    for _ in range(2):
        syn = es.Synapses(group[:300], group[100:], seed=11)
        syn.connect(p=0.05)
        syn.connect()  # all to all: one block of pairs
        made.append((syn.i.copy(), syn.j.copy()))
    assert np.array_equal(made[0][0], made[1][0]) and np.array_equal(made[0][1], made[1][1])
    n_all = 300 * 300
    i, j = made[0]
    assert np.array_equal(i[-n_all:], np.repeat(np.arange(300), 300))
    assert np.array_equal(j[-n_all:], np.tile(np.arange(300), 300))
