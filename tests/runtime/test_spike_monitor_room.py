"""A spike monitor's buffers between the calls of the loop, and the calls themselves.

Before each call of the compiled (or numpy) loop, a SpikeMonitor or EventMonitor makes
room for what the call is expected to record (``_make_room_for_call``: 1.5 times the
rate so far, or the call's worst case capped at ``FIRST_ROOM`` before any rate is
known); a call that records more stops where the buffer is full, Python doubles it and
calls again. Chunks of steps grow by at most 4 times, or up to a quarter of the wall
time aimed at (``next_chunk``). Neither may change what is recorded: these tests run
networks whose rate rises through the run (past every estimate, so the loop does stop
for room), in several runs of odd lengths, and check the monitors against the numpy
backend, against the loop as it was before (stopping at the doubling of small buffers,
chunks of 100, 400, 1600 ...) and across 1, 2 and 3 threads, bit for bit.
"""
from __future__ import annotations

import numpy as np
import pytest

import eqsnn as es
from eqsnn.runtime import chunks, spike_monitors
from eqsnn.units import ms, mV

THREADS = (1, 2, 3)
RUNS = (1 * ms, 80 * ms, 47.3 * ms)  # (10, 800 and 473 steps at dt = 0.1 ms)


def _network(backend: str, threads: int, synapses: bool):
    """300 leaky neurons, silent in the first run (its one call gets twice the room of
    its worst case, 10 steps; a rate of 0 is what the next run's first call expects: it
    records far more, and stops), driven harder from the second run on and more with
    every step, with a custom event; with
    synapses (a barrier per step, thread 0 records one step ahead) or without (steps in
    batches)."""
    cells = es.NeuronGroup(300, """
        dv/dt = (El - v + I*(1 + t/(20*ms)))/(10*ms) : volt (unless refractory)
        I : volt
        """, threshold="v > -55*mV", reset="v = El + 4*mV*rand()", refractory=1 * ms,
        method="euler", namespace={"El": -65 * mV}, events={"high": "v > -57*mV"}, seed=4)
    cells.v = "El + 2*mV*rand()"
    cells.I = "2*mV + 2*mV*i/N"
    monitors = {"all": es.SpikeMonitor(cells), "sub": es.SpikeMonitor(cells[70:230]),
                "counts": es.SpikeMonitor(cells[100:], record=False),
                "high": es.EventMonitor(cells, "high")}
    objects = [cells]
    if synapses:
        exc = es.Synapses(cells[:200], cells, "w : volt", on_pre="v_post += w", seed=5)
        exc.connect(p=0.05)
        exc.w = "0.3*mV*rand()"
        objects.append(exc)
        monitors["values"] = es.SpikeMonitor(cells[40:260], variables=["v"])
        monitors["values only"] = es.SpikeMonitor(cells[10:50], variables=["v"],
                                                  record=False)
    net = es.Network(*objects, *monitors.values(), backend=backend, threads=threads,
                     seed=6)
    return net, cells, monitors


def _record(monitors) -> dict[str, np.ndarray]:
    out = {"n": np.array([len(m) for m in monitors.values()])}
    for name, mon in monitors.items():
        if mon.record:
            out[f"{name}.i"], out[f"{name}.t"] = mon.i, mon.t_
        else:
            out[f"{name}.count"] = mon.count
        if mon.variables:
            out[f"{name}.v"] = mon.v_
    return out


def _run(backend: str, threads: int, synapses: bool):
    """The monitors after RUNS, and for each monitor how often a call stopped with its
    buffer full (its room less than the worst case of the next steps)."""
    net, cells, monitors = _network(backend, threads, synapses)
    full = {name: 0 for name in monitors}
    for k, duration in enumerate(RUNS):
        if k == 1:
            cells.I = "16*mV + 6*mV*i/N"
        program = net._build()
        run = program.run
        def counted(start, n, dt, seed, run=run):
            done = run(start, n, dt, seed)
            for name, mon in monitors.items():
                if done < n and mon._kept() and mon._capacity() - len(mon) < \
                        (1 + mon._batch()) * (mon.stop - mon.start):
                    full[name] += 1
            return done
        program.run = counted
        try:
            net.run(duration)
        finally:
            program.run = run
    return _record(monitors), full


#: chunk plans: the steps a call makes room for (it is asked for the rest of the run,
#: within its time budget: runtime/chunks.py): the rest of the run, or 7 steps (the
#: room expected changes at every call, and calls stop for room more often)
PLANS = {"whole": lambda chunk, done, elapsed: 10_000_000,
         "small": lambda chunk, done, elapsed: 7}


def _old_policy(monkeypatch):
    """The calls as before: no room for a call's expected events (only the loop's
    worst case: a buffer grows when full, the call stops there), chunks of at most 4
    times the last."""
    monkeypatch.setattr(spike_monitors.SpikeMonitor, "_make_room_for_call",
                        lambda self, step, steps: self._make_room())
    monkeypatch.setattr(chunks, "next_chunk", lambda chunk, done, elapsed: max(
        1, min(int(done * chunks.CHUNK_SECONDS / elapsed) if done > 0 and elapsed > 0
               else chunk, 4 * chunk)))


def _assert_same(got: dict, expected: dict, what: str, values_exact=True) -> None:
    assert got.keys() == expected.keys()
    for name in expected:
        if name.endswith(".v") and not values_exact:  # (gcc's and numpy's arithmetic)
            np.testing.assert_allclose(got[name], expected[name], rtol=0, atol=1e-12,
                                       err_msg=f"{what}: {name}")
        else:
            np.testing.assert_array_equal(got[name], expected[name],
                                          err_msg=f"{what}: {name}")


@pytest.mark.parametrize("synapses", [True, False], ids=["barrier-per-step", "batches"])
def test_monitors_record_the_same_with_room_made_per_call(synapses, monkeypatch):
    """Spikes, events and values the same as numpy's and as before, on 1, 2 and 3
    threads, whether a call has room for the rest of the run or stops for more."""
    reference, _ = _run("numpy", 1, synapses)
    assert reference["n"][0] > 15_000  # (the first run's call made room for 6600)
    results = {}
    for plan, next_chunk in PLANS.items():
        with monkeypatch.context() as patch:
            patch.setattr(chunks, "next_chunk", next_chunk)
            for threads in THREADS:
                got, full = _run("c", threads, synapses)
                _assert_same(got, reference, f"{plan}, {threads} threads, numpy's", False)
                results[plan, threads] = got
                if plan == "whole":  # (the second run's first call expects ~0 events:
                    # a buffer fills, the first to do so stops the call)
                    assert sum(full.values()) > 0, (threads, full)
    with monkeypatch.context() as patch:
        _old_policy(patch)
        for threads in (1, 2):
            before, full = _run("c", threads, synapses)
            results["before", threads] = before
            assert full["all"] > 0
    for key, got in results.items():
        _assert_same(got, results["whole", 1], f"{key} against whole, 1 thread")


def test_the_recorded_arrays_are_whole_and_consistent():
    """What the monitors hold after runs that grew their buffers: every spike once, in
    time order, in range; the subgroup's spikes are the group's spikes of its neurons;
    the counts of record=False are those of the recorded spikes; the values at each
    spike are taken after the threshold, before the reset."""
    net, cells, monitors = _network("c", 2, True)
    for k, duration in enumerate(RUNS):
        if k == 1:
            cells.I = "16*mV + 6*mV*i/N"
        net.run(duration)
    every, sub = monitors["all"], monitors["sub"]
    steps = np.round(every.t_ / 1e-4).astype(np.int64)
    assert np.all(np.diff(steps) >= 0) and steps[-1] < net._step
    assert every.i.min() >= 0 and every.i.max() < 300
    assert len(set(zip(steps.tolist(), every.i.tolist()))) == every.num_spikes
    inside = (every.i >= 70) & (every.i < 230)
    np.testing.assert_array_equal(sub.i, every.i[inside] - 70)
    np.testing.assert_array_equal(sub.t_, every.t_[inside])
    np.testing.assert_array_equal(monitors["counts"].count,
                                  np.bincount(every.i, minlength=300)[100:])
    assert monitors["counts"].num_spikes == int((every.i >= 100).sum())
    values = monitors["values"]
    assert values.num_spikes == int(((every.i >= 40) & (every.i < 260)).sum())
    assert np.all(values.v_ > -55e-3)
    only = monitors["values only"]  # (record=False: the values and the counts)
    np.testing.assert_array_equal(only.count, np.bincount(every.i, minlength=300)[10:50])
    assert only.v_.shape == (only.num_spikes,) and np.all(only.v_ > -55e-3)
    # an event at every spike (v > -57 mV is true where v > -55 mV is)
    high = set(zip(np.round(monitors["high"].t_ / 1e-4).astype(int).tolist(),
                   monitors["high"].i.tolist()))
    assert set(zip(steps.tolist(), every.i.tolist())) <= high


def test_a_first_call_has_room_for_its_worst_case_up_to_a_bound():
    """Before it knows a rate, a monitor makes room for every neuron spiking at every
    step of the first call - for a small group; a large one for FIRST_ROOM events, not
    100 steps of it - twice (a buffer that grows doubles its room for events), beyond
    the worst case the loop itself checks for (two steps)."""
    for n, room in ((120, 120 * 100), (70_000, spike_monitors.FIRST_ROOM)):
        cells = es.NeuronGroup(n, "dv/dt = -v/(10*ms) : volt", threshold="v > 1*volt",
                               method="exact")
        spikes = es.SpikeMonitor(cells)
        net = es.Network(cells, spikes, backend="numpy")
        net.run(10 * ms)  # (100 steps: the first call; no spike)
        assert spikes.num_spikes == 0
        assert spikes._i.shape[0] == spikes._step.shape[0] == 2 * n + 2 * room, n


def test_a_later_call_expects_the_rate_so_far():
    """After a call, a monitor expects 1.5 times the events per step seen so far in
    the run (else in the last run), and grows only when that is more than it has: to
    twice the room for the events recorded and expected, besides the worst case."""
    cells = es.NeuronGroup(10, "v : 1", threshold="True", method="exact")
    spikes = es.SpikeMonitor(cells)
    net = es.Network(cells, spikes, backend="numpy")
    net.run(1 * ms)  # (10 steps: every neuron, every step; room for 2 + 10 steps)
    assert spikes.num_spikes == 100
    spikes._make_room_for(10, 10_000)
    spikes._make_room_for_call(10, 10_000)  # (a new run: the last run's rate, 10 a step)
    expected = int(1.5 * 10 * 10_000) + 1
    assert spikes._i.shape[0] == 2 * 10 + 2 * (100 + expected)
    spikes._make_room_for_call(10, 10_000)  # (the same again: room enough)
    assert spikes._i.shape[0] == 2 * 10 + 2 * (100 + expected)
    spikes.active = False  # (it records nothing: no room beyond the loop's own check)
    spikes._make_room_for_call(10, 10**7)
    assert spikes._i.shape[0] == 2 * 10 + 2 * (100 + expected)


@pytest.mark.parametrize("chunk,done,elapsed,expected", [
    (100, 100, 0.0005, 12_500),  # fast: up to a quarter of the aim at that speed
    (100, 100, 0.01, 625),       # also more than 4 times, within a quarter of the aim
    (100, 100, 0.05, 400),       # 4 times: a quarter of the aim would be fewer
    (100, 100, 0.1, 250),        # the aim itself is fewer than 4 times
    (1000, 1000, 1.0, 250),      # slower than the aim: fewer steps
    (100, 22, 0.0001, 13_750),   # a call stopped early: its speed, the chunk it had
    (100, 0, 0.0, 100),          # nothing done: the same chunk again
])
def test_chunks_grow_by_4_or_to_a_quarter_of_the_aim(chunk, done, elapsed, expected):
    assert chunks.CHUNK_SECONDS == 0.25
    assert chunks.next_chunk(chunk, done, elapsed) == expected


def test_a_run_asks_for_its_steps_and_makes_room_as_the_last_speed_says(monkeypatch):
    """A loop that keeps to a time budget (the numpy twin; runtime/chunks.py) is asked
    for every step of a run at once (one call, with a budget it cannot spend); a
    monitor makes room for the first run's steps (its worst case, up to FIRST_ROOM),
    later for the steps the last call's speed gives (next_chunk)."""
    monkeypatch.setattr(chunks, "CHUNK_SECONDS", 60.0)
    cells = es.NeuronGroup(10, "dv/dt = -v/(10*ms) : volt", method="exact")
    spikes = es.SpikeMonitor(cells)
    net = es.Network(cells, spikes, backend="numpy")
    asked, expected = [], []
    room = spikes._make_room_for_call
    spikes._make_room_for_call = lambda step, steps: expected.append(steps) or room(step, steps)
    net.run(20 * ms)
    assert expected == [200]
    program = net._build()
    assert program.timed
    run = program.run
    program.run = lambda start, n, dt, seed: asked.append(n) or run(start, n, dt, seed)
    last = net._last_chunk
    expected.clear()
    net.run(100 * ms)
    assert asked[0] == 1000 and sum(asked) == 1000
    assert expected[0] == min(1000, chunks.next_chunk(*last))
