"""PopulationRateMonitor.active = False as in Brian2: the steps of the paused runs are
missing from rate and t (on the source's own clock too), smooth_rate works on what was
recorded, store/restore keeps the recorded steps."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import Hz, ms

CASES = [("c", 1), ("c", 2), ("numpy", 1)]

# Brian2 2.9.0, numpy target, dt = 0.1 ms, in the venv of benchmarks/brian2_env.py:
# G = NeuronGroup(4, "dv/dt = (1.2 + 0.2*i - v)/(3*ms) : 1", threshold="v > 1",
#                 reset="v = 0", method="exact")
# H = NeuronGroup(2, "dv/dt = (2 - v)/(2*ms) : 1", (same threshold, reset), dt=0.3*ms)
# R, Rs, RH = PopulationRateMonitor(G), PopulationRateMonitor(G[1:3]),
# PopulationRateMonitor(H); run(3*ms); R.active = RH.active = False; run(2*ms);
# R.active = RH.active = True; run(3*ms). Where the rates are not zero, and the values:
B2_T_STEPS = list(range(0, 30)) + list(range(50, 80))
B2_RATE_AT = [24, 29, 33, 39, 54, 55]                  # 2500 Hz (1 of 4 neurons)
B2_SUB_RATE_AT = [29, 37, 59, 75]                      # 5000 Hz (1 of 2), never paused
B2_TH_MS = [0, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.7,
            5.1, 5.4, 5.7, 6.0, 6.3, 6.6, 6.9, 7.2, 7.5, 7.8]
B2_RATE_H_AT = [4, 9, 12, 17]                          # 1/(2 * 0.3 ms) = 3333.33 Hz
# R.smooth_rate(window="gaussian", width=0.3*ms)[18:30] and ("flat", 0.5*ms)[22:34], Hz
B2_GAUSS = [46.360054, 85.417355, 140.82941, 207.771348, 274.298236, 370.405131,
            427.974396, 464.874487, 482.069584, 528.429638, 550.291841, 568.803806]
B2_FLAT = [500.0] * 9 + [1000.0, 500.0, 500.0]


def _rates(at, size, value):
    rate = np.zeros(size)
    rate[at] = value
    return rate


@pytest.mark.parametrize("backend,threads", CASES)
def test_a_paused_rate_monitor_matches_brian2(backend, threads):
    G = es.NeuronGroup(4, "dv/dt = (1.2 + 0.2*i - v)/(3*ms) : 1", threshold="v > 1",
                       reset="v = 0", method="exact")
    H = es.NeuronGroup(2, "dv/dt = (2 - v)/(2*ms) : 1", threshold="v > 1",
                       reset="v = 0", method="exact", dt=0.3 * ms)
    R, Rs, RH = (es.PopulationRateMonitor(G), es.PopulationRateMonitor(G[1:3]),
                 es.PopulationRateMonitor(H))
    net = es.Network(G, H, R, Rs, RH, dt=0.1 * ms, backend=backend, threads=threads)
    net.run(3 * ms)
    R.active = RH.active = False
    net.run(2 * ms)
    R.active = RH.active = True
    net.run(3 * ms)
    np.testing.assert_array_equal(np.round(R.t_ / 1e-4), B2_T_STEPS)
    np.testing.assert_allclose(R.rate / Hz, _rates(B2_RATE_AT, 60, 2500), rtol=1e-12)
    np.testing.assert_allclose(Rs.rate / Hz, _rates(B2_SUB_RATE_AT, 80, 5000), rtol=1e-12)
    np.testing.assert_allclose(RH.t / ms, B2_TH_MS, atol=1e-9)
    np.testing.assert_allclose(RH.rate / Hz, _rates(B2_RATE_H_AT, 20, 1e4 / 3), rtol=1e-9)
    np.testing.assert_allclose(
        R.smooth_rate(window="gaussian", width=0.3 * ms)[18:30] / Hz, B2_GAUSS, atol=1e-5)
    np.testing.assert_allclose(
        R.smooth_rate(window="flat", width=0.5 * ms)[22:34] / Hz, B2_FLAT, atol=1e-9)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_restore_keeps_the_recorded_steps(backend):
    G = es.NeuronGroup(4, "dv/dt = (1.2 + 0.2*i - v)/(3*ms) : 1", threshold="v > 1",
                       reset="v = 0", method="exact")
    R = es.PopulationRateMonitor(G)
    net = es.Network(G, R, dt=0.1 * ms, backend=backend)
    net.run(1 * ms)
    net.store()
    R.active = False
    net.run(1 * ms)
    assert R.t_.size == 10
    net.restore()
    R.active = True
    net.run(2 * ms)
    np.testing.assert_array_equal(np.round(R.t_ / 1e-4), np.arange(30))
