"""Port of Brian2's examples/frompapers/Brette_Gerstner_2005.py: the adaptive exponential
IF neuron (regular spiking parameters) under a 1 nA step from 20 to 120 ms.

Features: AdEx with ``euler``, three ``run()`` calls with a parameter changed between
them (no recompilation in eqsnn), ``StateMonitor`` across runs.
Reference: Brian2 2.9.0 running the original (references.json "Brette_Gerstner_2005";
deterministic): every spike time and vm every ms. Same scheme, so the spike times must
be equal (to the step) and vm agree to 1e-6 mV (rounding only; vm crosses -70 to
-40 mV on a 0.1 ms grid).
"""
import numpy as np

import eqsnn as es
from eqsnn.units import mV, ms, nA, nS, pF

from _gallery import reference


def test_spike_times_and_trace_are_brian2s():
    C, gL = 281 * pF, 30 * nS
    VT, DeltaT = -50.4 * mV, 2 * mV
    namespace = {"C": C, "gL": gL, "EL": -70.6 * mV, "VT": VT, "DeltaT": DeltaT,
                 "Vcut": VT + 5 * DeltaT, "tauw": 144 * ms, "a": 4 * nS, "b": 0.0805 * nA,
                 "Vr": -70.6 * mV}
    neuron = es.NeuronGroup(1, """
        dvm/dt = (gL*(EL - vm) + gL*DeltaT*exp((vm - VT)/DeltaT) + I - w)/C : volt
        dw/dt = (a*(vm - EL) - w)/tauw : amp
        I : amp
        """, threshold="vm>Vcut", reset="vm=Vr; w+=b", method="euler", namespace=namespace)
    neuron.vm = namespace["EL"]
    trace = es.StateMonitor(neuron, "vm", record=0)
    spikes = es.SpikeMonitor(neuron)
    net = es.Network(neuron, trace, spikes, dt=0.1 * ms)
    net.run(20 * ms)
    neuron.I = 1 * nA
    net.run(100 * ms)
    neuron.I = 0 * nA
    net.run(20 * ms)
    expected = reference("Brette_Gerstner_2005")
    np.testing.assert_allclose(np.asarray(spikes.t_) * 1e3, expected["spike_times_ms"],
                               atol=1e-9)
    np.testing.assert_allclose(np.asarray(trace.vm_)[0, ::10] * 1e3,
                               expected["vm_every_1ms_mV"], atol=1e-6)
