"""The simulation core as a user meets it: closed forms, continuation, monitors, inputs."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import Hz, mV, ms, nA, Mohm, second

BACKENDS = ["c", "numpy"]

LIF = """
dv/dt = (El - v + R*I) / tau : volt (unless refractory)
I : amp
"""
LIF_NS = {"El": -70 * mV, "R": 10 * Mohm, "tau": 10 * ms}


@pytest.mark.parametrize("backend", BACKENDS)
def test_lif_trace_matches_closed_form(backend):
    group = es.NeuronGroup(1, LIF, method="exact", namespace=LIF_NS)
    group.v = -70 * mV
    group.I = 1 * nA  # v_inf = -60 mV: never reaches a threshold
    mon = es.StateMonitor(group, "v", record=0)
    net = es.Network(group, mon, dt=0.1 * ms, backend=backend)
    net.run(50 * ms)
    t = mon.t_
    expected = -0.060 + (-0.070 + 0.060) * np.exp(-t / 0.010)
    np.testing.assert_allclose(mon.v_[0], expected, rtol=0, atol=1e-12)
    assert mon.v.units == es.units.ureg.volt
    assert t[0] == 0 and np.isclose(t[-1], 49.9e-3)


@pytest.mark.parametrize("backend", BACKENDS)
def test_lif_spike_times_match_closed_form(backend):
    group = es.NeuronGroup(1, LIF, threshold="v > -55*mV", reset="v = El", refractory=2 * ms,
                           method="exact", namespace=LIF_NS)
    group.v = -70 * mV
    group.I = 2 * nA  # v_inf = -50 mV
    spikes = es.SpikeMonitor(group)
    net = es.Network(group, spikes, dt=0.01 * ms, backend=backend)
    net.run(100 * ms)
    # time to climb from El to threshold: tau*ln((v_inf - El)/(v_inf - vt))
    climb = 0.010 * np.log(20 / 5)
    isi = climb + 2e-3
    times = spikes.t_
    assert len(times) == int((0.1 - climb) // isi) + 1
    np.testing.assert_allclose(np.diff(times), isi, atol=2e-5)
    np.testing.assert_allclose(times[0], climb, atol=1e-5)


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_runs_continue_where_the_first_stopped(backend):
    def simulate(durations):
        group = es.NeuronGroup(3, LIF, threshold="v > -55*mV", reset="v = El",
                               refractory=2 * ms, method="exact", namespace=LIF_NS)
        group.v = -70 * mV
        group.I = "1.6*nA + 0.2*nA*i"
        spikes = es.SpikeMonitor(group)
        net = es.Network(group, spikes, backend=backend)
        for duration in durations:
            net.run(duration)
        return spikes.i, spikes.t_, group.v_.copy(), net.t_

    one = simulate([60 * ms])
    two = simulate([25 * ms, 35 * ms])
    np.testing.assert_array_equal(one[0], two[0])
    np.testing.assert_allclose(one[1], two[1])
    np.testing.assert_allclose(one[2], two[2], rtol=1e-13)
    assert np.isclose(one[3], 0.06) and np.isclose(two[3], 0.06)


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_and_restore_replay_a_deterministic_run(backend):
    group = es.NeuronGroup(2, LIF, threshold="v > -55*mV", reset="v = El", method="exact",
                           namespace=LIF_NS)
    group.v = -70 * mV
    group.I = [1.8, 2.5] * nA
    spikes = es.SpikeMonitor(group)
    net = es.Network(group, spikes, backend=backend)
    net.store()
    net.run(40 * ms)
    first = (spikes.i, spikes.t_, group.v_.copy())
    net.restore()
    assert net.t_ == 0 and spikes.num_spikes == 0
    net.run(40 * ms)
    np.testing.assert_array_equal(first[0], spikes.i)
    np.testing.assert_allclose(first[2], group.v_)


@pytest.mark.parametrize("backend", BACKENDS)
def test_state_monitor_subset_and_interval(backend):
    group = es.NeuronGroup(10, "dv/dt = -v/(10*ms) : 1", method="exact")
    group.v = "i"
    mon = es.StateMonitor(group[2:8], "v", record=[0, 3], dt=1 * ms)
    net = es.Network(group, mon, dt=0.1 * ms, backend=backend)
    net.run(5 * ms)
    assert mon.v.shape == (2, 5)
    np.testing.assert_allclose(mon.t_, np.arange(5) * 1e-3, atol=1e-15)
    np.testing.assert_allclose(mon.v[:, 0], [2, 5])
    np.testing.assert_allclose(mon.v[1], 5 * np.exp(-np.arange(5) * 0.1), rtol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_spike_buffers_grow_without_losing_spikes(backend):
    # every neuron spikes every step: far more spikes than the initial buffer holds
    group = es.NeuronGroup(500, "x : 1", threshold="True")
    spikes = es.SpikeMonitor(group)
    rate = es.PopulationRateMonitor(group)
    net = es.Network(group, spikes, rate, dt=1 * ms, backend=backend)
    net.run(20 * ms)
    assert spikes.num_spikes == 500 * 20
    np.testing.assert_array_equal(spikes.count, 20)
    np.testing.assert_allclose(rate.rate_, 1000.0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_spike_generator_spikes_at_exact_steps(backend):
    gen = es.SpikeGeneratorGroup(3, [0, 2, 1, 0], [1.0, 1.0, 2.5, 7.3] * ms)
    spikes = es.SpikeMonitor(gen)
    net = es.Network(gen, spikes, dt=0.1 * ms, backend=backend)
    net.run(10 * ms)
    order = np.lexsort((spikes.i, spikes.t_))
    np.testing.assert_array_equal(spikes.i[order], [0, 2, 1, 0])
    np.testing.assert_allclose(spikes.t_[order], [1e-3, 1e-3, 2.5e-3, 7.3e-3], atol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_poisson_group_fires_at_its_rate(backend):
    inputs = es.PoissonGroup(1000, 50 * Hz)
    spikes = es.SpikeMonitor(inputs)
    net = es.Network(inputs, spikes, seed=3, backend=backend)
    net.run(1 * second)
    rate = spikes.num_spikes / 1000 / 1.0
    assert abs(rate - 50) < 4 * np.sqrt(50 / 1000)  # 4 standard errors


def test_same_seed_same_spikes_on_both_backends():
    def simulate(backend, seed):
        inputs = es.PoissonGroup(200, "20*Hz + 20*Hz*(t > 50*ms)")
        spikes = es.SpikeMonitor(inputs)
        es.Network(inputs, spikes, seed=seed, backend=backend).run(100 * ms)
        return spikes.i, spikes.t_

    c1, c2, n1 = simulate("c", 7), simulate("c", 7), simulate("numpy", 7)
    other = simulate("c", 8)
    np.testing.assert_array_equal(c1[0], c2[0])
    np.testing.assert_array_equal(c1[0], n1[0])
    np.testing.assert_array_equal(c1[1], n1[1])
    assert len(c1[0]) != len(other[0]) or np.any(c1[0] != other[0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_timed_array_square_pulse(backend):
    stim = es.TimedArray([0, 0, 1, 1, 1, 0] * nA, dt=10 * ms)
    group = es.NeuronGroup(1, "dv/dt = (El - v + R*stim(t))/tau : volt", method="exact",
                           namespace={**LIF_NS, "stim": stim})
    group.v = -70 * mV
    mon = es.StateMonitor(group, "v", record=0)
    es.Network(group, mon, dt=0.1 * ms, backend=backend).run(60 * ms)
    v, t = mon.v_[0], mon.t_
    on = (t > 20e-3) & (t <= 50e-3)
    expected_on = -0.060 + (-0.070 + 0.060) * np.exp(-(t[on] - 20e-3) / 0.010)
    np.testing.assert_allclose(v[on], expected_on, atol=1e-12)
    np.testing.assert_allclose(v[t <= 20e-3], -0.070, atol=1e-15)


@pytest.mark.parametrize("backend", BACKENDS)
def test_nan_blow_up_names_variable_neuron_and_time(backend):
    group = es.NeuronGroup(4, "dv/dt = v**2/(1*ms) : 1", method="euler")
    group.v = [0.0, 0.0, 5.0, 0.0]
    net = es.Network(group, backend=backend, dt=0.1 * ms)
    with pytest.raises(es.errors.NumericalInstabilityError) as info:
        net.run(50 * ms)
    message = str(info.value)
    assert "v of" in message and "neuron 2" in message and "t = " in message
    assert "smaller dt" in message


def test_changing_a_parameter_between_runs_does_not_recompile():
    from eqsnn.compiler import stats
    group = es.NeuronGroup(5, LIF, threshold="v > -55*mV", reset="v = El", method="exact",
                           namespace=LIF_NS)
    group.v = -70 * mV
    net = es.Network(group, backend="c")
    net.run(1 * ms)
    before = stats.compilations
    group.I = 3 * nA
    group.v = -65 * mV
    net.run(1 * ms)
    other = es.NeuronGroup(7, LIF, threshold="v > -55*mV", reset="v = El", method="exact",
                           namespace={**LIF_NS, "tau": 20 * ms})
    es.Network(other, backend="c").run(1 * ms)
    assert stats.compilations == before


def test_timing_report_names_each_stage(capsys):
    group = es.NeuronGroup(5, LIF, method="exact", namespace=LIF_NS)
    net = es.Network(group)
    net.run(1 * ms, report_timing=True)
    out = capsys.readouterr().out
    for stage in ("code generation", "compile", "simulation loop"):
        assert stage in out
    assert net.timing["loop_seconds"] >= 0
