"""Clocks whose dt is not a whole multiple of the network's: they tick side by side,
as in Brian2 (at each iteration the clocks whose time is the smallest run).

Reference numbers: Brian2 2.9.0 (numpy target, ``~/.cache/eqsnn/bench/brian2-2.9.0/bin/
python``) running

    defaultclock.dt = 0.2*ms
    A = NeuronGroup(3, '''dv/dt = (I - v)/(4*ms) : 1 (unless refractory)
                          I : 1''', threshold="v > 1", reset="v = 0",
                    refractory=1*ms, method="exact", dt=0.3*ms)
    A.I = "1.6 + 0.5*i"
    B = NeuronGroup(3, "dx/dt = -x/(3*ms) : 1", method="exact")
    S = Synapses(A, B, on_pre="x += 1"); S.connect(j="i")
    B.run_regularly("x = x*0.9", dt=0.25*ms)
    calls = []
    @network_operation(dt=0.5*ms)
    def op(t): calls.append(float(t/ms))
    ma = StateMonitor(A, "v", record=True); mb = StateMonitor(B, "x", record=True)
    sa = SpikeMonitor(A); r = PopulationRateMonitor(A)
    run(6*ms)

Four clocks (0.2, 0.3, 0.25 and 0.5 ms): eqsnn's loop steps on their common grid of
0.05 ms. A's spikes fall on its 0.3 ms grid and reach B (on 0.2 ms) in the same
iteration; B decays on its clock and is scaled by the 0.25 ms block in between.
"""
from types import SimpleNamespace

import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

BACKENDS = ["c", "numpy"]
BRIAN2_SPIKES = ([2, 1, 0, 2, 1], [1.8, 2.4, 3.9, 4.5, 5.7])
BRIAN2_CALLS = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5]
BRIAN2_X = [0.22100923479619788, 0.91561001209971, 0.4191349158280881]
BRIAN2_V = [0.4146908469092516, 0.0, 0.3621592612948503]
BRIAN2_X1_EVERY_3RD = [0.0, 0.0, 0.0, 0.0, 0.0, 0.6380013495823087, 0.42310457358071685,
                       0.2805910681883678, 0.16747210315575217, 0.1110627945203726]


def _network(backend, threads=1, copies=1):
    n = 3 * copies
    A = es.NeuronGroup(n, """dv/dt = (I - v)/(4*ms) : 1 (unless refractory)
                             I : 1""", threshold="v > 1", reset="v = 0",
                       refractory=1 * ms, method="exact", dt=0.3 * ms)
    A.I = "1.6 + 0.5*(i % 3)"
    B = es.NeuronGroup(n, "dx/dt = -x/(3*ms) : 1", method="exact")
    S = es.Synapses(A, B, on_pre="x += 1")
    S.connect(j="i")
    B.run_regularly("x = x*0.9", dt=0.25 * ms)
    calls = []
    op = es.NetworkOperation(lambda t: calls.append(float(t / ms)), dt=0.5 * ms)
    ma = es.StateMonitor(A, "v", record=[0, 1, 2])
    mb = es.StateMonitor(B, "x", record=[0, 1, 2])
    sa = es.SpikeMonitor(A)
    rate = es.PopulationRateMonitor(A)
    net = es.Network(A, B, S, op, ma, mb, sa, rate, dt=0.2 * ms, backend=backend,
                     threads=threads)
    return net, SimpleNamespace(A=A, B=B, calls=calls, ma=ma, mb=mb, sa=sa, rate=rate)


@pytest.mark.parametrize("backend", BACKENDS)
def test_clocks_of_0_2_0_3_0_25_and_0_5_ms_tick_as_in_brian2(backend):
    net, r = _network(backend)
    net.run(6 * ms)
    assert float(net._loop_dt()) == pytest.approx(0.05e-3, rel=1e-12)  # the common grid
    assert list(r.sa.i) == BRIAN2_SPIKES[0]
    np.testing.assert_allclose(r.sa.t / ms, BRIAN2_SPIKES[1], atol=1e-9)
    np.testing.assert_allclose(r.calls, BRIAN2_CALLS, atol=1e-12)
    np.testing.assert_allclose(r.B.x[:], BRIAN2_X, rtol=1e-13)
    np.testing.assert_allclose(r.A.v[:], BRIAN2_V, rtol=1e-13)
    np.testing.assert_allclose(r.mb.x_[1][::3], BRIAN2_X1_EVERY_3RD, rtol=1e-13)
    # each monitor samples its source's clock: A every 0.3 ms, B every 0.2 ms
    assert len(r.ma.t) == 20 and len(r.mb.t) == 30
    np.testing.assert_allclose(r.ma.t[:4] / ms, [0, 0.3, 0.6, 0.9], atol=1e-12)
    np.testing.assert_allclose(r.mb.t[:4] / ms, [0, 0.2, 0.4, 0.6], atol=1e-12)
    assert len(r.rate.t) == 20 and np.sum(r.rate.rate_) * 0.3e-3 == pytest.approx(5 / 3)


def test_two_threads_give_the_same_bits_on_interleaved_clocks():
    results = []
    for threads in (1, 2):
        net, r = _network("c", threads=threads, copies=30)
        net.run(6 * ms)
        assert net._team_size() == threads
        results.append((r.sa.i.copy(), r.sa.t_.copy(), np.array(r.B.x[:]),
                        np.array(r.A.v[:]), r.mb.x_.copy(), r.calls))
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_group_faster_than_the_network_runs_on_its_own_clock(backend):
    # (Brian2: a group with dt=0.05*ms in a network of defaultclock.dt = 0.1*ms takes
    # steps of 0.05 ms; a monitor of it samples every 0.05 ms; dv/dt = 1/ms)
    fast = es.NeuronGroup(1, "dv/dt = 1/ms : 1", method="euler", dt=0.05 * ms)
    slow = es.NeuronGroup(1, "dv/dt = 1/ms : 1", method="euler")
    mf, ms_ = es.StateMonitor(fast, "v", record=0), es.StateMonitor(slow, "v", record=0)
    net = es.Network(fast, slow, mf, ms_, dt=0.1 * ms, backend=backend)
    net.run(1 * ms)
    assert len(mf.t) == 20 and len(ms_.t) == 10
    np.testing.assert_allclose(mf.v_[0], mf.t_ / 1e-3, atol=1e-12)
    np.testing.assert_allclose([fast.v[0], slow.v[0]], [1.0, 1.0], rtol=1e-12)


# Brian2 2.9.0 (numpy target, defaultclock.dt = 0.1*ms): a group's own clock changed
# between runs, G.clock.dt = ...
#   G = NeuronGroup(2, '''dv/dt = (I - v)/(3*ms) : 1 (unless refractory)
#                         I : 1''', threshold="v > 1", reset="v = 0", refractory=1*ms,
#                   method="exact", dt=0.5*ms); G.I = [1.5, 2.5]
#   H = NeuronGroup(2, "x : 1")
#   S = Synapses(G, H, on_pre="x += 1", delay=1.2*ms); S.connect(j="i")
#   sp = SpikeMonitor(G); mg = StateMonitor(G, "v", record=True)
#   mh = StateMonitor(H, "x", record=True, when="end"); net = Network(G, H, S, sp, mg, mh)
#   net.run(6*ms); G.clock.dt = 0.2*ms; net.run(6*ms)
# (delays: 1.2 ms is 2 steps of 0.5 ms, then 6 steps of 0.2 ms)
BRIAN2_CHANGED_CLOCK_SPIKES = ([1, 0, 1, 1, 0, 1, 1, 0],
                               [1.5, 3.0, 4.0, 6.4, 7.2, 8.8, 11.2, 11.4])
BRIAN2_CHANGED_CLOCK_ARRIVALS = [[4.0, 8.4], [2.5, 5.0, 7.6, 10.0]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_groups_clock_changed_between_runs_as_in_brian2(backend):
    G = es.NeuronGroup(2, """dv/dt = (I - v)/(3*ms) : 1 (unless refractory)
                             I : 1""", threshold="v > 1", reset="v = 0",
                       refractory=1 * ms, method="exact", dt=0.5 * ms)
    G.I = [1.5, 2.5]
    H = es.NeuronGroup(2, "x : 1")
    S = es.Synapses(G, H, on_pre="x += 1", delay=1.2 * ms)
    S.connect(j="i")
    sp, mg = es.SpikeMonitor(G), es.StateMonitor(G, "v", record=True)
    mh = es.StateMonitor(H, "x", record=True, when="end")
    net = es.Network(G, H, S, sp, mg, mh, backend=backend)
    net.run(6 * ms)
    G.clock.dt = 0.2 * ms
    net.run(6 * ms)
    assert list(sp.i) == BRIAN2_CHANGED_CLOCK_SPIKES[0]
    np.testing.assert_allclose(sp.t / ms, BRIAN2_CHANGED_CLOCK_SPIKES[1], atol=1e-9)
    assert len(mg.t) == 42
    np.testing.assert_allclose(mg.t[10:15] / ms, [5.0, 5.5, 6.0, 6.2, 6.4], atol=1e-9)
    for k, expected in enumerate(BRIAN2_CHANGED_CLOCK_ARRIVALS):
        up = np.flatnonzero(np.diff(np.r_[0.0, mh.x_[k]]) > 0)
        np.testing.assert_allclose(mh.t_[up] / 1e-3, expected, atol=1e-9)
    G.clock.dt = 0.5 * ms   # t = 12 ms is a multiple of 0.5 ms: fine
    net.run(0.5 * ms)
    G.clock.dt = 0.7 * ms   # 12.5 ms is not a multiple of 0.7 ms: refused as in Brian2
    with pytest.raises(InvalidValueError, match="not a multiple of the new dt"):
        net.run(1 * ms)
