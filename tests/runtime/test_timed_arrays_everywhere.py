"""A TimedArray in thresholds, resets and initialisers (issue 19: a raw error before),
and 2-D TimedArrays ``stim(t, i)`` (Brian2's: one row per time step, one column per
neuron), on both backends, against the values worked out by hand."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, InvalidValueError, UnknownNameError
from eqsnn.units import ms

PULSES = es.TimedArray([0, 1, 0, 2], dt=5 * ms)
GRID = es.TimedArray(np.array([[1.0, 2.0, 3.0], [0.0, 4.0, -1.0]]), dt=2 * ms)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_timed_array_in_a_threshold_and_a_reset(backend):
    """It fires at every 1 ms step while stim(t) > 0.5 (5 ms of 1, 5 ms of 2) and the
    reset stores stim(t)."""
    group = es.NeuronGroup(2, "dv/dt = -v/(10*ms) : 1", threshold="stim(t) > 0.5",
                           reset="v = stim(t)", namespace={"stim": PULSES})
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes, backend=backend, dt=1 * ms).run(20 * ms)
    assert spikes.count.tolist() == [10, 10]
    np.testing.assert_allclose(spikes.t_[::2], np.r_[5:10, 15:20] * 1e-3)
    assert group.v.tolist() == [2.0, 2.0]


def test_a_timed_array_in_an_initialiser():
    group = es.NeuronGroup(4, "x : 1", namespace={"stim": PULSES})
    group.x = "stim(5*ms*i)"
    assert group.x.tolist() == [0.0, 1.0, 0.0, 2.0]
    with pytest.raises(UnknownNameError, match="unknown function 'stimm'") as info:
        group.x = "stimm(t)"
    assert info.value.span.column == 0


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_two_dimensional_timed_array_gives_each_neuron_its_column(backend):
    group = es.NeuronGroup(3, "dv/dt = stim(t, i)/ms : 1\nw : 1", threshold="stim(t, i) > 3.5",
                           reset="w += stim(t, i)", namespace={"stim": GRID}, method="euler")
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes, backend=backend, dt=1 * ms).run(5 * ms)
    # two steps of row 0, then three of row 1 (the last row holds)
    assert group.v.tolist() == [2.0, 16.0, 3.0]
    assert spikes.count.tolist() == [0, 3, 0] and group.w.tolist() == [0.0, 12.0, 0.0]
    initialised = es.NeuronGroup(3, "x : 1", namespace={"stim": GRID})
    initialised.x = "stim(2*ms, i)"
    assert initialised.x.tolist() == [0.0, 4.0, -1.0]
    assert GRID(2 * ms, 1) == 4.0


def test_exact_integration_holds_a_two_dimensional_array_over_the_step():
    group = es.NeuronGroup(3, "dv/dt = (stim(t, i) - v)/ms : 1", namespace={"stim": GRID})
    assert group.state_update.method == "exact"


@pytest.mark.parametrize("call, error, words", [
    ("stim(t)", InvalidValueError, "takes 2 arguments, but is called with 1"),
    ("stim(t, i*ms)", DimensionMismatchError, "argument 2 of stim must have unit 1"),
    ("stim(i, i)", DimensionMismatchError, "argument 1 of stim must have unit second"),
])
def test_a_call_that_does_not_fit_the_array_is_refused(call, error, words):
    with pytest.raises(error, match=words):
        es.NeuronGroup(3, f"dv/dt = {call}/ms : 1", namespace={"stim": GRID})


def test_three_dimensional_values_are_refused():
    with pytest.raises(InvalidValueError, match="two-dimensional"):
        es.TimedArray(np.zeros((2, 2, 2)), dt=1 * ms)
