"""``(constant over dt)``: a subexpression evaluated once at the start of each step and
held over the step, as Brian2 documents (``brian2/tests/test_neurongroup.py::
test_constant_variable_subexpression`` is the model).

The numbers are Brian2 2.9.0's: the same model with
``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python`` (numpy target, ``method="rk2"``,
``defaultclock.dt = 0.1*ms``, 10 ms; ``G.v2[:]`` printed with ``repr``).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import EquationSyntaxError
from eqsnn.units import ms

MODEL = """
dv1/dt = -v1**2 / (10*ms) : 1
dv2/dt = -v_const**2 / (10*ms) : 1
dv3/dt = -v_var**2 / (10*ms) : 1
v_const = v2 : 1 (constant over dt)
v_var = v3 : 1
"""
BRIAN2_V1 = [0.0, 0.09090909655292322, 0.16666673632363513, 0.23076950850867817,
             0.2857149894344186, 0.3333347319083681, 0.37500239242805344,
             0.41176840532433273, 0.44444976694714955, 0.4736914674623247]
BRIAN2_V2 = [0.0, 0.09090120378401004, 0.16661590616007152, 0.23062908643530716,
             0.28543862298810474, 0.3328809887585138, 0.37433614593828424,
             0.41086081782070777, 0.44327771028651186, 0.4722367660600512]
BRIAN2_V_CONST = [0.0, 0.09098398463861723, 0.1668944437134959, 0.23116345185001932,
                  0.2862580597558566, 0.33399652554930387, 0.37574801162065297,
                  0.4125628992793254, 0.44526027743311, 0.4744881561634451]


def _run(backend, threads=1):
    group = es.NeuronGroup(10, MODEL, method="rk2")
    for name in ("v1", "v2", "v3"):
        setattr(group, name, "1.0*i/N")
    trace = es.StateMonitor(group, ["v_const", "v2"], record=[9])
    options = {"threads": threads} if threads > 1 else {}
    es.Network(group, trace, backend=backend, dt=0.1 * ms, **options).run(10 * ms)
    return group, trace


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_value_held_over_the_step_gives_brian2s_rk2_result(backend):
    group, trace = _run(backend)
    np.testing.assert_allclose(group.v1, BRIAN2_V1, rtol=1e-14)
    np.testing.assert_allclose(group.v2, BRIAN2_V2, rtol=1e-14)
    np.testing.assert_allclose(group.v_const, BRIAN2_V_CONST, rtol=1e-14)
    np.testing.assert_allclose(group.v3, group.v1, rtol=1e-14)  # substituted: no change
    assert np.sum((group.v2 - group.v1) ** 2) > 1e-10           # held: rk2 differs
    # a monitor records it as the step computes it (Brian2: 0.9, 0.8919, 0.8839451439)
    np.testing.assert_allclose(trace.v_const[0][:3], [0.9, 0.8919, 0.8839451439], rtol=1e-12)
    np.testing.assert_allclose(trace.v_const[0], trace.v2[0], rtol=1e-14)


def test_two_threads_hold_the_same_values():
    one, _ = _run("c")
    two, _ = _run("c", threads=2)
    np.testing.assert_array_equal(one.v2, two.v2)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_random_value_is_drawn_once_per_step(backend):
    """y = rand() held over the step: an rk4 step of dx/dt = y/ms adds exactly y*dt/ms
    (four stages, one draw)."""
    group = es.NeuronGroup(50, """dx/dt = y/ms : 1
                                  y = rand() : 1 (constant over dt)""", method="rk4")
    es.Network(group, backend=backend, dt=0.1 * ms, seed=2).run(0.1 * ms)
    np.testing.assert_allclose(group.x, 0.1 * group.y, rtol=1e-12)
    assert 0 < group.y.min() and group.y.max() < 1 and np.ptp(group.y) > 0


def test_the_flag_belongs_to_subexpressions():
    with pytest.raises(EquationSyntaxError, match="cannot be given to the parameter"):
        es.Equations("x : 1 (constant over dt)")
    eqs = es.Equations("dv/dt = -s/(10*ms) : 1\ns = v : 1 (constant over dt)")
    assert "s" in eqs.constant_over_dt and str(eqs).endswith("(constant over dt)")
