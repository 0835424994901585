"""Port of Brian2's examples/advanced/Ornstein_Uhlenbeck.py (after Longtin 2010): two
Ornstein–Uhlenbeck processes with the same noise intensity sigma^2*tau = 0.01 but
time constants 1 s and 0.1 s, from y = 1, 10 s with ``euler``.

Features: white noise whose amplitude is a per-neuron parameter expression
(``sqrt(2*sigma**2/tau)*xi``), array initialisers with units, ``StateMonitor``.
Reference: Brian2 2.9.0 running the original with 8 seeds (references.json
"Ornstein_Uhlenbeck"): the variance of each process over the last 5 s (stationary:
sigma^2 = 0.01 and 0.1) and the mean of the fast one. One eqsnn run must lie within
4 s.d. of Brian2's spread across seeds.
"""
import numpy as np

import eqsnn as es
from eqsnn.units import ms, second

from _gallery import assert_in_spread


def test_stationary_statistics_within_brian2s_spread():
    processes = es.NeuronGroup(2, """
        tau : second
        sigma : 1
        dy/dt = -y/tau + sqrt(2*sigma**2/tau)*xi : 1
        """, method="euler")
    processes.tau = np.array([1, 0.1]) * second
    processes.sigma = np.array([0.1, 0.31622])
    processes.y = 1
    mon = es.StateMonitor(processes, "y", record=True)
    es.Network(processes, mon, dt=0.1 * ms, seed=7).run(10 * second)
    y, late = np.asarray(mon.y), np.asarray(mon.t_) >= 5.0
    assert_in_spread(y[0, late].var(), "Ornstein_Uhlenbeck", "var_slow")
    assert_in_spread(y[1, late].var(), "Ornstein_Uhlenbeck", "var_fast")
    assert_in_spread(y[1, late].mean(), "Ornstein_Uhlenbeck", "mean_fast")
