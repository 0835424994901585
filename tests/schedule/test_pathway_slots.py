"""A pathway in any slot of a step delivers its spikes when Brian2 does.

Brian2's pathway queues the spikes it finds in its sender's spike list in its own slot
and delivers those whose delay is up: a pathway after its sender's threshold (the
default ``synapses`` slot) delivers a spike of step n to a synapse of delay d at step
n + d, a pathway before it (``before_thresholds``, ``start``, ``groups``, or
``thresholds`` at a lower order) at n + 1 + d. eqsnn fills each pathway's ring at the
threshold and reads it one step further back for a pathway before the threshold
(runtime/propagation.py, ``lag``).

The network (tests/schedule/_pathway_slots.py): one delay, zero delay, mixed delays
with and without zero, ``on_pre`` and ``on_post``, a NeuronGroup, a SpikeGeneratorGroup
(a spike at step 0) and a PoissonGroup as senders, ties with the threshold broken by
name. Brian2's numbers: brian2_pathway_slots.json, written by
``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python tests/schedule/brian2_pathway_slots.py``
(Brian2 2.9.0, numpy target, the same network built by the same module), every slot of
Brian2's default schedule and a schedule with the synapses before the thresholds.
"""
from __future__ import annotations

import json
import pathlib
import re

import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms, mV

import _pathway_slots as slots

BRIAN2 = json.loads((pathlib.Path(__file__).parent / "brian2_pathway_slots.json")
                    .read_text())["cases"]


def run(when, order, backend, threads=1, *, schedule=None, halves=False):
    objects = slots.build(es, ms, when, order)
    net = es.Network(*objects, backend=backend, threads=threads)
    if schedule is not None:
        net.schedule = list(schedule)
    if halves:  # spikes in flight stay in flight between runs
        net.run(slots.DURATION / 2 * ms)
        net.run(slots.DURATION / 2 * ms)
    else:
        net.run(slots.DURATION * ms)
    return slots.arrivals(objects[-1])


@pytest.mark.parametrize("backend", ["c", "numpy"])
@pytest.mark.parametrize("when, order", slots.CASES, ids=[slots.key(*c) for c in slots.CASES])
def test_a_pathway_in_any_slot_delivers_when_brian2_does(when, order, backend):
    assert run(when, order, backend) == BRIAN2[slots.key(when, order)]


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_schedule_with_the_synapses_first_delivers_when_brian2_does(backend):
    found = run("synapses", None, backend, schedule=slots.SYNAPSES_FIRST)
    assert found == BRIAN2[slots.SYNAPSES_FIRST_KEY]


@pytest.mark.parametrize("threads", [2, 3])
@pytest.mark.parametrize("when, order", [("before_thresholds", None), ("start", None),
                                         ("thresholds", 0), ("synapses", None)])
def test_on_more_threads_the_same_arrivals(when, order, threads):
    assert run(when, order, "c", threads) == BRIAN2[slots.key(when, order)]


@pytest.mark.parametrize("backend", ["c", "numpy"])
@pytest.mark.parametrize("when", ["before_thresholds", "synapses"])
def test_spikes_in_flight_arrive_in_the_next_run(when, backend):
    assert run(when, None, backend, halves=True) == BRIAN2[when]


@pytest.mark.parametrize("backend", ["c", "numpy"])
@pytest.mark.parametrize("when, brian2", [
    ("synapses", [([1.5, 2.0], [10.0, 1.0]), ([3.0, 3.5], [1.0, 10.0])]),
    ("before_thresholds", [([2.0, 2.5], [10.0, 1.0]), ([3.5, 4.0], [1.0, 10.0])]),
])
def test_before_a_slower_senders_threshold_a_step_of_its_clock_later(when, brian2, backend):
    """A sender on a clock of 0.5 ms in a loop of 0.1 ms: a pathway before its threshold
    finds its spikes at its next step, 5 loop steps later, as Brian2 (whose pathway runs
    on the sender's clock). Brian2 2.9.0, numpy target: the network of
    test_delays_on_clocks.py with ``S.pre.when = S2.pre.when = when``, the times at
    which each ``M.v[k]`` steps up, and by how much."""
    G = es.SpikeGeneratorGroup(2, [0, 1], [1 * ms, 2 * ms], dt=0.5 * ms)
    H = es.NeuronGroup(2, "v : 1")
    S = es.Synapses(G, H, on_pre="v += 1", delay=1.2 * ms)
    S.connect(j="i")
    S2 = es.Synapses(G, H, "w : 1", on_pre="v += 10")
    S2.connect(j="i")
    S2.delay = [0.7, 1.3] * ms
    S.pre.when = S2.pre.when = when
    M = es.StateMonitor(H, "v", record=True, when="end")
    es.Network(G, H, S, S2, M, dt=0.1 * ms, backend=backend).run(6 * ms)
    for k, (times, increments) in enumerate(brian2):
        v = M.v_[k]
        jumps = np.diff(np.r_[0.0, v])
        up = np.flatnonzero(jumps > 0)
        np.testing.assert_allclose(M.t_[up] * 1e3, times, atol=1e-9)
        assert list(jumps[up]) == increments


def test_the_ring_of_a_pathway_before_the_threshold_has_one_slot_more():
    """It holds the spikes of the step before too: a delay of 2 steps reads the spikes
    of 3 steps ago, and the slot the threshold fills in this step is never read."""
    objects = slots.build(es, ms, "before_thresholds")
    net = es.Network(*objects, backend="numpy")
    net.run(0.1 * ms)
    single = next(o for o in objects if getattr(o, "name", "") == "s_single")
    assert single._propagation["pre"].D == 2 + 1 + 1
    assert single.memory_bytes() > 0  # (a memory report keeps the structure it was run with)
    assert single._propagation["pre"].D == 4


def test_the_example_of_the_running_page_prints_what_it_says(capsys):
    page = (pathlib.Path(__file__).parents[2] / "docs" / "running.md").read_text()
    block, = [b for b in re.findall(r"```python\n(.*?)```", page, re.S)
              if "before_thresholds" in b]
    exec(compile(block, "docs/running.md", "exec"), {})  # noqa: S102 (our own docs)
    assert capsys.readouterr().out.split() == ["13", "14"]


# --- many neurons, several threads ------------------------------------------------------

def _network(backend: str, threads: int, when: str):
    """Pathways before the threshold on a network the threads split: random delays,
    on_pre onto a subgroup and on_post, a spike generator's unsorted spikes."""
    group = es.NeuronGroup(260, """
        dv/dt = (ge - (v + 49*mV))/(10*ms) : volt (unless refractory)
        dge/dt = -ge/(5*ms) : volt
        da/dt = -a/(20*ms) : 1
        """, threshold="v > -50*mV", reset="v = -60*mV", refractory=2 * ms,
        method="exact", seed=1)
    group.v = "-60*mV + rand()*12*mV"
    given = es.SpikeGeneratorGroup(8, [7, 3, 0, 5, 2, 1, 4, 6] * 3,
                                   np.repeat([0, 9, 17], 8) * ms)
    kicks = es.Synapses(given, group, on_pre="v_post += 4*mV", seed=3)
    kicks.connect(p=0.6)
    kicks.delay = "(i % 3)*0.1*ms"
    recurrent = es.Synapses(group[:200], group[30:], on_pre="ge += 0.8*mV", seed=4)
    recurrent.connect(p=0.08)
    recurrent.delay = "rand()*2*ms"
    plastic = es.Synapses(group[10:120], group[100:230], "w : 1", on_pre="ge += w*mV",
                          on_post="w = clip(w + 0.05, 0, 2); a_pre += 1", seed=6)
    plastic.connect(p=0.2)
    plastic.w = "rand()"
    plastic.delay = "rand()*0.5*ms"
    plastic.post.delay = "j*0.05*ms"
    for path in (kicks.pre, recurrent.pre, plastic.pre, plastic.post):
        path.when = when
    spikes = es.SpikeMonitor(group)
    net = es.Network(group, given, kicks, recurrent, plastic, spikes, backend=backend,
                     seed=7, threads=threads)
    net.run(30 * ms)
    return {"i": spikes.i, "t": spikes.t_, "v": group.v_, "ge": group.ge_, "a": group.a_,
            "w": plastic.w_}


@pytest.mark.parametrize("when", ["before_thresholds", "start"])
def test_pathways_before_the_threshold_are_bit_identical_on_any_number_of_threads(when):
    runs = {threads: _network("c", threads, when) for threads in (1, 2, 3)}
    assert runs[1]["i"].size > 200
    for threads in (2, 3):
        for name, value in runs[1].items():
            assert np.array_equal(value, runs[threads][name]), (threads, name)
    reference = _network("numpy", 1, when)
    np.testing.assert_array_equal(runs[2]["i"], reference["i"])
    np.testing.assert_array_equal(runs[2]["t"], reference["t"])
    for name in ("v", "ge", "a", "w"):
        scale = np.max(np.abs(reference[name]))
        np.testing.assert_allclose(runs[2][name], reference[name], rtol=0,
                                   atol=1e-11 * scale, err_msg=name)
