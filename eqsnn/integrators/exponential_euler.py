"""``exponential_euler``: exact integration of each variable with the others frozen.

For equations *conditionally linear* in their own variable (HH gating variables,
conductance-based membrane potentials), ``dx/dt = A x + B`` with ``A = df/dx`` free of
``x``; freezing every other variable (and ``t``) over the step gives

    x_new = x_inf + (x - x_inf) * exp(-dt/tau_x),   tau_x = -1/A,  x_inf = -B/A.

It is first order in general (the freezing), but unconditionally stable for the stiff
gating variables and exact for a single linear equation. A variable whose equation does
not depend on itself (``A == 0``) cannot be written that way; it is integrated with
forward Euler, and the :class:`~eqsnn.integrators.base.StateUpdate` says so in its notes.
"""
from __future__ import annotations

import sympy

from eqsnn.equations.symbols import DT, symbol
from eqsnn.integrators.base import Integrator, Scheme, register, unsupported
from eqsnn.integrators.derivation import DerivationRecorder, ddt, standard_form_rows
from eqsnn.integrators.system import OdeSystem

__all__ = ["ExponentialEuler", "conditionally_linear"]


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
    return A, f.xreplace({x: 0})


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
            conditionally_linear(system, x, self.name)

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
            A, B = conditionally_linear(system, v, self.name)
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
