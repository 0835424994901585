"""User functions as Brian2's ``Function`` / ``@implementation`` / ``@check_units``:
a Python implementation (numpy backend, initialisers), a C one (compiled backend),
units and argument counts checked at group creation.

The reference is Brian2 2.9.0 (``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python``, numpy
target, ``defaultclock.dt = 0.1*ms``, 20 ms) running the same model with the same
``@check_units`` Python function: ``G.v_[:]`` and the spike counts below.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, InvalidValueError, UnsupportedFunctionError
from eqsnn.units import Mohm, mV, ms, nA

BRIAN2_V = [0.0, 0.003206423815783453, 0.0021117403775865076]
BRIAN2_COUNTS = [0, 2, 7]


@es.implementation("c", """
double soft_clip(double x, double limit) { return limit * tanh(x / limit); }
""")
@es.check_units(x=mV, limit=mV, result=mV)
def soft_clip(x, limit):
    return limit * np.tanh(x / limit)


def _group(**options):
    group = es.NeuronGroup(3, "dv/dt = (soft_clip(I*R, 20*mV) - v)/(10*ms) : volt\nI : amp",
                           namespace={"soft_clip": soft_clip, "R": 10 * Mohm}, method="euler",
                           threshold="soft_clip(v, 5*mV) > 4*mV", reset="v = soft_clip(v, 1*mV)",
                           **options)
    group.I = [0, 1, 10] * nA
    return group


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_equations_threshold_and_reset_call_it_with_brian2s_result(backend):
    group = _group()
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes, backend=backend, dt=0.1 * ms).run(20 * ms)
    np.testing.assert_allclose(group.v_, BRIAN2_V, rtol=1e-14)
    assert spikes.count.tolist() == BRIAN2_COUNTS


def test_two_threads_call_the_c_implementation_alike():
    one, two = _group(), _group()
    es.Network(one, backend="c", dt=0.1 * ms).run(20 * ms)
    es.Network(two, backend="c", dt=0.1 * ms, threads=2).run(20 * ms)
    np.testing.assert_array_equal(one.v_, two.v_)


def test_an_initialiser_calls_the_python_implementation_with_quantities():
    group = _group()
    group.v = "soft_clip(I*R, 20*mV)"
    np.testing.assert_allclose(group.v_, 0.02 * np.tanh(np.array([0, 10, 100]) / 20),
                               rtol=1e-14)


def test_without_c_code_the_compiled_backend_names_the_fix():
    square = es.Function(lambda x: x * x, arg_units=[1], return_unit=1)
    group = es.NeuronGroup(2, "x = square(i + 1) : 1\ndv/dt = -square(v)/ms : 1",
                           namespace={"square": square})
    assert group.x.tolist() == [1.0, 4.0]
    es.Network(group, backend="numpy").run(1 * ms)
    with pytest.raises(UnsupportedFunctionError, match="has no C implementation") as info:
        es.Network(group, backend="c").run(1 * ms)
    assert "implementation('c'" in info.value.hint and "backend='numpy'" in info.value.hint


@pytest.mark.parametrize("call, error, words", [
    ("soft_clip(v)", InvalidValueError, "takes 2 arguments, but is called with 1"),
    ("soft_clip(v, 2*ms)", DimensionMismatchError, "argument 2 of soft_clip must have unit volt"),
])
def test_a_call_that_does_not_fit_is_refused_where_it_is_written(call, error, words):
    with pytest.raises(error, match=words) as info:
        es.NeuronGroup(1, f"dv/dt = {call}/ms : volt", namespace={"soft_clip": soft_clip})
    assert info.value.span.line == 1


def test_the_result_unit_is_the_functions():
    with pytest.raises(DimensionMismatchError, match="unit"):
        es.NeuronGroup(1, "dv/dt = soft_clip(v, 1*mV)/ms : 1", namespace={"soft_clip": soft_clip})


def test_check_units_needs_every_argument():
    with pytest.raises(InvalidValueError, match="missing limit"):
        es.check_units(x=mV, result=mV)(lambda x, limit: x)



@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_synaptic_code_calls_functions_and_timed_arrays(backend):
    """Two spikes (0.5 ms, 1.5 ms) each add double(w)*stim(t) = 4*1, then 4*3."""
    double = es.Function(lambda x: 2 * x, arg_units=[1], return_unit=1,
                         c_code="double twice(double x) { return 2*x; }", c_name="twice")
    stim = es.TimedArray([1, 3], dt=1 * ms)
    source = es.SpikeGeneratorGroup(1, [0, 0], [0.5, 1.5] * ms)
    target = es.NeuronGroup(1, "v : 1")
    synapses = es.Synapses(source, target, "w : 1", on_pre="v_post += double(w)*stim(t)",
                           namespace={"double": double, "stim": stim})
    synapses.connect()
    synapses.w = 2
    es.Network(source, target, synapses, backend=backend, dt=0.1 * ms).run(3 * ms)
    assert target.v.tolist() == [16.0]
    with pytest.raises(InvalidValueError, match="takes 1 argument, but is called with 2"):
        es.Synapses(source, target, "w : 1", on_pre="v_post += double(w, w)",
                    namespace={"double": double})
