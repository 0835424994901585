"""Every built-in neuron model runs on both backends, and they agree.

The numpy backend executes the same generated statements as the compiled one; it is the
reference. Each model is driven with a spread of constant inputs around its preset's
characteristic current so that some neurons fire, and the two backends must produce the
same spikes and states equal to rounding (the compiled loop uses glibc's vectorised
``exp``, which may differ from numpy's in the last bit). Measured on 2026-11-23: the
largest difference, relative to the variable's range, was 8.6e-13 (Traub-Miles, 60 ms
at dt = 0.02 ms); most models agree to 1e-14.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.models import catalogue, get
from eqsnn.units import ms, nA, pA

BASE_MODELS = [name for name in catalogue() if ":" not in name]
#: Inputs that make the models without a preset stimulus fire (the top of the spread).
DRIVE = {"LIF": 3 * nA, "LIF-conductance": 3 * nA, "LIF-capacitance": 1 * nA,
         "LIF-capacitance-conductance": 1 * nA, "Izhikevich2007": 300 * pA,
         "TraubMiles": 0.5 * nA}


def _simulate(model, backend: str, duration_ms: float = 60.0):
    group = model.group(6, name="cells")
    drive = DRIVE.get(model.name, model.stimulus)
    setattr(group, model.input, drive * np.linspace(0.0, 1.0, 6))
    spikes = es.SpikeMonitor(group) if model.threshold else None
    state = es.StateMonitor(group, list(model.state_variables), record=True, dt=1 * ms)
    net = es.Network(*[o for o in (group, spikes, state) if o is not None],
                     dt=0.02 * ms, seed=11, backend=backend)
    net.run(duration_ms * ms)
    return group, spikes, state


@pytest.mark.parametrize("name", BASE_MODELS)
def test_builtin_model_agrees_between_backends(name):
    model = get(name)
    compiled = _simulate(model, "c")
    reference = _simulate(model, "numpy")
    group_c, spikes_c, state_c = compiled
    group_n, spikes_n, state_n = reference
    if spikes_c is not None:
        assert spikes_c.num_spikes > 0, "the drive should make some neurons fire"
        np.testing.assert_array_equal(spikes_c.i, spikes_n.i)
        np.testing.assert_allclose(spikes_c.t_, spikes_n.t_, rtol=0, atol=1e-12)
    for var in model.state_variables:
        a, b = getattr(state_c, f"{var}_"), getattr(state_n, f"{var}_")
        assert np.all(np.isfinite(a))
        scale = max(np.max(np.abs(b)), 1e-30)
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-11 * scale, err_msg=var)
