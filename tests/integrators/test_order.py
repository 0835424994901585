"""Every registered method, measured: the fitted convergence order must be the declared one.

Problems with known solutions: a linear 2-D spiral with constant input (vs
``scipy.linalg.expm``), the nonlinear ``dx/dt = -x**2``, an explicitly time-dependent
``dx/dt = -x + stim(t)`` (a user function of t, evaluated at the stage times), and a
nonlinear but conditionally linear system for exponential Euler. A method is run on
every problem it accepts; a wrong tableau coefficient or a wrong stage time shows up as
a wrong slope.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg

from eqsnn.errors import UnsupportedEquationsError
from eqsnn.integrators import OdeSystem, integrate, registered_methods
from eqsnn.integrators.chooser import choose

from stepper import Stepper, fitted_order

A_SPIRAL = np.array([[-0.3, -2.0], [2.0, -0.3]])
B_SPIRAL = np.array([0.5, -0.2])


def _spiral_exact(t):
    M = np.zeros((3, 3))
    M[:2, :2], M[:2, 2] = A_SPIRAL, B_SPIRAL
    x = scipy.linalg.expm(M * t) @ np.array([1.0, 0.0, 1.0])
    return {"x": x[0], "y": x[1]}


PROBLEMS = {
    "spiral": (OdeSystem.from_rhs({"x": "-0.3*x - 2*y + 0.5", "y": "2*x - 0.3*y - 0.2"}),
               {"x": 1.0, "y": 0.0}, 2.0, _spiral_exact, {}),
    "quadratic": (OdeSystem.from_rhs({"x": "-x**2"}), {"x": 1.0}, 2.0,
                  lambda t: {"x": 1.0 / (1.0 + t)}, {}),
    "time_dependent": (OdeSystem.from_rhs({"x": "-x + stim(t)"}), {"x": 1.0}, 2.0,
                       lambda t: {"x": 1.5 * math.exp(-t) + (math.sin(t) - math.cos(t)) / 2},
                       {"stim": np.sin}),
    "conditionally_linear": (OdeSystem.from_rhs({"x": "-y*x", "y": "-y"}),
                             {"x": 1.0, "y": 1.0}, 2.0,
                             lambda t: {"x": math.exp(-(1 - math.exp(-t))),
                                        "y": math.exp(-t)}, {}),
}
STEPS = (32, 64, 128, 256, 512)

DETERMINISTIC = [name for name in registered_methods()]


def _errors(method, problem):
    system, initial, t_end, exact, functions = PROBLEMS[problem]
    stepper = Stepper(integrate(system, method).statements, functions)
    want = exact(t_end)
    errors = []
    for n in STEPS:
        got = stepper.run(initial, t_end, n)
        errors.append(max(abs(got[k] - want[k]) for k in want))
    return np.array([t_end / n for n in STEPS]), np.array(errors)


@pytest.mark.parametrize("method", DETERMINISTIC)
def test_declared_order_is_measured(method):
    integrator = registered_methods()[method]
    ran = []
    for problem in PROBLEMS:
        try:
            integrate(PROBLEMS[problem][0], method)
        except UnsupportedEquationsError:
            continue
        dts, errors = _errors(method, problem)
        ran.append(problem)
        if integrator.order is None:  # exact: rounding error only, at every dt
            assert errors.max() < 1e-12, (problem, errors)
            continue
        order = fitted_order(dts, errors)
        assert abs(order - integrator.order) <= 0.3, (problem, order, errors)
    assert ran, f"{method} accepted none of the test problems"
    if integrator.order is not None:
        # every explicit method must at least face the nonlinear and the t-dependent one
        assert {"spiral", "time_dependent"} <= set(ran) or method == "exponential_euler"


def test_exact_and_exponential_euler_refuse_what_they_cannot_do():
    with pytest.raises(UnsupportedEquationsError):
        integrate(PROBLEMS["quadratic"][0], "exact")
    with pytest.raises(UnsupportedEquationsError):
        integrate(PROBLEMS["quadratic"][0], "exponential_euler")
    with pytest.raises(UnsupportedEquationsError):
        integrate(PROBLEMS["time_dependent"][0], "exact")


def test_chooser_picks_exact_for_the_spiral():
    assert choose(PROBLEMS["spiral"][0])[0].name == "exact"
