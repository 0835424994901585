"""A custom Network.schedule: Brian2's slots reordered, or with a slot of one's own.

Reference numbers: Brian2 2.9.0 (numpy target, ``~/.cache/eqsnn/bench/brian2-2.9.0/bin/
python``) running, with ``defaultclock.dt = 0.1*ms``,

    G = NeuronGroup(2, "dv/dt = (1.5 - v)/(2*ms) : 1", threshold="v > 1",
                    reset="v = 0", method="exact"); G.v = [0, 0.5]
    H = NeuronGroup(2, "x : 1")
    S = Synapses(G, H, on_pre="x += 1"); S.connect(j="i")
    MH = StateMonitor(H, "x", record=True, when="end")
    @network_operation(when=...)          # "in_between" if the schedule has it, else "end"
    def look(): seen.append(G.v[:].copy())
    net = Network(G, H, S, MH, look); net.schedule = ...; net.run(5*ms)
    # the times at which MH.x[k] steps up; the largest v look() saw

for the default schedule, synapses before thresholds, a slot "in_between" after the
thresholds, and resets before thresholds.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

BACKENDS = ["c", "numpy"]
DEFAULT = ["start", "groups", "thresholds", "synapses", "resets", "end"]
CASES = {  # schedule: (arrival times of H0, of H1, the largest v seen) from Brian2
    None: ([2.1, 4.3], [1.3, 3.5], 0.9779542232389851),
    ("start", "groups", "synapses", "thresholds", "resets", "end"):
        ([2.2, 4.4], [1.4, 3.6], 0.9779542232389851),
    ("start", "groups", "thresholds", "in_between", "synapses", "resets", "end"):
        ([2.1, 4.3], [1.3, 3.5], 1.0034146962085917),
    ("start", "groups", "resets", "thresholds", "synapses", "end"):
        ([2.1, 4.4], [1.3, 3.6], 1.0034146962085917),
}


def _network(backend, schedule):
    G = es.NeuronGroup(2, "dv/dt = (1.5 - v)/(2*ms) : 1", threshold="v > 1",
                       reset="v = 0", method="exact")
    G.v = [0, 0.5]
    H = es.NeuronGroup(2, "x : 1")
    S = es.Synapses(G, H, on_pre="x += 1")
    S.connect(j="i")
    MH = es.StateMonitor(H, "x", record=True, when="end")
    seen = []
    look = es.NetworkOperation(lambda: seen.append(np.array(G.v[:])),
                               when="in_between" if schedule and "in_between" in schedule
                               else "end")
    net = es.Network(G, H, S, MH, look, backend=backend)
    if schedule is not None:
        net.schedule = list(schedule)
    return net, MH, seen


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("schedule", list(CASES), ids=["default", "synapses-first",
                                                       "own-slot", "resets-first"])
def test_a_custom_schedule_runs_as_in_brian2(backend, schedule):
    net, MH, seen = _network(backend, schedule)
    net.run(5 * ms)
    h0, h1, largest = CASES[schedule]
    for k, expected in enumerate((h0, h1)):
        up = np.flatnonzero(np.diff(np.r_[0.0, MH.x_[k]]) > 0)
        np.testing.assert_allclose(MH.t_[up] / 1e-3, expected, atol=1e-9)
    assert np.max(seen) == pytest.approx(largest, rel=1e-12)
    assert net.schedule == (DEFAULT if schedule is None else list(schedule))


def test_the_default_schedule_comes_back_with_none_and_the_source_is_unchanged():
    net, *_ = _network("c", None)
    source = net._builder().build().source
    net.schedule = DEFAULT[::-1]
    assert net._builder().build().source != source
    net.schedule = None
    assert net.schedule == DEFAULT
    assert net._builder().build().source == source


def test_a_schedule_brian2_would_refuse_is_an_eqsnn_error():
    net, *_ = _network("numpy", None)
    for bad, message in (("start", "a list of slot names"), ({"start"}, "a list of slot"),
                         (["start", 1], "a list of slot"),
                         (["start", "after_start"], "'after_start' cannot be a slot"),
                         (["start", "start"], "lists 'start' twice")):
        with pytest.raises(InvalidValueError, match=message):
            net.schedule = bad
    net.schedule = ["thresholds", "resets", "end"]   # no slot for the state update
    with pytest.raises(InvalidValueError, match="when='groups' of 'neurongroup_[0-9]+_state"
                                                "updater' is not a slot of this network's "
                                                "schedule"):
        net.run(1 * ms)
