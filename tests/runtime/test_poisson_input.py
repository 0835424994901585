"""PoissonInput(target, var, N, rate, weight) as Brian2's (brian2/input/poissoninput.py,
binomial.py): each step, each neuron gets weight x Binomial(N, rate*dt) — checked
against the closed-form mean and variance, on both backends and on two threads; the
port of Rossant et al. 2011 compares with Brian2's own numbers
(tests/brian2_gallery/test_rossant_2011.py)."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, EqsnnError, InvalidValueError
from eqsnn.units import Hz, mV, ms

BACKENDS = ["c", "numpy"]


def _increments(backend, *, n_inputs, rate, steps=20, neurons=5000, seed=4, threads=1):
    """Events per neuron and step: the increments of v (weight 1 mV) of a few steps."""
    group = es.NeuronGroup(neurons, "v : volt")
    drive = es.PoissonInput(group, "v", N=n_inputs, rate=rate, weight=1 * mV)
    trace = es.StateMonitor(group, "v", record=True)
    net = es.Network(group, drive, trace, dt=0.1 * ms, seed=seed, backend=backend,
                     threads=threads)
    net.run(steps * 0.1 * ms)
    v = np.asarray(trace.v_) / 1e-3               # (neurons, steps), recorded before each step
    return np.diff(np.concatenate([v, (np.asarray(group.v_) / 1e-3)[:, None]], axis=1),
                   axis=1)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("n_inputs, rate", [
    (1000, 20 * Hz),      # N p = 2: the binomial (Brunel 2000's external drive)
    (3, 7000 * Hz),       # p = 0.7 > 0.5: the binomial of 1 - p, counted from N
    (4000, 1 * Hz),       # N p = 0.4 (Rossant 2011's inputs)
])
def test_events_per_step_are_binomial(backend, n_inputs, rate):
    events = _increments(backend, n_inputs=n_inputs, rate=rate)
    p = float(rate * 0.1 * ms)
    mean, variance = n_inputs * p, n_inputs * p * (1 - p)
    count = events.size
    np.testing.assert_allclose(events, np.round(events), atol=1e-9)  # whole events
    events = np.round(events)
    assert abs(events.mean() - mean) < 5 * np.sqrt(variance / count)
    # the variance of a sample variance is about 2 var^2 / n (+ the fourth cumulant)
    assert abs(events.var() - variance) < 6 * variance * np.sqrt(3 / count) + 1e-12
    assert events.min() >= 0 and events.max() <= n_inputs
    # steps and neurons independent: the correlation of successive steps is ~0
    if variance > 0:
        r = np.corrcoef(events[:, :-1].ravel(), events[:, 1:].ravel())[0, 1]
        assert abs(r) < 5 / np.sqrt(count)


@pytest.mark.parametrize("backend", BACKENDS)
def test_many_events_use_brian2s_normal_approximation(backend):
    events = _increments(backend, n_inputs=10000, rate=100 * Hz)  # N p = 100 > 5
    mean, variance = 100, 100 * 0.99
    assert not np.allclose(events, np.round(events))               # not whole numbers
    assert abs(events.mean() - mean) < 5 * np.sqrt(variance / events.size)
    assert abs(events.var() - variance) < 6 * variance * np.sqrt(2 / events.size)


def test_backends_and_thread_counts_draw_the_same_events():
    reference = _increments("numpy", n_inputs=1000, rate=20 * Hz, neurons=700, seed=9)
    for threads in (1, 2):
        np.testing.assert_array_equal(
            _increments("c", n_inputs=1000, rate=20 * Hz, neurons=700, seed=9,
                        threads=threads), reference)
    normal = [_increments(b, n_inputs=10000, rate=100 * Hz, neurons=300, seed=2)
              for b in BACKENDS]
    np.testing.assert_allclose(normal[0], normal[1], rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_subgroups_strings_and_the_synapses_slot(backend):
    group = es.NeuronGroup(6, "v : volt\ngain : 1", threshold="v > 1.5*mV", reset="v = 0*mV",
                           namespace={"w0": 1 * mV, "nu": 10 * Hz})
    group.gain = "1 + i"
    # p = 1: every source fires every step; the weight is read per neuron at run()
    top = es.PoissonInput(group[3:], "v", N=2, rate="1/dt_run", weight="w0*gain",
                          namespace={"dt_run": 0.1 * ms})
    bottom = es.PoissonInput(group[:1], "v", N=1, rate=10000 * Hz, weight=1 * mV)
    spikes = es.SpikeMonitor(group)
    es.Network(group, top, bottom, spikes, dt=0.1 * ms, backend=backend).run(0.5 * ms)
    # Brian2's order in a step: state update, threshold, synapses (the input), reset.
    # Neurons 3..5 get 2*(1+i) mV a step: the input of step 0 comes after its threshold,
    # step 1 spikes, and its reset comes after that step's input: spikes at steps 1, 3.
    # Neuron 0 gets 1 mV a step: above 1.5 mV at step 2, reset, 2 mV again at the end.
    assert np.asarray(spikes.count).tolist() == [1, 0, 0, 2, 2, 2]
    np.testing.assert_allclose(np.asarray(group.v / mV), [2, 0, 0, 8, 10, 12])


@pytest.mark.parametrize("make, kind, expected", [
    (lambda g: es.PoissonInput(g, "u", 10, 1 * Hz, 1 * mV), InvalidValueError,
     "has no state variable 'u' for a PoissonInput"),
    (lambda g: es.PoissonInput(g, "v", 0, 1 * Hz, 1 * mV), InvalidValueError,
     "must be a whole number >= 1, not 0"),
    (lambda g: es.PoissonInput(g, "v", 2.5, 1 * Hz, 1 * mV), InvalidValueError,
     "not 2.5"),
    (lambda g: es.PoissonInput(g, "v", 10, 1 * ms, 1 * mV), DimensionMismatchError,
     "the rate of a PoissonInput must be a rate"),
    (lambda g: es.PoissonInput(g, "v", 10, -1 * Hz, 1 * mV), InvalidValueError,
     "finite and not negative"),
    (lambda g: es.PoissonInput(g, "v", 10, [1, 2] * Hz, 1 * mV), InvalidValueError,
     "one rate for all its neurons"),
    (lambda g: es.PoissonInput(g, "v", 10, 1 * Hz, 1 * ms), DimensionMismatchError,
     "must have the unit of v (volt)"),
    (lambda g: es.PoissonInput(g, "v", 10, 1 * Hz, "1*ms"), DimensionMismatchError,
     "v has unit volt"),
    (lambda g: es.PoissonInput(g, "v", 10, 1 * Hz, "v*2"), InvalidValueError,
     "uses v, which change during the run"),
    (lambda g: es.PoissonInput(g, "v", 10, "i*Hz", 1 * mV), InvalidValueError,
     "uses i, which differ between neurons or in time"),
    (lambda g: es.PoissonInput(g, "v", 10, "nu_x", 1 * mV), EqsnnError,
     "unknown name 'nu_x'"),
    (lambda g: es.PoissonInput(g, "v", 10, 1 * Hz, 1 * mV, when="synapse"), InvalidValueError,
     "is not a scheduling slot"),
    (lambda g: es.PoissonInput(3, "v", 10, 1 * Hz, 1 * mV), InvalidValueError,
     "must be a neuron group or subgroup, not int"),
    (lambda g: es.Network(g, es.PoissonInput(g, "v", 10, 20 * es.units.kHz, 1 * mV),
                          dt=0.1 * ms).run(1 * ms), InvalidValueError,
     "times dt is 2: more than one event per source and step"),
    (lambda g: es.Network(es.PoissonInput(g, "v", 10, 1 * Hz, 1 * mV)).run(1 * ms),
     InvalidValueError, "which is not in this network"),
])
def test_mistakes_are_eqsnn_errors(make, kind, expected):
    group = es.NeuronGroup(3, "dv/dt = -v/(10*ms) : volt")
    with pytest.raises(kind) as error:
        make(group)
    assert expected in str(error.value)


def test_a_second_run_reads_a_new_rate_and_weight_without_recompiling():
    group = es.NeuronGroup(2000, "v : volt")
    drive = es.PoissonInput(group, "v", N=100, rate=10 * Hz, weight=1 * mV)
    net = es.Network(group, drive, dt=0.1 * ms, seed=1)
    net.run(1 * ms)
    program = net._program
    drive.rate, drive.weight = 1000 * Hz, "2*mV"
    before = np.asarray(group.v_).copy()
    net.run(1 * ms)
    gained = (np.asarray(group.v_) - before) / 2e-3     # events in 10 steps of p = 0.1
    assert abs(gained.mean() - 100) < 5 * np.sqrt(90 / 2000)
    assert net._program is program                       # data, not code


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_unless_refractory_variable_gets_no_input_while_refractory(backend):
    # Brian2: "a variable of a neuron that is in its refractory period is read-only:
    # incoming synapses or other code will have no effect" (refractoriness.rst)
    group = es.NeuronGroup(2, "dv/dt = 0*mV/ms : volt (unless refractory)\nu : volt",
                           threshold="v > 1.5*mV", reset="v = 0*mV", refractory=0.3 * ms,
                           method="euler")
    drives = [es.PoissonInput(group, var, N=1, rate=10000 * Hz, weight=1 * mV)
              for var in ("v", "u")]
    spikes = es.SpikeMonitor(group)
    es.Network(group, *drives, spikes, dt=0.1 * ms, backend=backend).run(1 * ms)
    # +1 mV at steps 0, 1; spike at step 2, then steps 2-4 refractory (no input), +1 mV
    # at 5, 6, spike at 7, refractory 7-9: v ends at 0; u (not clamped) counts every step
    assert np.round(np.asarray(spikes.t_) / 1e-4).astype(int).tolist() == [2, 2, 7, 7]
    np.testing.assert_allclose(np.asarray(group.v / mV), [0, 0])
    np.testing.assert_allclose(np.asarray(group.u / mV), [10, 10])


@pytest.mark.parametrize("backend", BACKENDS)
def test_when_moves_the_input_before_the_threshold(backend):
    # p = 1, 2 mV a step against a 1.5 mV threshold: in the default 'synapses' slot the
    # input of step 0 comes after that step's threshold (first spike at step 1); in
    # 'before_thresholds' the threshold already sees it (first spike at step 0)
    first = {}
    for when in ("synapses", "before_thresholds"):
        group = es.NeuronGroup(1, "v : volt", threshold="v > 1.5*mV", reset="v = 0*mV")
        drive = es.PoissonInput(group, "v", N=2, rate=10000 * Hz, weight=1 * mV, when=when)
        assert drive.when == when and drive.order == 0
        spikes = es.SpikeMonitor(group)
        es.Network(group, drive, spikes, dt=0.1 * ms, backend=backend).run(0.3 * ms)
        first[when] = int(round(float(np.asarray(spikes.t_)[0]) / 1e-4))
    assert first == {"synapses": 1, "before_thresholds": 0}
