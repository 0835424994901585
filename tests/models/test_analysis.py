"""Steady states, stability, Jacobians and nullclines, checked against closed forms and
independent numerical solutions (scipy on hand-written equations)."""
import numpy as np
import pytest
import sympy

from eqsnn import models
from eqsnn.errors import InvalidValueError
from eqsnn.models import LIF, AdEx, FitzHughNagumo, HodgkinHuxley, Izhikevich
from eqsnn.models.analysis import fixed_points, jacobian, resting_state
from eqsnn.models.phase_plane import nullclines
from eqsnn.units import mV, nA, pA, uA, cm2

pytest.importorskip("eqsnn.equations", reason="needs the parser")
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@pytest.mark.parametrize("name", list(models.catalogue()))
def test_every_model_parses(name):
    model = models.get(name)
    equations = model.parsed()
    assert list(equations.differential) == list(model.state_variables)
    assert set(equations.parameters) == set(model.parameter_names)


def test_lif_rests_at_el_and_moves_by_r_times_i():
    assert resting_state(LIF())["v"].to("mV").magnitude == pytest.approx(-70)
    rest = LIF().resting_state(I=0.5 * nA)
    assert rest["v"].to("mV").magnitude == pytest.approx(-65)
    capacitance = LIF(form="capacitance", El=-60 * mV)
    assert capacitance.resting_state()["v"].to("mV").magnitude == pytest.approx(-60)
    conductance = LIF(synapses="conductance").resting_state()
    assert conductance["ge"] == 0 and conductance["gi"] == 0


def _hh_rest_independent(E_l=-55.0):
    """The 1952 squid axon's resting potential from a scipy root of the current balance,
    with the rate functions typed in their textbook (singular) form, mV and ms."""
    from scipy.optimize import brentq

    def gates(v):
        am = 0.1 * (v + 40) / (1 - np.exp(-(v + 40) / 10))
        bm = 4 * np.exp(-(v + 65) / 18)
        ah = 0.07 * np.exp(-(v + 65) / 20)
        bh = 1 / (1 + np.exp(-(v + 35) / 10))
        an = 0.01 * (v + 55) / (1 - np.exp(-(v + 55) / 10))
        bn = 0.125 * np.exp(-(v + 65) / 80)
        return am / (am + bm), ah / (ah + bh), an / (an + bn)

    def current(v):
        m, h, n = gates(v)
        return 120 * m**3 * h * (v - 50) + 36 * n**4 * (v + 77) + 0.3 * (v - E_l)

    v = brentq(current, -80.3, -50.3, xtol=1e-12)  # brackets avoid the 0/0 points
    return v, gates(v)


def test_hodgkin_huxley_rest_matches_an_independent_scipy_solve():
    rest = HodgkinHuxley().resting_state()
    v, (m, h, n) = _hh_rest_independent()
    assert rest["v"].to("mV").magnitude == pytest.approx(v, abs=1e-6)
    assert -66.5 < v < -64.5  # the textbook squid axon rests near -65 mV
    assert (rest["m"], rest["h"], rest["n"]) == pytest.approx((m, h, n), rel=1e-6)


def test_hodgkin_huxley_rest_is_stable_and_unique():
    points = fixed_points(HodgkinHuxley())
    assert len(points) == 1 and points[0].stable


def test_hh_rate_functions_are_finite_at_their_removable_singularities():
    from eqsnn.equations.symbols import symbol
    from eqsnn.models.analysis import _numeric
    eqs = HodgkinHuxley().parsed()
    v = symbol("v")
    for name, at, expected in [("alpha_m", -0.040, 1000.0), ("alpha_n", -0.055, 100.0)]:
        expr = eqs.substitute(symbol(name)).subs({symbol("mV"): 1e-3, symbol("ms"): 1e-3})
        value = float(_numeric(expr, v)(at))
        assert value == pytest.approx(expected, rel=1e-12), name


def _fhn_cardano(a, b, current):
    """Cardano's formula for v - v**3/3 - (v + a)/b + I = 0 (one real root)."""
    p = -3 * (1 - 1 / b)
    q = -3 * (current - a / b)
    disc = (q / 2) ** 2 + (p / 3) ** 3
    assert disc > 0
    v = np.cbrt(-q / 2 + np.sqrt(disc)) + np.cbrt(-q / 2 - np.sqrt(disc))
    return v, (v + a) / b


@pytest.mark.parametrize("current, stability", [(0.0, "stable focus"),
                                                (0.5, "unstable focus")])
def test_fitzhugh_nagumo_fixed_point_matches_cardano(current, stability):
    points = fixed_points(FitzHughNagumo(), I=current)
    assert len(points) == 1
    v, w = _fhn_cardano(0.7, 0.8, current)
    assert points[0].state["v"] == pytest.approx(v, abs=1e-12)
    assert points[0].state["w"] == pytest.approx(w, abs=1e-12)
    assert points[0].stability == stability


def test_fitzhugh_nagumo_rest_is_the_classic_value():
    rest = FitzHughNagumo().resting_state()
    assert rest["v"] == pytest.approx(-1.19941, abs=1e-5)
    assert rest["w"] == pytest.approx(-0.62426, abs=1e-5)


@pytest.mark.parametrize("preset", ["RS", "LTS", "RZ"])
def test_izhikevich_fixed_points_match_the_quadratic_formula(preset):
    model = Izhikevich(preset)
    b = model.namespace["b"]
    # 0.04 v² + (5 - b) v + 140 + I = 0 in mV, with I = 0.
    disc = (5 - b) ** 2 - 4 * 0.04 * 140
    roots = sorted([(-(5 - b) - np.sqrt(disc)) / 0.08, (-(5 - b) + np.sqrt(disc)) / 0.08])
    points = fixed_points(model)
    found = [p.state["v"].to("mV").magnitude for p in points]
    assert found == pytest.approx(roots, abs=1e-9)
    for point, v in zip(points, roots):
        assert point.state["u"].to("mV").magnitude == pytest.approx(b * v, abs=1e-9)
    # The upper root, where the v-nullcline's slope exceeds the u-nullcline's, is a saddle.
    assert points[1].stability == "saddle"
    assert points[0].stable
    assert resting_state(model)["v"].to("mV").magnitude == pytest.approx(roots[0])


def test_izhikevich_has_no_resting_state_above_rheobase():
    with pytest.raises(InvalidValueError) as info:
        Izhikevich("RS").resting_state(I=10 * mV)
    assert "has no stable resting state" in str(info.value)
    assert "lower the input" in str(info.value)


def test_adex_has_a_stable_rest_and_a_saddle_below_rheobase():
    model = AdEx("tonic")
    points = fixed_points(model)
    # tau_m = 20 ms, tau_w = 30 ms, a = 2 nS: (trace/2)² < det, so the rest is a focus
    # (damped subthreshold oscillation), as for Naud's tonic set.
    assert [p.stability for p in points] == ["stable focus", "saddle"]
    # The rest sits just above EL (the exponential term depolarises it slightly) and the
    # saddle just above VT.
    v_rest, v_saddle = (p.state["v"].to("mV").magnitude for p in points)
    assert -70 < v_rest < -69.5 and -50 < v_saddle < -40
    w_rest = points[0].state["w"].to("pA").magnitude
    assert w_rest == pytest.approx(2 * (v_rest + 70), rel=1e-9)  # w = a (v - EL)
    assert fixed_points(model, I=model.stimulus) == []


def test_jacobian_is_symbolic_and_right_for_fitzhugh_nagumo():
    names, J = jacobian(FitzHughNagumo())
    s = {n: sympy.Symbol(n, real=True) for n in ["v", "w", "tau", "tau_w", "b"]}
    assert names == ["v", "w"]
    assert sympy.simplify(J[0, 0] - (1 - s["v"] ** 2) / s["tau"]) == 0
    assert sympy.simplify(J[0, 1] + 1 / s["tau"]) == 0
    assert sympy.simplify(J[1, 1] + s["b"] / s["tau_w"]) == 0


def test_nullclines_of_fitzhugh_nagumo_cross_at_the_fixed_point():
    lines = nullclines(FitzHughNagumo(), "v", "w", (-2.5, 2.5), n=501, I=0.3)
    v = lines.x
    np.testing.assert_allclose(lines.x_nullcline[0], v - v**3 / 3 + 0.3, atol=1e-12)
    np.testing.assert_allclose(lines.y_nullcline[0], (v + 0.7) / 0.8, atol=1e-12)
    gap = lines.x_nullcline[0] - lines.y_nullcline[0]
    crossing = v[np.argmin(np.abs(gap))]
    assert crossing == pytest.approx(fixed_points(FitzHughNagumo(), I=0.3)[0].state["v"],
                                     abs=0.01)


def test_nullclines_of_izhikevich_and_adex_have_units():
    lines = nullclines(Izhikevich("RS"), "v", "u", (-80 * mV, -40 * mV), n=5)
    v = lines.x.to("mV").magnitude
    np.testing.assert_allclose(lines.x_nullcline[0].to("mV").magnitude,
                               0.04 * v**2 + 5 * v + 140, rtol=1e-12)
    np.testing.assert_allclose(lines.y_nullcline[0].to("mV").magnitude, 0.2 * v, rtol=1e-12)
    adex = nullclines(AdEx("adapting"), "v", "w", (-70 * mV, -45 * mV), n=3, I=100 * pA)
    assert str(adex.y_nullcline[0].units) == "ampere"
    np.testing.assert_allclose(adex.y_nullcline[0].to("nA").magnitude,
                               2e-3 * (np.array([-70, -57.5, -45]) + 70), atol=1e-12)


def test_nullclines_reject_a_variable_the_model_lacks():
    with pytest.raises(InvalidValueError, match="did you mean 'w'"):
        nullclines(AdEx(), "v", "ww")


def test_hh_rest_with_input_moves_up():
    rest0 = HodgkinHuxley().resting_state()["v"]
    rest1 = HodgkinHuxley().resting_state(I=2 * uA / cm2)["v"]
    assert 0 < (rest1 - rest0).to("mV").magnitude < 5
