"""What every integration method is, the registry of methods, and the result type.

A method is an :class:`Integrator`: it can :meth:`~Integrator.check` whether it is able to
integrate an :class:`~eqsnn.integrators.system.OdeSystem` (raising
:class:`~eqsnn.errors.UnsupportedEquationsError` with the reason if not) and
:meth:`~Integrator.build` a :class:`Scheme`: ordered temporaries plus the new value of
each state. Everything after that (common-subexpression elimination, refractoriness,
ordering of the statements, code for the derivation) is shared, in
:mod:`eqsnn.integrators.assemble`. Adding a method is adding one :func:`register` call.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sympy
from sympy.codegen.ast import Assignment

from eqsnn.errors import UnsupportedEquationsError

if TYPE_CHECKING:  # pragma: no cover
    from eqsnn.integrators.derivation import Derivation, DerivationRecorder
    from eqsnn.integrators.system import OdeSystem

__all__ = ["StateUpdate", "Scheme", "Integrator", "register", "get_integrator",
           "registered_methods", "unsupported"]


@dataclass(frozen=True)
class StateUpdate:
    """The result of :func:`eqsnn.integrators.integrate`.

    Attributes
    ----------
    method
        Name of the method used (canonical, e.g. ``"exact"`` for ``"linear"``).
    statements
        ``Assignment(lhs, rhs)`` executed in order, per neuron (see docs/internals.md).
    reason
        Why this method: "requested by the user", or the chooser's record of which
        methods were tried and why each was rejected.
    derivation
        The steps that produced ``statements``, for teaching.
    notes
        Per-variable remarks a user should know about (e.g. exponential Euler falling
        back to Euler for a variable whose equation does not depend on itself).
    """

    method: str
    statements: tuple[Assignment, ...]
    reason: str
    derivation: "Derivation"
    notes: tuple[str, ...] = ()


@dataclass
class Scheme:
    """What a method builds: temporaries (in order) and the new value of every state."""

    temporaries: list[tuple[sympy.Symbol, sympy.Expr]]
    updates: dict[sympy.Symbol, sympy.Expr]
    notes: list[str] = field(default_factory=list)


class Integrator(ABC):
    """A numerical method. Subclasses set the class attributes and implement two methods.

    Attributes
    ----------
    name
        Canonical name, as passed to ``integrate(..., method=name)``.
    aliases
        Other accepted names.
    order
        Convergence order on ordinary differential equations (``None`` = exact up to
        rounding for the equations it accepts).
    strong_order
        Strong order on the stochastic equations it accepts (``None`` = refuses noise).
    """

    name: str = ""
    aliases: tuple[str, ...] = ()
    order: float | None = None
    strong_order: float | None = None
    summary: str = ""

    @abstractmethod
    def check(self, system: "OdeSystem") -> None:
        """Raise :class:`UnsupportedEquationsError` saying why, if this method cannot
        integrate ``system``."""

    @abstractmethod
    def build(self, system: "OdeSystem", recorder: "DerivationRecorder") -> Scheme:
        """The update, recording the ``scheme`` and ``stages`` steps of the derivation."""

    def __repr__(self) -> str:
        return f"<integrator {self.name!r}, order {self.order}>"


_REGISTRY: dict[str, Integrator] = {}
_ALIASES: dict[str, str] = {}


def register(integrator: Integrator) -> Integrator:
    """Make a method available by name (and its aliases)."""
    for name in (integrator.name, *integrator.aliases):
        if name in _REGISTRY or name in _ALIASES:
            raise ValueError(f"an integration method called {name!r} is already registered")
    _REGISTRY[integrator.name] = integrator
    for alias in integrator.aliases:
        _ALIASES[alias] = integrator.name
    return integrator


def get_integrator(name: str) -> Integrator:
    """The registered method called ``name`` (or an alias of it)."""
    key = _ALIASES.get(name, name)
    if key not in _REGISTRY:
        known = ", ".join(sorted([*_REGISTRY, *_ALIASES]))
        raise UnsupportedEquationsError(
            f"unknown integration method {name!r}",
            hint=f"use one of: {known}, or method=None to let eqsnn choose")
    return _REGISTRY[key]


def registered_methods() -> dict[str, Integrator]:
    """``{name: integrator}`` of every registered method, in registration order."""
    return dict(_REGISTRY)


def unsupported(method: str, what: str, *, span=None, hint: str | None = None
                ) -> UnsupportedEquationsError:
    """The error a method raises when it cannot integrate the equations."""
    return UnsupportedEquationsError(f"method '{method}' cannot integrate these equations: "
                                     f"{what}", span=span, hint=hint)
