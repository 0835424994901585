"""Port of Brian2's examples/synapses/STDP.py (after Song, Miller & Abbott 2000): 1000
Poisson inputs at 15 Hz onto one conductance-based neuron through additive STDP
synapses, 100 s; the weights split into a bimodal distribution at 0 and gmax.

Features: ``PoissonGroup``, event-driven traces, ``on_pre``/``on_post`` with ``clip``,
a ``rand()`` weight initialiser, ``StateMonitor`` of two synapses' weights.
Reference: Brian2 2.9.0 running the original with 4 seeds (references.json "STDP"):
the mean final weight and the fractions of weights above 0.9 gmax and below 0.1 gmax
must lie within 4 s.d. of Brian2's spread across seeds.
"""
import pytest

import eqsnn as es
from eqsnn.units import Hz, mV, ms, second

from _gallery import assert_in_spread


@pytest.mark.slow
def test_weight_distribution_within_brian2s_spread():
    taupre = taupost = 20 * ms
    gmax, dApre = .01, .01
    dApost = -dApre * taupre / taupost * 1.05
    namespace = {"taum": 10 * ms, "Ee": 0 * mV, "vt": -54 * mV, "vr": -60 * mV,
                 "El": -74 * mV, "taue": 5 * ms, "taupre": taupre, "taupost": taupost,
                 "gmax": gmax, "dApre": dApre * gmax, "dApost": dApost * gmax}
    poisson_input = es.PoissonGroup(1000, rates=15 * Hz)
    neurons = es.NeuronGroup(1, """
        dv/dt = (ge * (Ee-v) + El - v) / taum : volt
        dge/dt = -ge / taue : 1
        """, threshold="v>vt", reset="v = vr", method="euler", namespace=namespace)
    S = es.Synapses(poisson_input, neurons, """
        w : 1
        dApre/dt = -Apre / taupre : 1 (event-driven)
        dApost/dt = -Apost / taupost : 1 (event-driven)
        """, on_pre="""
        ge += w
        Apre += dApre
        w = clip(w + Apost, 0, gmax)
        """, on_post="""
        Apost += dApost
        w = clip(w + Apre, 0, gmax)
        """, namespace=namespace, seed=2)
    S.connect()
    S.w = "rand() * gmax"
    mon = es.StateMonitor(S, "w", record=[0, 1])
    s_mon = es.SpikeMonitor(poisson_input)
    es.Network(poisson_input, neurons, S, mon, s_mon, dt=0.1 * ms, seed=2).run(100 * second)
    w = S.w_ / gmax
    assert_in_spread(w.mean(), "STDP", "w_mean")
    assert_in_spread((w > 0.9).mean(), "STDP", "fraction_above_0.9")
    assert_in_spread((w < 0.1).mean(), "STDP", "fraction_below_0.1")
