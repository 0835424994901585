"""How the threads claim the chunks of a step's start (templates/network.c.j2): a
thread claims half of the chunks left in its own block at once, as one range of
neurons, and one at a time from another thread's block; the threshold counts a range's
spikes in its first chunk's cell (a thread's counts fill whole cache lines, 8 a line)
and 0 in the others, and every thread joins the cells in neuron order.

Which ranges a step was cut into, and who took them, must never show in the results:
the same spikes and state, bit for bit, on 1, 2 and 3 threads, with chunks of one block
of 64 neurons (EQSNN_CHUNK_BLOCKS=1, EQSNN_MIN_CHUNKS=1: up to 32 chunks a thread, four
lines of counts, claimed as ranges of 16, 8, 4, 2, 1 and 1; or up to 64, eight lines),
with every thread taking the others' chunks first (EQSNN_STEAL_FIRST: all of them, the
default EQSNN_STEAL_LEAVE, or while more than two are left), and at the default chunk
size; for group sizes that are not multiples of 64 or of 8, one neuron, and fewer
blocks than threads. Many neurons spike at every step, so that most chunks and ranges
have spikes to count.
"""
from __future__ import annotations

import numpy as np
import pytest

import eqsnn as es
from eqsnn.compiler import CompilerOptions
from eqsnn.compiler.options import DEFAULT_CFLAGS
from eqsnn.units import ms

#: chunks of one block, however few a thread's block makes
SMALL = ("-DEQSNN_CHUNK_BLOCKS=1", "-DEQSNN_MIN_CHUNKS=1")
SMALL_CHUNKS = CompilerOptions(cflags=DEFAULT_CFLAGS + SMALL)
#: every thread takes the others' chunks first, its own last: every one left (the
#: default), or while more than two are left
STEALING = CompilerOptions(cflags=DEFAULT_CFLAGS + SMALL + ("-DEQSNN_STEAL_FIRST",))
LEAVING = CompilerOptions(cflags=DEFAULT_CFLAGS + SMALL + ("-DEQSNN_STEAL_FIRST",
                                                           "-DEQSNN_STEAL_LEAVE=2"))
#: more chunks than four cache lines of counts hold (up to 64 a thread: eight lines of
#: counts a thread and step), every thread taking the others' first, or not
MANY_CHUNKS = CompilerOptions(cflags=DEFAULT_CFLAGS + SMALL + ("-DEQSNN_MAX_CHUNKS=64",))
MANY_STEALING = CompilerOptions(cflags=DEFAULT_CFLAGS + SMALL + ("-DEQSNN_MAX_CHUNKS=64",
                                                                 "-DEQSNN_STEAL_FIRST"))
SIZES = (1, 7, 65, 1091, 5003)


def _network(n: int, threads: int, compiler=None, backend: str = "c"):
    """A noisy group that fires often (a two or three percent of its neurons a step; the
    threshold has a random part), onto itself: a step waits once, after the update and threshold,
    which run in chunks."""
    group = es.NeuronGroup(n, "dv/dt = (0.9 - v)/(4*ms) + 0.3*xi/sqrt(ms) : 1",
                           threshold="v > 0.6 + 0.4*rand()", reset="v = 0.1*rand()",
                           method="euler", seed=1)
    group.v = "rand()"
    synapses = es.Synapses(group, group, "w : 1", on_pre="v_post += w", seed=2)
    synapses.connect(p=min(1.0, 30.0 / n))
    synapses.w = "0.02*rand() - 0.01"
    spikes = es.SpikeMonitor(group)
    net = es.Network(group, synapses, spikes, seed=3, threads=threads, compiler=compiler,
                     backend=backend)
    net.run(25 * ms)
    return {"i": spikes.i, "t": spikes.t_, "v": group.v_}, net


@pytest.fixture(scope="module")
def one():
    return {n: _network(n, 1)[0] for n in SIZES}


def test_the_step_starts_with_claimed_chunks():
    _, net = _network(1091, 2, SMALL_CHUNKS)
    source = net._builder().build().source
    step = source[source.index("for (int64_t _step"):]
    assert "in chunks claimed at run time" in step
    assert "claims half of what is left" in step
    assert step.count("eqsnn_barrier(&_barrier") == 1


@pytest.mark.parametrize("compiler", [None, SMALL_CHUNKS, STEALING, LEAVING, MANY_CHUNKS,
                                      MANY_STEALING],
                         ids=["default", "small-chunks", "stealing", "leaving-two",
                              "many-chunks", "many-stealing"])
@pytest.mark.parametrize("threads", [2, 3])
@pytest.mark.parametrize("n", SIZES)
def test_claimed_ranges_give_one_threads_results(one, n, threads, compiler):
    many, _ = _network(n, threads, compiler)
    reference = one[n]
    # (from 64 neurons on, most steps have spikes: every range and chunk has some to
    # count; a few neurons spike now and then)
    assert reference["i"].size > (0.015 * n * 250 if n >= 64 else 2)
    for name in reference:
        assert np.array_equal(reference[name], many[name]), (name, n, threads)


def test_claimed_ranges_give_the_numpy_backends_spikes(one):
    reference, _ = _network(1091, 1, backend="numpy")
    many, _ = _network(1091, 3, STEALING)
    np.testing.assert_array_equal(many["i"], reference["i"])
    np.testing.assert_array_equal(many["t"], reference["t"])
    np.testing.assert_allclose(many["v"], reference["v"], rtol=0, atol=1e-12)
