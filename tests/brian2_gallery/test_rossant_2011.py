"""Port of Brian2's examples/frompapers/Rossant_et_al_2011bis.py (Fig. 14 of Rossant et
al. 2011): 4000 excitatory and 1000 inhibitory Poisson inputs onto an IF neuron; in a
second neuron 15 of the excitatory inputs are made synchronous at 40 Hz, which raises
its output rate. 1 s.

Features: five ``PoissonInput``s onto subgroups (``group[0:1]``, ``group[1:]``), one with
``N=1`` and a weight that is a quantity expression, ``Equations(...)``, ``exact``, a
refractory period. Reference: Brian2 2.9.0 running the original with 8 seeds
(references.json "Rossant_et_al_2011bis"): each neuron's spike count must lie within
4 s.d. of Brian2's spread across seeds.
"""

import eqsnn as es
from eqsnn.units import Hz, mV, ms, second

from _gallery import assert_in_spread



def test_output_counts_within_brian2s_spread():
    taum, taue, taui = 5 * ms, 3 * ms, 10 * ms
    El = vmean = -65 * mV
    p, ne, ni = 15, 4000, 1000
    lambdac, lambdae = 40 * Hz, 1 * Hz
    lambdai = lambdae
    we = .5 * mV / (taum / taue) ** (taum / (taue - taum))
    wi = (vmean - El - lambdae * ne * we * taue) / (lambdae * ni * taui)
    eqs = es.Equations("""
        dv/dt  = (ge+gi-(v-El))/taum : volt
        dge/dt = -ge/taue : volt
        dgi/dt = -gi/taui : volt
        """)
    group = es.NeuronGroup(2, eqs, reset="v = El", threshold="v>theta", refractory=5 * ms,
                           method="exact", namespace={"El": El, "taum": taum, "taue": taue,
                                                      "taui": taui, "theta": -55 * mV})
    group.v = El
    inputs = [es.PoissonInput(group[0:1], "ge", N=ne, rate=lambdae, weight=we),
              es.PoissonInput(group[0:1], "gi", N=ni, rate=lambdai, weight=wi),
              es.PoissonInput(group[1:], "ge", N=ne, rate=lambdae - (p * 1.0 / ne) * lambdac,
                              weight=we),
              es.PoissonInput(group[1:], "gi", N=ni, rate=lambdai, weight=wi),
              es.PoissonInput(group[1:], "ge", N=1, rate=lambdac, weight=p * we)]
    M = es.SpikeMonitor(group)
    es.Network(group, *inputs, M, dt=0.1 * ms, seed=9).run(1 * second)
    assert_in_spread(M.count[0], "Rossant_et_al_2011bis", "uncorrelated")
    assert_in_spread(M.count[1], "Rossant_et_al_2011bis", "correlated")
