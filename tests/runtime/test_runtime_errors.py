"""Mistakes a user makes with groups and networks get a clear eqsnn error."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import (DimensionMismatchError, EqsnnError, InvalidValueError,
                          UnknownNameError)
from eqsnn.units import mV, ms, nA

LIF = "dv/dt = (El - v)/tau : volt"


def test_unknown_constant_suggests_the_close_name():
    # as in Brian2, the names are resolved when the group is used (here: run())
    group = es.NeuronGroup(1, LIF, namespace={"El": -70 * mV, "tua": 10 * ms})
    with pytest.raises(UnknownNameError) as info:
        es.Network(group, backend="numpy").run(0.1 * ms)
    message = str(info.value)
    assert "unknown name 'tau'" in message
    assert "did you mean 'tua'" in message
    assert "^" in message  # points at the use


def test_plain_number_for_a_voltage_is_refused_with_an_example():
    group = es.NeuronGroup(2, LIF, namespace={"El": -70 * mV, "tau": 10 * ms})
    with pytest.raises(DimensionMismatchError) as info:
        group.v = -70
    assert "v has unit volt" in str(info.value)
    assert "v_" in str(info.value)  # the way to give SI floats


def test_wrong_unit_in_string_initialiser():
    group = es.NeuronGroup(2, LIF, namespace={"El": -70 * mV, "tau": 10 * ms})
    with pytest.raises(DimensionMismatchError):
        group.v = "El + 3*nA"


def test_wrong_shape_is_refused():
    group = es.NeuronGroup(3, LIF, namespace={"El": -70 * mV, "tau": 10 * ms})
    with pytest.raises(InvalidValueError) as info:
        group.v = [1, 2] * mV
    assert "needs 3 values" in str(info.value)


def test_threshold_must_be_a_condition():
    with pytest.raises(InvalidValueError) as info:
        es.NeuronGroup(1, LIF, threshold="v + 1*mV", namespace={"El": -70 * mV, "tau": 10 * ms})
    assert "must be a condition" in str(info.value)


def test_reset_of_unknown_variable():
    with pytest.raises(UnknownNameError) as info:
        es.NeuronGroup(1, LIF, threshold="v > -50*mV", reset="w = 0*mV",
                       namespace={"El": -70 * mV, "tau": 10 * ms})
    assert "'w'" in str(info.value)


def test_reset_with_wrong_unit():
    with pytest.raises(DimensionMismatchError) as info:
        es.NeuronGroup(1, LIF, threshold="v > -50*mV", reset="v = 2*nA",
                       namespace={"El": -70 * mV, "tau": 10 * ms})
    assert "reset" in str(info.value)


def test_monitor_of_group_outside_the_network():
    group = es.NeuronGroup(1, LIF, namespace={"El": -70 * mV, "tau": 10 * ms})
    mon = es.SpikeMonitor(group)
    with pytest.raises(InvalidValueError) as info:
        es.Network(mon).run(1 * ms)
    assert "not in this network" in str(info.value)


@pytest.mark.parametrize("bad", [0, -3, 2.5, "10"])
def test_bad_group_size(bad):
    with pytest.raises(InvalidValueError):
        es.NeuronGroup(bad, LIF, namespace={"El": -70 * mV, "tau": 10 * ms})


def test_bad_duration_and_dt():
    group = es.NeuronGroup(1, LIF, namespace={"El": -70 * mV, "tau": 10 * ms})
    with pytest.raises(InvalidValueError):
        es.Network(group, dt=0.1 * mV)
    with pytest.raises(InvalidValueError):
        es.Network(group).run(10)


def test_every_runtime_error_is_an_eqsnn_error():
    for kind in (DimensionMismatchError, InvalidValueError, UnknownNameError):
        assert issubclass(kind, EqsnnError)


def test_unknown_variable_read():
    group = es.NeuronGroup(1, LIF, namespace={"El": -70 * mV, "tau": 10 * ms})
    with pytest.raises(AttributeError) as info:
        group.vv
    assert "variables are" in str(info.value)


def test_subexpression_is_readable_not_writable():
    group = es.NeuronGroup(3, """dv/dt = (El - v)/tau : volt
                                  I_leak = (El - v)/(10*Mohm) : amp""",
                           namespace={"El": -70 * mV, "tau": 10 * ms})
    group.v = -60 * mV
    np.testing.assert_allclose(group.I_leak_, -1e-9)
    with pytest.raises(InvalidValueError):
        group.I_leak = 1 * nA


def test_whole_float_sizes_count_and_others_say_to_round():
    """Brian2 scripts write sizes like NE/4; a float that is a whole number is that many
    neurons, any other is refused with a hint."""
    NE = 4000
    assert es.NeuronGroup(NE / 4, "v : 1").N == 1000
    assert es.SpikeGeneratorGroup(2.0, [0], [0] * es.units.ms).N == 2
    with pytest.raises(InvalidValueError, match="positive integer") as info:
        es.NeuronGroup(NE / 3, "v : 1")
    assert "round" in info.value.hint
    with pytest.raises(InvalidValueError, match="positive integer"):
        es.NeuronGroup(0.0, "v : 1")
