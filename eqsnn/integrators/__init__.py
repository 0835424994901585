"""Stage 2: equations → state-update statements (and the derivation, for teaching).

Entry points: :func:`integrate` (what the runtime calls) and :func:`derive` (the
derivation a student reads; ``eqsnn.derive``, in :mod:`eqsnn.lowering.teaching`, adds
the statements the compiled loop runs). Both run the same pipeline
(:mod:`eqsnn.integrators.pipeline`).

Registered methods: ``euler``, ``rk2`` (``midpoint``), ``heun``, ``rk4`` (Butcher
tableaux, :mod:`~eqsnn.integrators.runge_kutta`), ``exact`` (``linear``),
``exponential_euler``, ``milstein``. See :mod:`~eqsnn.integrators.chooser` for what
``method=None`` picks.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from eqsnn.integrators import exact as _exact  # noqa: F401  (registers the method)
from eqsnn.integrators import exponential_euler as _exponential_euler  # noqa: F401
from eqsnn.integrators import runge_kutta as _runge_kutta  # noqa: F401
from eqsnn.integrators import stochastic as _stochastic  # noqa: F401
from eqsnn.integrators.base import (Integrator, Scheme, StateUpdate, get_integrator,
                                    register, registered_methods)
from eqsnn.integrators.chooser import choose
from eqsnn.integrators.derivation import Derivation, DerivationStep
from eqsnn.integrators.pipeline import run
from eqsnn.integrators.runge_kutta import ButcherTableau, RungeKutta
from eqsnn.integrators.system import OdeSystem

__all__ = ["integrate", "derive", "StateUpdate", "Derivation", "DerivationStep",
           "OdeSystem", "Integrator", "Scheme", "ButcherTableau", "RungeKutta",
           "register", "registered_methods", "get_integrator"]


def integrate(equations: Any, method: str | None = None, *,
              step_constant_functions: Any = ()) -> StateUpdate:
    """The update statements of one time step for ``equations``.

    Parameters
    ----------
    equations
        An :class:`~eqsnn.equations.Equations` (or an :class:`OdeSystem`).
    method
        A registered method name, or ``None`` to choose by capability.
    step_constant_functions
        Names of functions of time that hold their value over each step (TimedArrays
        on the step grid); ``exact`` treats ``f(t)`` as a constant input for them.

    Returns
    -------
    StateUpdate
        ``statements`` (SymPy assignments, in order), the ``method`` used, the ``reason``
        for it, the ``derivation`` and ``notes``.

    Raises
    ------
    eqsnn.errors.UnsupportedEquationsError
        If the requested method (or, with ``method=None``, every method) cannot
        integrate the equations; the message says which equation and term failed.
    """
    system = _as_system(equations)
    if step_constant_functions:
        system = dataclasses.replace(
            system, step_constant_functions=frozenset(step_constant_functions))
    return _integrate(system, method)


def derive(model_or_equations: Any, method: str | None = None, *,
           substitute_subexpressions: bool = False) -> Derivation:
    """How ``method`` turns the model into its update, step by step.

    Parameters
    ----------
    model_or_equations
        Equations, an equation string, an :class:`OdeSystem`, or any object with an
        ``.equations`` attribute holding one of those (e.g. a built-in model).
    method
        As for :func:`integrate`; for a model object, ``None`` means the model's own
        default method (the one its groups use).
    substitute_subexpressions
        Show the model with subexpressions substituted (default: as written).
    """
    target = model_or_equations
    if not isinstance(target, (str, OdeSystem)) and hasattr(target, "equations") \
            and not hasattr(target, "differential"):
        # A built-in model is derived with the method its groups use, unless told.
        method = method if method is not None else getattr(target, "method", None)
        target = target.equations
    return _integrate(_as_system(target), method,
                      substitute_subexpressions=substitute_subexpressions).derivation


def _integrate(system: OdeSystem, method: str | None, **options) -> StateUpdate:
    if method is None:
        integrator, reason = choose(system)
    else:
        integrator, reason = get_integrator(method), f"method '{method}' requested"
    return run(system, integrator, reason, **options)


def _as_system(equations: Any) -> OdeSystem:
    if isinstance(equations, OdeSystem):
        return equations
    if isinstance(equations, str):
        from eqsnn.equations import parse_equations
        equations = parse_equations(equations)
    return OdeSystem.from_equations(equations)
