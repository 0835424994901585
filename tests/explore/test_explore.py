"""The explorer, driven headless from Python as a hand drives its sliders.

What a user relies on: sliders with units and ranges taken from the model; every move
re-runs the compiled module with the new values and never compiles (the compiler's own
counters say so); the trace, the f–I point and the phase plane follow the sliders and
agree with eqsnn's other tools (fixed_points, a plain network run).
"""
import numpy as np
import pytest

pytest.importorskip("ipywidgets")

import eqsnn as es  # noqa: E402
from eqsnn.compiler.stats import stats  # noqa: E402
from eqsnn.errors import InvalidValueError  # noqa: E402
from eqsnn.models import AdEx, Izhikevich, fixed_points  # noqa: E402
from eqsnn.units import mV, ms, pA  # noqa: E402


@pytest.fixture(scope="module")
def izhikevich():
    return es.explore(Izhikevich("RS"), duration=300 * ms, dt=0.1 * ms, fi_points=6)


def test_sliders_have_units_and_ranges_from_the_model():
    explorer = es.explore(AdEx("bursting"), duration=100 * ms, fi_points=0)
    sliders = explorer.sliders
    assert sliders["tau_w"].description == "tau_w (ms)"
    assert sliders["EL"].description == "EL (mV)"
    assert sliders["I"].description == "I (pA)"
    # a time constant spans its presets' values (Naud et al.: 16 to 300 ms) and more
    assert sliders["tau_w"].min <= 16 and sliders["tau_w"].max >= 300
    assert sliders["tau_w"].value == 120           # the preset's value
    assert sliders["DeltaT"].min > 0               # a slope factor never crosses zero
    assert sliders["I"].min == 0 and sliders["I"].max >= 3 * 210   # 3x the stimulus
    assert sliders["I"].value == 210


def test_moving_sliders_reruns_the_cached_module_and_never_compiles(izhikevich):
    before = stats.snapshot()
    png = izhikevich.png
    rates = []
    for current in (4.0, 10.0, 20.0):
        izhikevich.sliders["I"].value = current
        rates.append(izhikevich.result.rate)
    izhikevich.sliders["a"].value = 0.1            # a parameter, not only the input
    izhikevich.sliders["d"].value = 2.0
    assert stats.compilations == before.compilations
    assert stats.memory_hits + stats.disk_hits >= before.memory_hits + before.disk_hits + 5
    assert izhikevich.compilations == 0
    assert rates == sorted(rates) and rates[0] < rates[-1]
    assert izhikevich.png != png                   # the figure was redrawn
    assert izhikevich.latency["total_seconds"] > 0


def test_the_trace_is_what_a_plain_network_run_gives(izhikevich):
    izhikevich.set(I=10.0, a=0.02, d=8.0)
    cells = Izhikevich("RS").group(1)
    cells.I = 10 * mV
    spikes = es.SpikeMonitor(cells)
    es.Network(cells, spikes, dt=0.1 * ms).run(300 * ms)
    np.testing.assert_allclose(izhikevich.result.spikes, spikes.t_ * 1e3)
    # the f–I point lies on the f–I curve: the curve's last input is the slider's top
    izhikevich.set(I=izhikevich.sliders["I"].max)
    assert izhikevich.result.rate == izhikevich.result.fi_rates[-1]


def test_phase_plane_fixed_points_agree_with_the_analysis(izhikevich):
    izhikevich.set(I=0.0, a=0.02, d=8.0)
    expected = fixed_points(Izhikevich("RS"), I=0 * mV)
    found = izhikevich.fixed_points
    assert [p.stability for p in found] == [p.stability for p in expected] == ["stable node", "saddle"]
    for point, want in zip(found, expected):
        assert point.x == pytest.approx(want.state["v"].to("volt").magnitude, rel=1e-6)
        assert point.y == pytest.approx(want.state["u"].to("volt").magnitude, rel=1e-6)
    izhikevich.set(I=10.0)                          # above rheobase: no fixed point left
    assert izhikevich.fixed_points == []


def test_a_group_can_be_explored():
    group = es.NeuronGroup(3, "dv/dt = (E_L - v + R_m*I)/tau_m : volt\nI : amp",
                           threshold="v > -50*mV", reset="v = E_L", method="exact",
                           namespace={"E_L": -65 * mV, "R_m": 100e6 * es.units.ohm,
                                      "tau_m": 10 * ms})
    group.v = -65 * mV
    group.I = 200 * pA
    explorer = es.explore(group, duration=100 * ms, fi_points=4)
    assert set(explorer.sliders) == {"E_L", "R_m", "tau_m", "I"}
    assert explorer.result.rate > 0 and explorer.fixed_points == []


def test_an_unknown_slider_is_an_error_naming_the_sliders(izhikevich):
    with pytest.raises(InvalidValueError, match="(?s)no slider 'tau'.*sliders are a, b, c, d"):
        izhikevich.set(tau=3)
