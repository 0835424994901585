"""Port of Brian2's examples/frompapers/Sturzl_et_al_2000.py: prey localisation by a
sand scorpion — eight leg receptors see a surface wave with angle-dependent delays;
eight neurons, each excited by one leg and inhibited by the opposite triad, encode the
prey's direction in their spike counts (population vector). 500 ms.

Features: a ``TimedArray`` read at ``t - d`` with ``d`` a per-neuron parameter, ``%``
and ``N_post`` in a connect condition (``abs(((j - i) % N_post) - N_post/2) <= 1``),
``connect(j="i")``, a pathway delay, noise with ``euler``, ``exact`` alpha currents.
The wave is built in numpy with random phases (``rand()`` in the original is numpy's).
Reference: Brian2 2.9.0 running the original with 8 seeds (references.json
"Sturzl_et_al_2000"): the number of inhibitory synapses is deterministic (24); the
estimated angle (true: 144 degrees) and the total spike count must lie within 4 s.d. of
Brian2's spread.
"""
import numpy as np

import eqsnn as es
from eqsnn.units import Hz, cm, meter, ms, second

from _gallery import assert_in_spread, reference

def test_estimated_angle_within_brian2s_spread():
    degree = 2 * np.pi / 360.
    dt, duration = 0.1 * ms, 500 * ms
    R, vr, phi = 2.5 * cm, 50 * meter / second, 144 * degree
    gamma = (22.5 + 45 * np.arange(8)) * degree  # leg angle
    delay = R / vr * (1 - np.cos(phi - gamma))  # wave delay
    time = np.arange(int(duration / dt) + 1) * dt.to("second").magnitude
    rng = np.random.default_rng(13)
    w, Dtot = 0., 0.
    for f in np.arange(150, 451):
        D = np.exp(-(f - 300) ** 2 / (2 * (50 ** 2)))
        w += 100 * D * np.cos(2 * np.pi * f * time + 2 * np.pi * rng.random())
        Dtot += D
    rates = es.TimedArray(.01 * w / Dtot, dt=dt)
    legs = es.NeuronGroup(8, """
        dv/dt = (1 + rates(t - d) - v)/tau_legs + sigma*(2./tau_legs)**.5*xi:1
        d : second
        """, threshold="v > 1", reset="v = 0", refractory=1 * ms, method="euler",
        namespace={"rates": rates, "tau_legs": 1 * ms, "sigma": .01})
    legs.d = delay
    neurons = es.NeuronGroup(8, """
        dv/dt = (x - v)/tau : 1
        dx/dt = (y - x)/taus : 1 # alpha currents
        dy/dt = -y/taus : 1
        """, threshold="v>1", reset="v=0", method="exact",
        namespace={"tau": 1 * ms, "taus": 1.001 * ms})
    synapses_ex = es.Synapses(legs, neurons, on_pre="y+=wex", namespace={"wex": 7})
    synapses_ex.connect(j="i")
    synapses_inh = es.Synapses(legs, neurons, on_pre="y+=winh", delay=.7 * ms,
                               namespace={"winh": -2})
    synapses_inh.connect("abs(((j - i) % N_post) - N_post/2) <= 1")
    spikes = es.SpikeMonitor(neurons)
    es.Network(legs, neurons, synapses_ex, synapses_inh, spikes, dt=dt,
               seed=13).run(duration)
    nspikes = np.asarray(spikes.count)
    phi_est = np.imag(np.log(np.sum(nspikes * np.exp(gamma * 1j))))
    assert synapses_inh.N == reference("Sturzl_et_al_2000")[0]["n_inh"]
    assert_in_spread(phi_est / degree, "Sturzl_et_al_2000", "phi_est_deg")
    assert_in_spread(nspikes.sum(), "Sturzl_et_al_2000", "total")
