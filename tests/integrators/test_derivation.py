"""Derivations are checked symbolically: they are the objects the pipeline built."""
from __future__ import annotations

import sympy

from eqsnn.equations.symbols import DT, TIME, symbol
from eqsnn.integrators import OdeSystem, derive, integrate

v, u, I, tau = (symbol(n) for n in ("v", "u", "I", "tau"))
k1_v, k1_u, k2_v, k2_u = (symbol(n) for n in ("_k1_v", "_k1_u", "_k2_v", "_k2_u"))

IZHIKEVICH = OdeSystem.from_rhs({"v": "0.04*v**2 + 5*v + 140 - u + I", "u": "a*(b*v - u)"})


def _f(system, x, **values):
    return system.drift[x].xreplace({symbol(k): val for k, val in values.items()})


def test_lif_exact_shows_exp_minus_dt_over_tau():
    derivation = derive(OdeSystem.from_rhs({"v": "(El - v + R*I)/tau"}), "exact")
    assert [s.kind for s in derivation.steps] == ["model", "scheme", "stages", "update", "code"]
    v_new = derivation.step("stages").rhs(symbol("v_new"))
    assert sympy.simplify(v_new).has(sympy.exp(-DT / tau))
    # and it is the exact solution: v_new - v_inf == (v - v_inf)*exp(-dt/tau)
    v_inf = symbol("El") + symbol("R") * I
    assert sympy.simplify(v_new - v_inf - (v - v_inf) * sympy.exp(-DT / tau)) == 0
    assert "exp(-dt/tau)" in str(derivation)


def test_izhikevich_rk2_shows_k1_k2_and_the_midpoint_update():
    derivation = derive(IZHIKEVICH, "rk2")
    scheme = derivation.step("scheme")
    k1, k2, x, f = sympy.Symbol("k_1"), sympy.Symbol("k_2"), sympy.Symbol("x"), sympy.Function("f")
    assert scheme.rhs(k1) == f(TIME, x)
    assert scheme.rhs(k2) == f(TIME + DT / 2, x + DT / 2 * k1)
    assert scheme.rhs(sympy.Symbol("x_new")) == x + DT * k2

    stages = derivation.step("stages")
    assert stages.rhs(k1_v) == IZHIKEVICH.drift[v]
    assert stages.rhs(k1_u) == IZHIKEVICH.drift[u]
    midpoint = {v: v + DT / 2 * k1_v, u: u + DT / 2 * k1_u}
    assert sympy.expand(stages.rhs(k2_v) - IZHIKEVICH.drift[v].xreplace(midpoint)) == 0
    assert sympy.expand(stages.rhs(k2_u) - IZHIKEVICH.drift[u].xreplace(midpoint)) == 0
    assert stages.rhs(symbol("v_new")) == v + DT * k2_v


def test_derivation_is_the_pipeline_that_made_the_statements():
    update = integrate(IZHIKEVICH, "rk4")
    recorded = update.derivation.step("update").equations
    assert [(s.lhs, s.rhs) for s in update.statements] == list(recorded)
    assert len(update.derivation.step("code").code) == len(update.statements)


def test_exponential_euler_shows_the_standard_form():
    system = OdeSystem.from_rhs({"m": "alpha*(1 - m) - beta*m"})
    stages = derive(system, "exponential_euler").step("stages")
    alpha, beta, m = symbol("alpha"), symbol("beta"), symbol("m")
    assert sympy.simplify(stages.rhs(symbol("tau_m")) - 1 / (alpha + beta)) == 0
    assert sympy.simplify(stages.rhs(symbol("m_inf")) - alpha / (alpha + beta)) == 0


def test_renders_as_text_markdown_and_latex():
    derivation = derive(IZHIKEVICH, "rk2")
    text, markdown, latex = str(derivation), derivation.to_markdown(), derivation.to_latex()
    assert "k_2 = f(dt/2 + t, dt*k_1/2 + x)" in text
    assert "dv/dt = " in text
    # no heading of its own: a model page (or a notebook cell) puts it under its own
    assert markdown.startswith("Derivation of the state update (method: `rk2`).") and "$$" in markdown and "```c" in markdown
    assert r"\begin{align*}" in latex and r"\frac{\mathrm{d} v}{\mathrm{d} t}" in latex
    assert derivation._repr_latex_().startswith("$$") and derivation._repr_markdown_() == markdown


class _Model:
    """Stands in for a built-in Model: anything with an ``.equations`` attribute."""

    equations = IZHIKEVICH


def test_derive_accepts_a_model_object():
    assert derive(_Model(), "euler").method == "euler"


def test_a_model_is_derived_with_the_method_its_groups_use():
    from eqsnn.models import AdEx, HodgkinHuxley
    for model in (AdEx(), HodgkinHuxley()):
        assert derive(model).method == model.method == model.group(1).method


def test_subexpressions_shown_as_written_or_substituted():
    g = symbol("g")
    system = OdeSystem.from_rhs({"v": (g - v) / tau}, written={"v": (symbol("I_syn") - v) / tau},
                                subexpressions={symbol("I_syn"): g})
    as_written = derive(system, "euler").step("model")
    assert as_written.rhs(symbol("I_syn")) == g
    substituted = derive(system, "euler", substitute_subexpressions=True).step("model")
    assert len(substituted.equations) == 1 and substituted.equations[0][1] == (g - v) / tau
