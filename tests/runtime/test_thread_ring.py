"""Steps in batches without a barrier: a ring of RING_SETS sets of slots, and a progress
word per thread (templates/network.c.j2). A thread starts batch k as soon as batch
k - RING_SETS, whose set of slots it reuses, is recorded; thread 0 records each batch
once every thread says it is done with it, between batches of its own. So the threads
may drift up to RING_SETS - 1 batches apart.

How far they drift must never show. These make one thread fall behind at every batch
(the test build's EQSNN_LAG_THREAD: it sleeps 0.1 ms after each batch): thread 1, so
thread 0 runs ahead, records batches older than its own last and waits for a free set;
or thread 0, so the others wait for its recording. And they check the same spikes,
rates, state monitors and state, bit for bit, as one thread without lag and as the
numpy backend: Traub-Miles (Hodgkin-Huxley) neurons, noisy leaky neurons with Poisson
input and refractoriness, a neuron alone, several runs (1 and 2 steps: shorter than a
batch), spike buffers that grow during a run, a reset scheduled before the threshold
(it reads thread 0's spike list at the start of a batch), rings of 2 to 4 sets, and a
group too large for more than one step a set.
"""
from __future__ import annotations

import numpy as np
import pytest

import eqsnn as es
from eqsnn.compiler import DEFAULT_CFLAGS, CompilerOptions
from eqsnn.units import Hz, ms, mV
from test_thread_batch_overlap import _group as _leaky  # (noisy leaky neurons, rand() in the reset)

THREADS = (1, 2, 3)
#: the schedule with the resets first: a reset acts on the spikes of the step before
RESETS_FIRST = ["start", "groups", "resets", "thresholds", "synapses", "end"]


def _lagging(thread: int | None) -> CompilerOptions:
    flags = () if thread is None else (f"-DEQSNN_LAG_THREAD={thread}",)
    return CompilerOptions(cflags=DEFAULT_CFLAGS + flags)


def _run(threads, backend="c", lag=None):
    hh = es.models.TraubMiles().group(200)
    hh.I = "0.7*nA*i/N"
    leaky, one = _leaky(1000, 1), _leaky(1, 3)
    drive = es.PoissonInput(leaky[:37], "v", 10, 60 * Hz, weight=0.5 * mV)
    monitors = {name: es.SpikeMonitor(g) for name, g in
                (("hh", hh), ("leaky", leaky), ("one", one), ("cut", leaky[490:510]))}
    rate = es.PopulationRateMonitor(leaky)
    state = es.StateMonitor(hh, ["v", "m"], record=[0, 99, 100, 199])
    options = {"compiler": _lagging(lag)} if backend == "c" else {}
    net = es.Network(hh, leaky, one, drive, rate, state, *monitors.values(), seed=9,
                     dt=0.01 * ms, threads=threads, backend=backend, **options)
    if backend == "c":
        source = net._builder().build().source
        assert "Steps in batches" in source and "a ring of 4 sets" in source
        assert net._team_size() == threads
    for steps in (1, 2, 129, 300, 777, 2000):
        net.run(steps * 0.01 * ms)
    result = {f"{name}_{what}": getattr(mon, what) for name, mon in monitors.items()
              for what in ("i", "t_")}
    result.update(rate=rate.rate_, state_v=state.v_, state_m=state.m_, hh_v=hh.v_,
                  hh_h=hh.h_, leaky_v=leaky.v_, one_v=one.v_,
                  lastspike=leaky._lastspike.copy(), hh_lastspike=hh._lastspike.copy())
    return result


@pytest.fixture(scope="module")
def reference():
    """One thread without lag (batches of 2 steps: some 1600 batches, and buffers that
    fill up), and the numpy backend."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("eqsnn.codegen.network.MAX_BATCH_STEPS", 2)
        return {"c": _run(1), "numpy": _run(1, backend="numpy")}


@pytest.mark.parametrize("lag", [1, 0])
@pytest.mark.parametrize("threads", THREADS[1:])
def test_threads_drifting_apart_record_the_same_bit_for_bit(reference, threads, lag):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("eqsnn.codegen.network.MAX_BATCH_STEPS", 2)
        drifted = _run(threads, lag=lag)
    one = reference["c"]
    # (every group spikes, in every thread's share; the leaky group's buffer grew)
    assert one["hh_i"].size > 50 and np.unique(one["hh_i"]).size > 20
    assert one["leaky_i"].size > 2 * 1024 and one["cut_i"].size > 50
    assert one["one_i"].size > 1
    for name in one:
        assert np.array_equal(one[name], drifted[name]), name


def test_the_ring_records_what_the_numpy_backend_records(reference):
    threaded, numpy = reference["c"], reference["numpy"]
    for name in threaded:
        if name.endswith(("_i", "t_", "rate", "lastspike")):
            np.testing.assert_array_equal(threaded[name], numpy[name], err_msg=name)
        else:  # (the exps differ by an ulp or so a call: docs/internals.md)
            np.testing.assert_allclose(threaded[name], numpy[name], rtol=1e-7, atol=1e-10,
                                       err_msg=name)


def _resets_first(threads, backend="c", lag=None):
    leaky = _leaky(300, 4)
    spikes = es.SpikeMonitor(leaky)
    options = {"compiler": _lagging(lag)} if backend == "c" else {}
    net = es.Network(leaky, spikes, seed=2, threads=threads, backend=backend, **options)
    net.schedule = RESETS_FIRST
    if backend == "c":
        assert "Steps in batches" in net._builder().build().source
    for steps in (3, 500, 61):
        net.run(steps * 0.1 * ms)
    return spikes.i, spikes.t_, leaky.v_, leaky._lastspike.copy()


def test_a_reset_before_the_threshold_resets_the_spikes_of_the_step_before():
    """Thread 0's spike list holds its own spikes of its last step when a batch starts,
    although recording an older batch put that batch's (everyone's) in it meanwhile."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("eqsnn.codegen.network.MAX_BATCH_STEPS", 2)
        runs = [_resets_first(1)] + [_resets_first(t, lag=1) for t in THREADS[1:]]
    numpy = _resets_first(1, backend="numpy")
    i, t, v, lastspike = runs[0]
    assert i.size > 500
    for other in runs[1:] + [numpy]:
        assert np.array_equal(other[0], i) and np.array_equal(other[1], t)
        assert np.array_equal(other[3], lastspike)
    for other in runs[1:]:
        assert np.array_equal(other[2], v)
    np.testing.assert_allclose(numpy[2], v, rtol=0, atol=1e-12)


@pytest.mark.parametrize("sets", [2, 3])
def test_rings_of_fewer_sets_record_the_same(reference, sets):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("eqsnn.codegen.network.MAX_BATCH_STEPS", 3)
        patch.setattr("eqsnn.codegen.network.RING_SETS", sets)
        hh = es.models.TraubMiles().group(200)
        hh.I = "0.7*nA*i/N"
        spikes = es.SpikeMonitor(hh)
        net = es.Network(hh, spikes, dt=0.01 * ms, threads=3, compiler=_lagging(1))
        assert f"a ring of {sets} sets" in net._builder().build().source
        assert net._builder().batch_steps() == 3 * sets
        for steps in (1, 2, 129, 300, 777, 2000):
            net.run(steps * 0.01 * ms)
    assert np.array_equal(spikes.i, reference["c"]["hh_i"])
    assert np.array_equal(spikes.t_, reference["c"]["hh_t_"])
    assert np.array_equal(hh.v_, reference["c"]["hh_v"])


def test_a_group_too_large_for_the_staged_spikes_gets_one_step_a_set():
    """70 000 neurons: a set of more than one step would stage more than STAGED_NEURONS
    spikes (1 MB) over the ring, so each of the 4 sets holds one step."""
    recorded = {}
    for threads in THREADS:
        group = _leaky(70_000, 5)
        spikes = es.SpikeMonitor(group)
        net = es.Network(group, spikes, seed=3, threads=threads,
                         compiler=_lagging(None if threads == 1 else 1))
        assert net._builder().batch_steps() == 4
        net.run(3 * ms)
        recorded[threads] = spikes.i, spikes.t_, group.v_
        assert spikes.i.size > 1000
    for threads in THREADS[1:]:
        for one, many in zip(recorded[1], recorded[threads]):
            assert np.array_equal(one, many)


def test_the_loop_waits_at_no_barrier_but_the_one_that_starts_a_call():
    hh = es.models.TraubMiles().group(200)
    source = es.Network(hh, es.SpikeMonitor(hh), threads=2)._builder().build().source
    body = source[source.index("Steps in batches (eqsnn"):]
    assert body.count("eqsnn_barrier(") == 1  # (thread 0's room for the call, first)
    assert "eqsnn_progress_wait(" in body and "eqsnn_progress_publish(" in body
