"""Steps in batches: a network whose threads exchange nothing but spikes for monitors
of spike indices and times (no synapses) runs batches of steps without waiting for
each other between them, and records exactly what it records step by step (a state
monitor of a group's own variables: each thread records its own neurons).

The planner decides (eqsnn/codegen/barriers.py, ``batch``); these tests check its
decision on real networks (a batch loop without a barrier in its step, and a barrier
again as soon as something reads another thread's neurons), and that the results are
the same bit for bit on 1, 2 and 3 threads and the same as the numpy backend's: with
buffers that grow during a run, runs of odd lengths, store/restore, a change of dt, a
group on a slower clock, subgroups' monitors and state monitors.
"""
from __future__ import annotations

import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import Hz, ms, mV

THREADS = (1, 2, 3)


def _cells(n=150, seed=1, **extra):
    """Noisy leaky neurons (rand() in the reset and in the initial values), uneven
    blocks of 64 for 2 and 3 threads."""
    cells = es.NeuronGroup(n, """
        dv/dt = (El - v + I)/(10*ms) + 3*mV*xi/sqrt(ms) : volt (unless refractory)
        I : volt
        """, threshold="v > -55*mV", reset="v = El + 2*mV*rand()", refractory=2 * ms,
        method="euler", namespace={"El": -65 * mV}, seed=seed, **extra)
    cells.v = "El + 10*mV*rand()"
    cells.I = "9*mV + 3*mV*i/N"
    return cells


def _step_loop(net):
    """The generated C of one step, from its loop to the end of the step."""
    source = net._builder().build().source
    if "Steps in batches" not in source:
        start = source.index("for (int64_t _step")
        return source[start:source.index("++_steps;", start)], False
    start = source.index("for (int64_t _step = _first")
    return source[start:source.index("_steps += _len;", start)], True


def _batched(*objects):
    step, batched = _step_loop(es.Network(*objects, threads=2))
    return batched and "eqsnn_barrier" not in step


def test_neurons_and_spike_or_rate_monitors_run_in_batches():
    cells = _cells()
    assert _batched(cells)
    assert _batched(cells, es.SpikeMonitor(cells), es.PopulationRateMonitor(cells),
                    es.SpikeMonitor(cells[10:40], record=False))
    # several groups, each on its own; Poisson input onto one's own neurons
    other = _cells(70, seed=2)
    drive = es.PoissonInput(other, "v", 20, 50 * Hz, weight=0.5 * mV)
    assert _batched(cells, other, drive, es.SpikeMonitor(other))


def test_anything_reading_other_threads_neurons_brings_the_barrier_back():
    cells = _cells()
    spikes = es.SpikeMonitor(cells)
    recurrent = es.Synapses(cells, cells, on_pre="v_post += 0.5*mV")
    recurrent.connect(p=0.1)
    assert not _batched(cells, spikes, recurrent)
    summed = es.Synapses(cells, cells, "w : 1\nI_post = w*v_pre : volt (summed)")
    summed.connect(p=0.1)
    assert not _batched(cells, spikes, summed)
    # (a sum of synaptic values alone reads its own thread's synapses only)
    own_sum = es.Synapses(cells, cells, "w : volt\nI_post = w : volt (summed)")
    own_sum.connect(p=0.1)
    assert _batched(cells, spikes, own_sum)
    # a monitor of values at each spike, of the state, or one counting before the spikes
    assert not _batched(cells, es.SpikeMonitor(cells, variables="v"))
    # (a state monitor of the group's own variables: each thread records its neurons)
    assert _batched(cells, spikes, es.StateMonitor(cells, "v", record=[0, 100]))
    assert not _batched(cells, es.SpikeMonitor(cells, when="start"))
    # a linked variable read from another group, a shared variable written by all
    leader = _cells(150, seed=3)
    follower = es.NeuronGroup(150, """
        dv/dt = (x - v)/(10*ms) : volt
        x : volt (linked)
        """, threshold="v > -55*mV", reset="v = -65*mV", method="euler")
    follower.x = es.linked_var(leader, "v")
    assert not _batched(leader, follower)
    assert not _batched(leader, follower, es.StateMonitor(follower, "x", record=[3, 140]))
    shared = es.NeuronGroup(150, """
        dv/dt = -v/(10*ms) : 1
        dc/dt = 1/ms : 1 (shared)
        """, threshold="v > c", reset="v = 0", method="euler")
    assert not _batched(shared)


def _run(backend, threads, *, schedule):
    cells = _cells()
    slow = _cells(90, seed=5, dt=0.3 * ms)  # a slower clock: no spikes between its steps
    drive = es.PoissonInput(cells, "v", 20, 40 * Hz, weight=0.4 * mV)
    spikes = es.SpikeMonitor(cells)            # grows from 1024 entries during the run
    part = es.SpikeMonitor(cells[20:90])
    counts = es.SpikeMonitor(slow, record=False)
    slow_spikes = es.SpikeMonitor(slow)
    rate = es.PopulationRateMonitor(cells[100:])
    # each thread records its own neurons (blocks of 64: 0-63, 64-127, 128-149)
    state = es.StateMonitor(cells, ["v", "I"], record=[149, 0, 70, 63, 64, 128])
    slow_state = es.StateMonitor(slow[10:80], "v", record=True, dt=0.6 * ms)
    net = es.Network(cells, slow, drive, spikes, part, counts, slow_spikes, rate, state,
                     slow_state, backend=backend, seed=11, threads=threads)
    if backend == "c" and threads > 1:
        assert _step_loop(net)[1]
    schedule(net)
    return {"i": spikes.i, "t": spikes.t_, "part_i": part.i, "part_t": part.t_,
            "counts": counts.count, "slow_i": slow_spikes.i, "slow_t": slow_spikes.t_,
            "rate": rate.rate_, "rate_t": rate.t_, "v": cells.v_, "slow_v": slow.v_,
            "state_v": state.v_, "state_I": state.I_, "state_t": state.t_,
            "slow_state_v": slow_state.v_, "slow_state_t": slow_state.t_,
            "lastspike": cells._lastspike.copy()}


def _odd_runs(net):
    """Runs of 1, 7, 13 and 263 steps, then, after a store, 40 more steps twice (the
    second time from the restored state), and 12 steps at another dt."""
    for steps in (1, 7, 13, 263):
        net.run(steps * 0.1 * ms)
    net.store()
    net.run(4 * ms)
    net.restore()
    net.run(4 * ms)
    net.dt = 0.05 * ms
    net.run(0.6 * ms)


#: (schedule, steps of a batch at most): 4 sets of 1 step leave the spike monitors room
#: for 5 steps' worst case only, so their buffers grow during the run
SCHEDULES = {"one run": (lambda net: net.run(200 * ms), 1), "odd runs": (_odd_runs, 128)}


@pytest.fixture(scope="module", params=sorted(SCHEDULES))
def runs(request):
    schedule, batch = SCHEDULES[request.param]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("eqsnn.codegen.network.MAX_BATCH_STEPS", batch)
        results = {threads: _run("c", threads, schedule=schedule) for threads in THREADS}
    results["numpy"] = _run("numpy", 1, schedule=schedule)
    results["grown"] = request.param == "one run"
    return results


@pytest.mark.parametrize("threads", THREADS[1:])
def test_batches_give_the_same_results_bit_for_bit_on_any_number_of_threads(runs, threads):
    one, many = runs[1], runs[threads]
    if runs["grown"]:
        assert one["i"].size > 2 * 1024  # (the buffers grew during the run)
    assert one["slow_i"].size > 50 and one["part_i"].size > 50
    for name in one:
        assert np.array_equal(one[name], many[name]), name


def test_batches_record_what_the_numpy_backend_records(runs):
    threaded, reference = runs[3], runs["numpy"]
    for name in ("i", "t", "part_i", "part_t", "counts", "slow_i", "slow_t", "rate",
                 "rate_t", "lastspike"):
        np.testing.assert_array_equal(threaded[name], reference[name], err_msg=name)
    for name in ("state_t", "slow_state_t", "state_I"):
        np.testing.assert_array_equal(threaded[name], reference[name], err_msg=name)
    for name in ("v", "slow_v", "state_v", "slow_state_v"):
        np.testing.assert_allclose(threaded[name], reference[name], rtol=0, atol=1e-12,
                                   err_msg=name)


def test_a_spike_monitor_makes_room_for_a_whole_batch():
    """Before a run, a spike monitor's buffers get room for the worst case of the
    ring's batches (a batch starts while the last 3 may not be recorded) and one step more (every neuron spiking at every step), so that batches are not cut
    short by a nearly full buffer (the memory is touched only where spikes are); and,
    before the first call (100 steps), room for that call's worst case besides (it
    knows no rate yet: SpikeMonitor._make_room_for_call), twice."""
    cells = _cells()
    spikes = es.SpikeMonitor(cells)
    net = es.Network(cells, spikes, threads=2)
    net.run(10 * ms)
    batch = net._builder().batch_steps()
    assert batch == 4 * 128  # (150 neurons: 4 sets of the most steps a batch may have)
    worst = (batch + 1) * cells.N
    assert spikes._i.shape[0] == worst + 2 * 100 * cells.N


def test_a_state_monitor_of_a_link_into_its_own_group_is_recorded_by_one_thread():
    """``mirror`` reads the v of neuron N-1-k: another thread's neuron, so one thread
    records it (after the others have written), on any number of threads the same."""
    recorded = {}
    for threads in THREADS:
        cells = es.NeuronGroup(150, """
            dv/dt = (-65*mV - v + 12*mV*i/N)/(10*ms) + 2*mV*xi/sqrt(ms) : volt
            mirror : volt (linked)
            """, threshold="v > -55*mV", reset="v = -65*mV", method="euler", seed=3)
        cells.v = "-65*mV + 10*mV*rand()"
        cells.mirror = es.linked_var(cells, "v", index=np.arange(149, -1, -1))
        state = es.StateMonitor(cells, ["mirror", "v"], record=[0, 70, 149])
        net = es.Network(cells, state, seed=5, threads=threads)
        assert "each thread records its own neurons" not in net._builder().build().source
        net.run(5 * ms)
        recorded[threads] = state.mirror_
        # (Brian2's layout, a row per recorded neuron: the mirror of 0 is v of 149)
        np.testing.assert_array_equal(state.mirror_[0], state.v_[2])
    for threads in THREADS[1:]:
        assert np.array_equal(recorded[1], recorded[threads])


def _fine_cut(*objects):
    """Whether the batch's threads share the groups' neurons in blocks of 16 (the cut
    itself: tests/runtime/test_thread_chunks.py); thread 0's gathers after the batch
    then find each thread's spikes where its share begins, cut at the group's unit."""
    source = es.Network(*objects, threads=2)._builder().build().source
    fine = "_unit = EQSNN_FINE_BLOCK;" in source
    assert fine != ("_unit = EQSNN_BLOCK;" in source)
    assert "eqsnn_block(_g0_N, _t * _g0_chunks + _j, _nt * _g0_chunks, _g0_unit)" in source
    return fine


def test_a_batch_of_own_neurons_shares_them_in_blocks_of_16():
    cells = _cells()
    spikes = es.SpikeMonitor(cells)
    assert _fine_cut(cells, spikes, es.PopulationRateMonitor(cells))
    assert _fine_cut(cells, spikes, es.StateMonitor(cells, "v", record=[0, 100]))
    other = _cells(70, seed=2)
    drive = es.PoissonInput(other, "v", 20, 50 * Hz, weight=0.5 * mV)
    assert _fine_cut(cells, other, drive, es.SpikeMonitor(other))
    # a sum of synaptic values takes each thread's synapses, cut by blocks of 64
    own_sum = es.Synapses(cells, cells, "w : volt\nI_post = w : volt (summed)")
    own_sum.connect(p=0.1)
    assert _batched(cells, spikes, own_sum) and not _fine_cut(cells, spikes, own_sum)
