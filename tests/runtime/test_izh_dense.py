"""Dense pieces of rows: synapses made in connect's order whose piece of a row (the
synapses of one sender onto one thread's neurons) acts on consecutive neurons, each
once — all-to-all, a band, a run of indices — are walked without reading their
targets: the loop computes neuron ``first + (p - ptr[k])`` (runtime/propagation.py,
``_dense_pieces``; templates/synapses_pathway.c.j2). The additions onto every neuron
come in the same order as through the targets, so the results are the same bit for bit
as without dense pieces, on 1, 2 and 3 threads, and the numpy backend's spikes.

Checked here: which pieces are dense (all-to-all, bands, subgroups, rows of several
kinds in one pathway, multapses and synapses out of connect's order are not), and
networks with dense pathways of every kind the template renders — on_pre and on_post,
one delay and a delay per sender, plastic synapses, code reading ``i``, ``j``,
``rand()`` and the target's refractoriness, a pathway one thread runs — against the
same networks with dense pieces turned off, on any number of threads and on numpy; and
that code calling functions whose vector versions round otherwise (exp: STDP's traces)
keeps the loop through the targets."""
from __future__ import annotations

import numpy as np
import pytest

import eqsnn as es
from eqsnn.runtime import propagation
from eqsnn.runtime.propagation import DENSE_MIN, pathway_structure
from eqsnn.units import ms, mV
from test_propagation_rows import _group  # (the same small group of neurons)


def _pieces(s, parts):
    """(sender row, thread) -> the targets of that piece, in the structure's order."""
    post = s._post
    return {(row, t): post[s.order[s.ptr[row * parts + t]:s.ptr[row * parts + t + 1]]]
            for row in range(s.senders) for t in range(parts)}


def _expected_first(pieces, row, parts):
    """The first targets of a row's pieces if the whole row is dense, else -1s."""
    targets = np.concatenate([pieces[row, t] for t in range(parts)])
    consecutive = targets.size >= DENSE_MIN and np.all(np.diff(targets) == 1)
    return [int(pieces[row, t][0]) if consecutive and pieces[row, t].size else -1
            for t in range(parts)]


@pytest.mark.parametrize("parts", [1, 2, 3])
@pytest.mark.parametrize("kind", ["all", "band", "subgroup", "mixed", "random"])
def test_the_dense_pieces_are_exactly_those_onto_consecutive_neurons(parts, kind):
    group = _group(300)
    target = group[40:260] if kind == "subgroup" else group
    syn = es.Synapses(group[:120], target, on_pre="ge += 1*mV")
    if kind in ("all", "subgroup"):
        syn.connect()
    elif kind == "band":  # 11 neighbours, cut at the group's ends and between threads
        syn.connect("abs(i - j) <= 5")
    elif kind == "random":
        syn.connect(p=0.2)
    else:  # rows of every kind in one pathway: all, none, a run, a run with a gap, sparse
        i, j = [], []
        for row in range(120):
            kind_of_row = row % 5
            cols = {0: np.arange(300), 1: np.arange(0), 2: np.arange(row, row + 30),
                    3: np.r_[np.arange(10, 40), np.arange(41, 90)],
                    4: np.arange(0, 300, 7)}[kind_of_row]
            i.append(np.full(cols.size, row)), j.append(cols)
        syn.connect(i=np.concatenate(i), j=np.concatenate(j))
    s = pathway_structure(syn, "pre", 1e-4, parts, dense=True)
    assert s.in_order
    s._post = syn._post
    pieces = _pieces(s, parts)
    first = {(row, t): f for row in range(s.senders)
             for t, f in enumerate(_expected_first(pieces, row, parts))}
    if kind == "random":
        assert not s.dense and s.dense_first.size == 0
        assert all(f == -1 for f in first.values())
        return
    assert s.dense
    assert s.dense_first.size == s.ptr.size - 1
    for (row, t), f in first.items():
        assert s.dense_first[row * parts + t] == f, (row, t)
    assert sum(f >= 0 for f in first.values()) > 0


def test_multapses_and_synapses_out_of_connect_order_have_no_dense_pieces():
    group = _group(200)
    twice = es.Synapses(group, group, on_pre="ge += 1*mV")
    twice.connect(n=2)  # every target twice: consecutive, but not each once
    assert not pathway_structure(twice, "pre", 1e-4, 2, dense=True).dense
    # one row with a repeated neuron in it, the others all-to-all: only that row is not
    # dense, in both of its pieces
    one = es.Synapses(group[:3], group, on_pre="ge += 1*mV")
    one.connect(i=np.r_[np.zeros(201, int), np.ones(200, int), np.full(200, 2)],
                j=np.r_[np.arange(100), 99, np.arange(100, 200), np.arange(200),
                        np.arange(200)])
    s = pathway_structure(one, "pre", 1e-4, 2, dense=True)
    assert s.in_order and s.dense
    assert list(s.dense_first) == [-1, -1, 0, 128, 0, 128]  # (a row is dense or not)
    backwards = es.Synapses(group[:50], group, on_pre="ge += 1*mV")
    backwards.connect(i=np.repeat(np.arange(49, -1, -1), 200), j=np.tile(np.arange(200), 50))
    s = pathway_structure(backwards, "pre", 1e-4, 2, dense=True)
    assert not s.in_order and not s.dense


def _network(backend, threads):
    group = _group(300)
    # all-to-all from a subgroup, code reading j (dense: j computed), i, rand()
    fan = es.Synapses(group[:200], group, "w : volt", on_pre="ge += w*(1 + 0.001*j)", seed=2)
    fan.connect()
    fan.w = "0.06*mV*rand()"
    kick = es.Synapses(group[:50], group[100:200], on_pre="ge += 0.002*mV*i")
    kick.connect()
    noise = es.Synapses(group[260:], group, on_pre="v_post += 0.3*mV*rand()", seed=3)
    noise.connect()
    # all-to-all whose code is not exact in vectors (a chain of three additions, which
    # gcc may regroup): through the targets
    mixed = es.Synapses(group[200:240], group, on_pre="ge += 0.01*mV*(1 + 0.001*j - 0.002*i)")
    mixed.connect()
    # a band onto a subgroup with one delay per sender (rows stay in connect's order)
    band = es.Synapses(group[150:], group[50:280], on_pre="v_post += 0.4*mV*not_refractory_post")
    band.connect("abs(i + 100 - j) <= 12")
    band.delay = "(i % 4)*0.3*ms"
    # plastic all-to-all, made target by target (connect's order of the post pathway):
    # on_post dense, on_pre through the order
    n_in, n_out = 60, 240
    pre_i = np.tile(np.arange(n_in), n_out)
    post_j = np.repeat(np.arange(n_out), n_in)
    plastic = es.Synapses(group[240:], group[:n_out], "w : volt",
                          on_pre="ge += w; w = clip(w + 0.01*mV, 0*mV, 0.3*mV)",
                          on_post="w = clip(w - 0.02*mV*rand(), 0*mV, 0.3*mV); a_pre += 0.01",
                          seed=6)
    plastic.connect(i=pre_i, j=post_j)
    plastic.w = "0.2*mV*rand()"
    # STDP all-to-all: its event-driven traces decay with exp (libmvec's in a vector,
    # glibc's alone), so neither pathway has dense pieces
    stdp = es.Synapses(group[240:], group[:n_out], """
        w : volt
        dapre/dt = -apre/(10*ms) : 1 (event-driven)
        dapost/dt = -apost/(10*ms) : 1 (event-driven)
        """, on_pre="ge += w; apre += 0.1; w = clip(w + apost*0.05*mV, 0*mV, 0.5*mV)",
        on_post="apost -= 0.1; w = clip(w + apre*0.05*mV, 0*mV, 0.5*mV); a_pre += 0.01",
        seed=5)
    stdp.connect()
    stdp.w = "0.2*mV*rand()"
    # code reading the sender's variable in its own group: one thread runs it
    serial = es.Synapses(group[:100], group, on_pre="v_post += 0.0005*(v_pre + 60*mV)")
    serial.connect("j < 180")
    spikes = es.SpikeMonitor(group)
    net = es.Network(group, fan, kick, noise, mixed, band, plastic, stdp, serial, spikes,
                     backend=backend, seed=7,
                     threads=threads)
    net.run(40 * ms)
    structures = {name: pathway_structure(s, path, 1e-4, threads if backend == "c" else 1)
                  for name, s, path in [("fan", fan, "pre"), ("kick", kick, "pre"),
                                        ("noise", noise, "pre"), ("mixed", mixed, "pre"),
                                        ("band", band, "pre"),
                                        ("plastic_pre", plastic, "pre"),
                                        ("plastic_post", plastic, "post"),
                                        ("stdp_pre", stdp, "pre"), ("stdp_post", stdp, "post")]}
    structures["serial"] = pathway_structure(serial, "pre", 1e-4, 1)
    return {"i": spikes.i, "t": spikes.t_, "v": group.v_, "ge": group.ge_, "a": group.a_,
            "w": stdp.w_, "apre": stdp.apre_, "apost": stdp.apost_, "plastic": plastic.w_}, \
        structures


@pytest.fixture(scope="module")
def runs():
    return {threads: _network("c", threads) for threads in (1, 2, 3)}


@pytest.fixture(scope="module")
def without_dense():
    """The same networks, every row walked through its targets (no piece is dense)."""
    patch = pytest.MonkeyPatch()
    patch.setattr(propagation, "DENSE_MIN", 10**12)
    try:
        return {threads: _network("c", threads) for threads in (1, 3)}
    finally:
        patch.undo()


def test_the_networks_pathways_have_dense_pieces(runs):
    for threads, (_, structures) in runs.items():
        assert not structures["plastic_pre"].in_order and not structures["plastic_pre"].dense
        assert structures["stdp_pre"].in_order and not structures["stdp_pre"].dense
        assert not structures["stdp_post"].dense
        assert structures["mixed"].in_order and not structures["mixed"].dense
        for name in ("fan", "kick", "noise", "band", "plastic_post", "serial"):
            assert structures[name].in_order and structures[name].dense, (name, threads)


@pytest.mark.parametrize("threads", [2, 3])
def test_dense_pathways_are_bit_identical_on_any_number_of_threads(runs, threads):
    results = runs[1][0]
    assert results["i"].size > 300
    for name, value in results.items():
        assert np.array_equal(value, runs[threads][0][name]), name


@pytest.mark.parametrize("threads", [1, 3])
def test_dense_pieces_change_no_result(runs, without_dense, threads):
    assert not any(s.dense for s in without_dense[threads][1].values())
    for name, value in without_dense[threads][0].items():
        assert np.array_equal(value, runs[threads][0][name]), name


def test_dense_pathways_agree_with_numpy(runs):
    reference, _ = _network("numpy", 1)
    np.testing.assert_array_equal(runs[2][0]["i"], reference["i"])
    np.testing.assert_array_equal(runs[2][0]["t"], reference["t"])
    for name in ("v", "ge", "a", "w", "apre", "apost", "plastic"):
        scale = np.max(np.abs(reference[name]))
        np.testing.assert_allclose(runs[2][0][name], reference[name], rtol=0,
                                   atol=1e-11 * scale, err_msg=name)


@pytest.mark.parametrize("lines, exact", [
    (["v_post[_j] = v_post[_j] + w[_syn];"], True),
    (["ge_post[_j] = ge_post[_j] + (1e-06)*w[_syn];", "v_post[_j] = v_post[_j] - w[_syn];"], True),
    (["w[_syn] = eqsnn_clip(w[_syn] + fmax(apost[_syn], 0.0), 0.0, 0.01);",
      "ge_post[_j] = ge_post[_j] + w[_syn];"], True),
    (["ge_post[_j] = ge_post[_j] + sqrt(fabs(w[_syn]))*eqsnn_uniform(_rng_seed, "
      "_rng_stream + 0, _rng_counter);"], True),
    (["v_post[_j] = v_post[_j] + w[_syn]*trunc(not_refractory_post);"], True),
    # a factor 0 or 1 (not refractory: `unless refractory` multiplies by it) in any group
    (["v_post[_j] = 0.0003*not_refractory_post*eqsnn_uniform(_rng_seed, _rng_stream + 0, "
      "_rng_counter) + v_post[_j];"], True),
    (["v_post[_j] = 0.0004*(not_refractory_post*not_refractory_post) + v_post[_j];"], True),
    (["v_post[_j] = 0.0004*not_refractory_post*w[_syn]*2.0 + v_post[_j];"], False),
    (["x_post[_j] = 0.5*x_post[_j] + -1.0;", "y = -(z[_syn] - 2.0);"], True),
    (["x_post[_j] = 0.5*x_post[_j] + -1.0;", "y = -(x_post[_j] - 2.0);"], False),
    # chains of three: gcc may regroup them
    (["v_post[_j] = v_post[_j] + w[_syn]*(-0.002*i + 0.001*j + 1.0);"], False),
    (["v_post[_j] = v_post[_j] + w[_syn]*2.0*j;"], False),
    (["v_post[_j] = v_post[_j] + w[_syn];", "v_post[_j] = v_post[_j] + 1.0;"], False),
    (["_t = w[_syn] + 1.0;", "v_post[_j] = v_post[_j] - _t;"], False),
    (["v_post[_j] = v_post[_j] - (-w[_syn] + 1.0);"], False),
    # calls whose vector versions round otherwise, unknown code
    (["apre[_syn] = apre[_syn]*eqsnn_exp(-(t - lastupdate[_syn])/0.02);"], False),
    (["ge_post[_j] = ge_post[_j] + w[_syn]*eqsnn_normal(_rng_seed, _rng_stream, _rng_counter);"],
     False),
    (["g_post[_j] = g_post[_j] + pow(w[_syn], 1.5);"], False),
    (["v_post[_j] = v_post[_j] + _f0(t);"], False),
    (["v_post[_j] = (w[_syn] > 0.0) ? 1.0 : 0.0;"], False),
    (["v_post[_j] = (double)(_j % 3);"], False),
])
def test_only_code_exact_in_vectors_walks_dense_pieces(lines, exact):
    from eqsnn.codegen.exact_vectors import exact_in_vectors
    assert exact_in_vectors(lines) is exact
    assert not exact_in_vectors(lines, functions=True)


def _reconnected(backend, threads, dense_first):
    """Synapses connected again between two runs: rows dense in the first run and not
    in the second (``dense_first``: the loop was built with its dense branch, which the
    new structure no longer takes), or none in the first and dense rows in the second
    (built without the branch: they go through the targets)."""
    group = _group(260)
    syn = es.Synapses(group[:120], group, "w : volt", on_pre="ge += w", seed=4)
    if dense_first:
        syn.connect()
        syn.w = "0.08*mV*rand()"
    spikes = es.SpikeMonitor(group)
    net = es.Network(group, syn, spikes, backend=backend, seed=3, threads=threads)
    net.run(20 * ms)
    first = pathway_structure(syn, "pre", 1e-4, threads if backend == "c" else 1).dense
    if dense_first:  # synapses after the dense rows: no longer in connect's order
        syn.connect(i=np.arange(119, -1, -1), j=np.arange(120))
    else:
        syn.connect()
    syn.w = "0.08*mV*rand()"
    net.run(20 * ms)
    later = pathway_structure(syn, "pre", 1e-4, threads if backend == "c" else 1).dense
    return {"i": spikes.i, "t": spikes.t_, "v": group.v_, "ge": group.ge_, "w": syn.w_}, \
        (first, later)


@pytest.mark.parametrize("dense_first", [True, False])
def test_rows_connected_again_between_runs(dense_first):
    results = {threads: _reconnected("c", threads, dense_first) for threads in (1, 2, 3)}
    assert all(dense == (dense_first, False) for _, dense in results.values())
    reference, _ = _reconnected("numpy", 1, dense_first)
    assert results[1][0]["i"].size > 100
    for threads in (2, 3):
        for name, value in results[1][0].items():
            assert np.array_equal(value, results[threads][0][name]), (threads, name)
    np.testing.assert_array_equal(results[2][0]["i"], reference["i"])
    np.testing.assert_array_equal(results[2][0]["t"], reference["t"])
