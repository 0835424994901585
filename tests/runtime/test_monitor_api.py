"""Monitors read as in Brian2: mon[i].v, SpikeMonitor.it, smooth_rate(window=, width=)."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import Hz, ms, mV


def _run(backend):
    group = es.NeuronGroup(5, "dv/dt = (i*mV - v)/(10*ms) : volt", threshold="v > 2.5*mV",
                           reset="v = 0*mV", method="exact")
    trace = es.StateMonitor(group, "v", record=[1, 3])
    spikes, rate = es.SpikeMonitor(group), es.PopulationRateMonitor(group)
    es.Network(group, trace, spikes, rate, backend=backend).run(50 * ms)
    return trace, spikes, rate


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_indexing_a_state_monitor_gives_the_recording_of_that_neuron(backend):
    trace, _, _ = _run(backend)
    np.testing.assert_array_equal(trace[3].v_, trace.v_[1])      # neuron 3 is row 1
    np.testing.assert_array_equal(trace[[3, 1]].v_, trace.v_[[1, 0]])
    assert trace[3].v.shape == trace.t.shape
    assert np.asarray(trace[1].v / mV)[-1] == pytest.approx(1 - np.exp(-4.99), rel=1e-9)
    with pytest.raises(IndexError, match="did not record index 2; it records 1, 3"):
        trace[2]


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_it_is_indices_and_times(backend):
    _, spikes, _ = _run(backend)
    i, t = spikes.it
    np.testing.assert_array_equal(i, spikes.i)
    np.testing.assert_allclose(t / ms, spikes.t_ * 1e3)
    assert set(i) == {3, 4}                       # only these reach 2.5 mV


def test_smooth_rate_is_brian2s_gaussian_and_flat_windows():
    _, _, rate = _run("numpy")
    dt, r = 0.1e-3, rate.rate_
    width = 1e-3                                  # Brian2: std = width, cut at 2 width
    k = np.exp(-np.arange(-20, 21) ** 2 / (2 * (width / dt) ** 2))
    np.testing.assert_allclose(rate.smooth_rate(width=1 * ms) / Hz,
                               np.convolve(r, k / k.sum(), mode="same"))
    flat = np.ones(11) / 11                       # 1.05 ms -> 11 steps (odd)
    np.testing.assert_allclose(rate.smooth_rate("flat", width=1.05 * ms) / Hz,
                               np.convolve(r, flat, mode="same"))
    np.testing.assert_allclose(rate.smooth_rate(window=np.array([1, 2, 1])) / Hz,
                               np.convolve(r, [0.25, 0.5, 0.25], mode="same"))
    with pytest.raises(InvalidValueError, match="needs width= a positive duration"):
        rate.smooth_rate("gaussian")
    with pytest.raises(InvalidValueError, match="odd number of values"):
        rate.smooth_rate(window=np.ones(4))
