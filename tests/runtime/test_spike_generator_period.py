"""SpikeGeneratorGroup(period=) and set_spikes() between runs, with Brian2's rules:
spikes repeated every period, a period that is a whole multiple of dt and longer than
the last spike's step, new spikes before the next run's start ignored with a warning,
and restore() bringing back the spikes stored."""
import warnings

import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, InvalidValueError, NetworkOperationError
from eqsnn.units import Hz, ms, second

CASES = [("c", 1), ("c", 2), ("numpy", 1)]
INDICES = [3, 2, 1, 1, 2, 3, 3, 2, 1]
TIMES = [1, 4, 4, 3, 2, 4, 2, 3, 2]
INDICES2 = [3, 2, 1, 1, 2, 3, 3, 2, 1, 3, 3, 3, 1, 2]
TIMES2 = [1, 4, 4, 3, 2, 4, 2, 3, 2, 4.5, 4.7, 4.8, 4.5, 4.7]

# Brian2 2.9.0, numpy target, defaultclock.dt = 0.1*ms, run in the venv of
# benchmarks/brian2_env.py: SG = SpikeGeneratorGroup(5, INDICES, TIMES*ms, period=5*ms),
# m = SpikeMonitor(SG), net.run(12*ms); m.i[:] and m.t/ms (rounded to 1e-6):
B2_PERIOD_I = [3, 1, 2, 3, 1, 2, 1, 2, 3, 3, 1, 2, 3, 1, 2, 1, 2, 3, 3]
B2_PERIOD_T = [1, 2, 2, 2, 3, 3, 4, 4, 4, 6, 7, 7, 7, 8, 8, 9, 9, 9, 11]
# ... then SG.set_spikes(INDICES2, TIMES2*ms + 12*ms), net.run(10*ms), then
# SG.set_spikes([0, 4, 1], [1.5, 0.3, 2]*ms, period=3*ms) (all three before t = 22 ms:
# Brian2 warns "ignored_spikes"), net.run(7.3*ms): the spikes after the first 19
B2_CHANGE_I = [3, 1, 2, 3, 1, 2, 1, 2, 3, 1, 3, 2, 3, 3, 4, 0, 1, 4, 0, 1, 4, 0, 1]
B2_CHANGE_T = [13, 14, 14, 14, 15, 15, 16, 16, 16, 16.5, 16.5, 16.7, 16.7, 16.8,
               22, 22.5, 23, 24.3, 25.5, 26, 27.3, 28.5, 29]
# SpikeGeneratorGroup(2, [0, 1, 0], [0, 0.4, 0.6]*ms, period=1*ms, dt=0.2*ms), run(3.1*ms)
B2_OWN_DT_I = [0, 1, 0, 0, 1, 0, 0, 1, 0, 0]
B2_OWN_DT_T = [0, 0.4, 0.6, 1, 1.4, 1.6, 2, 2.4, 2.6, 3]


def _times_ms(monitor):
    return np.round(monitor.t_ * 1e3, 6).tolist()


@pytest.mark.parametrize("backend,threads", CASES)
def test_period_and_set_spikes_match_brian2(backend, threads):
    gen = es.SpikeGeneratorGroup(5, INDICES, TIMES * ms, period=5 * ms)
    mon = es.SpikeMonitor(gen)
    net = es.Network(gen, mon, dt=0.1 * ms, backend=backend, threads=threads)
    net.run(12 * ms)
    assert mon.i.tolist() == B2_PERIOD_I
    assert _times_ms(mon) == B2_PERIOD_T
    gen.set_spikes(INDICES2, TIMES2 * ms + 12 * ms)     # the period ends with it
    net.run(10 * ms)
    gen.set_spikes([0, 4, 1], [1.5, 0.3, 2] * ms, period=3 * ms)
    with pytest.warns(UserWarning, match=r"3 spike\(s\) of .* lie before the start of "
                                         r"this run \(t = 0.022 s\) and are ignored"):
        net.run(7.3 * ms)
    assert mon.i.tolist()[19:] == B2_CHANGE_I
    assert _times_ms(mon)[19:] == B2_CHANGE_T
    assert gen.period == 3 * ms and list(gen.indices) == [0, 4, 1]


@pytest.mark.parametrize("backend,threads", CASES)
def test_period_on_a_clock_of_its_own_matches_brian2(backend, threads):
    gen = es.SpikeGeneratorGroup(2, [0, 1, 0], [0, 0.4, 0.6] * ms, period=1 * ms,
                                 dt=0.2 * ms)
    mon = es.SpikeMonitor(gen)
    es.Network(gen, mon, dt=0.1 * ms, backend=backend, threads=threads).run(3.1 * ms)
    assert mon.i.tolist() == B2_OWN_DT_I
    assert _times_ms(mon) == B2_OWN_DT_T


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_every_run_of_one_period_gives_every_spike_once(backend):
    # Brian2's test_spikegenerator_period_repeat: ten spikes in 1 ms, period 1 ms
    gen = es.SpikeGeneratorGroup(1, np.zeros(10, dtype=int), np.arange(10) * 0.1 * ms,
                                 period=1 * ms)
    mon = es.SpikeMonitor(gen)
    rate = es.PopulationRateMonitor(gen)
    net = es.Network(gen, mon, rate, dt=0.1 * ms, backend=backend)
    for k in range(5):
        net.run(1 * ms)
        assert mon.num_spikes == 10 * (k + 1)
    assert np.all(rate.rate == 10000 * Hz)      # one spike every step of 0.1 ms


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_spikes_set_again_before_now_are_ignored_with_a_warning(backend):
    # Brian2's test_spikegenerator_multiple_runs
    gen = es.SpikeGeneratorGroup(1, [0] * 5, np.arange(5) * ms)
    mon = es.SpikeMonitor(gen)
    net = es.Network(gen, mon, dt=0.1 * ms, backend=backend)
    net.run(5 * ms)
    gen.set_spikes([0] * 5, np.arange(5) * ms)
    with pytest.warns(UserWarning, match="5 spike"):
        net.run(5 * ms)
    assert mon.num_spikes == 5


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_restore_brings_back_the_stored_spikes(backend):
    gen = es.SpikeGeneratorGroup(1, [0, 0, 0], [0, 1, 2] * ms)
    mon = es.SpikeMonitor(gen)
    net = es.Network(gen, mon, dt=0.1 * ms, backend=backend)
    net.store()
    net.run(3 * ms)
    assert _times_ms(mon) == [0, 1, 2]
    net.restore()
    gen.set_spikes([0], [0.5] * ms, period=1 * ms)
    net.run(3 * ms)
    assert _times_ms(mon) == [0.5, 1.5, 2.5]
    net.restore()                 # the spikes stored, not the ones set since
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.run(3 * ms)
    assert _times_ms(mon) == [0, 1, 2]
    assert gen.period == 0 * second


def _run_zero(gen, dt=0.1 * ms):
    es.Network(gen, dt=dt, backend="numpy").run(0 * ms)


@pytest.mark.parametrize("make, message", [
    # Brian2's test_spikegenerator_incorrect_period and _period_rounding
    (lambda: es.SpikeGeneratorGroup(1, [], [] * second, period=-1 * ms), "not negative"),
    (lambda: es.SpikeGeneratorGroup(1, [0], [2] * ms, period=1 * ms),
     "must be longer than its last spike time"),
    (lambda: es.SpikeGeneratorGroup(1, [0], [2] * ms, period=1 * Hz), "must be times"),
    (lambda: es.SpikeGeneratorGroup(1, [0.5], [2] * ms), "whole numbers"),
    (lambda: es.SpikeGeneratorGroup(1, [0], [np.nan] * ms), "finite"),
])
def test_bad_periods_are_refused_when_given(make, message):
    with pytest.raises((InvalidValueError, DimensionMismatchError), match=message):
        make()


@pytest.mark.parametrize("period, dt, message", [
    (1.25 * ms, 0.1 * ms, "not a whole multiple of its dt"),
    (0.101 * ms, 0.1 * ms, "not a whole multiple of its dt"),
    (3.333 * ms, 0.1 * ms, "not a whole multiple of its dt"),
    (1 * ms, 2 * ms, "shorter than its dt"),
])
def test_periods_that_do_not_fit_dt_are_refused_at_run(period, dt, message):
    gen = es.SpikeGeneratorGroup(1, [], [] * second, period=period, dt=dt)
    with pytest.raises(InvalidValueError, match=message):
        _run_zero(gen)


def test_a_period_of_whole_steps_runs():
    _run_zero(es.SpikeGeneratorGroup(1, [], [] * ms, period=150 * ms))   # Brian2 #1041


def test_a_last_spike_in_the_period_s_own_last_step_is_refused_at_run():
    # 0.99999 ms falls in step 10 at dt = 0.1 ms, the first step of the next period
    gen = es.SpikeGeneratorGroup(1, [0, 0, 0], [0, 0.9, 0.99999] * ms, period=1 * ms)
    with pytest.raises(InvalidValueError, match=r"not longer than the step of its last "
                                                r"spike \(step 10"):
        _run_zero(gen)
    # two spikes in one step (0.9 and 0.96 ms), with a period
    gen = es.SpikeGeneratorGroup(1, [0, 0, 0], [0, 0.9, 0.96] * ms, period=1 * ms)
    with pytest.raises(InvalidValueError, match="two spikes in the step"):
        _run_zero(gen)


def test_set_spikes_that_collide_are_refused_at_the_next_run():
    gen = es.SpikeGeneratorGroup(2, [0, 1], [0, 0.05] * ms)
    net = es.Network(gen, dt=0.1 * ms, backend="numpy")
    net.run(0 * ms)
    gen.set_spikes([0, 0], [1, 1.05] * ms)
    with pytest.raises(InvalidValueError, match="neuron 0 .* has two spikes"):
        net.run(1 * ms)
    with pytest.raises(InvalidValueError, match="0..1"):
        gen.set_spikes([2], [1] * ms)


# Brian2 2.9.0 (numpy target; the venv of benchmarks/brian2_env.py): SG =
# SpikeGeneratorGroup(2, [0, 1, 0], [0, 0.5, 0.7]*ms, period=1*ms), SpikeMonitor(SG),
# R = PopulationRateMonitor(SG); run(2*ms) at dt 0.1 ms; defaultclock.dt = 0.05*ms;
# R.active = False; run(1*ms); R.active = True; run(1*ms)
B2_DT_T = [0, 0.5, 0.7, 1, 1.5, 1.7, 2, 2.5, 2.7, 3, 3.5, 3.7]
B2_DT_RATE_T = [round(0.1 * k, 6) for k in range(20)] + [round(3 + 0.05 * k, 6)
                                                         for k in range(20)]
B2_DT_RATE_AT = {0: 5000, 5: 5000, 7: 5000, 10: 5000, 15: 5000, 17: 5000,
                 20: 10000, 30: 10000, 34: 10000}


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_period_and_a_paused_rate_monitor_across_a_dt_change_match_brian2(backend):
    gen = es.SpikeGeneratorGroup(2, [0, 1, 0], [0, 0.5, 0.7] * ms, period=1 * ms)
    mon, rate = es.SpikeMonitor(gen), es.PopulationRateMonitor(gen)
    net = es.Network(gen, mon, rate, dt=0.1 * ms, backend=backend)
    net.run(2 * ms)
    net.dt = 0.05 * ms
    rate.active = False
    net.run(1 * ms)
    rate.active = True
    net.run(1 * ms)
    assert mon.i.tolist() == [0, 1, 0] * 4 and _times_ms(mon) == B2_DT_T
    assert np.round(rate.t_ * 1e3, 6).tolist() == B2_DT_RATE_T
    expected = np.zeros(40)
    expected[list(B2_DT_RATE_AT)] = list(B2_DT_RATE_AT.values())
    np.testing.assert_allclose(rate.rate / Hz, expected, rtol=1e-9)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_the_previous_output_replayed_as_input(backend):
    # Brian2's docs (user/input.rst): inp.set_spikes(spike_mon.i, spike_mon.t + runtime)
    G = es.NeuronGroup(3, "dv/dt = (1.2 + 0.3*i - v)/(4*ms) : 1", threshold="v > 1",
                       reset="v = 0", method="exact")
    inp = es.SpikeGeneratorGroup(3, [], [] * ms)
    out, replayed = es.SpikeMonitor(G), es.SpikeMonitor(inp)
    net = es.Network(G, inp, out, replayed, dt=0.1 * ms, backend=backend)
    runtime = 20 * ms
    net.run(runtime)
    assert out.num_spikes > 10 and replayed.num_spikes == 0
    inp.set_spikes(out.i, out.t + runtime)
    net.run(runtime)
    first = out.t_ < 20e-3
    np.testing.assert_array_equal(replayed.i, out.i[first])
    np.testing.assert_allclose(replayed.t_, out.t_[first] + 20e-3, atol=1e-12)


def test_set_spikes_during_a_run_is_refused():
    gen = es.SpikeGeneratorGroup(1, [0], [1] * ms)

    @es.network_operation(dt=1 * ms)
    def replace():
        gen.set_spikes([0], [5] * ms)

    with pytest.raises(NetworkOperationError, match=r"set_spikes\(\) of .* was called "
                                                    r"while a network runs it") as caught:
        es.Network(gen, replace, dt=0.1 * ms, backend="numpy").run(2 * ms)
    assert "net.stop()" in str(caught.value)
