"""The synaptic kernels (voltage jump, exponential, alpha, double exponential)
against their closed forms, with a delay; every built-in synapse model runs."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn import models
from eqsnn.models import synapses as kernels
from eqsnn.units import mV, ms, nS, pA, second

BACKENDS = ["c", "numpy"]
DT = 1e-4
SPIKES = np.array([2.0, 9.0]) * 1e-3    # presynaptic spike times
DELAY = 1.5e-3


def _response(model, backend, target_equations="I_syn : amp\nv : volt", record="I_syn"):
    source = es.SpikeGeneratorGroup(1, [0, 0], SPIKES * second)
    target = es.NeuronGroup(2, target_equations)
    target.v = -60 * mV
    syn = es.Synapses(source, target, model, delay=DELAY * second)
    syn.connect(i=[0, 0], j=[0, 1])
    syn.w = syn.w * np.array([1.0, 2.0])   # the second synapse twice as strong
    mon = es.StateMonitor(target, record, record=True)
    es.Network(source, target, syn, mon, backend=backend).run(40 * ms)
    return mon.t_, getattr(mon, record + "_"), syn


def _superpose(kernel, t, lag=2 * DT):
    """The response to every spike, as a StateMonitor records it: the event changes
    the synapse in its arrival step, the sum of the next step reads it, and the
    monitor (in "start", before the sum) shows that sum one step later still, as in
    Brian2; a variable written by the event itself (``lag=DT``) shows one step after
    the arrival."""
    total = np.zeros_like(t)
    for spike in SPIKES:
        since = t - (spike + DELAY + lag)
        total += np.where(since >= -1e-12, kernel(np.maximum(since, 0.0)), 0.0)
    return total


@pytest.mark.parametrize("backend", BACKENDS)
def test_double_exponential_kernel(backend):
    model = kernels.DoubleExponential(w=300)
    t, current, _ = _response(model, backend)
    expected = _superpose(lambda s: 1e-12 * 300 * (np.exp(-s / 15e-3) - np.exp(-s / 3.75e-3)), t)
    np.testing.assert_allclose(current[0], expected, rtol=1e-10, atol=1e-24)
    np.testing.assert_allclose(current[1], 2 * expected, rtol=1e-10, atol=1e-24)
    peak = 15e-3 * 3.75e-3 / (15e-3 - 3.75e-3) * np.log(15e-3 / 3.75e-3)  # rise to the peak
    first = (t > SPIKES[0] + DELAY) & (t < SPIKES[1] + DELAY + 2.5 * DT)  # one kernel only
    assert abs(t[first][np.argmax(current[0][first])] - (SPIKES[0] + DELAY + 2 * DT + peak)) \
        < DT


@pytest.mark.parametrize("backend", BACKENDS)
def test_exponential_and_alpha_currents(backend):
    t, current, _ = _response(kernels.ExponentialCurrent(w=20 * pA, tau=4 * ms), backend)
    np.testing.assert_allclose(current[0], _superpose(lambda s: 20e-12 * np.exp(-s / 4e-3), t),
                               rtol=1e-10, atol=1e-24)
    t, current, _ = _response(kernels.AlphaCurrent(w=20 * pA, tau=3 * ms), backend)
    alpha = _superpose(lambda s: 20e-12 * (s / 3e-3) * np.exp(1 - s / 3e-3), t)
    np.testing.assert_allclose(current[0], alpha, rtol=1e-9, atol=1e-22)
    first = t < SPIKES[1] + DELAY
    assert current[0][first].max() == pytest.approx(20e-12, rel=1e-3)  # peaks at w


@pytest.mark.parametrize("backend", BACKENDS)
def test_exponential_conductance_drives_towards_its_reversal_potential(backend):
    model = kernels.ExponentialConductance(w=2 * nS, tau=5 * ms, E=0 * mV)
    t, current, _ = _response(model, backend)
    expected = _superpose(lambda s: 2e-9 * np.exp(-s / 5e-3) * (0.0 - (-0.060)), t)
    np.testing.assert_allclose(current[0], expected, rtol=1e-10, atol=1e-24)


@pytest.mark.parametrize("backend", BACKENDS)
def test_voltage_jump_with_delay(backend):
    t, v, _ = _response(kernels.VoltageJump(w=2 * mV), backend, record="v")
    expected = -0.060 + _superpose(lambda s: 2e-3 * np.ones_like(s), t, lag=DT)
    np.testing.assert_allclose(v[0], expected, rtol=0, atol=1e-15)


@pytest.mark.parametrize("name", sorted(models.synapse_catalogue()))
def test_every_built_in_synapse_model_builds_runs_and_prints(name):
    model = models.get(name)
    assert isinstance(model, models.SynapseModel) and model.citation
    text = str(model)
    assert model.equations.splitlines()[0] in text and "on_pre" in text
    inputs = es.PoissonGroup(20, 50 * es.units.Hz, seed=1)
    cells = es.NeuronGroup(3, """
        dv/dt = (-70*mV - v + 10*Mohm*I_syn)/(10*ms) + ge*(0*mV - v)/(10*ms) : volt
        dge/dt = -ge/(5*ms) : 1
        I_syn : amp
        """, threshold="v > -50*mV", reset="v = -70*mV", method="euler")
    cells.v = -70 * mV
    syn = es.Synapses(inputs, cells, model, delay=1 * ms)
    syn.connect()
    before = syn.w_.copy()
    es.Network(inputs, cells, syn, backend="numpy").run(50 * ms)
    assert np.all(np.isfinite(syn.w_)) and syn.N == 60
    if model.on_post is not None:          # a plastic rule: bounded weights
        bounds = [model.namespace.get("wmin", 0.0), model.namespace["wmax"]]
        bounds = [getattr(b, "magnitude", b) for b in bounds]
        assert np.all((syn.w_ >= bounds[0]) & (syn.w_ <= bounds[1]))
    else:
        np.testing.assert_array_equal(syn.w_, before)


def test_models_are_values_with_parameters():
    rule = models.stdp.PairAdditive(taupre=10 * ms)
    assert rule.namespace["taupre"] == 10 * ms and rule.name == "PairAdditive*"
    assert models.stdp.PairAdditive().namespace["taupre"] == 20 * ms   # unchanged
    assert models.get("Triplet:hippocampal").namespace["tau_y"] == 27 * ms
    assert "ge_post += w" in models.stdp.PairAdditive().on_pre
    assert "v_post += w" in models.stdp.PairAdditive(target="v", unit="volt").on_pre
    assert models.stdp.PairAdditive(target=None).on_pre.startswith("apre")
    assert "LIF" in models.catalogue() and "PairAdditive" not in models.catalogue()
