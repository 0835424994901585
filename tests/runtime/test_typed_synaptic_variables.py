"""``: integer`` and ``: boolean`` variables of Synapses: int32 and bool arrays, Brian2's
arithmetic (``/`` a true division, ``//`` floored, a store truncates toward zero),
conditions assigned to booleans and booleans read as conditions, in on_pre statements,
initialisers, ``S.x[...]``, clock-driven equations and store/restore.

The numbers are Brian2 2.9.0's: the same scripts run with
``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python`` (``prefs.codegen.target = "numpy"``,
``defaultclock.dt = 0.1*ms``; its cython target refuses ``k = ... - count / 2``, a
double stored in an int32, so numpy is the target whose semantics eqsnn follows).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import EquationSyntaxError, InvalidValueError
from eqsnn.units import ms

MODEL = """w : 1
count : integer
gate : boolean
k : integer
half = count / 2 : 1"""
ON_PRE = """count += 1
v_post += w*gate
hits_post += 1
seen_post = seen_post or gate
gate = count < 2 and not gate
k = (count * 7) // 3 % 4 - count / 2"""


def _network(backend, threads=1):
    src = es.SpikeGeneratorGroup(3, [0, 1, 2, 0, 1, 0, 2], [1, 1, 1, 3, 3, 5, 7] * ms)
    tgt = es.NeuronGroup(2, "v : 1\nhits : integer\nseen : boolean")
    syn = es.Synapses(src, tgt, MODEL, on_pre=ON_PRE)
    syn.connect()
    syn.w = "i + j + 0.5"
    syn.gate = "j == 0"
    syn.count = "i*3 // 2"
    syn.k = 2.7
    assert syn.k[:].tolist() == [2] * 6          # Brian2: S.k = 2.7 stores 2
    syn.k = "-i/2"
    assert syn.k[:].tolist() == [0, 0, 0, 0, -1, -1]
    syn.count[1, 1] = 5
    assert syn.count[:].tolist() == [0, 0, 1, 5, 3, 3]
    options = {"threads": threads} if threads > 1 else {}
    net = es.Network(src, tgt, syn, backend=backend, dt=0.1 * ms, **options)
    return net, syn, tgt


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_on_pre_with_integer_and_boolean_variables_gives_brian2s_values(backend):
    net, syn, tgt = _network(backend)
    net.run(10 * ms)
    assert syn.count.dtype == np.int32 and syn.gate.dtype == np.bool_
    assert syn.count[:].tolist() == [3, 3, 3, 7, 5, 5]
    assert syn.gate[:].tolist() == [False] * 6
    assert syn.k[:].tolist() == [1, 1, 1, -3, 0, 0]
    assert syn.half[:].tolist() == [1.5, 1.5, 1.5, 3.5, 2.5, 2.5]  # a true division
    assert tgt.v[:].tolist() == [4.5, 1.5]
    assert tgt.hits[:].tolist() == [7, 7] and tgt.seen[:].tolist() == [True, True]


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_clock_driven_equation_and_a_boolean_subexpression_read_typed_variables(backend):
    """Brian2 2.9.0: x = [0.98, 0.98, 0.87, 0.87] and big = [T, T, F, F] after 5 ms."""
    src = es.SpikeGeneratorGroup(2, [0, 1, 0], [1, 2, 3] * ms)
    tgt = es.NeuronGroup(2, "v : 1")
    syn = es.Synapses(src, tgt, """count : integer
                                   gate : boolean
                                   big = count > 1 : boolean
                                   dx/dt = (count + 2*int(gate))/(10*ms) : 1 (clock-driven)""",
                      on_pre="count += 1\ngate = not gate", method="euler")
    syn.connect()
    es.Network(src, tgt, syn, backend=backend, dt=0.1 * ms).run(5 * ms)
    np.testing.assert_allclose(syn.x[:], [0.98, 0.98, 0.87, 0.87], rtol=1e-13)
    assert syn.big.dtype == np.bool_ and syn.big[:].tolist() == [True, True, False, False]


def _many(backend, threads):
    """Enough neurons and synapses for two threads to split the pathway's targets."""
    group = es.NeuronGroup(300, """dv/dt = (1.2 + 0.001*i - v)/(10*ms) : 1
                                   n : integer""", threshold="v > 1", reset="v = 0",
                           method="exact")
    syn = es.Synapses(group, group, "count : integer\nlive : boolean",
                      on_pre="""count += 1
                                live = not live and count % 3 != 0
                                n_post += 1 + 2*int(live)""", seed=7)
    syn.connect("i != j", p=0.05)
    syn.live = "i % 2 == 0"
    net = es.Network(group, syn, backend=backend, dt=0.1 * ms,
                     **({"threads": threads} if threads > 1 else {}))
    net.run(30 * ms)
    return syn.count[:].copy(), syn.live[:].copy(), group.n[:].copy()


def test_two_threads_and_the_numpy_backend_store_the_same_typed_values():
    one = _many("c", 1)
    assert one[0].sum() > 0 and one[1].any() and not one[1].all()
    for other in (_many("c", 2), _many("numpy", 1)):
        for a, b in zip(one, other):
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)


def test_store_and_restore_keep_the_types():
    net, syn, tgt = _network("numpy")
    net.store()
    net.run(10 * ms)
    net.restore()
    assert syn.count.dtype == np.int32 and syn.gate.dtype == np.bool_
    assert syn.count[:].tolist() == [0, 0, 1, 5, 3, 3]
    assert syn.gate[:].tolist() == [True, False, True, False, True, False]
    net.run(10 * ms)
    assert syn.count[:].tolist() == [3, 3, 3, 7, 5, 5]


def test_synapses_made_by_a_second_connect_are_typed_too():
    group = es.NeuronGroup(3, "v : 1")
    syn = es.Synapses(group, group, "n : integer\nb : boolean")
    syn.connect(i=0, j=1)
    syn.n, syn.b = 4.9, 1
    syn.connect(i=1, j=2)
    assert syn.n.dtype == np.int32 and syn.n[:].tolist() == [4, 0]
    assert syn.b[:].tolist() == [True, False]


def test_a_number_used_as_a_condition_in_on_pre_is_refused_with_the_fix():
    group = es.NeuronGroup(2, "v : 1")
    with pytest.raises(InvalidValueError, match="'w' is used as a condition") as info:
        es.Synapses(group, group, "w : 1\nb : boolean", on_pre="b = not w")
    assert "': boolean'" in info.value.hint


def test_a_condition_assigned_to_a_float_synaptic_variable_is_refused():
    group = es.NeuronGroup(2, "v : 1")
    with pytest.raises(EquationSyntaxError, match="cannot assign a condition to 'w'"):
        es.Synapses(group, group, "w : 1", on_pre="w = v_post > 0")


def test_a_differential_equation_of_a_synaptic_integer_is_refused():
    group = es.NeuronGroup(2, "v : 1")
    with pytest.raises(EquationSyntaxError, match="defines a floating-point variable"):
        es.Synapses(group, group, "dn/dt = 1/ms : integer (clock-driven)")


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_state_monitor_records_typed_variables_in_their_dtype(backend):
    """Brian2 2.9.0 (numpy target, the script of the test above plus StateMonitors):
    the recordings are int32 / bool, every 5th sample as below."""
    src = es.SpikeGeneratorGroup(2, [0, 1, 0], [1, 2, 3] * ms)
    tgt = es.NeuronGroup(2, "v : 1")
    syn = es.Synapses(src, tgt, "count : integer\ngate : boolean\nbig = count > 1 : boolean",
                      on_pre="count += 1\ngate = not gate")
    syn.connect()
    mon = es.StateMonitor(syn, ["count", "gate", "big"], record=True)
    group = es.NeuronGroup(2, "n : integer\nb : boolean", threshold="True",
                           reset="n += 1\nb = not b")
    neurons = es.StateMonitor(group, ["n", "b"], record=True)
    es.Network(src, tgt, syn, mon, group, neurons, backend=backend, dt=0.1 * ms).run(5 * ms)
    assert (mon.count.dtype, mon.gate.dtype, mon.big.dtype) == (np.int32, np.bool_, np.bool_)
    assert (neurons.n.dtype, neurons.b.dtype) == (np.int32, np.bool_)
    first, second = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    assert mon.count[:, ::5].tolist() == [first, first, second, second]
    assert mon.gate[:, ::5].tolist() == [[bool(k % 2) for k in first]] * 2 \
        + [[bool(k % 2) for k in second]] * 2
    assert mon.big[:, -1].tolist() == [True, True, False, False]
    assert neurons.n[:, :4].tolist() == [[0, 1, 2, 3]] * 2
    assert neurons.b[:, :4].tolist() == [[False, True, False, True]] * 2
    assert mon.count_.dtype == np.int32 and mon[0].count.dtype == np.int32
