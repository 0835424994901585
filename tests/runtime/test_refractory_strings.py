"""Refractoriness given as a string (a time or a condition), with Brian2's semantics, and
``not_refractory`` in a threshold.

The spike times below are Brian2 2.9.0's: the same models run with
``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python`` (numpy target, ``defaultclock.dt =
0.1*ms``, ``method="exact"``, 100 ms), ``SpikeMonitor.spike_trains()`` in ms rounded
to 1e-6.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, InvalidValueError, UnknownNameError
from eqsnn.units import ms

# Brian2: spike trains of neurons with refractory="ref", ref = 0, 2, 5 ms
BRIAN2_FIXED = [[6.9 + 7.0 * k for k in range(14)],
                [round(6.9 + 8.9 * k, 6) for k in range(11)],
                [round(6.9 + 11.9 * k, 6) for k in range(8)]]
# Brian2: ref relaxes to 2 ms (tau 50 ms) and grows by 1 ms at each spike
BRIAN2_ADAPTING = [[6.9, 16.7, 27.2, 38.3, 49.9, 61.8, 73.9, 86.2, 98.7],
                   [6.9, 18.3, 30.0, 42.0, 54.2, 66.6, 79.1, 91.7]]


def _network(backend, threads=1):
    fixed = es.NeuronGroup(3, "dv/dt = (2 - v)/(10*ms) : 1 (unless refractory)\nref : second",
                           threshold="v > 1", reset="v = 0", refractory="ref", method="exact")
    fixed.ref = [0, 2, 5] * ms
    adapting = es.NeuronGroup(2, """dv/dt = (2 - v)/(10*ms) : 1 (unless refractory)
                                    dref/dt = (2*ms - ref)/(50*ms) : second""",
                              threshold="v > 1", reset="v = 0; ref += 1*ms", refractory="ref",
                              method="exact")
    adapting.ref = [2, 4] * ms
    monitors = es.SpikeMonitor(fixed), es.SpikeMonitor(adapting)
    options = {"threads": threads} if threads > 1 else {}
    es.Network(fixed, adapting, *monitors, backend=backend, dt=0.1 * ms, **options).run(100 * ms)
    return [np.round(m.spike_trains()[k] / ms, 6).tolist()
            for m, n in zip(monitors, (3, 2)) for k in range(n)]


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_time_expression_gives_brian2s_spike_times(backend):
    trains = _network(backend)
    assert trains == BRIAN2_FIXED + BRIAN2_ADAPTING


def test_two_threads_give_the_same_spikes():
    assert _network("c", threads=2) == BRIAN2_FIXED + BRIAN2_ADAPTING


CONDITION_MODEL = "v = sin(2*pi*50*Hz*t) : 1"


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_condition_keeps_the_neuron_refractory_while_it_holds(backend):
    """v > 0.5 holds for a third of each 20 ms period: without refractoriness the
    threshold fires at every step of it, with refractory='v > 0.5' once per period."""
    counting = es.NeuronGroup(1, CONDITION_MODEL, threshold="v > 0.5", refractory="v > 0.5")
    every_step = es.NeuronGroup(1, CONDITION_MODEL, threshold="v > 0.5")
    once, each = es.SpikeMonitor(counting), es.SpikeMonitor(every_step)
    es.Network(counting, every_step, once, each, backend=backend, dt=0.1 * ms).run(100 * ms)
    t = np.arange(1000) * 1e-4
    above = np.sin(2 * np.pi * 50 * t) > 0.5
    assert each.count[0] == above.sum()
    onsets = t[above & ~np.roll(above, 1)]
    np.testing.assert_allclose(once.t_, onsets, atol=1e-12)
    assert once.count[0] == 5
    assert counting.not_refractory[0] == 1.0  # v is below 0.5 at 100 ms


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_not_refractory_in_a_threshold_compiles_and_means_brian2s(backend):
    """``threshold="v > 1 and not_refractory > 0"`` with refractory=3*ms: Brian2 counts
    14 spikes per neuron in 100 ms (v keeps integrating during the dead time)."""
    group = es.NeuronGroup(2, "dv/dt = (2 - v)/(10*ms) : 1",
                           threshold="v > 1 and not_refractory > 0", reset="v = 0",
                           refractory=3 * ms, method="exact")
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes, backend=backend, dt=0.1 * ms).run(100 * ms)
    assert spikes.count.tolist() == [14, 14]


def test_a_random_refractory_period_is_the_same_on_both_backends():
    trains = {}
    for backend in ("c", "numpy"):
        group = es.NeuronGroup(20, "dv/dt = (2 - v)/(5*ms) : 1 (unless refractory)",
                               threshold="v > 1", reset="v = 0",
                               refractory="(1 + 4*rand())*ms")
        spikes = es.SpikeMonitor(group)
        es.Network(group, spikes, backend=backend, dt=0.1 * ms, seed=3).run(50 * ms)
        trains[backend] = (spikes.i.tolist(), spikes.t_.tolist())
    assert trains["c"] == trains["numpy"]
    assert len(set(trains["c"][0])) == 20


@pytest.mark.parametrize("text, error, words", [
    ("v", InvalidValueError, "is a number, neither a time nor a condition"),
    ("v*mV", DimensionMismatchError, "has unit"),
    ("v > 1*mV", DimensionMismatchError, "different units are compared"),
])
def test_a_refractory_string_that_is_neither_time_nor_condition_is_refused(text, error, words):
    with pytest.raises(error, match=words) as info:
        es.NeuronGroup(1, "dv/dt = -v/(10*ms) : 1", threshold="v > 1", refractory=text)
    assert info.value.span is not None


def test_the_record_survives_the_build_cache():
    """A second group of the same strings loads the record (no SymPy) and still knows
    its refractoriness is a condition."""
    model = "dv/dt = (2 - v)/(10*ms) : 1"
    first = es.NeuronGroup(1, model, threshold="v > 1", refractory="v > 0.5", reset="v = 0")
    second = es.NeuronGroup(1, model, threshold="v > 1", refractory="v > 0.5", reset="v = 0")
    assert second._derivation is None and second._record.refractory == "condition"
    assert first.refractory == "v > 0.5"
    assert second.not_refractory_.tolist() == [1.0]


def test_an_unknown_name_in_it_is_reported_when_the_group_is_first_used():
    group = es.NeuronGroup(1, "dv/dt = -v/(10*ms) : 1", threshold="v > 1", refractory="tref")
    with pytest.raises(UnknownNameError, match="tref"):
        es.Network(group).run(1 * ms)

