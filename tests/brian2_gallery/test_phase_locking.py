"""Port of Brian2's examples/phase_locking.py: 100 IF neurons driven by a 10 Hz sinusoid
of growing amplitude (0.05 to 0.75) on top of a constant 1.2, 1 s, euler.

Features: ``t`` in the equations (``sin(2*pi*freq*t)``), ``rand()`` and ``i``-dependent
string initialisers, ``StateMonitor`` of one neuron.
Reference: Brian2 2.9.0 running the original with 8 seeds (references.json
"phase_locking"); only the initial v is random. The spike counts are a statistic of
that randomness: the total, and the totals of the 10 weakest and 10 strongest driven
neurons, must lie within 4 s.d. of Brian2's spread (_gallery.assert_in_spread), with
one spike per neuron of allowance for counts that barely vary between seeds.
"""
import numpy as np

import eqsnn as es
from eqsnn.units import Hz, ms

from _gallery import assert_in_spread


def test_spike_counts_within_brian2s_spread():
    n = 100
    neurons = es.NeuronGroup(n, """
        dv/dt = (-v + a * sin(2 * pi * freq * t) + b) / tau : 1
        a : 1
        """, threshold="v > 1", reset="v = 0", method="euler",
        namespace={"tau": 20 * ms, "b": 1.2, "freq": 10 * Hz, "n": n}, seed=3)
    neurons.v = "rand()"
    neurons.a = "0.05 + 0.7*i/n"
    spikes = es.SpikeMonitor(neurons)
    trace = es.StateMonitor(neurons, "v", record=50)
    es.Network(neurons, spikes, trace, seed=3).run(1000 * ms)
    count = np.asarray(spikes.count)
    assert_in_spread(count.sum(), "phase_locking", "total", floor=n)
    assert_in_spread(count[:10].sum(), "phase_locking", "count_first_10", floor=10)
    assert_in_spread(count[-10:].sum(), "phase_locking", "count_last_10", floor=10)
