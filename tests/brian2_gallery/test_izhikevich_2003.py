"""Port of Brian2's examples/frompapers/Izhikevich_2003.py (Fig. 3 of Izhikevich 2003):
800 excitatory and 200 inhibitory Izhikevich neurons, all-to-all, random thalamic
input redrawn every ms, 1 s at dt = 1 ms.

Features: two named pathways with their own delays — ``on_pre={"up": "I += w",
"down": "I -= w"}``, ``delay={"up": 0*ms, "down": 1*ms}`` (the input is a 1 ms pulse) —,
``run_regularly("I_noise = 5*randn()", dt=1*ms)`` on subgroups, subgroup initialisers,
a weight matrix assigned with ``S.w[:] = ...``, ``euler``.
Reference: Brian2 2.9.0 running the original with 6 seeds (references.json
"Izhikevich_2003"; the weights and parameters come from numpy's generator, seeded by
``brian2.seed``): the excitatory and inhibitory rates must lie within 4 s.d. of
Brian2's spread across seeds.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms, second

from _gallery import assert_in_spread

pytestmark = pytest.mark.slow  # (1 M synapses; ~35 s on the loaded 2-core machine)


def test_rates_within_brian2s_spread():
    Ne, Ni = 800, 200
    rng = np.random.default_rng(3)
    re, ri = rng.uniform(size=Ne), rng.uniform(size=Ni)
    weights = np.hstack([0.5 * rng.uniform(size=(Ne + Ni, Ne)),
                         -rng.uniform(size=(Ne + Ni, Ni))]).T
    N = es.NeuronGroup(Ne + Ni, """
        dv/dt = (0.04*v**2 + 5*v + 140 - u + I + I_noise )/ms : 1
        du/dt = (a*(b*v - u))/ms  : 1
        I : 1
        I_noise : 1
        a : 1
        b : 1
        c : 1
        d : 1
        """, threshold="v>=30", reset="v=c; u+=d", method="euler", seed=3)
    N.v = -65
    N_exc, N_inh = N[:Ne], N[Ne:]
    spikemon = es.SpikeMonitor(N)
    N_exc.a, N_exc.b = 0.02, 0.2
    N_exc.c, N_exc.d = -65 + 15 * re ** 2, 8 - 6 * re ** 2
    N_inh.a, N_inh.b = 0.02 + 0.08 * ri, 0.25 - 0.05 * ri
    N_inh.c, N_inh.d = -65, 2
    N_exc.u = "b*v"
    N_inh.u = "b*v"
    S = es.Synapses(N, N, "w : 1", on_pre={"up": "I += w", "down": "I -= w"},
                    delay={"up": 0 * ms, "down": 1 * ms})
    S.connect()
    S.w[:] = weights.flatten()
    N_exc.run_regularly("I_noise = 5*randn()", dt=1 * ms)
    N_inh.run_regularly("I_noise = 2*randn()", dt=1 * ms)
    es.Network(N, S, spikemon, dt=1 * ms, seed=3).run(1 * second)
    i = np.asarray(spikemon.i)
    assert_in_spread(np.sum(i < Ne) / Ne, "Izhikevich_2003", "rate_exc")
    assert_in_spread(np.sum(i >= Ne) / Ni, "Izhikevich_2003", "rate_inh")
