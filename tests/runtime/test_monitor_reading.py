"""Brian2's monitor reading API, the rest of issue 13 item 6: values at spike time
(SpikeMonitor(variables=)), values()/all_values()/count/spike_trains(), x_pre/x_post
through StateMonitor(S, ...), monitor.active, and record= checked at the call."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import mV, ms

# (backend, threads): the monitors run in the loop, so two threads must give the same
CASES = [("c", 1), ("c", 2), ("numpy", 1)]
MODEL = "dv/dt = (1.2 - v)/(10*ms) + 0.1*i/ms : 1\nw : 1"

# Brian2 2.9.0, numpy target, dt = 0.1 ms, the same script (MODEL, threshold "v > 1",
# reset "v = 0", method exact; S = Synapses(G, G, "g : 1", on_pre="w_post += 1"),
# S.connect(j="i"), SpikeMonitor(G, variables=["v", "w"]), StateMonitor(S, ["g",
# "v_post", "w_pre"], record=[0, 2]), run(20*ms)); run in the venv of
# benchmarks/brian2_env.py.
B2_I = [2, 1, 2, 2, 1, 2, 0, 1, 2]
B2_STEPS = [37, 60, 75, 113, 121, 151, 179, 182, 189]
B2_V = [1.0116434905204537, 1.0046280880361014, 1.0116434905204537, 1.0116434905204537,
        1.0046280880361014, 1.0116434905204537, 1.0016413341341017, 1.0046280880361014,
        1.0116434905204537]
B2_W = [0.0, 0.0, 1.0, 2.0, 1.0, 3.0, 0.0, 2.0, 4.0]
B2_V_POST_40_45 = [0.0633642454183827, 0.09457429264477324, 0.1254737947125648,
                   0.15606584159771386, 0.18635349253040245]   # SM.v_post[1, 40:45]
B2_LAST_V_POST_OF_2 = 0.2754202071320677                      # SM[2].v_post[-1]
B2_COUNT = [1, 3, 5]


def _network(backend, threads):
    G = es.NeuronGroup(3, MODEL, threshold="v > 1", reset="v = 0", method="exact")
    S = es.Synapses(G, G, "g : 1", on_pre="w_post += 1")
    S.connect(j="i")
    M = es.SpikeMonitor(G, variables=["v", "w"])
    SM = es.StateMonitor(S, ["g", "v_post", "w_pre"], record=[0, 2])
    net = es.Network(G, S, M, SM, backend=backend, threads=threads)
    return net, M, SM


@pytest.mark.parametrize("backend,threads", CASES)
def test_values_at_spike_time_and_through_synapses_match_brian2(backend, threads):
    net, M, SM = _network(backend, threads)
    net.run(20 * ms)
    assert list(M.i) == B2_I
    np.testing.assert_array_equal(np.round(M.t_ / 1e-4).astype(int), B2_STEPS)
    np.testing.assert_allclose(M.v, B2_V, rtol=1e-12)   # dimensionless: plain numbers
    np.testing.assert_array_equal(M.w_, B2_W)            # before the synapses' increment
    assert list(M.count) == B2_COUNT
    by_neuron = M.values("v")
    assert sorted(by_neuron) == [0, 1, 2]
    np.testing.assert_allclose(by_neuron[1], [B2_V[1]] * 3, rtol=1e-12)
    assert set(M.all_values()) == {"t", "v", "w"}
    np.testing.assert_array_equal(M.all_values()["t"][2] / ms, M.spike_trains()[2] / ms)
    assert SM.v_post.shape == (2, 200)
    np.testing.assert_allclose(SM.v_post[1, 40:45], B2_V_POST_40_45, rtol=1e-12)
    assert SM.w_pre[1, -1] == 5.0
    np.testing.assert_allclose(SM[2].v_post[-1], B2_LAST_V_POST_OF_2, rtol=1e-12)


@pytest.mark.parametrize("backend,threads", CASES)
def test_an_inactive_monitor_records_nothing(backend, threads):
    net, M, SM = _network(backend, threads)
    net.run(20 * ms)
    program = net._program
    M.active = False
    SM.active = False
    net.run(5 * ms)
    # Brian2: 9 spikes and 200 samples after the pause, 210 samples after 1 ms more,
    # the last at 25.9 ms
    assert M.num_spikes == 9 and SM.t.size == 200
    SM.active = True
    net.run(1 * ms)
    assert SM.t.size == 210 and SM.t_[-1] == pytest.approx(25.9e-3)
    assert net._program is program                     # read at each run: no rebuild


def test_values_with_units_and_of_a_subgroup():
    G = es.NeuronGroup(4, "dv/dt = (20*mV - v)/(5*ms) + i*mV/ms : volt",
                       threshold="v > 10*mV", reset="v = 0*mV", method="exact")
    M = es.SpikeMonitor(G[2:4], variables="v")
    es.Network(G, M, backend="numpy").run(10 * ms)
    np.testing.assert_allclose(M.v / mV, M.v_ * 1e3)   # volts, as the variable
    assert np.all(M.v_ > 10e-3) and set(M.i) <= {0, 1}
    assert sorted(M.values("v")) == [0, 1]
    with pytest.raises(InvalidValueError, match=r"records \['t', 'v'\] at each spike, "
                                                r"not 'u'"):
        M.values("u")


@pytest.mark.parametrize("record, message", [
    ([1.7], "record indices must be whole numbers, not 1.7"),
    ([2**70], r"record indices must lie in 0\.\.2 for 'g' \(3 neurons\), got "
              + str(2**70)),
    ("abc", "not the string 'abc'"),
    ([-1], r"must lie in 0\.\.2 .*got -1"),
    ([True], "not the boolean True"),
    ([[0, 1]], r"flat list of indices, not an array of shape \(1, 2\)"),
])
def test_record_indices_are_checked_at_the_call(record, message):
    G = es.NeuronGroup(3, "v : 1", name="g")
    with pytest.raises(InvalidValueError, match=message):
        es.StateMonitor(G, "v", record=record)


def test_whole_float_indices_and_unknown_side_variables():
    G = es.NeuronGroup(3, "v : 1", name="g")
    assert list(es.StateMonitor(G, "v", record=[2.0, 0]).record) == [2, 0]
    S = es.Synapses(G, G, "w : 1")
    S.connect()
    with pytest.raises(InvalidValueError, match=r"has no variable 'u_post' .* x_pre, x_post"):
        es.StateMonitor(S, "u_post", record=0)
    with pytest.raises(InvalidValueError, match="has no variable 'u'"):
        es.SpikeMonitor(G, variables=["u"])


def test_active_is_a_flag():
    G = es.NeuronGroup(2, "v : 1", threshold="v > 1")
    for monitor in (es.SpikeMonitor(G), es.PopulationRateMonitor(G)):
        with pytest.raises(InvalidValueError, match="active is True or False, not 0"):
            monitor.active = 0
        monitor.active = False      # (a rate monitor pauses too: tests/runtime/
        monitor.active = True       # test_rate_monitor_pause.py)
