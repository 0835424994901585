"""Port of Brian2's examples/frompapers/Brunel_2000.py (Fig. 8 of Brunel 2000): 10 000
excitatory and 2500 inhibitory IF neurons, sparse (10%) with a 1.5 ms delay, driven by
external Poisson input; the four panels A-D are the synchronous-regular,
asynchronous-irregular and synchronous-irregular states for (g, nu_ext/nu_thr).

Features: ``PoissonInput(target, "v", N=C_ext, rate=nu_ext, weight=J)`` (the external
input, 1000 Poisson sources per neuron drawn as one binomial per step), synapses from
subgroups, ``(unless refractory)``, ``exact``, ``PopulationRateMonitor``.
Reference: Brian2 2.9.0 running the original (all four panels, 4 seeds: references.json
"Brunel_2000", brian2_reference.py, 37 min under nice -n 19 on the loaded 2-core
machine): per panel, the mean population rate and its standard deviation over time
must lie within 4 s.d. of Brian2's spread across seeds, plus 5% of the value (with 4
seeds the spread itself is uncertain: panel A's mean rate varies by 0.06% between
Brian2's seeds). Slow: 15.6 million synapses per panel.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import mV, ms

from _gallery import assert_in_spread

pytestmark = pytest.mark.slow

PANELS = {"A": (3, 2, 600), "B": (6, 4, 1200), "C": (5, 2, 1200), "D": (4.5, 0.9, 1200)}
# Brian2 makes an (unless refractory) variable read-only to synaptic statements while
# its neuron is refractory (a conditional write: refractoriness.rst). In the synchronous
# panel A every neuron receives the population's volley 1.5 ms into its 2 ms refractory
# period: without the conditional write it fires again as soon as the period ends
# (490 Hz, against Brian2's 305 Hz).

# Panel C's rate s.d. varies more between eqsnn's seeds than between Brian2's four
# (0.55 Hz): this test's body run with Network(seed=s) and the synapses' seeds s, s + 1
# gives 30.15, 26.73, 25.20, 26.94, 27.66 Hz for s = 1..5 (s.d. 1.8; seed 1 is this
# test's). Brian2's spread alone is then no bound on one eqsnn run: twice eqsnn's own
# spread is allowed on top.
EQSNN_SPREAD = {"rate_sd_C": 1.8}


@pytest.mark.parametrize("panel", ["A", "B", "C", "D"])
def test_population_rate_within_brian2s_spread(panel):
    g, nu_ext_over_nu_thr, duration = PANELS[panel]
    N_E = 10000
    N_I = round(0.25 * N_E)
    epsilon, tau, theta, J = 0.1, 20 * ms, 20 * mV, 0.1 * mV
    C_E = epsilon * N_E
    nu_thr = theta / (J * C_E * tau)
    namespace = {"tau": tau, "theta": theta, "V_r": 10 * mV, "J": J, "g": g}
    neurons = es.NeuronGroup(N_E + N_I, "dv/dt = -v/tau : volt (unless refractory)",
                             threshold="v > theta", reset="v = V_r", refractory=2 * ms,
                             method="exact", namespace=namespace)
    exc = es.Synapses(neurons[:N_E], neurons, on_pre="v += J", delay=1.5 * ms,
                      namespace=namespace, seed=1)
    exc.connect(p=epsilon)
    inh = es.Synapses(neurons[N_E:], neurons, on_pre="v += -g*J", delay=1.5 * ms,
                      namespace=namespace, seed=2)
    inh.connect(p=epsilon)
    external = es.PoissonInput(target=neurons, target_var="v", N=int(C_E),
                               rate=nu_ext_over_nu_thr * nu_thr, weight=J)
    rate = es.PopulationRateMonitor(neurons)
    es.Network(neurons, exc, inh, external, rate, dt=0.1 * ms, seed=1).run(duration * ms)
    for key, value in ((f"rate_{panel}", np.mean(rate.rate_)),
                       (f"rate_sd_{panel}", np.std(rate.rate_))):
        assert_in_spread(float(value), "Brunel_2000", key,
                         floor=0.05 * float(value) + 2 * EQSNN_SPREAD.get(key, 0.0))
