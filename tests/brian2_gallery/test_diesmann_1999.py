"""Port of Brian2's examples/frompapers/Diesmann_et_al_1999.py: a synfire chain of ten
groups of 100 IF neurons with alpha-shaped noisy input; a volley of 85 jittered spikes
into the first group propagates down the chain, 100 ms.

Features: ``connect(j="k for k in range(...) if ...")`` (generator syntax) with
``int()`` and ``N_pre`` in it, synapses onto a subgroup (``P[:group_size]``),
``SpikeGeneratorGroup`` with random times from numpy, noise with ``euler``, a
refractory period. Reference: Brian2 2.9.0 running the original with 8 seeds
(references.json "Diesmann_et_al_1999"): the number of synapses is deterministic
(each of the first nine groups projects all-to-all onto the next: 90 000); the total
spike count and that of the last group must lie within 4 s.d. of Brian2's spread.
"""
import numpy as np

import eqsnn as es
from eqsnn.units import ms, mV

from _gallery import assert_in_spread, reference



def test_volley_propagates_as_in_brian2():
    group_size, n_groups = 100, 10
    namespace = {"Vr": -70 * mV, "Vt": -55 * mV, "taum": 10 * ms, "taupsp": 0.325 * ms,
                 "weight": 4.86 * mV, "group_size": group_size}
    eqs = es.Equations("""
        dV/dt = (-(V-Vr)+x)*(1./taum) : volt
        dx/dt = (-x+y)*(1./taupsp) : volt
        dy/dt = -y*(1./taupsp)+25.27*mV/ms+
                (39.24*mV/ms**0.5)*xi : volt
        """)
    P = es.NeuronGroup(n_groups * group_size, eqs, threshold="V>Vt", reset="V=Vr",
                       refractory=1 * ms, method="euler", namespace=namespace, seed=6)
    rng = np.random.default_rng(6)
    Pinput = es.SpikeGeneratorGroup(85, np.arange(85), rng.standard_normal(85) * ms + 50 * ms)
    S = es.Synapses(P, P, on_pre="y+=weight", namespace=namespace)
    S.connect(j="k for k in range((int(i/group_size)+1)*group_size, "
                "(int(i/group_size)+2)*group_size) if i<N_pre-group_size")
    Sinput = es.Synapses(Pinput, P[:group_size], on_pre="y+=weight", namespace=namespace)
    Sinput.connect()
    Mgp = es.SpikeMonitor(P)
    P.V = "Vr + rand() * (Vt - Vr)"
    es.Network(P, Pinput, S, Sinput, Mgp, dt=0.1 * ms, seed=6).run(100 * ms)
    assert S.N == reference("Diesmann_et_al_1999")[0]["n_synapses"]
    i = np.asarray(Mgp.i)
    assert_in_spread(i.size, "Diesmann_et_al_1999", "total")
    assert_in_spread(np.sum(i >= 900), "Diesmann_et_al_1999", "last_group")
