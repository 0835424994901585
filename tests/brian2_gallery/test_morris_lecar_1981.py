"""Port of Brian2's examples/frompapers/Morris_Lecar_1981.py (Fig. 9 of Morris & Lecar
1981): the barnacle muscle fibre model for 17 currents (100 to 500 µA), 220 ms with
``exponential_euler`` at dt = 0.01 ms.

Features: ``exponential_euler`` where dV/dt's coefficient depends on V through the
subexpression ``m_inf(V)`` (Brian2 accepts it; eqsnn does the same when asked for it,
see test_wang_buzsaki_1996.py and docs/methods.md), ``tanh``/``cosh`` in
subexpressions, a string initialiser that evaluates a subexpression (``n = "n_inf"``).
The original runs in ``cpp_standalone`` mode; the reference ran it in runtime mode
(the same numbers). Reference: Brian2 2.9.0 running the original (references.json
"Morris_Lecar_1981"; deterministic): every neuron's number of upward crossings of
0 mV, and V every ms of the four traces drawn. Same update to rounding: the counts
must be equal and V agree to 1e-6 V (a microvolt, on oscillations of 80 mV).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import mS, mV, ms, uA, uF

from _gallery import reference, upward_crossings


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_oscillations_are_brian2s(backend):
    namespace = {"g_L": 2 * mS, "g_Ca": 4 * mS, "g_K": 8 * mS, "V_L": -50 * mV,
                 "V_Ca": 100 * mV, "V_K": -70 * mV, "lambda_n__max": 1.0 / (15 * ms),
                 "V_1": 10 * mV, "V_2": 15 * mV, "V_3": -1 * mV, "V_4": 14.5 * mV,
                 "C": 20 * uF}
    neuron = es.NeuronGroup(17, """
        dV/dt = (-g_L*(V - V_L) - g_Ca*m_inf*(V - V_Ca) - g_K*n*(V - V_K) + I)/C : volt
        dn/dt = lambda_n*(n_inf - n) : 1
        m_inf = 0.5*(1 + tanh((V - V_1)/V_2)) : 1
        n_inf = 0.5*(1 + tanh((V - V_3)/V_4)) : 1
        lambda_n = lambda_n__max*cosh((V - V_3)/(2*V_4)) : Hz
        I : amp
        """, method="exponential_euler", namespace=namespace)
    neuron.I = (np.arange(17) * 25 + 100) * uA
    neuron.V = namespace["V_L"]
    neuron.n = "n_inf"
    mon = es.StateMonitor(neuron, ["V", "n"], record=True)
    es.Network(neuron, mon, dt=0.01 * ms, backend=backend).run(220 * ms)
    expected = reference("Morris_Lecar_1981")
    V = np.asarray(mon.V_)
    assert [upward_crossings(row, 0.0).size for row in V] == expected["peaks"]
    np.testing.assert_allclose(V[[0, 4, 12, 15], ::100], expected["V_every_1ms"], atol=1e-6)
