"""Strong order of the stochastic methods on geometric Brownian motion, on one fixed path.

``dX = mu X dt + sigma X dW`` (Itô) has ``X_T = X_0 exp((mu - sigma**2/2) T + sigma W_T)``;
the same process is ``dX = (mu - sigma**2/2) X dt + sigma X o dW`` in Stratonovich form.
The Brownian paths are recorded once on a fine grid; each coarse step's ``randn`` value is
the sum of the fine increments divided by ``sqrt(dt)``, so every dt sees the same path.
"""
from __future__ import annotations

import numpy as np
import pytest

from eqsnn.equations.functions import randn
from eqsnn.errors import UnsupportedEquationsError
from eqsnn.integrators import OdeSystem, integrate, registered_methods
from eqsnn.integrators.runge_kutta import EULER, RungeKutta
from eqsnn.integrators.pipeline import run

from stepper import Stepper, fitted_order

MU, SIGMA, X0, T = 1.0, 0.8, 1.0, 1.0
PATHS, FINE = 400, 2**10
STEPS = (16, 32, 64, 128, 256)

ITO = OdeSystem.from_rhs({"x": f"{MU}*x + {SIGMA}*x*xi"})
STRATONOVICH = OdeSystem.from_rhs({"x": f"{MU - SIGMA**2 / 2}*x + {SIGMA}*x*xi"})
# Ornstein–Uhlenbeck with additive noise: Euler–Maruyama has strong order 1 here.
OU = OdeSystem.from_rhs({"x": "-x + 0.5*xi"})


@pytest.fixture(scope="module")
def fine_increments():
    rng = np.random.default_rng(20240601)
    return rng.normal(0.0, np.sqrt(T / FINE), size=(FINE, PATHS))


def _strong_errors(statements, fine, exact):
    stepper = Stepper(statements)
    (k,) = {int(call.args[0]) for s in statements for call in s.rhs.atoms(randn)}
    errors = []
    for n in STEPS:
        dt = T / n
        coarse = fine.reshape(n, FINE // n, PATHS).sum(axis=1) / np.sqrt(dt)
        got = stepper.run({"x": np.full(PATHS, X0)}, T, n, noise=lambda i: {k: coarse[i]})
        errors.append(np.mean(np.abs(got["x"] - exact)))
    return np.array([T / n for n in STEPS]), np.array(errors)


def _gbm_exact(fine):
    return X0 * np.exp((MU - SIGMA**2 / 2) * T + SIGMA * fine.sum(axis=0))


@pytest.mark.parametrize("method, system, order", [
    ("milstein", ITO, 1.0),
    ("heun", STRATONOVICH, 1.0),
])
def test_strong_order_multiplicative(method, system, order, fine_increments):
    assert registered_methods()[method].strong_order == order
    dts, errors = _strong_errors(integrate(system, method).statements, fine_increments,
                                 _gbm_exact(fine_increments))
    assert abs(fitted_order(dts, errors) - order) <= 0.3, errors


def test_euler_maruyama_on_multiplicative_noise_has_order_one_half(fine_increments):
    # 'euler' refuses multiplicative noise (Itô or Stratonovich?); the same engine with
    # the Itô reading declared explicitly is Euler–Maruyama, strong order 1/2.
    ito_euler = RungeKutta("euler_ito", EULER, "Euler–Maruyama.", noise="ito",
                           strong_order=0.5)
    statements = run(ITO, ito_euler, "test").statements
    dts, errors = _strong_errors(statements, fine_increments, _gbm_exact(fine_increments))
    assert abs(fitted_order(dts, errors) - 0.5) <= 0.3, errors


@pytest.mark.parametrize("method", ["euler", "heun", "milstein"])
def test_strong_order_additive(method, fine_increments):
    # OU exact solution on the fine grid (the fine grid's own error is negligible)
    x = np.full(PATHS, X0)
    h = T / FINE
    for dw in fine_increments:  # exact OU transition driven by the same increments
        x = x * np.exp(-h) + 0.5 * dw * np.exp(-h / 2)
    dts, errors = _strong_errors(integrate(OU, method).statements, fine_increments, x)
    assert abs(fitted_order(dts, errors) - 1.0) <= 0.3, errors


def test_each_noise_symbol_gets_its_own_draw():
    from eqsnn.equations.symbols import symbol
    y = symbol("y")
    system = OdeSystem.from_rhs({"x": "-x + xi_a",
                                 "y": -y + symbol("xi_b") + 0.1 * randn(3)})
    statements = integrate(system, "euler").statements
    ids = [int(a.args[0]) for s in statements for a in s.rhs.atoms(randn)]
    assert sorted(ids) == [3, 4, 5]  # the user's randn(3) kept, two fresh draws


@pytest.mark.parametrize("method, words", [
    ("euler", ["multiplicative", "Itô and Stratonovich", "heun", "milstein"]),
    ("rk4", ["noise", "deterministic method", "euler"]),
    ("rk2", ["noise", "deterministic method"]),
    ("exact", ["noise", "euler"]),
    ("exponential_euler", ["noise", "milstein"]),
])
def test_methods_that_cannot_handle_the_noise_refuse(method, words):
    with pytest.raises(UnsupportedEquationsError) as info:
        integrate(ITO, method)
    for word in words:
        assert word in str(info.value)


def test_nonlinear_noise_is_refused():
    with pytest.raises(UnsupportedEquationsError, match="nonlinearly"):
        OdeSystem.from_rhs({"x": "-x + xi**2"})


def test_chooser_for_noise():
    assert integrate(OU).method == "euler"
    update = integrate(ITO)
    assert update.method == "heun"
    assert "'euler' rejected" in update.reason and "multiplicative" in update.reason
