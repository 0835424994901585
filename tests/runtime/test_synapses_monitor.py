"""Recording synaptic variables with StateMonitor: inside the compiled loop, on both
backends, with the same API as neuron variables — and clear errors for the monitors
that cannot watch synapses."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import Hz, ms, mV

BACKENDS = ["c", "numpy"]
DT = 0.1e-3

SPIKE_I = [0, 1, 2, 0, 2]
SPIKE_T = [1.0, 2.0, 3.0, 6.0, 7.5]  # ms


def _plastic(backend, record=True, dt=None, variables=("w", "x", "y"), run=10 * ms):
    """Three sources spiking at known times into two targets; each arrival grows w by
    0.5 mV and kicks a clock-driven trace x that decays with 5 ms."""
    source = es.SpikeGeneratorGroup(3, SPIKE_I, SPIKE_T * ms)
    target = es.NeuronGroup(2, "dv/dt = -v/(20*ms) : volt", method="exact")
    syn = es.Synapses(source, target, """
        w : volt
        dx/dt = -x/(5*ms) : 1
        y = w*x + v_post : volt
        """, on_pre="v_post += w; x += 1; w += 0.5*mV", delay=1 * ms, method="exact")
    syn.connect()                                   # 6 synapses: i = 0 0 1 1 2 2
    syn.w = "1*mV + 0.1*mV*j"
    mon = es.StateMonitor(syn, list(variables), record=record, dt=dt)
    vmon = es.StateMonitor(target, "v", record=True, dt=dt)
    net = es.Network(source, target, syn, mon, vmon, backend=backend)
    net.run(run)
    return syn, mon, vmon, net


def _arrival_steps(syn):
    """Step at which each synapse's statements run, per synapse (delay 1 ms = 10 steps)."""
    steps = np.rint(np.array(SPIKE_T) * 1e-3 / DT).astype(int) + 10
    return [steps[np.array(SPIKE_I) == i] for i in syn.i]


@pytest.mark.parametrize("backend", BACKENDS)
def test_recorded_weight_follows_each_arrival(backend):
    syn, mon, _, _ = _plastic(backend)
    n_times = 100
    assert mon.w.shape == (syn.N, n_times) and mon.w_.shape == (syn.N, n_times)
    np.testing.assert_allclose(mon.t_, np.arange(n_times) * DT, rtol=0, atol=1e-15)
    start = 1e-3 + 0.1e-3 * syn.j
    for k, arrivals in enumerate(_arrival_steps(syn)):
        # recorded at the start of step n: sees the arrivals of steps < n (as for neurons)
        seen = (arrivals[None, :] < np.arange(n_times)[:, None]).sum(axis=1)
        np.testing.assert_allclose(mon.w_[k], start[k] + 0.5e-3 * seen, rtol=0, atol=1e-15)
    assert str(mon.w.units) in ("volt", "V")
    np.testing.assert_allclose(mon.w_[:, -1], syn.w_, rtol=0, atol=1e-15)  # no arrival at 9.9 ms


@pytest.mark.parametrize("backend", BACKENDS)
def test_recorded_clock_driven_trace_matches_its_closed_form(backend):
    syn, mon, _, _ = _plastic(backend)
    t = np.arange(100) * DT
    for k, arrivals in enumerate(_arrival_steps(syn)):
        # x jumps by 1 in the arrival step n (after that step's decay): 1 at the start
        # of step n + 1, then decaying
        expected = sum(np.where(np.arange(100) > n, np.exp(-(t - (n + 1) * DT) / 5e-3), 0.0)
                       for n in arrivals)
        np.testing.assert_allclose(mon.x_[k], expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("backend", BACKENDS)
def test_recorded_subexpression_reads_the_target_neuron(backend):
    syn, mon, vmon, _ = _plastic(backend)
    expected = mon.w_ * mon.x_ + vmon.v_[syn.j]
    np.testing.assert_allclose(mon.y_, expected, rtol=1e-13, atol=1e-18)
    assert np.ptp(vmon.v_) > 0  # the targets did receive the jumps


def test_both_backends_record_the_same_values():
    _, compiled, _, _ = _plastic("c", record=[5, 0, 3], dt=0.5 * ms)
    _, reference, _, _ = _plastic("numpy", record=[5, 0, 3], dt=0.5 * ms)
    assert compiled.w_.shape == (3, 20)
    np.testing.assert_allclose(compiled.t_, np.arange(20) * 5e-4, rtol=0, atol=1e-15)
    for var in ("w_", "x_", "y_"):
        np.testing.assert_allclose(getattr(compiled, var), getattr(reference, var),
                                   rtol=1e-12, atol=1e-18)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_subset_of_synapses_with_its_own_dt_continues_over_runs(backend):
    _, mon, _, net = _plastic(backend, record=[4, 1], dt=1 * ms, variables=["w"], run=5 * ms)
    assert mon.record.tolist() == [4, 1] and mon.w_.shape == (2, 5)
    net.run(5 * ms)
    _, full, _, _ = _plastic(backend, variables=["w"], run=10 * ms)
    np.testing.assert_allclose(mon.t_, np.arange(10) * 1e-3, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(mon.w_, full.w_[[4, 1]][:, ::10])


@pytest.mark.parametrize("backend", BACKENDS)
def test_stdp_weights_move_during_the_run_and_end_where_the_synapses_are(backend):
    inputs = es.PoissonGroup(20, 40 * Hz)
    cell = es.NeuronGroup(1, "dv/dt = -v/(10*ms) : volt", threshold="v > 2*mV",
                          reset="v = 0*mV", method="exact")
    syn = es.Synapses(inputs, cell, """
        w : 1
        dapre/dt = -apre/(20*ms) : 1 (event-driven)
        dapost/dt = -apost/(20*ms) : 1 (event-driven)
        """, on_pre="apre += 0.05; v_post += w*mV; w = clip(w + apost, 0, 1)",
        on_post="apost -= 0.06; w = clip(w + apre, 0, 1)")
    syn.connect()
    syn.w = 0.5
    mon = es.StateMonitor(syn, "w")
    net = es.Network(inputs, cell, syn, mon, backend=backend, seed=4)
    net.run(200 * ms)
    steps_with_change = np.flatnonzero(np.any(np.diff(mon.w_, axis=1) != 0, axis=0))
    assert steps_with_change.size > 20          # the weights moved, step by step
    assert np.all(mon.w_[:, 0] == 0.5)
    # the last sample is taken at the start of the last step: it is the final weight
    # unless the last step had an event
    last = mon.w_[:, -1]
    assert np.mean(last == syn.w_) > 0.9
    assert len(np.unique(np.round(syn.w_, 12))) > 5


def test_weight_over_time_plot_accepts_a_synapse_monitor():
    import matplotlib
    matplotlib.use("Agg")
    from eqsnn import plot
    _, mon, _, _ = _plastic("numpy", variables=["w"])
    ax = plot.weight_over_time(mon, individual=2)
    mean_line = [line for line in ax.get_lines() if line.get_label() == "mean"][0]
    np.testing.assert_allclose(mean_line.get_ydata(), mon.w_.mean(axis=0) * 1e3, rtol=1e-12)
    np.testing.assert_allclose(mean_line.get_xdata(), mon.t_ * 1e3, rtol=1e-12)


# --- errors ---------------------------------------------------------------------------
def _synapses(connect=True):
    group = es.NeuronGroup(3, "v : volt")
    syn = es.Synapses(group, group, "w : volt", on_pre="v_post += w")
    if connect:
        syn.connect(j="i")
    return group, syn


@pytest.mark.parametrize("monitor", [es.SpikeMonitor, es.PopulationRateMonitor])
def test_spike_and_rate_monitors_refuse_synapses(monitor):
    _, syn = _synapses()
    with pytest.raises(InvalidValueError) as info:
        monitor(syn)
    text = str(info.value)
    assert (f"{monitor.__name__} records the spikes of a group of neurons, but "
            f"{syn.name!r} is a Synapses object, which does not spike") in text
    assert f"{monitor.__name__}(S.source)" in text and "StateMonitor(S, 'w')" in text


def test_record_true_before_connect_says_to_connect_first():
    _, syn = _synapses(connect=False)
    with pytest.raises(InvalidValueError, match=r"records the synapses that exist when it is "
                       r"created, but '.*' has none yet") as info:
        es.StateMonitor(syn, "w")
    assert "call S.connect(...) before creating the monitor" in str(info.value)


def test_bad_synapse_index_and_variable():
    _, syn = _synapses()
    with pytest.raises(InvalidValueError, match=r"record indices must lie in 0\.\.2 for "
                       r"'.*' \(3 synapses\), got 3"):
        es.StateMonitor(syn, "w", record=[1, 3])
    with pytest.raises(InvalidValueError, match=r"has no variable 'g' to record; its "
                       r"variables are \['w'\]"):
        es.StateMonitor(syn, "g")


def test_monitor_of_synapses_missing_from_the_network():
    group, syn = _synapses()
    mon = es.StateMonitor(syn, "w")
    with pytest.raises(InvalidValueError, match=rf"'{mon.name}' uses '{syn.name}', which is "
                       r"not in this network"):
        es.Network(group, mon, backend="numpy").run(1 * ms)


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_restore_keeps_the_synapse_recording(backend):
    group, syn = _synapses()
    syn.w = [1, 2, 3] * mV
    mon = es.StateMonitor(syn, "w", record=[2])
    net = es.Network(group, syn, mon, backend=backend)
    net.run(1 * ms)
    net.store()
    net.run(1 * ms)
    assert mon.w_.shape == (1, 20)
    net.restore()
    assert mon.w_.shape == (1, 10)
    syn.w = [4, 5, 6] * mV
    net.run(1 * ms)
    np.testing.assert_allclose(mon.w_[0], [3e-3] * 10 + [6e-3] * 10, rtol=0, atol=1e-15)
    np.testing.assert_allclose(mon.t_, np.arange(20) * DT, rtol=0, atol=1e-15)
