"""Port of Brian2's examples/frompapers/Naud_et_al_2008_adex_firing_patterns.py: the
eight firing patterns of the adaptive exponential IF model (Naud et al. 2008), 600 ms
of a step current each.

Features: AdEx with ``euler``, all constants from ``namespace=`` (the original passes
one dict per pattern too), a threshold on v and a two-statement reset.
Reference: Brian2 2.9.0 running the original (references.json "Naud_et_al_2008";
deterministic). The original records vm with ``when="thresholds"`` (after the update,
before the reset) and draws the trace; the number of samples above 0 mV is the number
of spikes, which the port counts with a ``SpikeMonitor``. Every pattern's spike count
must be Brian2's.
"""
import pytest

import eqsnn as es
from eqsnn.units import mV, ms, nS, pA, pF, second

from _gallery import reference


def parameters(c_m, g_l, e_l, a, tau_w, b, v_r, i_stim):
    return {"c_m": c_m * pF, "g_l": g_l * nS, "e_l": e_l * mV, "v_t": -50.0 * mV,
            "d_t": 2.0 * mV, "a": a * nS, "tau_w": tau_w * ms, "b": b * pA,
            "v_r": v_r * mV, "i_stim": i_stim * pA}


PATTERNS = {
    "tonic spiking": parameters(200, 10, -70, 2, 30, 0, -58, 500),
    "adaptation": parameters(200, 12, -70, 2, 300, 60, -58, 500),
    "initial burst": parameters(130, 18, -58, 4, 150, 120, -50, 400),
    "regular bursting": parameters(200, 10, -58, 2, 120, 100, -46, 210),
    "delayed accelerating": parameters(200, 12, -70, -10, 300, 0, -58, 300),
    "delayed regular bursting": parameters(100, 10, -65, -10, 90, 30, -47, 110),
    "transient spiking": parameters(100, 10, -65, 10, 90, 100, -47, 180),
    "irregular spiking": parameters(100, 12, -60, -11, 130, 30, -48, 160),
}


@pytest.mark.parametrize("pattern", PATTERNS)
def test_spike_count_is_brian2s(pattern):
    p = PATTERNS[pattern]
    neuron = es.NeuronGroup(1, """
        dvm/dt = (g_l*(e_l - vm) + g_l*d_t*exp((vm-v_t)/d_t) + i_stim - w)/c_m : volt
        dw/dt  = (a*(vm - e_l) - w)/tau_w : amp
        """, threshold="vm > 0*mV", reset="vm = v_r; w += b", method="euler",
        namespace=p)
    neuron.vm = p["e_l"]
    neuron.w = 0 * pA
    spikes = es.SpikeMonitor(neuron)
    es.Network(neuron, spikes, dt=0.1 * ms).run(0.6 * second)
    assert spikes.num_spikes == reference("Naud_et_al_2008")[pattern]
