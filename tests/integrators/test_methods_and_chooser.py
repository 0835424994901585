"""Registry, tableau checks, the chooser's decisions and the refusal messages."""
from __future__ import annotations

import pytest
import sympy

from eqsnn.equations.symbols import NOT_REFRACTORY, symbol
from eqsnn.errors import UnsupportedEquationsError
from eqsnn.integrators import (ButcherTableau, OdeSystem, get_integrator, integrate,
                               registered_methods)

IZHIKEVICH = OdeSystem.from_rhs({"v": "0.04*v**2 + 5*v + 140 - u + I", "u": "a*(b*v - u)"})
LIF = OdeSystem.from_rhs({"v": "(El - v + R*I)/tau"})
CONDUCTANCE = OdeSystem.from_rhs({"v": "(gL*(EL - v) + g*(E - v))/C", "g": "-g/tau_g"})


def test_every_method_is_registered_with_its_order():
    orders = {name: m.order for name, m in registered_methods().items()}
    assert orders == {"exact": None, "exponential_euler": 1, "euler": 1, "rk2": 2,
                      "heun": 2, "rk4": 4, "milstein": 1}
    assert get_integrator("linear").name == "exact"
    assert get_integrator("midpoint").name == "rk2"


def test_unknown_method_lists_the_known_ones():
    with pytest.raises(UnsupportedEquationsError, match="unknown integration method 'rk45'") \
            as info:
        integrate(LIF, "rk45")
    assert "rk4" in info.value.hint and "exponential_euler" in info.value.hint


@pytest.mark.parametrize("kwargs, message", [
    (dict(a=((), ("1/2",)), b=(0, 1), c=(0, "1/3"), order=2), "row 1 of a sums to 1/2"),
    (dict(a=((), ("1/2",)), b=("1/2", "1/2"), c=(0, "1/2"), order=2), "order-2 condition"),
    (dict(a=((), ("1/2",), (0, "1/2"), (0, 0, 1)), b=("1/6", "1/3", "1/3", "1/6"),
          c=(0, "1/2", "1/2", 1), order=5), "beyond order 4"),
    (dict(a=((), ("1/2", 0)), b=(0, 1), c=(0, "1/2"), order=2), "explicit"),
])
def test_tableau_is_checked_on_construction(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ButcherTableau(**kwargs)


def test_a_wrong_rk4_coefficient_is_caught():
    # weights still sum to 1 and give order 2, but not order 3
    with pytest.raises(ValueError, match="order-3 condition"):
        ButcherTableau(a=((), ("1/2",), (0, "1/2"), (0, 0, 1)),
                       b=("1/6", "1/6", "1/2", "1/6"), c=(0, "1/2", "1/2", 1), order=4)


@pytest.mark.parametrize("system, method, rejected", [
    (LIF, "exact", []),
    (CONDUCTANCE, "exponential_euler", ["'exact' rejected", "term", "g*"]),
    (IZHIKEVICH, "rk4", ["'exact' rejected", "'exponential_euler' rejected",
                         "not linear in v", "0.04*v**2"]),
])
def test_chooser_decides_and_records_why(system, method, rejected):
    update = integrate(system)
    assert update.method == method
    assert update.reason.startswith(f"chosen automatically: '{method}'")
    for text in rejected:
        assert text in update.reason


def test_chooser_refuses_exponential_euler_with_a_variable_that_would_fall_back():
    system = OdeSystem.from_rhs({"v": "-v**3 + w", "w": "v"})
    update = integrate(system)
    assert update.method == "rk4"
    system = OdeSystem.from_rhs({"v": "-v*w", "w": "v"})
    update = integrate(system)
    assert update.method == "rk4"
    assert "the equation for w does not depend on w" in update.reason


def test_exponential_euler_falls_back_per_variable_and_says_so():
    system = OdeSystem.from_rhs({"v": "-v*w", "w": "v"})
    update = integrate(system, "exponential_euler")
    assert any("w takes a forward Euler step" in note for note in update.notes)
    (w_update,) = [s.rhs for s in update.statements if s.lhs == symbol("w")]
    dt, v, w = symbol("dt"), symbol("v"), symbol("w")
    assert sympy.expand(w_update - (w + dt * v)) == 0


def test_exponential_euler_names_the_nonlinear_term():
    with pytest.raises(UnsupportedEquationsError) as info:
        integrate(IZHIKEVICH, "exponential_euler")
    assert "the equation for v is not linear in v" in str(info.value)
    assert "0.04*v**2" in str(info.value) and "rk4" in str(info.value)


def test_statements_obey_the_contract():
    system = OdeSystem.from_rhs({"v": "(El - v + g)/tau", "g": "-g/tau_g + 0*v"},
                                unless_refractory=["v"])
    for method in ("exact", "rk4", "exponential_euler", "euler"):
        statements = integrate(system, method).statements
        states = [s.lhs for s in statements if not s.lhs.name.startswith("_")]
        assert sorted(states, key=str) == sorted(system.states, key=str)  # once each
        first_state = min(i for i, s in enumerate(statements) if not s.lhs.name.startswith("_"))
        assert all(s.lhs.name.startswith("_") for s in statements[:first_state])
        # no state is read after it has been assigned (except by its own refractory blend)
        for i, s in enumerate(statements[first_state:], first_state):
            assigned = {t.lhs for t in statements[first_state:i]}
            assert not (s.rhs.free_symbols & assigned), (method, s)


def test_unless_refractory_blends_with_not_refractory():
    system = OdeSystem.from_rhs({"v": "(El - v)/tau"}, unless_refractory=["v"])
    (final,) = [s for s in integrate(system, "euler").statements if s.lhs == symbol("v")]
    v, dt = symbol("v"), symbol("dt")
    new = v + dt * (symbol("El") - v) / symbol("tau")
    assert sympy.expand(final.rhs - (NOT_REFRACTORY * new + (1 - NOT_REFRACTORY) * v)) == 0


def test_cse_evaluates_each_exponential_once():
    statements = integrate(CONDUCTANCE, "exponential_euler").statements
    exps = [e for s in statements for e in s.rhs.atoms(sympy.exp)]
    assert len(exps) == len(set(exps))
    names = [s.lhs.name for s in statements if s.lhs.name.startswith("_cse")]
    assert names == [f"_cse{i}" for i in range(len(names))]


def test_time_is_advanced_inside_the_stages():
    system = OdeSystem.from_rhs({"x": "stim(t)"})
    stages = integrate(system, "rk4").derivation.step("stages")
    t, dt, stim = symbol("t"), symbol("dt"), sympy.Function("stim")
    assert stages.rhs(symbol("_k2_x")) == stim(t + dt / 2)
    assert stages.rhs(symbol("_k4_x")) == stim(t + dt)
