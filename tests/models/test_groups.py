"""model.group(N): groups start where the model says, and the computed rest really is one."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn import models
from eqsnn.errors import InvalidValueError
from eqsnn.models import AdEx
from eqsnn.units import mV, ms, pA

from spike_trains import BACKENDS

FAMILIES = [name for name in models.catalogue() if ":" not in name]


# Traub-Miles (COBAHH values) has no stable rest: it fires on its own, tested below.
RESTING = [name for name in FAMILIES if name != "TraubMiles"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", RESTING)
def test_groups_start_at_rest_and_stay_there_without_input(name, backend):
    # Variables without an initial value start at the resting state computed with SymPy
    # (model.resting_state); simulating 50 ms without input must not move them, which
    # checks the steady state against the very update the group integrates.
    model = models.get(name)
    group = model.group(3)
    start = {var: getattr(group, var + "_").copy() for var in model.state_variables}
    rest = model.resting_state()
    for var in model.state_variables:
        if var not in model.initial:
            np.testing.assert_allclose(start[var], es.units.to_si(rest[var])[0], rtol=1e-12)
    spikes = es.SpikeMonitor(group)
    dt = 0.01 * ms if name == "FitzHughNagumo" else 0.1 * ms
    es.Network(group, spikes, dt=dt, backend=backend).run(50 * ms)
    assert spikes.num_spikes == 0
    for var in model.state_variables:
        scale = max(np.max(np.abs(start[var])), 1e-3)
        # AdEx starts at (EL, 0), within a microvolt of its rest (see its docstring).
        tolerance = 1e-6 if model.family == "AdEx" else 1e-9
        np.testing.assert_allclose(getattr(group, var + "_"), start[var],
                                   atol=tolerance * scale, err_msg=var)


def test_a_cell_without_resting_state_still_builds_a_group():
    # delayed_bursting has a = -gL: the steady-state equation gL*DeltaT*exp(...) = 0 has
    # no solution. The group starts at (EL, 0) as in Naud et al.; asking for the rest is
    # a clear error, not a wrong number.
    model = AdEx("delayed_bursting")
    group = model.group(2)
    np.testing.assert_allclose(group.v_, -0.065)
    np.testing.assert_allclose(group.w_, 0)
    assert models.fixed_points(model) == []
    with pytest.raises(InvalidValueError, match="no stable resting state"):
        model.resting_state()


def test_initial_values_and_overrides_reach_the_group():
    lif = models.LIF(El=-60 * mV)  # v starts at "El", a string evaluated per neuron
    np.testing.assert_allclose(lif.group(2).v_, -0.060)
    tonic = AdEx("tonic").with_parameters(I=100 * pA)  # a per-neuron parameter
    np.testing.assert_allclose(tonic.group(2).I_, 100e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_traub_miles_fires_without_input_as_its_fixed_points_predict(backend):
    model = models.TraubMiles()
    points = models.fixed_points(model)
    assert len(points) == 1 and not points[0].stable
    with pytest.raises(InvalidValueError, match="no stable resting state"):
        model.resting_state()
    group = model.group(1)  # starts at El, gates at their steady state there
    np.testing.assert_allclose(group.v_, -0.060)
    assert 0 < group.m_[0] < 0.1 and group.h_[0] > 0.9
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes, dt=0.025 * ms, backend=backend).run(300 * ms)
    rate = 1000 / np.mean(np.diff(spikes.t_ * 1e3))
    assert 10 < rate < 20  # measured 14 Hz


def test_a_neurongroup_of_a_built_in_model_starts_where_the_model_says():
    """NeuronGroup(N, model) and model.group(N) are the same: HH starts at rest, not at
    v = 0 (which would fire a spike at t = 0)."""
    import eqsnn as es
    from eqsnn.models import HodgkinHuxley
    from eqsnn.units import ms
    model = HodgkinHuxley()
    group = es.NeuronGroup(3, model)
    rest = model.resting_state(I=0 * model.stimulus)
    np.testing.assert_allclose(group.v_, rest["v"].to("volt").magnitude, rtol=1e-9)
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes, dt=0.01 * ms, backend="numpy").run(5 * ms)
    assert spikes.num_spikes == 0
