"""``(shared)`` on a subexpression, with Brian2's check: one value for the group, so it
may only use shared variables, constants, t, dt and N."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms, mV

MODEL = """
dv/dt = (drive - v)/tau : volt
drive = amplitude*sin(2*pi*t/period) + offset : volt (shared)
offset : volt (shared)
"""


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_shared_subexpression_is_one_value_and_drives_every_neuron(backend):
    group = es.NeuronGroup(3, MODEL, method="rk4",
                           namespace={"tau": 10 * ms, "amplitude": 2 * mV, "period": 20 * ms})
    group.offset = 1 * mV
    trace = es.StateMonitor(group, ["drive"], record=[0, 2])
    es.Network(group, trace, backend=backend, dt=0.1 * ms).run(5 * ms)
    assert group.drive_.shape == (1,)
    t = trace.t_
    expected = 2e-3 * np.sin(2 * np.pi * t / 20e-3) + 1e-3
    np.testing.assert_allclose(trace.drive_[0], expected, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(trace.drive_[0], trace.drive_[1])
    assert np.ptp(group.v_) == 0.0  # every neuron saw the same drive


def test_a_shared_subexpression_of_per_neuron_values_is_refused():
    with pytest.raises(InvalidValueError, match="uses v, which has a value per neuron") as info:
        es.NeuronGroup(3, "dv/dt = -v/(10*ms) : volt\nmean_v = v/2 : volt (shared)")
    assert "drop (shared)" in info.value.hint
    assert info.value.span.line == 2
