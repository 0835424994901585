"""Port of Brian2's examples/frompapers/Izhikevich_2007.py (after Fig. 1c of Izhikevich
2007): dopamine-modulated STDP — an eligibility trace c, gated by extracellular
dopamine d released by a reward input, changes the weight s; 3 s of classical STDP,
then 3 s with modulation.

Features: a ``Synapses`` whose target is another ``Synapses`` (``reward`` writes
``d_post`` of the STDP synapse), clock-driven and event-driven equations in one synapse
model, ``clip``, ``SpikeGeneratorGroup``, ``connect(i=0, j=1)``, a synaptic parameter
(``mode``) changed between two runs, ``StateMonitor`` of synaptic variables.
Reference: Brian2 2.9.0 running the original (references.json "Izhikevich_2007";
deterministic): the neurons' spikes, and s, c and d every 100 ms. Same scheme and
events: the spikes equal, the traces within 1e-9 relative + 1e-15 absolute.
"""
import numpy as np

import eqsnn as es
from eqsnn.units import mV, ms, second

from _gallery import reference


def test_dopamine_modulated_stdp_is_brian2s():
    taupre = taupost = 20 * ms
    gmax, dApre = .01, .01
    dApost = -dApre * taupre / taupost * 1.05
    namespace = {"taum": 10 * ms, "Ee": 0 * mV, "vt": -54 * mV, "vr": -60 * mV,
                 "El": -74 * mV, "taue": 5 * ms, "taupre": taupre, "taupost": taupost,
                 "gmax": gmax, "dApre": dApre * gmax, "dApost": dApost * gmax,
                 "tauc": 1000 * ms, "taud": 200 * ms, "taus": 1 * ms,
                 "epsilon_dopa": 5e-3}
    spike_input = es.SpikeGeneratorGroup(
        2, [0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0],
        np.array([500, 550, 1000, 1010, 1500, 1510, 3500, 3550, 4000, 4010, 4500, 4510]) * ms)
    neurons = es.NeuronGroup(2, """
        dv/dt = (ge * (Ee-v) + El - v) / taum : volt
        dge/dt = -ge / taue : 1
        """, threshold="v>vt", reset="v = vr", method="euler", namespace=namespace)
    neurons.v = namespace["vr"]
    neurons_monitor = es.SpikeMonitor(neurons)
    synapse = es.Synapses(spike_input, neurons, "s: volt", on_pre="v += s")
    synapse.connect(i=[0, 1], j=[0, 1])
    synapse.s = 100. * mV
    stdp = es.Synapses(neurons, neurons, """
        mode: 1
        dc/dt = -c / tauc : 1 (clock-driven)
        dd/dt = -d / taud : 1 (clock-driven)
        ds/dt = mode * c * d / taus : 1 (clock-driven)
        dApre/dt = -Apre / taupre : 1 (event-driven)
        dApost/dt = -Apost / taupost : 1 (event-driven)
        """, on_pre="""
        ge += s
        Apre += dApre
        c = clip(c + mode * Apost, -gmax, gmax)
        s = clip(s + (1-mode) * Apost, -gmax, gmax)
        """, on_post="""
        Apost += dApost
        c = clip(c + mode * Apre, -gmax, gmax)
        s = clip(s + (1-mode) * Apre, -gmax, gmax)
        """, method="euler", namespace=namespace)
    stdp.connect(i=0, j=1)
    stdp.mode = 0
    stdp.s = 1e-10
    stdp.c = 1e-10
    stdp.d = 0
    stdp_monitor = es.StateMonitor(stdp, ["s", "c", "d"], record=[0])
    dopamine = es.SpikeGeneratorGroup(1, [0, 0, 0], np.array([3520, 4020, 4520]) * ms)
    reward = es.Synapses(dopamine, stdp, on_pre="d_post += epsilon_dopa", method="exact",
                         namespace=namespace)
    reward.connect()
    net = es.Network(spike_input, neurons, neurons_monitor, synapse, stdp, stdp_monitor,
                     dopamine, reward, dt=0.1 * ms)
    net.run(3 * second)
    stdp.mode = 1
    net.run(3 * second)
    expected = reference("Izhikevich_2007")
    np.testing.assert_array_equal(neurons_monitor.i, expected["spike_i"])
    np.testing.assert_allclose(neurons_monitor.t_, expected["spike_t"], atol=1e-12)
    for var in "scd":
        np.testing.assert_allclose(np.asarray(getattr(stdp_monitor, var))[0, ::1000],
                                   expected[f"{var}_every_100ms"], rtol=1e-9, atol=1e-15)
