"""Port of Brian2's examples/synapses/nonlinear.py: NMDA-like synapses whose conductance
follows clock-driven, nonlinear equations, summed into the target, 1 s.

Features: clock-driven synaptic equations, ``(summed)`` into a neuron parameter,
``StateMonitor`` of a neuron variable, list initialisers. The original records ``g``
through the ``Synapses`` object — not a synaptic variable, so Brian2 records the
target's ``g`` once per synapse and the upper panel shows the summed conductance twice;
eqsnn's StateMonitor of a Synapses records synaptic variables only (docs/brian2.md), so
the port records the target's ``g`` from the group and compares each synapse's own
``g_syn`` at the end of the run with Brian2's.
The original gives no method; Brian2 chooses ``euler`` for these (nonlinear)
equations, eqsnn's chooser would take ``exponential_euler`` (docs/brian2.md: the
default method order differs), so the port asks for ``euler`` to run the same scheme.
Reference: Brian2 2.9.0 running the original (references.json "nonlinear";
deterministic): the target's g every ms (recorded, as in Brian2, before the step's
sum) and g_syn of both synapses after 1 s. Same scheme and
spike times, so the values agree to rounding (1e-9 absolute; g is of order 1).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms

from _gallery import reference


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_conductances_are_brian2s(backend):
    rates = {"a": 1 / (10 * ms), "b": 1 / (10 * ms), "c": 1 / (10 * ms)}
    inputs = es.NeuronGroup(2, "dv/dt = 1/(10*ms) : 1", threshold="v>1", reset="v = 0",
                            method="euler")
    neurons = es.NeuronGroup(1, """
        dv/dt = (g-v)/(10*ms) : 1
        g : 1
        """, method="exact")
    nmda = es.Synapses(inputs, neurons, """
        dg_syn/dt = -a*g_syn+b*x*(1-g_syn) : 1 (clock-driven)
        g_post = g_syn : 1 (summed)
        dx/dt=-c*x : 1 (clock-driven)
        w : 1  # synaptic weight
        """, on_pre="x += w", method="euler", namespace=rates)
    nmda.connect()
    nmda.w = [1., 10.]
    inputs.v = [0., 0.5]
    summed = es.StateMonitor(neurons, "g", record=0)
    es.Network(inputs, neurons, nmda, summed, backend=backend).run(1000 * ms)
    expected = reference("nonlinear")
    np.testing.assert_allclose(nmda.g_syn_, expected["g_syn_end"], atol=1e-9)
    # g is a summed variable: recorded in "start", before this step's sum (as in Brian2)
    np.testing.assert_allclose(np.asarray(summed.g)[0, ::10], expected["g_post_every_1ms"],
                               atol=1e-9)
