"""A tiny numpy executor for state-update statements, independent of eqsnn's backends.

Each ``Assignment`` is lambdified on its own and executed in order, exactly as the
contract in docs/internals.md says the runtime does. ``randn(k)`` is answered by a
callback so tests can feed a prerecorded Brownian path.
"""
from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
import scipy.special
import sympy

from eqsnn.equations.symbols import DT, TIME


def _clip(x, low, high):
    return np.clip(x, low, high)


class Stepper:
    """``step(values, t, dt)`` applies the statements once to ``values`` (a dict)."""

    def __init__(self, statements, functions: Mapping[str, Callable] | None = None):
        self.statements = tuple(statements)
        self.randn: Callable[[int], np.ndarray] = lambda k: np.nan
        modules = {"exprel": scipy.special.exprel, "clip": _clip,
                   "randn": lambda k: self.randn(int(k)), **(functions or {})}
        self._compiled = []
        for statement in self.statements:
            args = sorted(statement.rhs.free_symbols, key=lambda s: s.name)
            function = sympy.lambdify(args, statement.rhs, modules=[modules, "numpy"])
            self._compiled.append((statement.lhs.name, [a.name for a in args], function))

    def step(self, values: dict, t: float, dt: float) -> dict:
        scope = dict(values, t=t, dt=dt)
        for lhs, args, function in self._compiled:
            scope[lhs] = function(*[scope[a] for a in args])
        return {name: scope[name] for name in values}

    def run(self, values: dict, t_end: float, n_steps: int, *, noise=None) -> dict:
        """Integrate from t = 0 to ``t_end``; ``noise(step) -> {k: randn values}``."""
        dt = t_end / n_steps
        state = dict(values)
        for n in range(n_steps):
            if noise is not None:
                draws = noise(n)
                self.randn = lambda k, draws=draws: draws[k]
            state = self.step(state, n * dt, dt)
        return state


def fitted_order(dts, errors) -> float:
    """Slope of log(error) against log(dt)."""
    return float(np.polyfit(np.log(dts), np.log(errors), 1)[0])
