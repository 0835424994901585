"""``exponential_euler`` on what Brian2's accepts: coefficients that depend on the variable.

Brian2 integrates Wang–Buzsáki (1996) and Morris–Lecar (1981) with exponential Euler
although dv/dt is not linear in v there (a subexpression such as ``m_inf(V)`` carries v
into the coefficient). Its rule: expand, collect by powers of the variable, ``A`` = the
coefficient of ``x``, ``B`` = the rest, both at the start of the step. eqsnn does the
same when the method is asked for; here the update is checked against scipy's
``solve_ivp`` (first-order convergence on Morris–Lecar), the split against hand-worked
cases, and the refusals against their messages. Brian2's own trajectories are matched
to a microvolt in tests/brian2_gallery/test_morris_lecar_1981.py and
test_wang_buzsaki_1996.py.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.integrate
import sympy

from eqsnn.errors import UnsupportedEquationsError
from eqsnn.integrators import OdeSystem, integrate
from eqsnn.integrators.chooser import choose
from eqsnn.integrators.exponential_euler import brian2_split

from stepper import Stepper, fitted_order

# Morris-Lecar in mV, ms, mS, uF, uA (so dV/dt comes out in mV/ms), I = 300 uA: a limit
# cycle, as in Fig. 9 of the 1981 paper
M_INF = "0.5*(1 + tanh((V - 10)/15))"
N_INF = "0.5*(1 + tanh((V + 1)/14.5))"
LAMBDA_N = "cosh((V + 1)/29)/15"
MORRIS_LECAR = OdeSystem.from_rhs({
    "V": f"(-2*(V + 50) - 4*{M_INF}*(V - 100) - 8*n*(V + 70) + 300)/20",
    "n": f"{LAMBDA_N}*({N_INF} - n)"})


def _morris_lecar_rhs(t, y):
    V, n = y
    m_inf = 0.5 * (1 + np.tanh((V - 10) / 15))
    n_inf = 0.5 * (1 + np.tanh((V + 1) / 14.5))
    lam = np.cosh((V + 1) / 29) / 15
    return [(-2 * (V + 50) - 4 * m_inf * (V - 100) - 8 * n * (V + 70) + 300) / 20,
            lam * (n_inf - n)]


def test_morris_lecar_converges_to_solve_ivp_at_first_order():
    start = {"V": -50.0, "n": 0.5 * (1 + np.tanh(-49 / 14.5))}
    t_end = 50.0
    reference = scipy.integrate.solve_ivp(_morris_lecar_rhs, (0, t_end),
                                          [start["V"], start["n"]], method="Radau",
                                          rtol=1e-11, atol=1e-11).y[:, -1]
    stepper = Stepper(integrate(MORRIS_LECAR, "exponential_euler").statements)
    steps = (1000, 2000, 4000, 8000)
    errors = []
    for n in steps:
        got = stepper.run(start, t_end, n)
        errors.append(abs(got["V"] - reference[0]))
    order = fitted_order(np.array([t_end / n for n in steps]), np.array(errors))
    assert abs(order - 1) <= 0.3, (order, errors)
    assert errors[-1] < 0.05  # mV, after 50 ms of an oscillation spanning 60 mV


def _split(rhs: str):
    system = OdeSystem.from_rhs({"x": rhs, "y": "-y"})
    return brian2_split(system, sympy.Symbol("x", real=True))


def test_split_is_brian2s():
    x, g = sympy.symbols("x g", real=True)
    A, B = _split("-g*(1 + tanh(x))*x + tanh(x) + y")
    assert sympy.simplify(A - (-g - g * sympy.tanh(x))) == 0
    assert sympy.simplify(B - (sympy.tanh(x) + sympy.Symbol("y", real=True))) == 0
    assert _split("-y*x") == (-sympy.Symbol("y", real=True), 0)


def test_coefficient_depending_on_x_is_noted_and_the_chooser_keeps_to_the_strict_form():
    update = integrate(MORRIS_LECAR, "exponential_euler")
    assert any("coefficient of V" in note and "start of the step" in note
               for note in update.notes)
    integrator, reason = choose(MORRIS_LECAR)
    assert integrator.name == "rk4"
    assert "'exponential_euler' rejected" in reason


@pytest.mark.parametrize("rhs, says", [
    ("-x**2 + y", "the term -x**2 has x as x**2"),
    ("exp(x) + y", "x appears only inside functions (y + exp(x))"),
])
def test_what_stays_refused(rhs, says):
    with pytest.raises(UnsupportedEquationsError) as caught:
        integrate(OdeSystem.from_rhs({"x": rhs, "y": "-y"}), "exponential_euler")
    assert says in str(caught.value)
