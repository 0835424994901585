"""get_states() / set_states() on groups, synapses, monitors and the network, with
Brian2's arguments, keys and values (docs_sphinx/user/models.rst "Storing state
variables", recording.rst "Getting all data").

The reference is Brian2 2.9.0's run of the same script (``_network`` below written with
``from brian2 import *``, ``prefs.codegen.target = 'numpy'``, ``defaultclock.dt =
0.1*ms``, ``Network(G, S, sm, st, pr).run(3*ms)``), run with
``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python`` (pandas installed into that venv for
the DataFrame case); the keys and values below were printed by it.
"""
import sys

import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, InvalidValueError
from eqsnn import units
from eqsnn.units import ms, second

MODEL = """dv/dt = (I - v)/tau : 1 (unless refractory)
I : 1
tau : second
c : 1 (shared)
x = 2*v : 1
n : integer
b : boolean"""


def _network(backend="numpy", threads=None, run=True):
    G = es.NeuronGroup(3, MODEL, threshold="v > 0.5", reset="v = 0; n += 1",
                       refractory=1 * ms, method="exact", name="neurons")
    G.I = [0.2, 1, 2]
    G.tau = 5 * ms
    G.c = 0.25
    S = es.Synapses(G, G, "w : 1", on_pre="I += w", delay=0.2 * ms, name="syn")
    S.connect("i != j")
    S.w = "i + j/10"
    sm = es.SpikeMonitor(G, name="spikes")
    st = es.StateMonitor(G, ["v", "x"], record=[0, 2], name="trace")
    pr = es.PopulationRateMonitor(G, name="rate")
    net = es.Network(G, S, sm, st, pr, dt=0.1 * ms, backend=backend, threads=threads)
    if run:
        net.run(3 * ms)
    return net, G, S, sm, st, pr


# --- Brian2 2.9.0's keys ------------------------------------------------------------
GROUP_KEYS = ["I", "N", "b", "c", "dt", "i", "lastspike", "n", "not_refractory", "t",
              "t_in_timesteps", "tau", "v"]
SIDE = ["I", "b", "c", "dt", "i", "lastspike", "n", "not_refractory", "t",
        "t_in_timesteps", "tau", "v"]
SYNAPSE_KEYS = sorted(
    ["N", "N_incoming", "N_outgoing", "N_post", "N_pre", "dt", "i", "j", "t",
     "t_in_timesteps", "w"]
    + [f"{k}_pre" for k in SIDE] + [f"{k}_post" for k in SIDE]
    + ["I", "b", "c", "lastspike", "n", "not_refractory", "tau", "v"])
MONITOR_KEYS = {"spikes": ["N", "count", "i", "t"], "trace": ["N", "t", "v", "x"],
                "rate": ["N", "rate", "t"]}
NETWORK_KEYS = ["neurons", "rate", "spikes", "syn", "syn_pre", "trace"]
# Brian2's read_only_variables=False lists; eqsnn keeps lastspike, not_refractory and
# the source's/target's states read-only (docs/brian2.md), so they are left out here
BRIAN2_GROUP_RW = ["I", "b", "c", "lastspike", "n", "not_refractory", "tau", "v"]
EQSNN_READ_ONLY = {"lastspike", "not_refractory"}


def test_keys_are_brian2s():
    net, G, S, sm, st, pr = _network()
    assert sorted(G.get_states()) == GROUP_KEYS
    assert sorted(G.get_states(subexpressions=True)) == sorted(GROUP_KEYS + ["x"])
    assert sorted(S.get_states()) == SYNAPSE_KEYS
    assert sorted(set(S.get_states(subexpressions=True)) - set(SYNAPSE_KEYS)) == \
        ["x", "x_post", "x_pre"]
    for mon in (sm, st, pr):
        assert sorted(mon.get_states()) == MONITOR_KEYS[mon.name]
        assert mon.get_states(read_only_variables=False) == {}
    assert sorted(net.get_states()) == NETWORK_KEYS
    assert sorted(G.get_states(read_only_variables=False)) == \
        sorted(set(BRIAN2_GROUP_RW) - EQSNN_READ_ONLY)
    assert sorted(S.get_states(read_only_variables=False)) == ["w"]
    assert sorted(net.get_states(read_only_variables=False)["syn_pre"]) == ["delay", "w"]


@pytest.mark.parametrize("backend, threads", [("numpy", None), ("c", 1), ("c", 2)])
def test_values_are_brian2s(backend, threads):
    net, G, S, sm, st, pr = _network(backend, threads)
    got = G.get_states(units=False, subexpressions=True)
    expected = {"I": [3.2, 3.2, 3.4], "N": 3, "b": [False] * 3, "c": 0.25, "dt": 1e-4,
                "i": [0, 1, 2], "lastspike": [2.6e-3, 2e-3, 1.4e-3], "n": [1, 1, 1],
                "not_refractory": [False, False, True], "t": 3e-3, "t_in_timesteps": 30,
                "tau": [5e-3] * 3, "v": [0, 0, 0.36581486784374606],
                "x": [0, 0, 0.7316297356874921]}
    for name, value in expected.items():
        np.testing.assert_allclose(got[name], value, rtol=1e-12, atol=1e-15, err_msg=name)
        assert np.shape(got[name]) == np.shape(value), name
    assert got["b"].dtype == bool and got["not_refractory"].dtype == bool
    assert got["n"].dtype == np.int32 and got["i"].dtype == np.int32

    syn = S.get_states(units=False, subexpressions=True)
    expected = {"i": [0, 0, 1, 1, 2, 2], "j": [1, 2, 0, 2, 0, 1], "N": 6,
                "N_incoming": [2] * 6, "N_outgoing": [2] * 6, "N_pre": 3, "N_post": 3,
                "w": [0.1, 0.2, 1, 1.2, 2, 2.1], "I": [3.2, 3.4, 3.2, 3.4, 3.2, 3.2],
                "I_post": [3.2, 3.4, 3.2, 3.4, 3.2, 3.2], "c": 0.25, "t": 3e-3,
                "lastspike_pre": [2.6e-3, 2.6e-3, 2e-3, 2e-3, 1.4e-3, 1.4e-3],
                "not_refractory_post": [False, True, False, True, False, False],
                "v_pre": [0, 0, 0, 0, 0.36581486784374606, 0.36581486784374606],
                "x_pre": [0, 0, 0, 0, 0.7316297356874921, 0.7316297356874921]}
    for name, value in expected.items():
        np.testing.assert_allclose(syn[name], value, rtol=1e-12, atol=1e-15, err_msg=name)

    spikes = sm.get_states(units=False)
    np.testing.assert_array_equal(spikes["i"], [2, 1, 0])
    np.testing.assert_allclose(spikes["t"], [1.4e-3, 2e-3, 2.6e-3])
    assert spikes["N"] == 3 and list(spikes["count"]) == [1, 1, 1]
    trace = st.get_states(units=False)
    assert trace["N"] == 30 and trace["v"].shape == (30, 2)   # (times, indices)
    np.testing.assert_allclose(trace["v"][1], [0.003960265338648961, 0.039602653386489495],
                               rtol=1e-12)
    np.testing.assert_allclose(trace["x"][29], [0, 0.6090405245698616], rtol=1e-12)
    rate = pr.get_states(units=False)
    assert rate["N"] == 30
    np.testing.assert_allclose(rate["rate"][[14, 20, 26]], [3333.3333333333335] * 3)
    assert np.count_nonzero(rate["rate"]) == 3


def test_units_and_copies():
    net, G, S, sm, st, pr = _network()
    states = G.get_states(["t", "dt", "tau", "lastspike", "v"])
    # Brian2: {'t': 3. ms, 'dt': 100. us, 'tau': [5. 5. 5.] ms, 'lastspike': [2.6 2. 1.4] ms}
    assert states["t"] == 3 * ms and states["dt"] == 0.1 * ms
    np.testing.assert_allclose(states["tau"] / ms, [5, 5, 5])
    np.testing.assert_allclose(states["lastspike"] / ms, [2.6, 2, 1.4])
    assert isinstance(states["v"], np.ndarray) and not isinstance(states["v"], units.Quantity)
    states["v"][:] = 7                                   # a copy: the group is unchanged
    assert G.v[2] != 7
    assert G.get_states("v").keys() == {"v"}
    before = es.NeuronGroup(2, "v : 1", refractory=1 * ms).get_states(units=False)
    np.testing.assert_array_equal(before["lastspike"], [-np.inf, -np.inf])  # Brian2: -1e4 s
    assert list(before["not_refractory"]) == [True, True]


def test_set_states_with_and_without_units_and_through_the_network():
    net, G, S, sm, st, pr = _network(run=False)
    G.set_states({"v": [1, 2, 3], "tau": [1, 2, 3] * ms})
    np.testing.assert_array_equal(G.v, [1, 2, 3])
    np.testing.assert_allclose(G.tau / ms, [1, 2, 3])
    G.set_states({"tau": [4, 5, 6]}, units=False)
    np.testing.assert_allclose(G.tau / second, [4, 5, 6])
    net.set_states({"neurons": {"v": [7, 8, 9]}, "syn": {"w": [1, 2, 3, 4, 5, 6]},
                    "syn_pre": {"delay": 0.5 * ms}})
    np.testing.assert_array_equal(G.v, [7, 8, 9])
    np.testing.assert_array_equal(S.w, [1, 2, 3, 4, 5, 6])
    np.testing.assert_allclose(S.delay / ms, [0.5] * 6)
    G[1:3].set_states({"v": [0, 0]})
    np.testing.assert_array_equal(G.v, [7, 0, 0])
    assert sorted(G[1:3].get_states(units=False)["i"]) == [0, 1]


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_a_round_trip_restores_every_writable_variable(backend):
    net, G, S, sm, st, pr = _network(backend)
    saved = net.get_states(read_only_variables=False)
    saved_si = net.get_states(units=False, read_only_variables=False)
    G.v, G.I, G.n, G.c, G.tau, S.w = 0.1, 0, 5, 9, 1 * ms, 0
    S.delay = 1 * ms
    net.set_states(saved)
    after = net.get_states(units=False, read_only_variables=False)
    for name, states in saved_si.items():
        for var, value in states.items():
            np.testing.assert_array_equal(after[name][var], value, err_msg=f"{name}.{var}")
    G.tau = 1 * ms
    net.set_states(saved_si, units=False)
    np.testing.assert_allclose(G.tau / ms, [5, 5, 5])


def test_pandas_as_brian2():
    pytest.importorskip("pandas")
    net, G, S, sm, st, pr = _network()
    frame = G.get_states(units=False, format="pandas")
    # Brian2: {'N': [3, 3, 3], 'i': [0, 1, 2], 't': [0.003]*3, 'tau': [0.005]*3, ...}
    assert sorted(frame.columns) == GROUP_KEYS
    assert list(frame["N"]) == [3, 3, 3] and list(frame["t_in_timesteps"]) == [30] * 3
    np.testing.assert_allclose(frame["v"], [0, 0, 0.36581486784374606], rtol=1e-12)
    frame["tau"] *= 2
    G.set_states(frame[["tau"]], units=False, format="pandas")
    np.testing.assert_allclose(G.tau / ms, [10, 10, 10])
    with pytest.raises(InvalidValueError, match="do not fit one column"):
        st.get_states(units=False, format="pandas")
    with pytest.raises(InvalidValueError, match="takes a pandas DataFrame, not dict"):
        G.set_states({"tau": [1, 2, 3]}, units=False, format="pandas")


def test_pandas_missing_names_what_to_install(monkeypatch):
    net, G, *_ = _network(run=False)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(InvalidValueError, match="needs pandas") as error:
        G.get_states(units=False, format="pandas")
    assert "eqsnn[sweep]" in str(error.value)


def test_errors():
    net, G, S, sm, st, pr = _network(run=False)
    with pytest.raises(InvalidValueError, match="without units") as error:
        G.get_states(format="pandas")                 # Brian2: NotImplementedError
    assert "units=False" in str(error.value)
    with pytest.raises(InvalidValueError, match="format 'xml' is not supported"):
        G.get_states(format="xml")
    with pytest.raises(InvalidValueError, match="no variable 'tua'") as error:
        G.get_states(["tua"])                         # Brian2: KeyError
    assert "tau" in str(error.value)
    for name in ("N", "x", "i", "t", "lastspike"):     # Brian2: TypeError (read-only)
        with pytest.raises(InvalidValueError, match=f"'{name}' of 'neurons' is read-only"):
            G.set_states({name: 1})
    with pytest.raises(InvalidValueError, match="read-only"):
        S.set_states({"v_post": [0] * 6})
    with pytest.raises(InvalidValueError, match="read-only"):
        sm.set_states({"t": [1]})
    with pytest.raises(DimensionMismatchError, match="v has unit"):
        G.set_states({"v": 3 * ms})
    with pytest.raises(InvalidValueError, match="takes a dict"):
        G.set_states([1, 2, 3])
    with pytest.raises(InvalidValueError, match="no object named 'nothere'"):
        net.set_states({"nothere": {"v": [1, 2, 3]}})
    G.v = 1
    with pytest.raises(InvalidValueError, match="read-only"):   # nothing written first
        G.set_states({"v": [5, 5, 5], "N": 3})
    np.testing.assert_array_equal(G.v, [1, 1, 1])


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_lastupdate_of_event_driven_synapses(backend):
    # Brian2 2.9.0 (same script, run(0.3*ms)): read_only_variables=False keys without
    # _pre/_post: ['lastupdate', 'v', 'w', 'x']; lastupdate [0.0002]*4, x [2.97024851]*4;
    # no 'lastupdate' without event-driven variables
    G = es.NeuronGroup(2, "v : 1", threshold="True")
    S = es.Synapses(G, G, "w : 1\ndx/dt = -x/(10*ms) : 1 (event-driven)",
                    on_pre="x += 1; v_post += w")
    S.connect()
    plain = es.Synapses(G, G, "w : 1", on_pre="v_post += w")
    es.Network(G, S, backend=backend).run(0.3 * ms)
    states = S.get_states(units=False, read_only_variables=False)
    assert sorted(states) == ["lastupdate", "w", "x"]            # (v: read-only here)
    np.testing.assert_allclose(states["lastupdate"], [2e-4] * 4)
    np.testing.assert_allclose(states["x"], [2.97024851] * 4, rtol=1e-8)
    S.set_states({"lastupdate": [0, 1, 2, 3] * ms})
    np.testing.assert_allclose(S.lastupdate / ms, [0, 1, 2, 3])
    assert "lastupdate" not in plain.get_states()


def test_spike_generator_group_as_brian2():
    # Brian2 2.9.0: N 3, i [0 1 2], neuron_index [0 1 2 0], spike_number [0 1 2 3],
    # spike_time [0.2 0.5 0.5 1.1] ms (sorted by time), period 2 ms, t 1 ms,
    # t_in_timesteps 10; net.get_states() keys ['gen']; nothing writable
    gen = es.SpikeGeneratorGroup(3, [2, 0, 1, 0], [0.5, 0.2, 0.5, 1.1] * ms, period=2 * ms,
                                 name="gen")
    net = es.Network(gen, backend="numpy")
    net.run(1 * ms)
    states = gen.get_states()
    assert sorted(states) == ["N", "dt", "i", "neuron_index", "period", "spike_number",
                              "spike_time", "t", "t_in_timesteps"]
    np.testing.assert_array_equal(states["neuron_index"], [0, 1, 2, 0])
    np.testing.assert_array_equal(states["spike_number"], [0, 1, 2, 3])
    np.testing.assert_allclose(states["spike_time"] / ms, [0.2, 0.5, 0.5, 1.1])
    assert states["period"] == 2 * ms and states["t"] == 1 * ms
    assert states["t_in_timesteps"] == 10 and states["N"] == 3
    assert sorted(net.get_states()) == ["gen"]
    assert gen.get_states(read_only_variables=False) == {}
