"""The phase plane of a two-variable model: its nullclines, solved with SymPy."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import sympy

from eqsnn import units
from eqsnn.equations.symbols import symbol
from eqsnn.errors import InvalidValueError, UnsupportedEquationsError
from eqsnn.models.analysis import _VOLT, _numeric, _values

__all__ = ["Nullclines", "nullclines"]


@dataclass(frozen=True)
class Nullclines:
    """The nullclines of a two-variable model: ``y`` as functions of ``x`` on a grid.

    ``x_nullcline`` holds the curves where ``dx/dt = 0`` and ``y_nullcline`` those where
    ``dy/dt = 0`` (a list: a nullcline can have several branches); ``expressions`` the
    symbolic branches, for display.
    """

    x_var: str
    y_var: str
    x: Any
    x_nullcline: list
    y_nullcline: list
    expressions: dict[str, list]


def nullclines(model, x_var: str = "v", y_var: str | None = None,
               x_range: Sequence[Any] | None = None, *, n: int = 400,
               **params: Any) -> Nullclines:
    """The nullclines of a two-variable model (Izhikevich, FitzHugh–Nagumo, AdEx).

    Each nullcline is solved symbolically for ``y_var`` as a function of ``x_var`` and
    evaluated at ``n`` points of ``x_range`` (default: -100 mV to 0 mV for a voltage,
    -2.5 to 2.5 if dimensionless). Other differential variables, if any, are held at
    values given in ``params``.
    """
    eqs = model.parsed()
    names = list(eqs.differential)
    if y_var is None:
        others = [n for n in names if n != x_var]
        y_var = others[0] if others else None
    for name in (x_var, y_var):
        if name not in names:
            close = difflib.get_close_matches(str(name), names, n=1)
            raise InvalidValueError(
                f"{name!r} is not a differential variable of {model.name!r}",
                hint=(f"did you mean {close[0]!r}? " if close else "") +
                     f"its variables are {', '.join(names)}")
    held = {k: v for k, v in params.items() if k in names}
    constants = {k: v for k, v in params.items() if k not in names}
    subs = {symbol(k): v for k, v in _values(model, constants).items()}
    subs.update({symbol(k): float(units.to_si(v)[0]) for k, v in held.items()})
    x, y = symbol(x_var), symbol(y_var)
    missing = [n for n in names if n not in (x_var, y_var) and n not in held]
    if missing:
        raise InvalidValueError(f"nullclines of {x_var} and {y_var} need values for the "
                                f"other variables: {', '.join(missing)}")
    x_dim, y_dim = eqs.differential[x_var].dim, eqs.differential[y_var].dim
    if x_range is None:
        x_range = (-0.1, 0.0) if x_dim == _VOLT else (-2.5, 2.5)
    low, high = (float(units.to_si(v)[0]) for v in x_range)
    grid = np.linspace(low, high, n)
    curves, expressions = {}, {}
    for name in (x_var, y_var):
        expr = eqs.rhs(name).subs(subs)
        branches = sympy.solve(expr, y)
        if not branches:
            raise UnsupportedEquationsError(
                f"cannot solve d{name}/dt = 0 for {y_var} in {model.name!r}")
        expressions[name] = branches
        curves[name] = [units.from_si(np.real(np.asarray(_numeric(b, x)(grid)) *
                                              np.ones_like(grid)), y_dim) for b in branches]
    return Nullclines(x_var, y_var, units.from_si(grid, x_dim), curves[x_var], curves[y_var],
                      expressions)
