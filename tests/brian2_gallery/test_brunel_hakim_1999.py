"""Port of Brian2's examples/frompapers/Brunel_Hakim_1999.py: 5000 sparsely connected
inhibitory IF neurons with noisy external drive fire irregularly at a low rate while
the population oscillates, 100 ms.

Features: noise ``sigmaext*sqrt(tau)*xi`` with ``euler``, a refractory period, one
delay for a whole pathway (2 ms), ``connect(p=...)``, ``PopulationRateMonitor`` and
``smooth_rate``. Reference: Brian2 2.9.0 running the original with 8 seeds
(references.json "Brunel_Hakim_1999"): the mean rate, and the standard deviation over
time of the population rate (the size of the global oscillation), must lie within 4 s.d.
of Brian2's spread across seeds.
"""
import numpy as np

import eqsnn as es
from eqsnn.units import ms, mV, second

from _gallery import assert_in_spread


def test_rate_and_oscillation_within_brian2s_spread():
    N, C = 5000, 1000
    namespace = {"Vr": 10 * mV, "theta": 20 * mV, "tau": 20 * ms, "muext": 25 * mV,
                 "sigmaext": 1 * mV, "J": .1 * mV}
    group = es.NeuronGroup(N, "dV/dt = (-V+muext + sigmaext * sqrt(tau) * xi)/tau : volt",
                           threshold="V>theta", reset="V=Vr", refractory=2 * ms,
                           method="euler", namespace=namespace)
    group.V = namespace["Vr"]
    conn = es.Synapses(group, group, on_pre="V += -J", delay=2 * ms, namespace=namespace,
                       seed=4)
    conn.connect(p=float(C) / N)
    spikes = es.SpikeMonitor(group)
    lfp = es.PopulationRateMonitor(group)
    es.Network(group, conn, spikes, lfp, dt=0.1 * ms, seed=4).run(.1 * second)
    assert_in_spread(spikes.num_spikes / N / 0.1, "Brunel_Hakim_1999", "rate")
    assert_in_spread(float(np.std(lfp.rate_)), "Brunel_Hakim_1999", "rate_sd_over_time")
