"""``x : integer`` and ``x : boolean``: typed arrays in the generated code and in Python,
Brian2's arithmetic (``/`` a true division, ``//`` floored, a store truncates toward
zero), conditions assigned to booleans, booleans as conditions.

The numbers of ``test_a_reset_with_integer_arithmetic_gives_brian2s_values`` are
Brian2 2.9.0's: the same model run with ``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python``
(``prefs.codegen.target = "numpy"``, ``defaultclock.dt = 0.1*ms``, ``method="euler"``,
20 ms; its cython target refuses ``k = -n / 2``, a double stored in an int32).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import EquationSyntaxError, InvalidValueError
from eqsnn.units import ms

MODEL = """dv/dt = (1 + i)/(10*ms) : 1
n : integer
k : integer
q : integer
flip : boolean
spiking : boolean
half = n / 2 : 1"""
RESET = """v = 0
n += 1
k = -n / 2
q = (n * 7) // 3 % 5
flip = not flip
spiking = True"""


def _run(backend, threads=1):
    group = es.NeuronGroup(4, MODEL, threshold="v > 1", reset=RESET, method="euler")
    group.q = 3.7
    group.flip = "i > 1"
    options = {"threads": threads} if threads > 1 else {}
    es.Network(group, backend=backend, dt=0.1 * ms, **options).run(20 * ms)
    return group


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_reset_with_integer_arithmetic_gives_brian2s_values(backend):
    group = _run(backend)
    assert group.n.dtype == np.int32 and group.flip.dtype == np.bool_
    assert group.half.dtype == np.float64
    assert group.n.tolist() == [2, 4, 5, 8]
    assert group.k.tolist() == [-1, -2, -2, -4]       # -5/2 = -2.5 stored as -2
    assert group.q.tolist() == [4, 4, 1, 3]           # (n*7)//3 % 5
    assert group.flip.tolist() == [False, False, False, True]
    assert group.spiking.tolist() == [True] * 4
    assert group.half.tolist() == [1.0, 2.0, 2.5, 4.0]  # a true division


def test_two_threads_store_the_same_integers():
    one, two = _run("c"), _run("c", threads=2)
    for name in ("n", "k", "q", "flip", "spiking"):
        np.testing.assert_array_equal(getattr(one, name), getattr(two, name))


def test_values_set_from_python_are_stored_as_the_type_stores_them():
    group = es.NeuronGroup(3, "x : integer\nb : boolean")
    group.x = [2.7, -2.7, 5]
    group.b = [0, 0.5, 2]
    assert group.x.tolist() == [2, -2, 5] and group.b.tolist() == [False, True, True]
    group.x = "i*3 // 2"
    assert group.x.tolist() == [0, 1, 3]


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_boolean_is_a_condition_in_a_threshold_and_a_number_in_equations(backend):
    """Only neurons with ``active`` integrate and spike; v rises at 1/10 ms."""
    group = es.NeuronGroup(4, """dv/dt = active*2/(10*ms) : 1
                                 active : boolean""",
                           threshold="active and v > 1", reset="v = 0; active = v < 0",
                           method="euler")
    group.active = [True, False, True, False]
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes, backend=backend, dt=0.1 * ms).run(20 * ms)
    assert spikes.count.tolist() == [1, 0, 1, 0]      # the reset switched them off
    assert group.active.tolist() == [False] * 4


def test_a_differential_equation_of_an_integer_is_refused():
    with pytest.raises(EquationSyntaxError, match="defines a floating-point variable") as info:
        es.NeuronGroup(1, "dn/dt = 1/ms : integer")
    assert "': 1'" in info.value.hint


def test_a_number_used_as_a_condition_is_refused_with_the_fix():
    with pytest.raises(InvalidValueError, match="'v' is used as a condition") as info:
        es.NeuronGroup(1, "dv/dt = -v/(10*ms) : 1", threshold="not v")
    assert "': boolean'" in info.value.hint


def test_a_condition_assigned_to_a_float_is_still_refused():
    with pytest.raises(EquationSyntaxError, match="cannot assign a condition to 'v'"):
        es.NeuronGroup(1, "dv/dt = -v/(10*ms) : volt", threshold="v > 1*mV",
                       reset="v = v > 0*mV")


def test_the_equations_print_back_with_their_types():
    eqs = es.Equations("n : integer (shared)\nb : boolean")
    assert str(eqs) == "n : integer (shared)\nb : boolean"
    assert es.Equations(str(eqs)) == eqs


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_boolean_in_a_custom_event_and_its_code(backend):
    """Each allowed neuron has the event once: its code switches itself off."""
    group = es.NeuronGroup(3, "dv/dt = 1/ms : 1\nallow : boolean",
                           events={"up": "v > 0.5 and allow"}, method="euler")
    group.run_on_event("up", "allow = False; v = 0")
    group.allow = [True, False, True]
    events = es.EventMonitor(group, "up")
    es.Network(group, events, backend=backend, dt=0.1 * ms).run(3 * ms)
    assert sorted(events.i.tolist()) == [0, 2]
    assert group.allow.tolist() == [False, False, False]
