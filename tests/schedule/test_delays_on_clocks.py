"""Synaptic delays in steps of the sender's clock, rounded half up, as Brian2 does
(``SpikeQueue.prepare``: ``int(delay/dt_sender + 0.5)`` steps of the sender's dt).

Reference numbers: Brian2 2.9.0 (numpy target, ``~/.cache/eqsnn/bench/brian2-2.9.0/bin/
python``) running

    defaultclock.dt = 0.1*ms
    G = SpikeGeneratorGroup(2, [0, 1], [1*ms, 2*ms], dt=0.5*ms)
    H = NeuronGroup(2, "v : 1")
    S = Synapses(G, H, on_pre="v += 1", delay=1.2*ms); S.connect(j="i")
    S2 = Synapses(G, H, "w : 1", on_pre="v += 10"); S2.connect(j="i")
    S2.delay = [0.7, 1.3]*ms
    M = StateMonitor(H, "v", record=True, when="end"); run(6*ms)
    # the times at which each M.v[k] steps up, and by how much

and, with ``defaultclock.dt = 0.2*ms``, one spike at 1 ms through ``delay=1.7*ms``
(8.5 steps: 9 in Brian2) arriving at 2.8 ms.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms

BACKENDS = ["c", "numpy"]
# (arrival times in ms, increments) for H0 and H1
BRIAN2_ARRIVALS = [([1.5, 2.0], [10.0, 1.0]), ([3.0, 3.5], [1.0, 10.0])]


def _arrivals(monitor, k):
    v = monitor.v_[k]
    jumps = np.diff(np.r_[0.0, v])
    up = np.flatnonzero(jumps > 0)
    return list(np.round(monitor.t_[up] / 1e-3, 9)), list(jumps[up])


@pytest.mark.parametrize("backend", BACKENDS)
def test_delays_from_a_slower_sender_are_whole_steps_of_its_clock(backend):
    G = es.SpikeGeneratorGroup(2, [0, 1], [1 * ms, 2 * ms], dt=0.5 * ms)
    H = es.NeuronGroup(2, "v : 1")
    S = es.Synapses(G, H, on_pre="v += 1", delay=1.2 * ms)
    S.connect(j="i")
    S2 = es.Synapses(G, H, "w : 1", on_pre="v += 10")
    S2.connect(j="i")
    S2.delay = [0.7, 1.3] * ms
    M = es.StateMonitor(H, "v", record=True, when="end")
    es.Network(G, H, S, S2, M, dt=0.1 * ms, backend=backend).run(6 * ms)
    for k, (times, increments) in enumerate(BRIAN2_ARRIVALS):
        got_times, got_increments = _arrivals(M, k)
        np.testing.assert_allclose(got_times, times, atol=1e-9)
        assert got_increments == increments


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_delay_of_half_a_step_more_rounds_up_as_in_brian2(backend):
    A = es.SpikeGeneratorGroup(1, [0], [1 * ms])
    B = es.NeuronGroup(1, "v : 1")
    T = es.Synapses(A, B, on_pre="v += 1", delay=1.7 * ms)
    T.connect()
    N = es.StateMonitor(B, "v", record=0, when="end")
    es.Network(A, B, T, N, dt=0.2 * ms, backend=backend).run(5 * ms)
    assert _arrivals(N, 0)[0] == pytest.approx([2.8])
