"""The operations before a step's barrier shared out in chunks claimed at run time
(codegen/barriers.py, chunked_run; templates/network.c.j2).

Where a step's barrier follows a group's state update and threshold, each thread's
block is cut into chunks of whole blocks of 64 neurons, and a thread that is done with
its own takes the others' (once they are done with what comes before them), so a
slowed-down thread is helped instead of waited for. Which thread took a chunk must
never show in the results: the tests build the loop with EQSNN_STEAL_FIRST (each
thread takes the others' chunks first, its own last, and every one left:
EQSNN_STEAL_LEAVE=0; nearly every chunk changes hands) and with small chunks
(EQSNN_CHUNK_BLOCKS=1, EQSNN_MIN_CHUNKS=1), and compare with 1 thread and with the
numpy backend. The
partition itself (eqsnn_support.h: eqsnn_block, eqsnn_chunks_per_thread) is checked
directly: every neuron owned once, every part starting on a cache line, in blocks of 64
and in the blocks of 16 of batched steps.
"""
from __future__ import annotations

import ctypes
import textwrap

import numpy as np
import pytest

import eqsnn as es
from eqsnn.compiler import CompilerOptions, compile_library
from eqsnn.compiler.options import DEFAULT_CFLAGS
from eqsnn.units import Hz, ms, mV

STEALING = CompilerOptions(cflags=DEFAULT_CFLAGS + ("-DEQSNN_STEAL_FIRST",
                                                    "-DEQSNN_STEAL_LEAVE=0",
                                                    "-DEQSNN_CHUNK_BLOCKS=1",
                                                    "-DEQSNN_MIN_CHUNKS=1"))


def _network(threads: int, backend: str = "c", compiler=None, n: int = 1150):
    """CUBA with noise, random initial values, a Poisson drive, delays, refractoriness
    and monitors: every part of the step a chunk touches. 1150 neurons: 18 blocks of 64,
    the last one short, uneven between 2 and 3 threads."""
    group = es.NeuronGroup(n, """
        dv/dt = (ge + gi - (v + 49*mV))/(20*ms) + 1*mV*xi/sqrt(ms) : volt (unless refractory)
        dge/dt = -ge/(5*ms) : volt
        dgi/dt = -gi/(10*ms) : volt
        """, threshold="v > -50*mV + 2*mV*rand()", reset="v = -60*mV",
        refractory=5 * ms, method="euler", seed=1)
    group.v = "-60*mV + rand()*10*mV"
    exc = es.Synapses(group[:920], group, on_pre="ge += 1.62*mV", seed=2)
    exc.connect(p=0.03)
    exc.delay = "rand()*2*ms"
    inh = es.Synapses(group[920:], group, on_pre="gi += -9*mV", seed=3)
    inh.connect(p=0.03)
    drive = es.PoissonInput(group, "v", 20, 5 * Hz, weight=0.5 * mV)
    spikes = es.SpikeMonitor(group)
    state = es.StateMonitor(group, ["v", "ge"], record=[0, 575, n - 1])
    net = es.Network(group, exc, inh, drive, spikes, state, seed=4, threads=threads,
                     backend=backend, compiler=compiler)
    net.run(40 * ms)
    return {"i": spikes.i, "t": spikes.t_, "v": group.v_, "ge": group.ge_,
            "gi": group.gi_, "state_v": state.v_}, net


@pytest.fixture(scope="module")
def one():
    return _network(1)[0]


def test_the_cuba_step_opens_with_chunks():
    _, net = _network(2)
    source = net._builder().build().source
    step = source[source.index("for (int64_t _step"):]
    assert "in chunks claimed at run time" in step
    head = step[:step.index("eqsnn_barrier(&_barrier")]
    # (the group's update and threshold, in one pass: codegen/fusion.py)
    assert "state update of NeuronGroup _g0 and its threshold" in head
    assert step.count("eqsnn_barrier(&_barrier") == 1  # (no barrier added)


@pytest.mark.parametrize("threads", [2, 3])
def test_chunks_taken_by_any_thread_give_the_same_results(one, threads):
    many, _ = _network(threads, compiler=STEALING)
    assert one["i"].size > 200
    for name in one:
        assert np.array_equal(one[name], many[name]), name


@pytest.mark.parametrize("threads", [2, 3])
def test_chunks_of_the_default_size_give_the_same_results(one, threads):
    many, _ = _network(threads, n=2 * 64 * 16 * 3 + 70)  # (two chunks a thread at 3)
    reference, _ = _network(1, n=2 * 64 * 16 * 3 + 70)
    for name in reference:
        assert np.array_equal(reference[name], many[name]), name


def test_chunked_spikes_are_the_numpy_backends(one):
    reference, _ = _network(1, backend="numpy")
    many, _ = _network(3, compiler=STEALING)
    np.testing.assert_array_equal(many["i"], reference["i"])
    np.testing.assert_array_equal(many["t"], reference["t"])
    np.testing.assert_allclose(many["v"], reference["v"], rtol=0, atol=1e-11 * 0.07)


def test_only_operations_before_the_steps_first_barrier_are_chunked():
    """A shared variable written at the start of the step: one thread runs it, and the
    update waits for it (a barrier), so the update and threshold come after the step's
    first barrier: they are not shared out (the loop is as before)."""
    group = es.NeuronGroup(300, """
        dv/dt = -v/(10*ms) : 1
        total : 1 (shared)
        """, threshold="v > 1", reset="v = 0", method="euler")
    group.run_regularly("total = total + 1", when="start")
    syn = es.Synapses(group, group, on_pre="v_post += 0.1")
    syn.connect(p=0.1)
    net = es.Network(group, syn, threads=2)
    source = net._builder().build().source
    assert "in chunks claimed at run time" not in source


PARTS = textwrap.dedent("""
    #include <stdint.h>
    #include "eqsnn_support.h"
    /* the first element of every thread's block (nt + 1 of them) and of every chunk */
    __attribute__((visibility("default")))
    void parts(int64_t n, int64_t nt, int64_t* blocks, int64_t* chunks, int64_t* per)
    {
        *per = eqsnn_chunks_per_thread(n, nt);
        for (int64_t t = 0; t <= nt; ++t) blocks[t] = eqsnn_block(n, t, nt, EQSNN_BLOCK);
        for (int64_t c = 0; c <= nt * *per; ++c)
            chunks[c] = eqsnn_block(n, c, nt * *per, EQSNN_BLOCK);
    }
    /* the first element of every thread's share in blocks of 16 (batched steps) */
    __attribute__((visibility("default")))
    void fine_shares(int64_t n, int64_t nt, int64_t* starts)
    {
        for (int64_t t = 0; t <= nt; ++t) starts[t] = eqsnn_block(n, t, nt, EQSNN_FINE_BLOCK);
    }
""")


def _parts_library():
    return compile_library(PARTS, name_hint="thread_parts")


@pytest.mark.parametrize("n", [1, 63, 64, 150, 1000, 1150, 4000, 16000, 100000, 1000003])
@pytest.mark.parametrize("nt", [1, 2, 3, 7])
def test_every_neuron_is_in_one_part_and_parts_start_on_cache_lines(n, nt):
    function = _parts_library().parts
    function.restype = None
    function.argtypes = [ctypes.c_int64, ctypes.c_int64] + [ctypes.c_void_p] * 3
    blocks = np.zeros(nt + 1, np.int64)
    chunks = np.zeros(32 * nt + 1, np.int64)
    per = np.zeros(1, np.int64)
    function(n, nt, blocks.ctypes.data, chunks.ctypes.data, per.ctypes.data)
    per = int(per[0])
    chunks = chunks[:nt * per + 1]
    for starts in (blocks, chunks):
        assert starts[0] == 0 and starts[-1] == n
        assert np.all(np.diff(starts) >= 0)  # in order: every neuron in one part
        # a part ends where the next starts: on a multiple of 64 elements (a cache line
        # of doubles and of 32-bit spike indices), unless it is the end
        assert np.all((starts[:-1] % 64 == 0) | (starts[:-1] == n))
    # thread t's chunks tile its block
    np.testing.assert_array_equal(chunks[::per], blocks)
    # one chunk, or 4 to 32 (EQSNN_MIN_CHUNKS, EQSNN_MAX_CHUNKS) of 4 blocks or more
    # (EQSNN_CHUNK_BLOCKS): one chunk where a thread has fewer than 16 blocks
    assert per == 1 or (4 <= per <= 32 and -(-n // 64) // nt // per >= 4)
    assert (per == 1) == (nt == 1 or -(-n // 64) // nt < 16)


@pytest.mark.parametrize("nt", [1, 2, 3, 7])
def test_every_neuron_is_in_one_fine_share_and_shares_start_on_cache_lines(nt):
    """Batched steps whose operations touch only their own neurons share them in blocks
    of 16 (a cache line of 32-bit values; tests/runtime/test_thread_batches.py checks
    where the planner chooses them)."""
    function = _parts_library().fine_shares
    function.restype = None
    function.argtypes = [ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p]
    for n in (1, 15, 16, 150, 1000, 1001, 16000, 100003):
        starts = np.zeros(nt + 1, np.int64)
        function(n, nt, starts.ctypes.data)
        assert starts[0] == 0 and starts[-1] == n
        assert np.all(np.diff(starts) >= 0)  # in order: every neuron in one share
        assert np.all((starts[:-1] % 16 == 0) | (starts[:-1] == n))  # (64 bytes of int32)
        if n >= 16 * nt:  # the shares differ by one block of 16 at most
            lengths = np.diff(starts)
            assert lengths.max() - lengths.min() <= 16
    if nt == 2:
        starts = np.zeros(3, np.int64)
        function(1000, 2, starts.ctypes.data)
        np.testing.assert_array_equal(starts, [0, 496, 1000])  # (blocks of 64: 512)


def test_without_openmp_the_chunked_loop_runs_on_one_thread(one):
    """A compiler without -fopenmp (clang without libomp) builds the same loop, its
    chunks and barrier stubs included, for one thread: the same results."""
    flags = tuple(f for f in DEFAULT_CFLAGS if f != "-fopenmp")
    plain, net = _network(2, compiler=CompilerOptions(cflags=flags))
    assert not net._program.module.threaded
    for name in one:
        assert np.array_equal(one[name], plain[name]), name
