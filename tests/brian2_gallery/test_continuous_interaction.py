"""Port of Brian2's examples/synapses/continuous_interaction.py: two reduced Traub–Miles
neurons (Börgers, ch. 20), the first driving the second through a synaptic gate ``s``
that follows its membrane potential continuously, 100 ms with ``exponential_euler``.

Features: ``exponential_euler`` on a model whose rate functions are written with the
removable singularities ``x/(1 - exp(-x))`` (eqsnn integrates them as written, like
Brian2), a ``(summed)`` variable in a ``Synapses`` without pathways that reads a
presynaptic state variable (``s_in_post = weight*s_pre``), string initialisers that
evaluate subexpressions (``m = "alpham/(alpham + betam)"``), ``connect(i=0, j=1)``.
Reference: Brian2 2.9.0 running the original (references.json "continuous_interaction";
deterministic): the steps at which each neuron's vm crosses 0 mV upwards and the
summed input s_in of neuron 1 every ms. Same update to rounding: the spikes on the same
steps, s_in (between 0 and 0.25) within 1e-9 at the same samples: both sum in the
"groups" slot, after the monitor (in "start") recorded the previous step's sum.
"""
import numpy as np

import eqsnn as es
from eqsnn.units import mV, ms, msiemens, ufarad, uA

from _gallery import reference, upward_crossings


def test_spikes_and_synaptic_input_are_brian2s():
    namespace = {"El": -67 * mV, "EK": -100 * mV, "ENa": 50 * mV, "gl": 0.1 * msiemens,
                 "gK": 80 * msiemens, "gNa": 100 * msiemens, "C": 1 * ufarad,
                 "gSyn": 1.0 * msiemens, "tau_d": 2 * ms, "tau_r": 0.2 * ms}
    neuron = es.NeuronGroup(2, """
        alphah = 0.128 * exp(-(vm + 50.0*mV) / (18.0*mV))/ms :Hz
        alpham = 0.32/mV * (vm + 54*mV) / (1.0 - exp(-(vm + 54.0*mV) / (4.0*mV)))/ms:Hz
        alphan = 0.032/mV * (vm + 52*mV) / (1.0 - exp(-(vm + 52.0*mV) / (5.0*mV)))/ms:Hz
        betah  = 4.0 / (1.0 + exp(-(vm + 27.0*mV) / (5.0*mV)))/ms:Hz
        betam  = 0.28/mV * (vm + 27.0*mV) / (exp((vm + 27.0*mV) / (5.0*mV)) - 1.0)/ms:Hz
        betan  = 0.5 * exp(-(vm + 57.0*mV) / (40.0*mV))/ms:Hz
        membrane_Im = I_ext + gNa*m**3*h*(ENa-vm) +
                      gl*(El-vm) + gK*n**4*(EK-vm) + gSyn*s_in*(-vm): amp
        I_ext : amp
        s_in  : 1
        dm/dt = alpham*(1-m)-betam*m : 1
        dn/dt = alphan*(1-n)-betan*n : 1
        dh/dt = alphah*(1-h)-betah*h : 1
        ds/dt = 0.5 * (1 + tanh(0.1*vm/mV)) * (1-s)/tau_r - s/tau_d : 1
        dvm/dt = membrane_Im/C : volt
        """, method="exponential_euler", namespace=namespace)
    neuron.vm = [-70.0, -65.0] * mV
    neuron.m = "alpham / (alpham + betam)"
    neuron.h = "alphah / (alphah + betah)"
    neuron.n = "alphan / (alphan + betan)"
    neuron.I_ext = [1.5, 0.0] * uA
    synapse = es.Synapses(neuron, neuron, "s_in_post = weight*s_pre:1 (summed)",
                          namespace={"weight": 0.25})
    synapse.connect(i=0, j=1)
    mon = es.StateMonitor(neuron, ["vm", "s", "s_in"], record=[0, 1])
    es.Network(neuron, synapse, mon, dt=0.1 * ms).run(100 * ms)
    expected = reference("continuous_interaction")
    vm = np.asarray(mon.vm_)
    for row, steps in zip(vm, expected["spike_steps"]):
        np.testing.assert_array_equal(upward_crossings(row, 0.0), steps)
    s_in = np.asarray(mon.s_in)[1]
    np.testing.assert_allclose(s_in[::10], expected["s_in_1_every_1ms"], atol=1e-9)
