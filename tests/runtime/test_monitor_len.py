"""``len(monitor)`` counts what Brian2's counts: time points of a StateMonitor (not the
neurons it records) and of a PopulationRateMonitor, events of a SpikeMonitor (also with
``record=False``) and of an EventMonitor, through continued runs, a paused monitor, a
slower recording clock and a restore. Brian2's numbers for the same script are in
brian2_monitor_len.json (written by brian2_monitor_len.py, Brian2 2.9.0)."""
import json
import pathlib

import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms

import _monitor_len as case  # (beside this file: pytest puts its folder on sys.path)

BRIAN2 = json.loads((pathlib.Path(__file__).parent / "brian2_monitor_len.json").read_text())


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_len_of_every_monitor_is_brian2s(backend):
    group, monitors = case.build(es, ms)
    net = es.Network(group, *monitors, backend=backend)
    assert case.runs(net, monitors, ms) == BRIAN2["len"]


def test_len_is_the_length_of_what_the_monitor_shows():
    group, monitors = case.build(es, ms)
    state_all, state_two_slow, _, _, spikes, counts, events, rate = monitors
    es.Network(group, *monitors, backend="numpy").run(12 * ms)
    assert len(state_all) == len(state_all.t) == state_all.v.shape[1] == 120
    assert len(state_two_slow) == state_two_slow.v.shape[1] == 12  # not the 2 it records
    assert len(spikes) == spikes.num_spikes == len(spikes.i) > 0
    assert len(counts) == int(np.sum(counts.count)) == len(spikes)
    assert len(events) == events.num_events == len(events.t)
    assert len(rate) == len(rate.rate) == 120


def test_a_monitor_that_recorded_nothing_is_still_true():
    group, monitors = case.build(es, ms)
    assert all(len(mon) == 0 for mon in monitors)
    assert all(monitors)   # an object, not an empty container (Brian2's would be false)
