"""Port of Brian2's examples/frompapers/Wang_Buszaki_1996.py: the Wang–Buzsáki
interneuron (1996), tonic firing under a constant current, 100 ms with
``exponential_euler`` at dt = 0.01 ms.

Features: ``exponential_euler`` on an equation whose coefficient depends on its own
variable — the sodium activation ``m = alpha_m/(alpha_m + beta_m)`` is a subexpression
of v, so dv/dt is not linear in v. Brian2 accepts it: it expands the right-hand side,
collects the terms that carry v as a factor (A*v) and the rest (B), both evaluated at
the current state, and takes v <- (v + B/A)*exp(A*dt) - B/A; eqsnn does the same when
``exponential_euler`` is asked for (docs/methods.md). ``exprel`` in rate functions.
Reference: Brian2 2.9.0 running the original (references.json "Wang_Buszaki_1996";
deterministic): the steps at which v crosses 0 mV upwards, and v every ms. Same update
to rounding, so every spike on the same step and v within 1e-6 V (a microvolt, on a
trace that swings 100 mV in a fraction of a millisecond).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import mV, msiemens, ms, uA, uF

from _gallery import reference, upward_crossings


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_spikes_and_trace_are_brian2s(backend):
    namespace = {"Cm": 1 * uF, "Iapp": 2 * uA, "gL": 0.1 * msiemens, "EL": -65 * mV,
                 "ENa": 55 * mV, "EK": -90 * mV, "gNa": 35 * msiemens, "gK": 9 * msiemens}
    neuron = es.NeuronGroup(1, """
        dv/dt = (-gNa*m**3*h*(v-ENa)-gK*n**4*(v-EK)-gL*(v-EL)+Iapp)/Cm : volt
        m = alpha_m/(alpha_m+beta_m) : 1
        alpha_m = 0.1/mV*10*mV/exprel(-(v+35*mV)/(10*mV))/ms : Hz
        beta_m = 4*exp(-(v+60*mV)/(18*mV))/ms : Hz
        dh/dt = 5*(alpha_h*(1-h)-beta_h*h) : 1
        alpha_h = 0.07*exp(-(v+58*mV)/(20*mV))/ms : Hz
        beta_h = 1./(exp(-0.1/mV*(v+28*mV))+1)/ms : Hz
        dn/dt = 5*(alpha_n*(1-n)-beta_n*n) : 1
        alpha_n = 0.01/mV*10*mV/exprel(-(v+34*mV)/(10*mV))/ms : Hz
        beta_n = 0.125*exp(-(v+44*mV)/(80*mV))/ms : Hz
        """, method="exponential_euler", namespace=namespace)
    neuron.v = -70 * mV
    neuron.h = 1
    trace = es.StateMonitor(neuron, "v", record=0)
    es.Network(neuron, trace, dt=0.01 * ms, backend=backend).run(100 * ms)
    expected = reference("Wang_Buszaki_1996")
    v = np.asarray(trace.v_)[0]
    np.testing.assert_array_equal(upward_crossings(v, 0.0), expected["spike_steps"])
    np.testing.assert_allclose(v[::100], expected["v_every_1ms"], atol=1e-6)
