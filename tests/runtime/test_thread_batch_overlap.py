"""Steps in batches, overlapped: thread 0 records a batch (gathers every thread's spikes,
runs the monitors) while the other threads already run the next ones, in the other sets
of a ring of slots (templates/network.c.j2). So a batch starts before the last ones
are recorded, its length bounded by what the recording buffers had room for when the
batch that last used its set was recorded.

These check that this changes nothing a user sees: the same spikes, rates, state and
refractory times bit for bit on 1 to 4 threads, for groups whose sizes are not
multiples of 8, 16 or 64 (1 neuron: more threads than its blocks), with rings of 2, 3
and 4 sets of 1, 2 and 63 steps (1038 neurons: 4 sets of 63 steps stage at most 2^18
spikes) and spike buffers that fill up during a run, over several runs of odd lengths.
"""
from __future__ import annotations

import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import Hz, ms, mV

THREADS = (1, 2, 3, 4)
#: (sets of slots in the ring, steps a batch at most: RING_SETS, MAX_BATCH_STEPS)
RINGS = ((2, 1), (3, 2), (4, 128))


def _group(n, seed):
    """Noisy leaky neurons, rand() in the reset: many spikes, in every thread's share."""
    group = es.NeuronGroup(n, """
        dv/dt = (El - v + I)/(10*ms) + 3*mV*xi/sqrt(ms) : volt (unless refractory)
        I : volt
        """, threshold="v > -55*mV", reset="v = El + 2*mV*rand()", refractory=2 * ms,
        method="euler", namespace={"El": -65 * mV}, seed=seed)
    group.v = "El + 10*mV*rand()"
    group.I = "9*mV + 4*mV*i/N"
    return group


def _run(threads, backend="c", sets=4):
    big, odd, one = _group(1000, 1), _group(37, 2), _group(1, 3)
    drive = es.PoissonInput(odd, "v", 10, 60 * Hz, weight=0.5 * mV)
    spikes, odd_spikes, one_spikes = (es.SpikeMonitor(g) for g in (big, odd, one))
    part = es.SpikeMonitor(big[490:510])  # (across the 2-thread cut, at 496)
    rate = es.PopulationRateMonitor(big)
    state = es.StateMonitor(big, "v", record=[0, 495, 496, 999])
    net = es.Network(big, odd, one, drive, spikes, odd_spikes, one_spikes, part, rate,
                     state, seed=9, threads=threads, backend=backend)
    if backend == "c":
        source = net._builder().build().source
        assert "Steps in batches" in source and f"a ring of {sets} sets" in source
        assert net._team_size() == threads
    for steps in (1, 2, 129, 300, 777):
        net.run(steps * 0.1 * ms)
    return {"i": spikes.i, "t": spikes.t_, "odd_i": odd_spikes.i, "odd_t": odd_spikes.t_,
            "one_t": one_spikes.t_, "part_i": part.i, "part_t": part.t_,
            "rate": rate.rate_, "state": state.v_, "v": big.v_, "odd_v": odd.v_,
            "one_v": one.v_, "lastspike": big._lastspike.copy(),
            "odd_lastspike": odd._lastspike.copy()}


@pytest.fixture(scope="module", params=RINGS)
def runs(request):
    sets, steps = request.param
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("eqsnn.codegen.network.RING_SETS", sets)
        patch.setattr("eqsnn.codegen.network.MAX_BATCH_STEPS", steps)
        return {threads: _run(threads, sets=sets) for threads in THREADS}


@pytest.fixture(scope="module")
def reference():
    return _run(1, backend="numpy")


@pytest.mark.parametrize("threads", THREADS[1:])
def test_overlapped_batches_give_the_same_results_bit_for_bit(runs, threads):
    one, many = runs[1], runs[threads]
    # (many spikes: with batches of 1 and 2 steps the buffers, 1024 entries at first,
    # grew)
    assert one["i"].size > 4 * 1024 and one["odd_i"].size > 100 and one["one_t"].size > 5
    assert one["part_i"].size > 50
    for name in one:
        assert np.array_equal(one[name], many[name]), name


def test_the_spikes_are_recorded_in_step_then_neuron_order(runs):
    for name in ("", "odd_"):
        i, t = runs[3][name + "i"], runs[3][name + "t"]
        order = np.lexsort((i, t))
        assert np.array_equal(order, np.arange(i.size)), name


def test_overlapped_batches_record_what_the_numpy_backend_records(runs, reference):
    for name in ("i", "t", "odd_i", "odd_t", "one_t", "part_i", "part_t", "rate",
                 "lastspike", "odd_lastspike"):
        np.testing.assert_array_equal(runs[2][name], reference[name], err_msg=name)
    for name in ("state", "v", "odd_v", "one_v"):
        np.testing.assert_allclose(runs[2][name], reference[name], rtol=0, atol=1e-12,
                                   err_msg=name)


@pytest.mark.parametrize("ring", RINGS)
def test_every_neuron_spiking_at_every_step_fills_the_buffers_exactly(ring):
    """The worst case the room is reckoned for: a batch may start while the last ones'
    spikes are not recorded, and all fit (a buffer that had room for fewer steps ends
    the call; Python grows it)."""
    recorded = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("eqsnn.codegen.network.RING_SETS", ring[0])
        patch.setattr("eqsnn.codegen.network.MAX_BATCH_STEPS", ring[1])
        for threads in THREADS:
            # (257 neurons: 5 blocks of 64, so 4 threads run; the last share ends at 257)
            group = es.NeuronGroup(257, "dv/dt = -v/(10*ms) : 1", threshold="True",
                                   reset="v = 0", method="euler")
            spikes = es.SpikeMonitor(group)
            rate = es.PopulationRateMonitor(group)
            net = es.Network(group, spikes, rate, threads=threads)
            for steps in (1, 300, 41):
                net.run(steps * 0.1 * ms)
            assert net._team_size() == threads
            steps = 342
            assert spikes.num_spikes == 257 * steps
            np.testing.assert_array_equal(spikes.i, np.tile(np.arange(257), steps))
            np.testing.assert_array_equal(spikes._step[:257 * steps],
                                          np.repeat(np.arange(steps), 257))
            np.testing.assert_allclose(rate.rate_, np.full(steps, 1e4), rtol=1e-12)
            recorded[threads] = spikes.t_
    for threads in THREADS[1:]:
        assert np.array_equal(recorded[1], recorded[threads])
