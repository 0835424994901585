"""A pathway moved to the other side of its sender's threshold between two runs, written
once for eqsnn and for Brian2.

``build(sim, ms, first, delay, times)`` takes the simulator's module (``eqsnn`` or
``brian2``: the names used here are the same in both) and its millisecond: a generator
spiking at ``times`` (ms) drives one synapse of ``delay`` (ms) whose ``on_pre`` pathway
runs in slot ``first``; :func:`move_and_run` runs 2 ms, moves the pathway to ``second``
and runs 1 ms more; :func:`arrivals` reads the steps at which ``x`` of the target rose
(a StateMonitor in ``end``). tests/schedule/test_pathway_moves.py runs it with eqsnn,
tests/schedule/brian2_pathway_moves.py with Brian2 2.9.0 (brian2_pathway_moves.json).
"""
from __future__ import annotations

import numpy as np

SLOTS = ("synapses", "before_thresholds")  # after, and before, the generator's threshold
DELAYS = (0.0, 0.3)                         # ms: 0 and 3 steps of 0.1 ms
#: spikes at 0.5 ms and in the second run only: none in flight when the pathway moves
QUIET = (0.5, 2.5, 2.7)
#: spikes in the last steps of the first run (1.7, 1.8, 1.9 ms): in flight at the move
BUSY = (0.5, 1.7, 1.8, 1.9)
FIRST_RUN, SECOND_RUN = 2.0, 1.0  # ms


def build(sim, ms, first: str, delay: float, times):
    gen = sim.SpikeGeneratorGroup(1, [0] * len(times), np.array(times) * ms, name="gen")
    h = sim.NeuronGroup(1, "x : 1", name="h")
    s = sim.Synapses(gen, h, on_pre="x_post += 1", delay=delay * ms, name="s")
    s.connect()
    s.pre.when = first
    m = sim.StateMonitor(h, "x", record=True, when="end", name="m")
    return [gen, h, s, m]


def move_and_run(net, objects, ms, second: str) -> None:
    net.run(FIRST_RUN * ms)
    objects[2].pre.when = second
    net.run(SECOND_RUN * ms)


def arrivals(objects) -> list[int]:
    """The steps at which x rose, once per spike that arrived (x counts them)."""
    x = np.asarray(objects[3].x)[0]
    rises = np.diff(np.r_[0.0, x])
    return [int(step) for step in np.flatnonzero(rises) for _ in range(int(round(rises[step])))]


def key(first: str, second: str, delay: float, times) -> str:
    return f"{first}->{second}@{delay}ms:{'busy' if times == BUSY else 'quiet'}"


CASES = [(first, second, delay, times) for first in SLOTS for second in SLOTS
         for delay in DELAYS for times in (QUIET, BUSY)]
