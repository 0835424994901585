"""Simulating a model under a current step and measuring its spike train (for the tests).

Times are in milliseconds throughout: the criteria of the firing-pattern tests are
written in the units the papers use.
"""
import numpy as np

import eqsnn as es
from eqsnn.units import ms

BACKENDS = ["c", "numpy"]


def step_response(model, currents, duration, *, backend, dt=0.1 * ms):
    """Spike times (ms) of one neuron per current (a quantity array), one network."""
    group = model.group(len(currents))
    setattr(group, model.input, currents)
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes, dt=dt, backend=backend).run(duration)
    return [spikes.t_[spikes.i == k] * 1e3 for k in range(len(currents))]


def isi(times):
    return np.diff(times)


def cv(intervals):
    """Coefficient of variation: 0 for a clock, about 1 for a Poisson process."""
    return float(np.std(intervals) / np.mean(intervals))


def periodic_deviation(intervals, period):
    """Largest change of an interval over ``period`` intervals, relative to the mean.

    Near 0 when the interval sequence repeats with that period (period 1: tonic;
    period n: bursts of n spikes); large for an irregular sequence.
    """
    intervals = np.asarray(intervals)
    return float(np.max(np.abs(intervals[period:] - intervals[:-period])) / np.mean(intervals))


def leading_burst(intervals, short):
    """Number of intervals shorter than ``short`` at the start of the train."""
    count = 0
    for value in intervals:
        if value >= short:
            break
        count += 1
    return count


def bursts(times, short):
    """Split a spike train into bursts: runs of spikes closer than ``short`` ms."""
    groups, current = [], [times[0]]
    for previous, spike in zip(times[:-1], times[1:]):
        if spike - previous < short:
            current.append(spike)
        else:
            groups.append(current)
            current = [spike]
    groups.append(current)
    return groups
