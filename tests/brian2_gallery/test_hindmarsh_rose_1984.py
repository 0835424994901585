"""Port of Brian2's examples/frompapers/Hindmarsh_Rose_1984.py: bursting in the
three-variable Hindmarsh–Rose model for three input currents, 2.1 s with rk4.

Features: ``rk4``, a ``(constant)`` parameter, string initialisers that read other
variables (``y = "c - d*x**2"``, evaluated after ``x`` was set), list initialisers.
Reference: Brian2 2.9.0 running the original (references.json "Hindmarsh_Rose_1984";
deterministic): the steps at which x crosses 1 upwards (the spikes of each burst) for
each of the three neurons. The same rk4 steps to rounding: the spike counts must be
equal and every crossing within one step of Brian2's.
"""
import numpy as np

import eqsnn as es
from eqsnn.units import ms

from _gallery import reference, upward_crossings


def test_bursts_are_brian2s():
    time_unit = 1 * ms
    namespace = {"time_unit": time_unit, "x_1": -1.6, "a": 1, "b": 3, "c": 1, "d": 5,
                 "r": 0.001, "s": 4}
    neuron = es.NeuronGroup(3, """
        dx/dt = (y - a*x**3 + b*x**2 + I - z)/time_unit : 1
        dy/dt = (c - d*x**2 - y)/time_unit : 1
        dz/dt = r*(s*(x - x_1) - z)/time_unit : 1
        I : 1 (constant)
        """, method="rk4", namespace=namespace)
    neuron.x = namespace["x_1"]
    neuron.y = "c - d*x**2"
    neuron.z = "r*(s*(x - x_1))"
    neuron.I = [0.4, 2, 4]
    mon = es.StateMonitor(neuron, "x", record=True)
    es.Network(neuron, mon, dt=time_unit / 10).run(2100 * time_unit)
    expected = reference("Hindmarsh_Rose_1984")
    x = np.asarray(mon.x)
    steps = [upward_crossings(row, 1.0) for row in x]
    assert [s.size for s in steps] == expected["spikes"]
    for ours, theirs in zip(steps, expected["spike_steps"]):
        assert np.max(np.abs(ours - np.asarray(theirs)), initial=0) <= 1
