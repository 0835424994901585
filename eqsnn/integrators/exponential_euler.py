"""``exponential_euler``: exact integration of each variable with the others frozen.

For equations *conditionally linear* in their own variable (HH gating variables,
conductance-based membrane potentials), ``dx/dt = A x + B`` with ``A = df/dx`` free of
``x``; freezing every other variable (and ``t``) over the step gives

    x_new = x_inf + (x - x_inf) * exp(-dt/tau_x),   tau_x = -1/A,  x_inf = -B/A.

It is first order in general (the freezing), but unconditionally stable for the stiff
gating variables and exact for a single linear equation. A variable whose equation does
not depend on itself (``A == 0``) cannot be written that way; it is integrated with
forward Euler, and the :class:`~eqsnn.integrators.base.StateUpdate` says so in its notes.

Asked for explicitly, the method also takes what Brian2's ``exponential_euler`` takes:
equations whose coefficient depends on the variable itself through a subexpression
(Wang–Buzsáki's ``m = alpha_m/(alpha_m + beta_m)`` of v, Morris–Lecar's ``m_inf(V)``).
Brian2 expands the right-hand side and splits it by the powers of ``x``: the terms
with the factor ``x`` give ``A`` (which may still contain ``x`` inside functions), the
others ``B``; any other power of ``x``, or ``x`` only inside functions, is refused. Both
are evaluated at the start of the step, and the update is the same formula — still first
order, no longer exact for the variable's own decay. :func:`brian2_split` is that split;
the automatic choice keeps to the strict form (Brian2 never chooses this method itself).
"""
from __future__ import annotations

import sympy

from eqsnn.equations.symbols import DT, symbol
from eqsnn.errors import UnsupportedEquationsError
from eqsnn.integrators.base import Integrator, Scheme, register, unsupported
from eqsnn.integrators.derivation import DerivationRecorder, ddt, standard_form_rows
from eqsnn.integrators.system import OdeSystem

__all__ = ["ExponentialEuler", "conditionally_linear", "brian2_split"]


def conditionally_linear(system: OdeSystem, x: sympy.Symbol, method="exponential_euler"):
    """``(A, B)`` with ``drift[x] = A*x + B`` and ``A``, ``B`` free of ``x``, or raise."""
    f = system.drift[x]
    A = sympy.diff(f, x)
    if A.has(x):
        term = next((t for t in sympy.Add.make_args(f) if sympy.diff(t, x, 2) != 0), f)
        raise unsupported(
            method, f"the equation for {x} is not linear in {x} (the term {term} is "
            f"nonlinear in {x}), so it has no form dx/dt = (x_inf - x)/tau",
            span=system.span(x), hint="use method='rk4' or 'rk2'")
    # d/dx of a Piecewise of x is 0 between its switches, so A alone cannot tell: B =
    # f(x=0) dropped '(v > 0.5)*1' from '((v > 0.5)*1 - v)/tau'
    switch = next((cond for pw in f.atoms(sympy.Piecewise) for _, cond in pw.args
                   if cond.has(x)), None)
    if switch is not None:
        raise unsupported(
            method, f"the equation for {x} switches on a condition of {x} ({switch}), so "
            f"it has no form dx/dt = (x_inf - x)/tau", span=system.span(x),
            hint="use method='rk4' or 'rk2'")
    return A, f.xreplace({x: 0})


def brian2_split(system: OdeSystem, x: sympy.Symbol, method="exponential_euler"):
    """``(A, B)`` with ``drift[x] = A*x + B`` as Brian2 splits it, or raise.

    The expanded right-hand side is collected by powers of ``x``: ``A`` is the
    coefficient of ``x`` and ``B`` the rest; both may contain ``x`` inside functions
    (``exp``, ``tanh``, ``exprel`` of ``x`` …), which stay unexpanded.
    """
    f = system.drift[x]
    if not f.has(x):
        return sympy.S.Zero, f
    parts = sympy.collect(sympy.expand(f), x, evaluate=False)
    powers = set(parts) - {sympy.S.One}
    if powers != {x}:
        others = sorted(powers - {x}, key=str)
        found = (f"the term {parts[others[0]] * others[0]} has {x} as {others[0]}" if others
                 else f"{x} appears only inside functions ({f})")
        raise unsupported(
            method, f"the equation for {x} is not linear in {x}: after expanding it, "
            f"{found}, so it has no form dx/dt = A*{x} + B",
            span=system.span(x), hint="use method='rk4' or 'rk2'")
    return parts[x], parts.get(sympy.S.One, sympy.S.Zero)


def _coefficients(system: OdeSystem, x: sympy.Symbol, method: str):
    """``(A, B, strict)``: the strict split if it exists, else Brian2's (strict False)."""
    try:
        A, B = conditionally_linear(system, x, method)
        return A, B, True
    except UnsupportedEquationsError:
        A, B = brian2_split(system, x, method)  # raises with its own, wider reason
        return A, B, False


class ExponentialEuler(Integrator):
    name = "exponential_euler"
    order = 1
    summary = "Each variable solved exactly with the other variables frozen."

    def check(self, system: OdeSystem) -> None:
        if system.is_stochastic:
            raise unsupported(self.name, "they contain noise",
                              hint="use method='euler' (additive noise) or "
                                   "'heun'/'milstein' (multiplicative noise)")
        for x in system.states:
            _coefficients(system, x, self.name)

    def build(self, system: OdeSystem, recorder: DerivationRecorder) -> Scheme:
        x, x_inf, tau = sympy.symbols("x x_inf tau_x", real=True)
        recorder.add("scheme", "Standard form and its solution over one step",
                     "Each equation is linear in its own variable: dx/dt = (x_inf - x)/tau "
                     "with tau = -1/(df/dx) and x_inf = x - tau*f. Freezing all other "
                     "variables over the step, it is solved exactly; a variable whose "
                     "equation does not contain it (df/dx = 0) takes a forward Euler step.",
                     [(ddt(x), (x_inf - x) / tau),
                      (sympy.Symbol("x_new"), x_inf + (x - x_inf) * sympy.exp(-DT / tau))])
        rows, updates, notes = [], {}, []
        for v in system.states:
            A, B, strict = _coefficients(system, v, self.name)
            if not strict:
                notes.append(f"exponential_euler: the coefficient of {v} in its equation "
                             f"depends on {v} itself; as in Brian2 it is evaluated at the "
                             f"start of the step (first order, not exact for {v}'s decay)")
            if A == 0:
                updates[v] = v + DT * system.drift[v]
                notes.append(f"exponential_euler: the equation for {v} does not depend on "
                             f"{v} (df/d{v} = 0); {v} takes a forward Euler step")
                rows.append((symbol(f"{v.name}_new"), updates[v]))
                continue
            inf_v = -B / A
            updates[v] = inf_v + (v - inf_v) * sympy.exp(A * DT)
            rows += standard_form_rows(system, v)
        recorder.add("stages", "Time constants and steady states of the model",
                     "Per variable, in terms of the model's subexpressions (the generated "
                     "code substitutes them):", rows,
                     assumption="over one step the other variables (and t) are frozen "
                     "at their values at the start of the step, so tau and x_inf are "
                     "constants: exact for one linear equation, first order in general.")
        return Scheme([], updates, notes)


register(ExponentialEuler())
