"""``exact``: closed forms, complex eigenvalues, degenerate time constants, refusals."""
from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg
import sympy

from eqsnn.equations.symbols import DT, symbol
from eqsnn.errors import UnsupportedEquationsError
from eqsnn.integrators import OdeSystem, integrate

from stepper import Stepper

LIF = OdeSystem.from_rhs({"v": "(El - v + R*I)/tau"})
PARAMS = {"El": -0.07, "R": 1e7, "I": 2.5e-9, "tau": 0.01}


def test_lif_with_constant_input_matches_the_closed_form():
    stepper = Stepper(integrate(LIF, "exact").statements)
    v0, dt, n = -0.07, 1e-4, 250
    state = stepper.run({"v": v0, **PARAMS}, n * dt, n)
    v_inf = PARAMS["El"] + PARAMS["R"] * PARAMS["I"]
    want = v_inf + (v0 - v_inf) * math.exp(-n * dt / PARAMS["tau"])
    assert abs(state["v"] - want) < 1e-12


def test_exact_evaluates_exp_once():
    statements = integrate(LIF, "exact").statements
    calls = [e for s in statements for e in s.rhs.atoms(sympy.exp)]
    assert len(calls) == 1


def test_spiral_with_symbolic_parameters_is_real_and_exact():
    system = OdeSystem.from_rhs({"x": "a*x - w*y + c", "y": "w*x + a*y"})
    statements = integrate(system, "exact").statements
    assert not any(s.rhs.has(sympy.I) for s in statements)
    values = {"a": -0.2, "w": 3.0, "c": 0.7}
    stepper = Stepper(statements)
    got = stepper.run({"x": 1.0, "y": -0.5, **values}, 1.3, 7)
    M = np.array([[-0.2, -3.0, 0.7], [3.0, -0.2, 0.0], [0, 0, 0]])
    want = scipy.linalg.expm(M * 1.3) @ [1.0, -0.5, 1.0]
    assert np.allclose([got["x"], got["y"]], want[:2], rtol=0, atol=1e-12)


LIF_SYN = OdeSystem.from_rhs({"v": "(El - v + R*I_s)/tau_m", "I_s": "-I_s/tau_s"})


@pytest.mark.parametrize("tau_s", [0.005, 0.01, 0.01 * (1 + 1e-9)])
def test_lif_with_synaptic_current_including_tau_m_equal_tau_s(tau_s):
    # The propagator is written with exprel, so tau_m == tau_s at run time (the
    # degenerate, repeated-eigenvalue case) gives the limit t*exp(-t/tau), not 0/0.
    statements = integrate(LIF_SYN, "exact").statements
    assert any(s.rhs.has(symbol("tau_s")) for s in statements)
    values = {"El": 0.0, "R": 1.0, "tau_m": 0.01, "tau_s": tau_s}
    got = Stepper(statements).run({"v": 0.0, "I_s": 1.0, **values}, 0.02, 20)
    M = np.array([[-1 / 0.01, 1 / 0.01], [0.0, -1 / tau_s]])
    want = scipy.linalg.expm(M * 0.02) @ [0.0, 1.0]
    assert np.isfinite(got["v"])
    assert abs(got["v"] - want[0]) < 1e-12 and abs(got["I_s"] - want[1]) < 1e-12


def test_same_time_constant_symbol_gives_the_confluent_form():
    system = OdeSystem.from_rhs({"v": "(g - v)/tau", "g": "-g/tau"})
    got = Stepper(integrate(system, "exact").statements).run(
        {"v": 0.0, "g": 1.0, "tau": 0.5}, 1.0, 3)
    assert abs(got["v"] - 1.0 / 0.5 * math.exp(-2.0)) < 1e-12


def test_nonlinear_term_is_named():
    system = OdeSystem.from_rhs({"v": "(0.04*v**2 + 5*v + 140 - u + I)", "u": "a*(b*v - u)"})
    with pytest.raises(UnsupportedEquationsError) as info:
        integrate(system, "exact")
    message = str(info.value)
    assert "equation for v is not linear" in message and "0.04*v**2" in message
    assert "exponential_euler" in message  # the hint


def test_state_dependent_coefficient_is_named():
    system = OdeSystem.from_rhs({"v": "g*(E - v)", "g": "-g/tau"})
    with pytest.raises(UnsupportedEquationsError, match=r"term g\*\(E - v\)|term.*g"):
        integrate(system, "exact")


def test_time_dependence_is_refused():
    system = OdeSystem.from_rhs({"v": "-v/tau + sin(t)"})
    with pytest.raises(UnsupportedEquationsError) as info:
        integrate(system, "linear")
    assert "depends on the time t" in str(info.value) and "sin(t)" in str(info.value)
    assert "rk4" in str(info.value)


def test_linear_is_an_alias_of_exact():
    assert integrate(LIF, "linear").method == "exact"


def test_update_contains_exp_minus_dt_over_tau():
    update = integrate(LIF, "exact").derivation.step("stages").rhs(symbol("v_new"))
    assert sympy.simplify(update).has(sympy.exp(-DT / symbol("tau")))
