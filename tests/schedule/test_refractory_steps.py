"""A refractory period given as a quantity lasts Brian2's ``timestep(refractory, dt)``
steps, ``int((refractory + 1e-3*dt)/dt)``: 1.3 ms at dt = 0.2 ms is 6 steps, not the
nearest number (7).

Reference: Brian2 2.9.0 (numpy target, ``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python``)

    defaultclock.dt = 0.2*ms
    G = NeuronGroup(5, '''dv/dt = (I - v)/(5*ms) : 1 (unless refractory)
                          I : 1''', threshold="v > 1", reset="v = 0",
                    refractory=1.3*ms, method="exact")
    G.I = "1.5 + 0.4*i"; SM = SpikeMonitor(G); run(10*ms)   # print SM.i, SM.t/ms
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms

BRIAN2_I = [4, 3, 2, 1, 4, 0, 3, 2, 4, 1, 3]
BRIAN2_T = [1.8, 2.2, 2.8, 3.6, 4.8, 5.4, 5.6, 6.8, 7.8, 8.4, 9.0]


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_refractory_period_of_six_and_a_half_steps_lasts_six_as_in_brian2(backend):
    G = es.NeuronGroup(5, """dv/dt = (I - v)/(5*ms) : 1 (unless refractory)
                             I : 1""", threshold="v > 1", reset="v = 0",
                       refractory=1.3 * ms, method="exact")
    G.I = "1.5 + 0.4*i"
    spikes = es.SpikeMonitor(G)
    es.Network(G, spikes, dt=0.2 * ms, backend=backend).run(10 * ms)
    assert list(spikes.i) == BRIAN2_I
    np.testing.assert_allclose(spikes.t / ms, BRIAN2_T, atol=1e-9)
