"""The adapter from parsed Equations: noise, flags, spans in messages, derive()."""
from __future__ import annotations

import pytest
import sympy

from eqsnn.equations import parse_equations
from eqsnn.equations.symbols import NOT_REFRACTORY, symbol
from eqsnn.errors import UnsupportedEquationsError
from eqsnn.integrators import OdeSystem, derive, integrate


def test_lif_from_text_is_exact_and_refractory_aware():
    eqs = parse_equations("""
        dv/dt = (El - v + R*I)/tau : volt (unless refractory)
        I : amp
    """)
    update = integrate(eqs)
    assert update.method == "exact"
    (final,) = [s for s in update.statements if s.lhs == symbol("v")]
    assert final.rhs.has(NOT_REFRACTORY)


def test_noise_is_split_into_coefficients():
    eqs = parse_equations("dv/dt = -v/tau + sigma*sqrt(2/tau)*xi : volt")
    system = OdeSystem.from_equations(eqs)
    v, tau, sigma, xi = (symbol(n) for n in ("v", "tau", "sigma", "xi"))
    assert system.noise_symbols == (xi,)
    assert sympy.simplify(system.noise(v, xi) - sigma * sympy.sqrt(2 / tau)) == 0
    assert sympy.simplify(system.drift[v] + v / tau) == 0
    assert integrate(eqs).method == "euler"


def test_subexpressions_are_substituted_for_the_methods_but_shown_as_written():
    eqs = parse_equations("""
        dv/dt = (I_syn - v)/tau : volt
        dg/dt = -g/tau_g : volt
        I_syn = g : volt
    """)
    model = derive(eqs, "exact").step("model")
    assert model.rhs(symbol("I_syn")) == symbol("g")
    update = integrate(eqs, "exact")
    assert not any(s.rhs.has(symbol("I_syn")) for s in update.statements)


def test_refusal_points_at_the_line():
    eqs = parse_equations("""
        dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u)/ms : volt
        du/dt = a*(b*v - u) : volt
    """)
    with pytest.raises(UnsupportedEquationsError) as info:
        integrate(eqs, "exact")
    message = str(info.value)
    assert "equation for v is not linear" in message
    assert "line 2" in message and "^" in message


def test_derive_accepts_a_string_and_a_model_like_object():
    text = "dv/dt = -v/tau : volt"

    class Model:
        equations = text

    assert derive(text, "euler").method == "euler"
    assert "exp(-dt/tau)" in str(derive(Model(), "exact"))
