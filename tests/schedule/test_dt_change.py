"""dt changed between runs (Brian2's ``defaultclock.dt = ...`` between two ``run()``).

Reference numbers: Brian2 2.9.0 (numpy target, ``~/.cache/eqsnn/bench/brian2-2.9.0/bin/
python``) running

    defaultclock.dt = 0.1*ms
    G = NeuronGroup(5, '''dv/dt = (I - v)/(5*ms) : 1 (unless refractory)
                          I : 1''', threshold="v > 1", reset="v = 0",
                    refractory=1.3*ms, method="exact")
    G.I = "1.5 + 0.4*i"
    H = NeuronGroup(5, "dv/dt = -v/(10*ms) : 1", method="exact")
    S = Synapses(G, H, on_pre="v += 0.2", delay=1.6*ms); S.connect(j="i")
    M = StateMonitor(H, "v", record=[0, 4]); SM = SpikeMonitor(G)
    R = PopulationRateMonitor(G)
    run(3.3*ms); defaultclock.dt = 0.05*ms; run(2.3*ms)   # print H.v
    defaultclock.dt = 0.2*ms; run(4.4*ms)                 # print SM, H.v, G.v, M.t, R.t

Spikes, refractory periods and synaptic delays are in progress at both changes (G2
spikes at 2.8 ms and is refractory until 4.1 ms across the first one; G4's spike at
5.1 ms is in flight across the second). With 1.3 ms at dt = 0.2 ms, refractoriness is
Brian2's timestep(1.3 ms, 0.2 ms) = 6 steps (not the nearest, 7).

One number differs on purpose: Brian2 loses G4's spike that is in flight at the second
(coarser) change: its SpikeQueue.prepare moves each old slot to round(i*old/new) and a
later, empty slot overwrites an earlier one that landed on the same new slot. eqsnn
keeps it: the spike, 10 old steps old at 5.6 ms, becomes round(2.5) = 3 new steps old
(emitted at "5.0 ms") and reaches H4 at 5.0 + 1.6 = 6.6 ms, which adds
0.2*exp(-3.2 ms/10 ms) to H4's final value (16 exact steps of 0.2 ms of decay).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.compiler.stats import stats
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

BACKENDS = ["c", "numpy"]
BRIAN2_H_AT_5_6MS = [0.0, 0.19506198240566655, 0.17827322878136628, 0.16957874081758317,
                     0.16292946328228294]
BRIAN2_SPIKES_I = [4, 3, 2, 1, 4, 0, 3, 2, 4, 1, 3]
BRIAN2_SPIKES_T = [1.9, 2.3, 2.8, 3.7, 5.1, 5.45, 5.8, 6.8, 8.2, 8.6, 9.2]
BRIAN2_H_END = [0.151156748291145, 0.1256270210379281, 0.28868609931904815,
                0.2665404575412524, 0.3049325084213185]
BRIAN2_G_END = [0.7090613639354268, 0.07450006561058586, 0.7582638941180289, 0.0,
                0.3505466461768125]
KEPT_IN_FLIGHT = 0.2 * np.exp(-0.32)  # H4: G4's spike that Brian2 loses (docstring)


def _network(backend, threads=1, copies=1):
    """Brian2's script above; ``copies`` > 1 repeats its 5 neurons (for 2 threads,
    which split groups in blocks of 64)."""
    n = 5 * copies
    G = es.NeuronGroup(n, """dv/dt = (I - v)/(5*ms) : 1 (unless refractory)
                             I : 1""", threshold="v > 1", reset="v = 0",
                       refractory=1.3 * ms, method="exact")
    G.I = "1.5 + 0.4*(i % 5)"
    H = es.NeuronGroup(n, "dv/dt = -v/(10*ms) : 1", method="exact")
    S = es.Synapses(G, H, on_pre="v += 0.2", delay=1.6 * ms)
    S.connect(j="i")
    mon = es.StateMonitor(H, "v", record=[0, 4])
    spikes = es.SpikeMonitor(G)
    rate = es.PopulationRateMonitor(G)
    net = es.Network(G, H, S, mon, spikes, rate, dt=0.1 * ms, backend=backend,
                     threads=threads, seed=1)
    return net, G, H, mon, spikes, rate


def _run_with_changes(net, H):
    net.run(3.3 * ms)
    net.dt = 0.05 * ms
    net.run(2.3 * ms)
    at_5_6 = np.array(H.v[:])
    net.dt = 0.2 * ms
    net.run(4.4 * ms)
    return at_5_6


@pytest.mark.parametrize("backend", BACKENDS)
def test_time_continues_with_the_new_dt_and_matches_brian2(backend):
    net, G, H, mon, spikes, rate = _network(backend)
    at_5_6 = _run_with_changes(net, H)
    assert float(net.t / ms) == pytest.approx(10.0, abs=1e-12)
    np.testing.assert_allclose(at_5_6, BRIAN2_H_AT_5_6MS, rtol=1e-12, atol=1e-15)
    assert list(spikes.i) == BRIAN2_SPIKES_I
    np.testing.assert_allclose(spikes.t / ms, BRIAN2_SPIKES_T, atol=1e-9)
    np.testing.assert_allclose(G.v[:], BRIAN2_G_END, rtol=1e-12, atol=1e-15)
    expected = np.array(BRIAN2_H_END)
    expected[4] += KEPT_IN_FLIGHT
    np.testing.assert_allclose(H.v[:], expected, rtol=1e-12)
    # the monitors' times follow each run's dt: 33 + 46 + 22 samples
    t = mon.t / ms
    assert len(t) == 101
    np.testing.assert_allclose(t[[0, 32, 33, 34, 78, 79, 100]],
                               [0.0, 3.2, 3.3, 3.35, 5.55, 5.6, 9.8], atol=1e-9)
    np.testing.assert_allclose(rate.t[31:36] / ms, [3.1, 3.2, 3.3, 3.35, 3.4], atol=1e-9)
    # each spike counted once, at its step's rate: the integral is spikes per neuron
    widths = np.diff(np.r_[rate.t_, 10e-3])
    assert np.sum(rate.rate_ * widths) == pytest.approx(11 / 5, rel=1e-9)


def test_two_threads_give_the_same_bits_after_dt_changes():
    results = []
    for threads in (1, 2):
        net, G, H, mon, spikes, rate = _network("c", threads=threads, copies=30)
        _run_with_changes(net, H)
        assert net._team_size() == threads
        results.append((spikes.i.copy(), spikes.t_.copy(), np.array(H.v[:]),
                        np.array(G.v[:]), mon.v_.copy()))
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


def test_a_new_dt_reuses_the_compiled_module():
    net, G, H, *_ = _network("c")
    net.run(1 * ms)
    before = stats.snapshot()
    net.dt = 0.05 * ms
    net.run(1 * ms)
    net.dt = 0.1 * ms
    net.run(1 * ms)
    assert stats.compilations == before.compilations
    assert float(net.t / ms) == pytest.approx(3.0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_restore_brings_the_old_dt_back(backend):
    net, G, H, mon, spikes, _ = _network(backend)
    net.run(3.3 * ms)
    net.store()
    net.dt = 0.05 * ms
    net.run(2.3 * ms)
    net.restore()
    assert float(net.dt / ms) == pytest.approx(0.1)
    assert float(net.t / ms) == pytest.approx(3.3)
    net.run(2.3 * ms)   # the same as a run at 0.1 ms all along
    plain, _, H2, _, spikes2, _ = _network(backend)
    plain.run(5.6 * ms)
    np.testing.assert_array_equal(spikes.t_, spikes2.t_)
    np.testing.assert_allclose(H.v[:], H2.v[:], rtol=1e-13)


def test_a_time_that_is_no_multiple_of_the_new_dt_is_refused_as_in_brian2():
    net, *_ = _network("numpy")
    net.run(0.5 * ms)
    with pytest.raises(InvalidValueError, match="not a multiple of the new dt") as error:
        net.dt = 0.2 * ms
    assert "run up to a multiple of 0.2 ms" in error.value.hint
    net.dt = 0.25 * ms   # 0.5 ms is a multiple of it
    net.run(0.5 * ms)
    assert float(net.t / ms) == pytest.approx(1.0)
