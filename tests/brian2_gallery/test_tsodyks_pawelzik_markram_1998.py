"""Port of Brian2's examples/frompapers/Tsodyks_Pawelzik_Markram_1998.py (Fig. 1 of
Tsodyks, Pawelzik & Markram 1998): a depressing (A) and two facilitating (B at 20 Hz,
C at 70 Hz) dynamic synapses, each driving one passive neuron.

Features: clock-driven synaptic equations integrated with ``exponential_euler``, a
subexpression in a synapse model (``z = 1 - x - y``), a ``(summed)`` current, per-synapse
parameters with units, ``SpikeGeneratorGroup``, a model string extended in Python (the
facilitating variant), one network per panel (the original runs the three panels one
after another in the magic network). The original writes the unit ``ampere``, which
eqsnn's unit parser does not know (docs/brian2.md); the port writes ``amp``.
Reference: Brian2 2.9.0 running the original (references.json
"Tsodyks_Pawelzik_Markram_1998"; deterministic): the peak of v and v every 5 ms per
panel. Same scheme and spike times, so v agrees to rounding: 1e-6 mV (v is of order
1-10 mV).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import Gohm, Hz, Mohm, mV, ms, pA

from _gallery import reference

PANELS = {
    "A": ({"tau_mem": 40 * ms, "R_in": 100 * Mohm},
          {"tau_inact": 3 * ms, "A_SE": 250 * pA, "tau_rec": 800 * ms, "U_SE": 0.6},
          (100, 1100, 20), 1200),
    "B": ({"tau_mem": 60 * ms, "R_in": 1 * Gohm},
          {"tau_inact": 1.5 * ms, "A_SE": 1540 * pA, "tau_rec": 130 * ms, "U_SE": 0.03,
           "tau_facil": 530 * ms},
          (100, 1100, 20), 1200),
    "C": ({"tau_mem": 60 * ms, "R_in": 1 * Gohm},
          {"tau_inact": 1.5 * ms, "A_SE": 1540 * pA, "tau_rec": 130 * ms, "U_SE": 0.03,
           "tau_facil": 530 * ms},
          (100, 375, 70), 500),
}

SYNAPSE = """
    dx/dt =  z/tau_rec   : 1 (clock-driven) # recovered
    dy/dt = -y/tau_inact : 1 (clock-driven) # active
    A_SE : amp
    U_SE : 1
    tau_inact : second
    tau_rec : second
    z = 1 - x - y : 1 # inactive
    I_syn_post = A_SE*y : amp (summed)
    """
FACILITATION = """
    du/dt = -u/tau_facil : 1 (clock-driven)
    tau_facil : second
    """


# Panel C's 70 Hz spike times fall between steps (every 14.29 ms): each lands in step
# floor((t + dt/1000)/dt), Brian2's rule, which SpikeGeneratorGroup follows (it rounded
# to the nearest step once, and v peaked 0.01 mV higher).


@pytest.mark.parametrize("panel", ["A", "B", "C"])
def test_postsynaptic_potential_is_brian2s(panel):
    neuron_parameters, synapse_parameters, (start, stop, frequency), duration = PANELS[panel]
    neuron = es.NeuronGroup(1, """
        tau_mem : second
        I_syn : amp
        R_in : ohm
        dv/dt = -v/tau_mem + (R_in*I_syn)/tau_mem : volt
        """, method="exact")
    for name, value in neuron_parameters.items():
        setattr(neuron, name, value)
    times = np.arange(start, stop, 1 / frequency * 1e3) * ms
    stimulus = es.SpikeGeneratorGroup(1, [0] * len(times), times)
    facilitating = "tau_facil" in synapse_parameters
    on_pre = ("u += U_SE*(1-u)\ny += u*x\nx += -u*x" if facilitating
              else "y += U_SE*x\nx += -U_SE*x")  # y first: it uses x before the update
    synapse = es.Synapses(stimulus, neuron, SYNAPSE + (FACILITATION if facilitating else ""),
                          on_pre=on_pre, method="exponential_euler")
    synapse.connect()
    synapse.x = 1
    for name, value in synapse_parameters.items():
        setattr(synapse, name, value)
    trace = es.StateMonitor(neuron, "v", record=True)
    es.Network(neuron, stimulus, synapse, trace, dt=0.1 * ms).run(duration * ms)
    expected = reference("Tsodyks_Pawelzik_Markram_1998")
    v = np.asarray(trace.v_)[0] * 1e3
    assert v.max() == pytest.approx(expected[f"v_max_mV_{panel}"], abs=1e-6)
    np.testing.assert_allclose(v[::50], expected[f"v_every_5ms_mV_{panel}"], atol=1e-6)
