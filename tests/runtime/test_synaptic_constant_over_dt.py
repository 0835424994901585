"""``(constant over dt)`` subexpressions of Synapses: stored per synapse and computed
in ``before_start`` (Brian2's ``subexpression_updater``), so a multi-stage method holds
the value over the step, and the pathways and a StateMonitor read the value computed
from the state at the start of the step (before the neurons' update).

The numbers are Brian2 2.9.0's: the model of ``test_brian2s_values`` run with
``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python`` (``prefs.codegen.target = "numpy"``,
``defaultclock.dt = 0.1*ms``, 3 ms); Brian2's own test
(``test_constant_variable_subexpression_in_synapses``) is the ``v1``/``v2`` part.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

MODEL = """dv1/dt = -v1**2/(10*ms) : 1 (clock-driven)
dv2/dt = -v_const**2/(10*ms) : 1 (clock-driven)
v_const = v2 : 1 (constant over dt)
s = 10*v_post + v2 : 1 (constant over dt)
acc : 1"""


def _run(backend, threads=1, n=2):
    group = es.NeuronGroup(n, "dv/dt = (1 + i)/(10*ms) : 1", method="euler")
    src = es.SpikeGeneratorGroup(1, [0, 0], [1, 2.5] * ms)
    syn = es.Synapses(src, group, MODEL, on_pre="acc += s", method="rk2")
    syn.connect()
    syn.v1 = "1.0 + j % 2"  # (1 + j for the two neurons of Brian2's run)
    syn.v2 = "1.0 + j % 2"
    mon = es.StateMonitor(syn, ["s", "v_const"], record=True)
    es.Network(group, src, syn, mon, backend=backend, dt=0.1 * ms,
               **({"threads": threads} if threads > 1 else {})).run(3 * ms)
    return syn, mon


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_brian2s_values(backend):
    syn, mon = _run(backend)
    assert (syn.subexpression_updater.when, syn.subexpression_updater.order) == \
        ("before_start", 0)
    close = dict(rtol=1e-14)
    np.testing.assert_allclose(syn.v1[:], [0.769241162686533, 1.2500903123732667], **close)
    # held over the rk2 step: not v1's values
    np.testing.assert_allclose(syn.v2[:], [0.7676624897576336, 1.2425469656693708], **close)
    # on_pre reads s computed before the neurons' update of the same step
    np.testing.assert_allclose(syn.acc[:], [5.206849233004476, 9.987489941495898], **close)
    np.testing.assert_allclose(syn.s[:], [3.6736477989254563, 7.058382223883225], **close)
    np.testing.assert_allclose(np.asarray(mon.s)[:, [0, 1, 10, 29]],
                               [[1.0, 1.09, 1.9082928258883456, 3.6736477989254563],
                                [2.0, 2.16, 3.661483629842265, 7.058382223883225]], **close)
    np.testing.assert_allclose(np.asarray(mon.v_const)[:, [0, 1, 29]],
                               [[1.0, 0.99, 0.7736477989254557],
                                [2.0, 1.96, 1.2583822238832236]], **close)


def test_two_threads_give_the_same_values():
    one, two = _run("c", n=300)[0], _run("c", threads=2, n=300)[0]
    for name in ("v2", "s", "acc"):
        np.testing.assert_array_equal(getattr(one, name)[:], getattr(two, name)[:])


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_constant_subexpression_in_on_pre(backend):
    """Brian2's test_sim_with_constant_subexpression: v = s + w = [6, 7]."""
    inp = es.SpikeGeneratorGroup(2, [0, 1], [0, 0] * ms)
    out = es.NeuronGroup(2, "v : 1")
    syn = es.Synapses(inp, out, "w : 1\ns = 5 : 1 (constant over dt)", on_pre="v += s + w")
    syn.connect(j="i")
    syn.w = [1, 2]
    es.Network(inp, out, syn, backend=backend, dt=0.1 * ms).run(0.2 * ms)
    assert out.v[:].tolist() == [6, 7]


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_rand_in_it_is_drawn_once_per_step(backend):
    """x integrates y (held over the step), so x/t is the mean of the draws so far."""
    group = es.NeuronGroup(1, "v : 1")
    syn = es.Synapses(group, group, """dx/dt = y/ms : 1 (clock-driven)
                                       y = rand() : 1 (constant over dt)
                                       z = y : 1""", method="rk4")
    syn.connect()
    mon = es.StateMonitor(syn, ["y", "z"], record=True)
    es.Network(group, syn, mon, backend=backend, dt=0.1 * ms).run(2 * ms)
    y = np.asarray(mon.y)[0]
    assert 0 < y.min() and y.max() < 1 and np.ptp(y) > 0
    np.testing.assert_array_equal(y, np.asarray(mon.z)[0])
    np.testing.assert_allclose(syn.x[0], 0.1 * y.sum(), rtol=1e-12)


def test_the_slot_can_move_like_brian2s():
    group = es.NeuronGroup(1, "v : 1")
    syn = es.Synapses(group, group, "w : 1\ns = 2*w : 1 (constant over dt)", order=3)
    assert syn.subexpression_updater.order == 3
    syn.subexpression_updater.when = "after_groups"
    assert es.Synapses(group, group, "w : 1").subexpression_updater is None


def test_on_pre_may_not_assign_to_it():
    group = es.NeuronGroup(2, "v : 1")
    with pytest.raises(InvalidValueError, match="'s', a \\(constant over dt\\) subexpression"):
        es.Synapses(group, group, "w : 1\ns = 2*w : 1 (constant over dt)", on_pre="s = 1")


def test_shared_and_constant_over_dt_are_refused_together_as_in_brian2():
    group = es.NeuronGroup(2, "v : 1")
    with pytest.raises(InvalidValueError, match="both \\(shared\\) and") as info:
        es.Synapses(group, group, "w : 1 (shared)\ns = 2*w : 1 (shared, constant over dt)")
    assert "drop (constant over dt)" in info.value.hint


@pytest.mark.parametrize("where", ["neurons", "synapses"])
def test_rand_in_a_subexpression_without_the_flag_is_refused_as_in_brian2(where):
    """Brian2 2.9.0 raises at run(): "The subexpression 'y' refers to a stateful
    function (e.g. rand())" (its check_subexpressions); eqsnn when the object is made."""
    group = es.NeuronGroup(1, "v : 1")
    with pytest.raises(InvalidValueError, match="'y' draws random numbers") as info:
        if where == "neurons":
            es.NeuronGroup(1, "dv/dt = y/ms : 1\ny = rand() : 1", method="euler")
        else:
            es.Synapses(group, group, "dx/dt = y/ms : 1 (clock-driven)\ny = 2*randn() : 1")
    assert "(constant over dt)" in info.value.hint and info.value.span is not None
