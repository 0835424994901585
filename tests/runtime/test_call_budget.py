"""A call of the loop ends by itself once its time budget is spent.

run() asks a loop that keeps to a budget (``Program.timed``) for the rest of the run at
every call, with CHUNK_SECONDS of wall time (runtime/chunks.py); thread 0 ends the call at
the first step boundary after it (the compiled loop's ``_may_run`` word, one step ahead,
or the room of a batch that has not started: templates/network.c.j2), and Python looks
at Ctrl-C, progress and NaN before calling again. So a short run is one call (the first
run of Izhikevich 1000 was two, 100 + 1900 steps, to learn the speed), and a run whose
steps are slow still returns to Python that often.

These count the calls (never time them): with a budget a run cannot spend, every run is
one call; with a budget of 0, every call of a loop with a barrier per step is one step
and every call of a loop in batches a few batches. Either way the spikes, state and
monitors are the same, bit for bit, as numpy's (the reference) and on 1, 2 and 3
threads, over several runs, with a variable set between runs, arrays replaced
(synapses connected again, a monitor added), store/restore and a network operation. A
loop whose threads never wait for each other cannot keep to a budget, and is asked for
100 steps first, as before.
"""
from __future__ import annotations

import numpy as np
import pytest

import eqsnn as es
from eqsnn.runtime import chunks
from eqsnn.units import ms, mV

THREADS = (1, 2, 3)
RUNS = (20 * ms, 0.3 * ms, 137.7 * ms)  # (200, 3 and 1377 steps at dt = 0.1 ms)
#: a budget no run of these tests spends (60 s a call)
FOREVER = 60.0


def _neurons(n: int, seed: int):
    """Izhikevich neurons (Euler, noise through rand() in the reset), firing."""
    cells = es.NeuronGroup(n, """
        dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u + I)/ms : volt
        du/dt = a*(b*v - u)/ms : volt
        I : volt
        """, threshold="v >= 30*mV", reset="v = -65*mV + 10*mV*rand(); u += 8*mV",
        method="euler", namespace={"a": 0.02, "b": 0.2}, seed=3)
    cells.v = "-65*mV + 5*mV*rand()"
    cells.u = "0.2*v"
    cells.I = "4*mV + 8*mV*rand()"
    return cells


KINDS = ("barrier", "batches", "no monitor")


def _network(kind: str, backend: str, threads: int):
    """``barrier``: synapses and monitors (thread 0 checks room and time one step
    ahead); ``batches``: monitors of spikes only (steps in batches); ``no monitor``:
    synapses only (thread 0 checks the time alone)."""
    cells = _neurons(300, 3)
    objects, monitors = [cells], {}
    if kind != "batches":
        syn = es.Synapses(cells[:240], cells, "w : volt", on_pre="v_post += w", seed=5)
        syn.connect(p=0.1)
        syn.w = "0.5*mV*rand()"
        objects.append(syn)
    if kind != "no monitor":
        monitors["spikes"] = es.SpikeMonitor(cells)
        monitors["some"] = es.SpikeMonitor(cells[100:200])
    if kind == "barrier":
        monitors["state"] = es.StateMonitor(cells, ["v", "u"], record=[0, 150, 299])
    net = es.Network(*objects, *monitors.values(), backend=backend, threads=threads,
                     seed=7)
    return net, cells, monitors


def net_source(kind: str, threads: int):
    """The compiled module's source of a network of ``kind`` on ``threads``."""
    return _network(kind, "c", threads)[0]._build().source


def _counted(net) -> list[tuple[int, int]]:
    """(steps asked, steps done) of every call of net's loop from now on."""
    calls = []
    program = net._build()
    run = program.run

    def counted(start, n, dt, seed):
        done = run(start, n, dt, seed)
        calls.append((n, done))
        return done
    program.run = counted
    return calls


def _state(cells, monitors) -> dict[str, np.ndarray]:
    out = {"v": cells.v_.copy(), "u": cells.u_.copy(),
           "lastspike": cells._lastspike.copy()}
    for name, mon in monitors.items():
        if name == "state":
            out["state.v"], out["state.u"], out["state.t"] = mon.v_, mon.u_, mon.t_
        else:
            out[f"{name}.i"], out[f"{name}.t"] = mon.i, mon.t_
    return out


def _runs(kind: str, backend: str, threads: int) -> tuple[dict, list]:
    """RUNS, I changed after the first; the state and monitors after each, and the
    calls of each run."""
    net, cells, monitors = _network(kind, backend, threads)
    calls, results = [], {}
    made = _counted(net)
    for k, duration in enumerate(RUNS):
        if k == 1:
            cells.I = "6*mV + 6*mV*rand()"
        net.run(duration)
        calls.append(list(made))
        made.clear()
        results.update({f"{k}:{name}": v for name, v in _state(cells, monitors).items()})
    return results, calls


def _assert_same(got: dict, expected: dict, what: str, exact: bool = True) -> None:
    assert got.keys() == expected.keys()
    for name in expected:
        if not exact and not name.endswith((".i", ".t", "lastspike")):
            # (numpy's arithmetic against gcc's: the spikes are the same)
            np.testing.assert_allclose(got[name], expected[name], rtol=0, atol=1e-9,
                                       err_msg=f"{what}: {name}")
        else:
            np.testing.assert_array_equal(got[name], expected[name],
                                          err_msg=f"{what}: {name}")


@pytest.mark.parametrize("kind", KINDS)
def test_a_run_is_one_call_while_its_budget_lasts(kind, monkeypatch):
    """A loop that keeps to a budget is asked for every step of a run at once; with a
    budget the run cannot spend, that is the run's only call (on any number of
    threads, the numpy twin too)."""
    monkeypatch.setattr(chunks, "CHUNK_SECONDS", FOREVER)
    steps = [round(duration / (0.1 * ms)) for duration in RUNS]
    for backend, threads in [("numpy", 1)] + [("c", t) for t in THREADS]:
        net, _, _ = _network(kind, backend, threads)
        assert net._build().timed, (kind, backend)
        _, calls = _runs(kind, backend, threads)
        assert calls == [[(n, n)] for n in steps], (kind, backend, threads)


@pytest.mark.parametrize("kind", KINDS)
def test_a_spent_budget_ends_a_call_and_changes_no_result(kind, monkeypatch):
    """Budget 0: a loop with a barrier per step does one step a call, one in batches
    its first batches; the spikes, state and monitors are those of one call per run,
    on 1, 2 and 3 threads, and numpy's."""
    reference, _ = _runs(kind, "numpy", 1)
    assert reference["2:v"].size == 300
    with monkeypatch.context() as patch:
        patch.setattr(chunks, "CHUNK_SECONDS", FOREVER)
        whole = {t: _runs(kind, "c", t)[0] for t in THREADS}
    monkeypatch.setattr(chunks, "CHUNK_SECONDS", 0.0)
    for threads in THREADS:
        _assert_same(whole[threads], reference, f"{kind}, {threads} threads, numpy's",
                     exact=False)
        _assert_same(whole[threads], whole[1], f"{kind}, {threads} against 1 thread")
        got, calls = _runs(kind, "c", threads)
        _assert_same(got, whole[1], f"{kind}, budget 0, {threads} threads")
        done = [d for run in calls for _, d in run]
        assert sum(done) == sum(round(r / (0.1 * ms)) for r in RUNS)
        if kind == "batches":  # (a call runs the batches whose room it was given)
            slots = dict(net_source(kind, threads).int_scalars)["_batch_steps"]()
            assert max(done) <= slots < 1377 and len(done) > len(RUNS), (threads, done)
        else:
            assert set(done) == {1}, (threads, calls)
    numpy, calls = _runs(kind, "numpy", 1)
    _assert_same(numpy, reference, f"{kind}, numpy, budget 0")
    assert {d for run in calls for _, d in run} == {1}


def test_a_loop_whose_threads_never_wait_is_asked_for_chunks(monkeypatch):
    """Neurons without threshold or monitor: the threads never wait for each other
    within a call, so no thread can tell the others where the time is up; run()
    asks for 100 steps first and then what their speed suggests, as before."""
    monkeypatch.setattr(chunks, "CHUNK_SECONDS", FOREVER)
    values = {}
    for backend, threads in (("c", 1), ("c", 2), ("c", 3), ("numpy", 1)):
        cells = es.NeuronGroup(500, "dv/dt = (I - v)/(10*ms) : volt\nI : volt",
                               method="exact")
        cells.I = "10*mV*i/N"
        net = es.Network(cells, backend=backend, threads=threads)
        assert net._build().timed == (backend == "numpy")
        calls = _counted(net)
        net.run(100 * ms)
        if backend == "c":
            assert calls[0] == (100, 100) and len(calls) == 2, calls
        else:
            assert calls == [(1000, 1000)]
        values[backend, threads] = cells.v_.copy()
    for threads in THREADS:
        np.testing.assert_array_equal(values["c", threads], values["c", 1])
    np.testing.assert_allclose(values["c", 1], values["numpy", 1], rtol=0, atol=1e-15)


def _network_operations(backend: str, threads: int, budget: float, monkeypatch):
    """Spikes and state with a network operation every 1 ms that changes I, a monitor
    added, the synapses connected again (new arrays) and a restore between runs."""
    monkeypatch.setattr(chunks, "CHUNK_SECONDS", budget)
    net, cells, monitors = _network("barrier", backend, threads)
    seen = []

    @es.network_operation(dt=1 * ms)
    def drive(t):
        seen.append(float(t / ms))
        cells.I = f"{4 + len(seen) % 3}*mV + 4*mV*i/N"
    net.add(drive)
    net.store()
    net.run(5 * ms)
    first = _state(cells, monitors)
    net.restore()
    seen.clear()
    net.run(5 * ms)
    again = _state(cells, monitors)
    late = es.SpikeMonitor(cells[:50])
    net.add(late)
    syn = next(o for o in net.objects if isinstance(o, es.Synapses))
    syn.connect(p=0.02)  # (more synapses: the arrays the loop is handed are new)
    syn.w = "0.2*mV"
    net.run(4.4 * ms)
    out = {**{f"first:{k}": v for k, v in first.items()},
           **{f"again:{k}": v for k, v in again.items()},
           **{f"end:{k}": v for k, v in _state(cells, monitors).items()},
           "late.i": late.i, "late.t": late.t_, "seen": np.array(seen)}
    return out


def test_calls_ended_by_the_budget_with_network_operations_and_new_arrays(monkeypatch):
    """Network operations (the loop pauses for them), restore(), a monitor added and
    synapses connected between runs: the same with calls of one step as with calls
    that end at the operations only, and as numpy's."""
    reference = _network_operations("numpy", 1, FOREVER, monkeypatch)
    for key in ("spikes.i", "v"):
        np.testing.assert_array_equal(reference[f"first:{key}"], reference[f"again:{key}"])
    assert reference["late.i"].size > 0
    for threads in THREADS:
        whole = _network_operations("c", threads, FOREVER, monkeypatch)
        short = _network_operations("c", threads, 0.0, monkeypatch)
        _assert_same(whole, reference, f"{threads} threads, numpy's", exact=False)
        _assert_same(short, whole, f"{threads} threads, budget 0")


def test_the_budget_is_only_for_calls_in_a_run():
    """run() hands the loop CHUNK_SECONDS; outside a run (the program called directly,
    as benchmarks do) a call has no budget."""
    net, _, _ = _network("barrier", "c", 2)
    budgets = []
    program = net._build()
    get = dict(program.source.int_scalars)["_budget_ns"]
    run = program.run
    program.run = lambda *a: budgets.append(get()) or run(*a)
    net.run(1 * ms)
    assert budgets == [round(chunks.CHUNK_SECONDS * 1e9)]
    assert get() == -1


def test_the_progress_bar_counts_every_step_of_calls_ended_by_the_budget(monkeypatch):
    """progress=True: the bar is made after the first call and counts the steps of
    every call, however the budget cut the run."""
    bars = []

    class Bar:
        def __init__(self, total, initial, **_):
            self.total, self.n, self.closed = total, initial, False
            bars.append(self)

        def update(self, n):
            self.n += n

        def close(self):
            self.closed = True
    monkeypatch.setattr(chunks, "progress_bar", Bar)
    monkeypatch.setattr(chunks, "CHUNK_SECONDS", 0.0)
    net, _, _ = _network("barrier", "c", 2)
    calls = _counted(net)
    net.run(1 * ms)
    net.run(2 * ms, progress=True)
    assert len(calls) == 30 and len(bars) == 1
    assert (bars[0].total, bars[0].n, bars[0].closed) == (30, 30, True)
