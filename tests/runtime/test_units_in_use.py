"""Units where users meet them at run time: zeros, TimedArrays in subexpressions, flags
Brian2 users write, and messages that show quantities as people write them."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, InvalidValueError
from eqsnn.units import Mohm, mV, ms, nA


def test_a_zero_with_a_unit_fits_the_variable():
    # SymPy turns 0*nA into 0, which has no unit of its own: it must fit any variable.
    group = es.NeuronGroup(2, "dv/dt = -v/(10*ms) : volt\nI : amp", threshold="v > 1*mV",
                           reset="I = 0*nA; v = 0*mV")
    group.I = 1 * nA
    group.v = 5 * mV
    es.Network(group, backend="numpy").run(0.1 * ms)
    np.testing.assert_array_equal(group.I_, 0.0)


def test_a_timed_array_has_its_unit_in_a_subexpression():
    stim = es.TimedArray([0, 2, 0] * nA, dt=10 * ms)
    group = es.NeuronGroup(1, "dv/dt = (R*I - v)/(10*ms) : volt\nI = stim(t) : amp",
                           namespace={"stim": stim, "R": 10 * Mohm}, method="euler")
    monitor = es.StateMonitor(group, "I", record=0)
    es.Network(group, monitor, dt=1 * ms, backend="numpy").run(30 * ms)
    np.testing.assert_allclose(monitor.I_[0], np.repeat([0, 2e-9, 0], 10))
    with pytest.raises(DimensionMismatchError) as info:
        es.NeuronGroup(1, "dv/dt = (I - v)/(10*ms) : volt\nI = stim(t) : amp",
                       namespace={"stim": stim})
    assert "I  [amp]" in str(info.value) and "-v  [volt]" in str(info.value)


def test_clock_driven_flag_is_accepted_and_conflicts_are_named():
    from eqsnn.equations import Equations
    from eqsnn.errors import EquationSyntaxError
    assert "clock-driven" in Equations("dx/dt = -x/(5*ms) : 1 (clock-driven)")["x"].flags
    with pytest.raises(EquationSyntaxError) as info:
        Equations("dx/dt = -x/(5*ms) : 1 (clock-driven, event-driven)")
    assert "cannot be both clock-driven and event-driven" in str(info.value)


def test_bad_durations_are_shown_as_written():
    group = es.NeuronGroup(1, "dv/dt = -v/(10*ms) : volt")
    with pytest.raises(InvalidValueError) as info:
        es.Network(group).run(-5 * ms)
    assert str(info.value).startswith(
        "duration must be a non-negative time such as 1*second, not -5 ms")
    with pytest.raises(InvalidValueError) as info:
        es.Network(group, dt=3 * mV)
    assert "not 3 mV" in str(info.value)


def _double(quantity):
    return 2 * quantity


def test_quantities_survive_a_trip_to_another_process():
    """Sweeps and multiprocessing pickle quantities: they must come back on eqsnn's unit
    registry, usable with eqsnn's units (pint's default would raise on mixing)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        back = pool.submit(_double, 3 * ms).result(timeout=120)
    total = back + 1 * ms
    assert es.units.to_si(total)[0] == pytest.approx(7e-3)
