"""Port of Brian2's examples/non_reliability.py: 25 noisy IF neurons under the same
constant drive lose spike-time reliability, 500 ms.

Features: white noise ``xi`` with ``euler`` (Euler–Maruyama), ``(unless refractory)``
with a refractory period. Reference: Brian2 2.9.0 running the original with 8 seeds
(references.json "non_reliability"): the total spike count of one run must lie within
4 s.d. of Brian2's spread (_gallery.assert_in_spread).
"""
import eqsnn as es
from eqsnn.units import ms

from _gallery import assert_in_spread


def test_spike_count_within_brian2s_spread():
    neurons = es.NeuronGroup(25, """
        dx/dt = (1.1 - x) / tau + sigma * (2 / tau)**.5 * xi : 1 (unless refractory)
        """, threshold="x > 1", reset="x = 0", refractory=5 * ms, method="euler",
        namespace={"tau": 20 * ms, "sigma": .015})
    spikes = es.SpikeMonitor(neurons)
    es.Network(neurons, spikes, seed=5).run(500 * ms)
    assert_in_spread(spikes.num_spikes, "non_reliability", "total")
