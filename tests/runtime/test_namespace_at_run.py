"""Constants are read when run() starts (issue 13, item 5), as in Brian2: a value changed
in the namespace between two runs is used by the next run, without recompiling; a
changed unit is refused."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.compiler import stats
from eqsnn.errors import DimensionMismatchError, InvalidValueError, UnknownNameError
from eqsnn.units import mV, ms

BACKENDS = ["c", "numpy"]


def _builds():
    return stats.compilations, stats.memory_hits, stats.disk_hits


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_changed_value_is_used_by_the_next_run_without_recompiling(backend):
    ns = {"tau": 10 * ms, "El": -70 * mV}
    G = es.NeuronGroup(2, "dv/dt = (El - v)/tau : volt", method="exact", namespace=ns)
    net = es.Network(G, backend=backend)
    net.run(1 * ms)
    v1 = -70e-3 * (1 - np.exp(-0.1))
    np.testing.assert_allclose(G.v_, v1, rtol=1e-12)
    program, before = net._program, _builds()
    ns["El"] = -50 * mV                  # the user's dict, changed after construction
    net.run(1 * ms)
    v2 = -50e-3 + (v1 + 50e-3) * np.exp(-0.1)
    np.testing.assert_allclose(G.v_, v2, rtol=1e-12)
    G.namespace["tau"] = 2 * ms          # the object's namespace is the same dict
    assert ns["tau"] == 2 * ms
    net.run(1 * ms)
    # exact: exp(-dt/tau) is computed from the new tau, not kept from the build
    np.testing.assert_allclose(G.v_, -50e-3 + (v2 + 50e-3) * np.exp(-0.5), rtol=1e-12)
    assert net._program is program and _builds() == before


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_changed_unit_is_refused_with_both_units(backend):
    ns = {"tau": 10 * ms}
    G = es.NeuronGroup(1, "dv/dt = -v/tau : 1", namespace=ns)
    net = es.Network(G, backend=backend)
    net.run(0.2 * ms)
    ns["tau"] = 3 * mV
    with pytest.raises(DimensionMismatchError, match=r"'tau' .* had unit second .* now has "
                                                     r"unit volt") as info:
        net.run(0.2 * ms)
    assert "its unit may not" in info.value.hint
    ns["tau"] = 5.0                                    # a plain number is no time either
    with pytest.raises(DimensionMismatchError, match="now has unit 1"):
        net.run(0.2 * ms)
    ns["tau"] = 20 * ms                                # a time again: runs
    net.run(0.2 * ms)
    del ns["tau"]
    with pytest.raises(UnknownNameError, match="unknown name 'tau'"):
        net.run(0.2 * ms)


def test_a_constant_replaced_by_a_function_is_refused():
    ns = {"I0": 1.0}
    G = es.NeuronGroup(1, "dv/dt = I0/ms : 1", namespace=ns)
    net = es.Network(G, backend="numpy")
    net.run(0.1 * ms)
    ns["I0"] = es.TimedArray([1.0, 2.0], dt=1 * ms)
    with pytest.raises(InvalidValueError, match="'I0' of .* was a constant"):
        net.run(0.1 * ms)


def test_a_built_in_models_values_lie_under_the_users_namespace():
    from eqsnn.models import LIF
    ns = {}
    G = es.NeuronGroup(1, LIF(), namespace=ns)
    tau = G.namespace["tau"]          # the model's value, seen through the group
    ns["tau"] = 2 * tau               # the user's entry wins from the next run on
    net = es.Network(G, backend="numpy")
    net.run(0.1 * ms)
    assert G._constants["tau"].value == pytest.approx(2 * float(tau / ms) * 1e-3)


@pytest.mark.parametrize("backend", BACKENDS)
def test_initialisers_and_connect_read_the_namespace_when_called(backend):
    ns = {"v0": 1 * mV, "reach": 1}
    G = es.NeuronGroup(3, "v : volt", namespace=ns)
    ns["v0"] = 2 * mV
    G.v = "v0*(i + 1)"
    np.testing.assert_allclose(G.v_, [2e-3, 4e-3, 6e-3])
    S = es.Synapses(G, G, "w : 1", on_pre="v_post += w*mV", namespace=ns)
    ns["reach"] = 2
    S.connect("abs(i - j) == reach")
    assert sorted(zip(S.i, S.j)) == [(0, 2), (2, 0)]


# --- the case: a learning rate switched on after a warm-up -------------------
# Spike times lie 0.3 dt after a step, so that rounding (eqsnn) and flooring (Brian2)
# give the same step.
PRE_I = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]
PRE_T = [(k + 0.3) * 0.1 for k in [20, 50, 80, 150, 170, 190, 250, 270, 290, 350, 380, 390]]
POST_I = [0, 1, 0, 1, 0, 1, 0, 1]
POST_T = [(k + 0.3) * 0.1 for k in [30, 60, 160, 180, 240, 280, 360, 370]]
STDP = """w : 1
dapre/dt = -apre/taupre : 1 (event-driven)
dapost/dt = -apost/taupost : 1 (event-driven)"""
# Brian2 2.9.0 (numpy target) ran this very script (with its own imports) in the venv of
# benchmarks/brian2_env.py: S.w after run(10*ms) with eta = 0, S.namespace["eta"] = 1e-2,
# run(30*ms); synapses in the order of S.i = [0,0,1,1,2,2], S.j = [0,1,0,1,0,1].
BRIAN2_W = [0.5066118044152562, 0.5167509946475685, 0.47555524872671673,
            0.5061774348218321, 0.4834380302464913, 0.47314538850122034]


def _plastic_network(backend, eta):
    ns = {"taupre": 20 * ms, "taupost": 20 * ms, "Apre": 1.0, "Apost": -1.05, "wmax": 1.0,
          "eta": eta}
    pre = es.SpikeGeneratorGroup(3, PRE_I, PRE_T * ms, name="pre")
    post = es.SpikeGeneratorGroup(2, POST_I, POST_T * ms, name="post")
    S = es.Synapses(pre, post, STDP, on_pre="apre += Apre\nw = clip(w + eta*apost, 0, wmax)",
                    on_post="apost += Apost\nw = clip(w + eta*apre, 0, wmax)",
                    namespace=ns, name="stdp")
    S.connect()
    S.w = 0.5
    return es.Network(pre, post, S, backend=backend), S, ns


@pytest.mark.parametrize("backend", BACKENDS)
def test_learning_switched_on_after_a_warm_up(backend):
    net, S, ns = _plastic_network(backend, 0.0)
    net.run(10 * ms)
    np.testing.assert_array_equal(S.w, 0.5)          # eta = 0: nothing learnt
    program, before = net._program, _builds()
    ns["eta"] = 1e-2
    net.run(30 * ms)
    assert net._program is program and _builds() == before
    assert list(S.i) == [0, 0, 1, 1, 2, 2] and list(S.j) == [0, 1, 0, 1, 0, 1]
    np.testing.assert_allclose(S.w, BRIAN2_W, rtol=1e-12)

    # the same second part from a network built with eta = 1e-2 from the start, given
    # the state the warm-up left (traces, last updates, spike queues, time)
    net_b, S_b, _ = _plastic_network(backend, 1e-2)
    warm, _ = _plastic_network(backend, 0.0)[:2]
    warm.run(10 * ms)
    for mine, theirs in zip(net_b.objects, warm.objects):
        mine._set_state(theirs._state())
    net_b._step, net_b._t_wanted = warm._step, warm._t_wanted
    net_b.run(30 * ms)
    np.testing.assert_array_equal(S_b.w_, S.w_)


# --- Brian2 resolves the names at run(): a name may be defined after the object --------
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_name_defined_after_the_group_and_before_run_works(backend):
    ns = {}
    G = es.NeuronGroup(2, "dv/dt = (El - v)/tau : volt", method="exact", namespace=ns)
    ns["tau"] = 10 * ms                 # after the group was created
    G.namespace["El"] = -70 * mV        # the group's namespace is that dict
    net = es.Network(G, backend=backend)
    net.run(1 * ms)
    np.testing.assert_allclose(G.v_, -70e-3 * (1 - np.exp(-0.1)), rtol=1e-12)


def test_a_name_still_missing_is_reported_where_the_group_is_first_used():
    ns = {"El": -70 * mV}
    G = es.NeuronGroup(1, "dv/dt = (El - v)/tau : volt", namespace=ns)
    net = es.Network(G, backend="numpy")
    with pytest.raises(UnknownNameError, match="unknown name 'tau' in the model") as info:
        net.run(0.1 * ms)
    assert "dv/dt = (El - v)/tau" in str(info.value) and "^~~" in str(info.value)
    G.v = -50 * mV                      # kept until the group is built (at run())
    with pytest.raises(UnknownNameError, match="unknown name 'tau'"):
        G.v                             # reading a variable needs the model
    ns["tau"] = 5 * ms                  # defined at last: the same objects now run
    G.v = -60 * mV
    net.run(0.1 * ms)
    np.testing.assert_allclose(G.v_, -70e-3 + 10e-3 * np.exp(-0.02), rtol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_synapses_whose_names_come_later(backend):
    ns = {}
    source = es.SpikeGeneratorGroup(1, [0], [0.53] * ms)
    target = es.NeuronGroup(1, "v : volt", namespace=ns)
    S = es.Synapses(source, target, "w : volt", on_pre="v_post += w*k", namespace=ns)
    ns["k"] = 3.0
    S.connect()
    S.w = 1 * mV
    es.Network(source, target, S, backend=backend).run(1 * ms)
    np.testing.assert_allclose(target.v_, [3e-3], rtol=1e-12)
