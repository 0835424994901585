"""f–I curves: fi_curve itself, the LIF curve against its closed form, and the
Hodgkin–Huxley rheobase and class II onset against an independent scipy integration."""
import functools

import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.models import LIF, HodgkinHuxley, Model, fi_curve, fixed_points, lif_rate
from eqsnn.units import cm2, mV, ms, nA, uA

from spike_trains import BACKENDS


# --- fi_curve ---------------------------------------------------------------------------
def test_fi_curve_runs_every_current_in_one_network(monkeypatch):
    runs = []
    original = es.Network.run

    def counting(self, *args, **kwargs):
        runs.append([obj for obj in self.objects if hasattr(obj, "N")])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(es.Network, "run", counting)
    currents = np.linspace(1.5, 3.0, 7) * nA
    curve = fi_curve(LIF(), currents, 100 * ms, transient=20 * ms, backend="numpy")
    assert len(runs) == 1 and [g.N for g in runs[0]] == [7]
    assert curve.currents is currents
    assert str(curve.rates.units) == "hertz" and str(curve.isi_rates.units) == "hertz"
    # Counted after the transient only, and every neuron's train is its own.
    for k, train in curve.spike_trains.items():
        assert curve.counts[k] == np.count_nonzero(train >= 0.020)
        assert np.all(np.diff(train) > 0)
    np.testing.assert_allclose(curve.rates.magnitude, curve.counts / 0.080)
    # Below 2 nA the cell cannot reach threshold (R I < 20 mV); above, the rate grows.
    fires = curve.isi_rates.magnitude > 0
    np.testing.assert_array_equal(fires, currents.to("nA").magnitude > 2)
    assert np.all(curve.counts[~fires] == 0)
    assert np.all(np.diff(curve.isi_rates.magnitude[fires]) > 0)


def test_fi_curve_refuses_a_model_without_input_and_a_too_long_transient():
    silent = Model(name="decay", equations="dv/dt = -v/(10*ms) : volt", threshold=None,
                   reset=None, refractory=None, namespace={}, initial={"v": 0 * mV})
    with pytest.raises(InvalidValueError, match="'decay' declares no 'I'"):
        fi_curve(silent, [1.0] * nA)
    with pytest.raises(InvalidValueError, match=r"transient \(100 ms\) must be shorter"):
        fi_curve(LIF(), [1.0] * nA, 100 * ms, transient=100 * ms)


# --- LIF: the closed form -----------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("form", ["tau", "capacitance"])
def test_lif_fi_curve_matches_the_closed_form(backend, form):
    # rate = 1/(t_ref + tau ln((R I)/(R I - (V_th - E_L)))) with the reset at E_L. The
    # exact update has no integration error; what remains is that spikes, resets and
    # the end of the refractory period happen on the step grid, so the simulated period
    # is a whole number of steps: within one step of the true one (measured: up to
    # one step shorter, as the refractory clock starts at the step where v crossed).
    model = LIF(form=form)
    dt = 0.05e-3
    currents = np.linspace(0, 4, 17) * nA
    curve = fi_curve(model, currents, 300 * ms, dt=dt * 1e3 * ms, backend=backend)
    expected = lif_rate(model, currents).magnitude
    simulated = curve.isi_rates.magnitude
    fires = expected > 0
    assert 5 <= fires.sum() <= 14  # the sweep straddles the threshold current
    np.testing.assert_array_equal(simulated[~fires], 0)
    lag = 1 / simulated[fires] - 1 / expected[fires]
    assert np.all(np.abs(lag) < dt + 1e-9)


def test_lif_closed_form_has_the_textbook_shape():
    model = LIF()  # R = 10 MOhm, threshold 20 mV above rest: threshold current 2 nA
    rates = lif_rate(model, [1.99, 2.0, 2.001, 2.1, 1000] * nA).magnitude
    assert rates[0] == 0 and rates[1] == 0
    assert 0 < rates[2] < 15  # class I: the rate starts from zero (log divergence)
    assert rates[3] < rates[4] < 1 / 2e-3  # capped by the 2 ms refractory period
    assert rates[4] == pytest.approx(1 / 2e-3, rel=0.01)


# --- Hodgkin–Huxley: rheobase and class II onset -------------------------------------------
HH_CURRENTS = np.round(np.arange(0.0, 12.01, 0.1), 2)  # uA/cm²


def _hh_rhs(t, y, current):
    """The 1952 equations typed independently (mV, ms, textbook singular rates)."""
    v, m, h, n = y
    am = 0.1 * (v + 40) / (1 - np.exp(-(v + 40) / 10))
    bm = 4 * np.exp(-(v + 65) / 18)
    ah = 0.07 * np.exp(-(v + 65) / 20)
    bh = 1 / (1 + np.exp(-(v + 35) / 10))
    an = 0.01 * (v + 55) / (1 - np.exp(-(v + 55) / 10))
    bn = 0.125 * np.exp(-(v + 65) / 80)
    dv = current - 120 * m**3 * h * (v - 50) - 36 * n**4 * (v + 77) - 0.3 * (v + 55)
    return [dv, am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n]


@functools.lru_cache(maxsize=None)  # shared by both backends' tests
def _hh_spikes_scipy(current, rest, duration=300.0):
    """Upward crossings of -20 mV (ms) from rest under a step, by solve_ivp."""
    from scipy.integrate import solve_ivp
    t = np.arange(0, duration, 0.01)
    sol = solve_ivp(_hh_rhs, (0, duration), list(rest), args=(current,), t_eval=t,
                    rtol=1e-8, atol=1e-10, max_step=0.1)
    v = sol.y[0]
    return t[1:][(v[:-1] <= -20) & (v[1:] > -20)]


@pytest.fixture(scope="module", params=BACKENDS)
def hh_curve(request):
    return fi_curve(HodgkinHuxley(), HH_CURRENTS * uA / cm2, 300 * ms, transient=100 * ms,
                    dt=0.025 * ms, backend=request.param)


def _threshold_index(fires):
    """Index of the first current that fires, checking that all larger ones fire too."""
    first = int(np.argmax(fires))
    assert fires[first] and np.all(fires[first:]) and not np.any(fires[:first])
    return first


def test_hh_rheobase_for_a_long_step_agrees_with_scipy(hh_curve):
    model = HodgkinHuxley()
    state = model.resting_state()
    rest = (float(state["v"].to("mV").magnitude),) + tuple(float(state[g]) for g in "mhn")
    any_spike = np.array([len(train) > 0 for train in hh_curve.spike_trains.values()])
    # Sustained firing: spikes all through the last 200 ms of the step.
    repetitive = hh_curve.counts >= 5
    first, sustained = _threshold_index(any_spike), _threshold_index(repetitive)
    # Measured with eqsnn: one onset spike from 2.3 uA/cm², repetitive firing from 6.5.
    assert 2.0 <= HH_CURRENTS[first] <= 2.6
    assert 6.0 <= HH_CURRENTS[sustained] <= 7.0
    # scipy agrees to the 0.1 uA/cm² resolution of the sweep on both thresholds.
    below, at = HH_CURRENTS[first - 1], HH_CURRENTS[first]
    assert len(_hh_spikes_scipy(below, rest, 50.0)) == 0
    assert len(_hh_spikes_scipy(at, rest, 50.0)) == 1
    below, at = HH_CURRENTS[sustained - 1], HH_CURRENTS[sustained]
    assert np.count_nonzero(_hh_spikes_scipy(below, rest) > 100) == 0
    assert np.count_nonzero(_hh_spikes_scipy(at, rest) > 100) >= 5


def test_hh_fi_curve_jumps_to_a_non_zero_rate_class_ii(hh_curve):
    rates = hh_curve.isi_rates.to("Hz").magnitude
    onset = _threshold_index(hh_curve.counts >= 5)
    # Class II: no low rates at all; the first sustained rate is already ~50 Hz, and the
    # curve is shallow above it (measured 52 Hz at 6.5, 69 Hz at 12 uA/cm²).
    assert rates[onset] > 40
    assert np.all(np.diff(rates[onset:]) > -1.0)
    assert rates[-1] < 1.6 * rates[onset]


def test_hh_rest_stays_stable_past_the_onset_of_firing():
    # Bistability: at the firing threshold (~6.4 uA/cm²) the resting state is still
    # stable (the limit cycle is born in a fold of cycles, not from the rest), and rest
    # only loses stability near 9.8 uA/cm² (subcritical Hopf): the class II signature.
    model = HodgkinHuxley()
    stability = {current: fixed_points(model, I=current * uA / cm2)[0]
                 for current in (6.5, 9.5, 10.0)}
    assert stability[6.5].stable and stability[9.5].stable
    assert stability[10.0].stability == "saddle-focus"
    unstable = stability[10.0].eigenvalues
    assert np.any((unstable.real > 0) & (unstable.imag != 0))  # a complex pair crossed
