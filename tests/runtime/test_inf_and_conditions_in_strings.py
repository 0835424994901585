"""``inf`` in every kind of string, and a pulse ``(t >= a and t < b)`` in arithmetic on
both backends (a numpy TypeError was reported for it; the backends must agree)."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import Mohm, ms, nA


def test_inf_in_initialisers():
    group = es.NeuronGroup(3, "x : 1", seed=1)
    group.x = "-inf"
    assert np.all(group.x == -np.inf)
    group.x = "clip(i - 1, 0, inf)"
    assert group.x.tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_inf_in_equations_thresholds_and_subexpressions(backend):
    """v relaxes to clip(2 - 5*i, 0, inf): neuron 0 to 2 (it spikes at v > 1), neuron 1
    to 0."""
    group = es.NeuronGroup(2, "dv/dt = (clip(2 - i*5, 0, inf) - v)/(10*ms) : 1\n"
                              "floor_value = -inf : 1",
                           threshold="v > 1 and v > -inf", reset="v = 0", method="euler")
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes, backend=backend, dt=1 * ms).run(30 * ms)
    assert spikes.count.tolist() == [4, 0]
    assert group.floor_value.tolist() == [-np.inf, -np.inf]


PULSE = {"a": 2 * ms, "b": 5 * ms, "I0": 1 * nA, "R": 10 * Mohm}


@pytest.mark.parametrize("equations, method", [
    ("dv/dt = (R*I - v)/(10*ms) : volt\nI = I0*(t >= a and t < b) : amp", None),
    ("dv/dt = (R*I - v)/(10*ms) : volt\nI = I0*(t >= a and t < b) : amp", "rk4"),
    ("dv/dt = (R*I0*(t >= a and t < b and v < 5*mV) - v)/(10*ms) : volt", "euler"),
])
def test_a_pulse_of_two_conditions_is_the_same_on_both_backends(equations, method):
    final = {}
    for backend in ("c", "numpy"):
        group = es.NeuronGroup(2, equations, namespace=PULSE, method=method)
        es.Network(group, backend=backend, dt=1 * ms).run(8 * ms)
        final[backend] = group.v_
    np.testing.assert_allclose(final["c"], final["numpy"], rtol=1e-12)
    # 3 ms of 10 mV drive, then 3 ms of decay (tau = 10 ms)
    np.testing.assert_allclose(final["c"], 0.01 * (1 - np.exp(-0.3)) * np.exp(-0.3), rtol=0.1)
