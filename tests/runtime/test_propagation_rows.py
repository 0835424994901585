"""The propagation structure has rows only for the sending (sub)group's neurons.

CUBA's excitatory and inhibitory synapses each start at one part of a group whose spikes
come in one list: each pathway skips the spikes of the other part without reading a row
pointer (runtime/propagation.py, templates/synapses_pathway.c.j2). Checked here: the
layout of the pointers (structural), and that pathways from subgroups, on_pre and on_post,
with one delay and with heterogeneous ones, synapses not in connect order, and a spike
generator's unsorted spikes reach the same synapses on 1, 2 and 3 threads as on numpy.
"""
from __future__ import annotations

import numpy as np
import pytest

import eqsnn as es
from eqsnn.runtime.propagation import pathway_structure
from eqsnn.units import ms, mV


def _group(n=200, seed=1):
    group = es.NeuronGroup(n, """
        dv/dt = (ge - (v + 49*mV))/(10*ms) : volt (unless refractory)
        dge/dt = -ge/(5*ms) : volt
        da/dt = -a/(20*ms) : 1
        """, threshold="v > -50*mV", reset="v = -60*mV", refractory=2 * ms,
        method="exact", seed=seed)
    group.v = "-60*mV + rand()*12*mV"
    return group


@pytest.mark.parametrize("parts", [1, 2, 3])
def test_rows_exist_only_for_the_sending_subgroup(parts):
    group = _group()
    syn = es.Synapses(group[130:190], group, on_pre="ge += 1*mV")
    syn.connect(p=0.2)
    s = pathway_structure(syn, "pre", 1e-4, parts)
    assert (s.first_sender, s.senders, s.width) == (130, 60, 200)
    assert s.ptr.size == 60 * parts + 1 and s.ptr[-1] == syn.N
    for row in range(60):  # row r: the synapses of neuron 130 + r, cut by thread
        members = s.order[s.ptr[row * parts]:s.ptr[(row + 1) * parts]]
        assert np.all(syn._pre[members] == 130 + row)
        assert members.size == np.count_nonzero(syn._pre == 130 + row)


def test_an_on_post_pathway_has_rows_for_the_target_subgroup():
    group = _group()
    syn = es.Synapses(group[:50], group[120:170], "w : 1",
                      on_pre="ge += w*mV", on_post="w += 0.1")
    syn.connect(p=0.3)
    syn.post.delay = "j*0.1*ms"
    s = pathway_structure(syn, "post", 1e-4, 2)
    assert (s.first_sender, s.senders) == (120, 50)
    assert s.ptr.size == 50 * s.n_ages * 2 + 1 and s.ptr[-1] == syn.N


def _network(backend, threads, generator_first=False):
    group = _group(260)
    # spikes given in advance, one step's indices in no particular order, into a
    # generator whose subgroup [2:6] sends: spikes outside it are skipped
    given = es.SpikeGeneratorGroup(8, [7, 3, 0, 5, 2, 1, 4, 6] * 3,
                                   np.repeat([2, 9, 17], 8) * ms)
    kicks = es.Synapses(given[2:6], group, on_pre="v_post += 4*mV", seed=3)
    kicks.connect(p=0.6)
    # two pathways from the two ends of one group (CUBA's shape), one with delays
    first = es.Synapses(group[:200], group, on_pre="ge += 0.8*mV", seed=4)
    first.connect(p=0.06)
    last = es.Synapses(group[200:], group[30:], on_pre="ge -= 1.5*mV", seed=5)
    last.connect(p=0.1)
    last.delay = "rand()*2*ms"
    # an on_post pathway from a target subgroup, synapses made out of row order
    plastic = es.Synapses(group[10:120], group[100:230], "w : 1",
                          on_pre="ge += w*mV", on_post="w = clip(w + 0.05, 0, 2); a_pre += 1",
                          seed=6)
    plastic.connect(i=np.r_[np.arange(100, 0, -1), np.arange(0, 100)],
                    j=np.r_[np.arange(100), np.arange(100) % 37])
    plastic.w = "rand()"
    plastic.post.delay = "j*0.05*ms"
    spikes = es.SpikeMonitor(group)
    net = es.Network(group, given, kicks, first, last, plastic, spikes, backend=backend,
                     seed=7, threads=threads)
    net.run(40 * ms)
    return {"i": spikes.i, "t": spikes.t_, "v": group.v_, "ge": group.ge_, "a": group.a_,
            "w": plastic.w_}


@pytest.fixture(scope="module")
def runs():
    return {threads: _network("c", threads) for threads in (1, 2, 3)}


@pytest.mark.parametrize("threads", [2, 3])
def test_subgroup_pathways_are_bit_identical_on_any_number_of_threads(runs, threads):
    assert runs[1]["i"].size > 200
    for name, value in runs[1].items():
        assert np.array_equal(value, runs[threads][name]), name


def test_subgroup_pathways_agree_with_numpy(runs):
    reference = _network("numpy", 1)
    np.testing.assert_array_equal(runs[2]["i"], reference["i"])
    np.testing.assert_array_equal(runs[2]["t"], reference["t"])
    for name in ("v", "ge", "a", "w"):
        scale = np.max(np.abs(reference[name]))
        np.testing.assert_allclose(runs[2][name], reference[name], rtol=0,
                                   atol=1e-11 * scale, err_msg=name)


def test_the_compiled_loop_is_handed_no_order_for_synapses_in_connects_order():
    """The identity permutation is not held (4 bytes a synapse): the compiled loop gets
    an empty array and reads the targets in sequence; synapses out of row order (or
    rows sorted by delay) keep their permutation; the numpy backend gets the identity.
    (The spikes of both kinds of pathway are checked against numpy above.)"""
    group = _group()
    ordered = es.Synapses(group, group, on_pre="ge += 0.5*mV", seed=8)
    ordered.connect(p=0.1)
    shuffled = es.Synapses(group, group, on_pre="ge -= 0.5*mV")
    shuffled.connect(i=np.arange(199, -1, -1), j=np.arange(200))
    for backend in ("c", "numpy"):
        net = es.Network(group, ordered, shuffled, backend=backend, threads=1)
        net.run(0.1 * ms)
        handed = {slot.cname: slot.get() for slot in net._builder().build().arrays}
        orders = sorted(name for name in handed if name.endswith("_pre_order"))
        assert len(orders) == 2
        first, second = (handed[name] for name in orders)
        if backend == "c":
            assert first.size == 0
        else:
            np.testing.assert_array_equal(first, np.arange(ordered.N))
        np.testing.assert_array_equal(second, np.arange(199, -1, -1))
    s = pathway_structure(ordered, "pre", 1e-4)
    assert s.in_order and s.loop_order.size == 0
    np.testing.assert_array_equal(s.order, np.arange(ordered.N))
    assert ordered.memory_bytes() == (8 * ordered.N + s.ptr.nbytes + s.ring["spikes"].nbytes
                                      + s.ring["n"].nbytes + ordered._lastupdate.nbytes)
