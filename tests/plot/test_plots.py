"""eqsnn.plot draws what it says: the artists carry the data, units and labels."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.quiver import Quiver  # noqa: E402

import eqsnn as es  # noqa: E402
from eqsnn import plot  # noqa: E402
from eqsnn.models import FitzHughNagumo, Izhikevich, LIF, fi_curve, fixed_points  # noqa: E402
from eqsnn.units import mV, ms, nA, pA  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def lif_run():
    """Five LIF neurons with different inputs, spikes, voltage and rate recorded."""
    group = es.NeuronGroup(
        5, "dv/dt = (-70*mV - v + 10*Mohm*I)/(10*ms) : volt\nI : amp",
        threshold="v > -55*mV", reset="v = -70*mV", method="exact")
    group.v = -70 * mV
    group.I = "1.6*nA + 0.3*nA*i"
    spikes, rate = es.SpikeMonitor(group), es.PopulationRateMonitor(group)
    trace = es.StateMonitor(group, ["v", "I"], record=[0, 4])
    es.Network(group, spikes, rate, trace, dt=0.1 * ms).run(100 * ms)
    return group, spikes, rate, trace


def test_raster_colours_populations_and_keeps_the_spikes(lif_run):
    _, spikes, _, _ = lif_run
    ax = plot.raster(spikes, populations={"slow": 2, "fast": 3})
    slow, fast = ax.get_lines()
    assert slow.get_label() == "slow" and fast.get_label() == "fast"
    assert slow.get_color() != fast.get_color()
    assert set(slow.get_ydata()) <= {0, 1} and set(fast.get_ydata()) <= {2, 3, 4}
    assert len(slow.get_xdata()) + len(fast.get_xdata()) == spikes.num_spikes
    np.testing.assert_allclose(np.sort(np.r_[slow.get_xdata(), fast.get_xdata()]),
                               np.sort(spikes.t_ * 1e3))
    assert ax.get_xlabel() == "time (ms)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["slow", "fast"]


def test_raster_of_several_monitors_stacks_them(lif_run):
    group, spikes, _, _ = lif_run
    ax = plot.raster({"a": spikes, "b": spikes})
    a, b = ax.get_lines()
    np.testing.assert_array_equal(np.asarray(b.get_ydata()), np.asarray(a.get_ydata()) + 5)


def test_raster_of_one_population_is_black_without_legend(lif_run):
    ax = plot.raster(lif_run[1])
    assert len(ax.get_lines()) == 1 and ax.get_legend() is None
    assert matplotlib.colors.to_hex(ax.get_lines()[0].get_color()) == "#000000"


def test_trace_puts_units_on_the_axis(lif_run):
    _, _, _, trace = lif_run
    ax = plot.trace(trace, "v", [0, 1], label=["slow", "fast"])
    assert ax.get_ylabel() == "v (mV)"
    lines = ax.get_lines()
    np.testing.assert_allclose(lines[1].get_ydata(), trace.v_[1] * 1e3)
    np.testing.assert_allclose(lines[0].get_xdata(), trace.t_ * 1e3)
    current = plot.trace(trace, "I", 1)
    assert current.get_ylabel() == "I (nA)"
    np.testing.assert_allclose(current.get_lines()[0].get_ydata(), 2.8)
    assert plot.trace(trace, "I", 1, unit="pA").get_ylabel() == "I (pA)"


def test_rate_is_smoothed_population_rate(lif_run):
    _, spikes, rate, _ = lif_run
    raw = plot.rate(rate, width=0 * ms).get_lines()[0]
    # the integral of the rate over time is the spike count per neuron
    total = np.sum(raw.get_ydata()) * 0.1e-3 * 5
    assert total == pytest.approx(spikes.num_spikes)
    smooth = plot.rate(rate, width=10 * ms)
    assert smooth.get_ylabel() == "rate (Hz)"
    assert np.max(smooth.get_lines()[0].get_ydata()) < np.max(raw.get_ydata())


def test_weights_histogram_counts_every_weight():
    values = np.random.default_rng(1).uniform(0, 0.5, 300) * mV
    ax = plot.weights(values, bins=10)
    assert ax.get_xlabel() == "weight w (mV)"
    assert sum(p.get_height() for p in ax.patches) == 300


def test_weight_over_time_draws_mean_and_spread():
    t = np.linspace(0, 1, 11)
    w = np.vstack([t, 3 * t]) * nA
    ax = plot.weight_over_time((t, w), individual=2)
    mean = next(line for line in ax.get_lines() if line.get_label() == "mean")
    np.testing.assert_allclose(mean.get_ydata(), 2 * t)
    np.testing.assert_allclose(mean.get_xdata(), t * 1e3)
    assert len(ax.collections) == 1  # the ±1 sd band
    assert ax.get_ylabel() == "weight w (nA)"
    with pytest.raises(es.errors.InvalidValueError, match="11 weight samples for 3 times"):
        plot.weight_over_time((t[:3], w))


def test_phase_plane_fitzhugh_nagumo():
    model = FitzHughNagumo()
    ax = plot.phase_plane(model, I=0.0, trajectories=[{"v": -2.0, "w": 0.5}],
                          duration=100 * ms)
    labels = [line.get_label() for line in ax.get_lines()]
    assert "dv/dt = 0" in labels and "dw/dt = 0" in labels
    v_null = next(line for line in ax.get_lines() if line.get_label() == "dv/dt = 0")
    v, w = v_null.get_xdata(), v_null.get_ydata()
    np.testing.assert_allclose(w, v - v ** 3 / 3, atol=1e-12)   # the cubic, I = 0
    assert any(isinstance(c, Quiver) for c in ax.collections)
    # the single fixed point, stable at I = 0, drawn filled
    (point,) = fixed_points(model, I=0.0)
    marker = next(line for line in ax.get_lines() if line.get_label() == point.stability)
    assert marker.get_xdata()[0] == pytest.approx(point.state["v"])
    assert matplotlib.colors.to_hex(marker.get_markerfacecolor()) == "#000000"
    # the trajectory starts where asked and ends near the stable point
    (path,) = [line for line in ax.get_lines() if line.get_gid() == "trajectory"]
    assert path.get_xdata()[0] == pytest.approx(-2.0)
    assert path.get_xdata()[-1] == pytest.approx(point.state["v"], abs=0.05)
    assert ax.get_xlabel() == "v" and ax.get_ylabel() == "w"


def test_phase_plane_izhikevich_in_millivolts_with_resets():
    model = Izhikevich("RS")
    ax = plot.phase_plane(model, I=10 * mV, x_range=(-80 * mV, 40 * mV),
                          y_range=(-20 * mV, 10 * mV),
                          trajectories=[{"v": -70 * mV, "u": -14 * mV}], duration=100 * ms)
    assert ax.get_xlabel() == "v (mV)" and ax.get_ylabel() == "u (mV)"
    assert ax.get_xlim() == pytest.approx((-80, 40))
    # u-nullcline is u = b v
    u_null = next(line for line in ax.get_lines() if line.get_label() == "du/dt = 0")
    np.testing.assert_allclose(u_null.get_ydata(), 0.2 * u_null.get_xdata(), rtol=1e-9)
    # at I = 10 the RS cell fires: the trajectory is cut at each reset to c = -65 mV
    paths = [line for line in ax.get_lines() if line.get_gid() == "trajectory"]
    assert len(paths) >= 3
    for later in paths[1:]:
        assert later.get_xdata()[0] == pytest.approx(-65, abs=1.5)
    assert not any(line.get_label() in ("stable focus", "stable node") for line in ax.get_lines())


def test_phase_plane_refuses_models_that_are_not_two_dimensional():
    with pytest.raises(es.errors.InvalidValueError, match="two differential variables"):
        plot.phase_plane(LIF())


def test_fi_curve_plots_rates_against_input():
    model = LIF()
    currents = np.linspace(0, 6, 7) * nA
    curve = fi_curve(model, currents, 200 * ms)
    ax = plot.fi_curve(curve)
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_xdata(), currents.magnitude)
    np.testing.assert_allclose(line.get_ydata(), curve.rates.to("Hz").magnitude)
    assert ax.get_xlabel() == "input (nA)" and ax.get_ylabel() == "rate (Hz)"
    assert line.get_ydata()[0] == 0 and line.get_ydata()[-1] > 0
    assert plot.fi_curve(curve, steady=True).get_ylabel() == "steady rate (Hz)"


def test_every_function_draws_into_the_axes_it_is_given(lif_run):
    _, spikes, rate, trace = lif_run
    figure, axes = plt.subplots(3)
    assert plot.raster(spikes, axes[0]) is axes[0]
    assert plot.rate(rate, axes[1]) is axes[1]
    assert plot.trace(trace, "v", 0, axes[2]) is axes[2]
