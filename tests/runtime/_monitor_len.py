"""One network with every kind of monitor, written once for eqsnn and for Brian2.

``build(sim, ms)`` takes the simulator's module (``eqsnn`` or ``brian2``: the names used
here are the same in both) and its millisecond. ``runs(net, monitors, ms)`` runs it in
pieces (three runs, a paused monitor, a store and a restore) and returns ``len()`` of
every monitor after each piece. tests/runtime/test_monitor_len.py runs it with eqsnn,
tests/runtime/brian2_monitor_len.py with Brian2 2.9.0 (which wrote
brian2_monitor_len.json).

The group's five neurons charge towards 1.2 + 0.1 i with a time constant of 10 ms and
spike above 1 (neuron 0 never does); the event ``half`` happens while v > 0.5.
"""
from __future__ import annotations

#: the monitors by name, in the order build() returns them (after the group)
NAMES = ("state_all", "state_two_slow", "state_none", "state_end", "spikes",
         "spikes_counts", "events", "rate")


def build(sim, ms):
    """The group and its monitors (named as in NAMES)."""
    g = sim.NeuronGroup(5, "dv/dt = (1.2 + 0.1*i - v)/(10*ms) : 1", threshold="v > 1",
                        reset="v = 0", method="exact", events={"half": "v > 0.5"},
                        name="g")
    monitors = [
        sim.StateMonitor(g, "v", record=True, name="state_all"),
        sim.StateMonitor(g, "v", record=[1, 3], dt=1 * ms, name="state_two_slow"),
        sim.StateMonitor(g, "v", record=False, name="state_none"),
        sim.StateMonitor(g, "v", record=[4], when="end", name="state_end"),
        sim.SpikeMonitor(g, name="spikes"),
        sim.SpikeMonitor(g, record=False, name="spikes_counts"),
        sim.EventMonitor(g, "half", name="events"),
        sim.PopulationRateMonitor(g, name="rate"),
    ]
    return g, monitors


def runs(net, monitors, ms) -> dict[str, dict[str, int]]:
    """``{piece: {monitor name: len(monitor)}}`` after each piece of the run."""
    seen = {}

    def look(piece):
        seen[piece] = {name: len(mon) for name, mon in zip(NAMES, monitors)}

    look("before any run")
    net.run(10 * ms)
    look("after 10 ms")
    net.run(5.5 * ms)
    look("after 5.5 ms more")
    monitors[0].active = False
    monitors[4].active = False
    net.run(2 * ms)
    look("after 2 ms with state_all and spikes paused")
    monitors[0].active = True
    monitors[4].active = True
    net.store()
    net.run(3 * ms)
    look("after 3 ms more")
    net.restore()
    look("after restore()")
    return seen
