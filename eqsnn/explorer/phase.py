"""The phase plane of a two-variable model, fast enough to follow a slider.

SymPy works once, when the explorer is made: the right-hand sides (subexpressions
substituted) become numpy functions of the two states and of every constant. Each
redraw then evaluates them on a grid: the nullclines are the zero contours, the fixed
points where the ``x``-nullcline crosses the ``y``-nullcline (refined by Newton's method),
and their stability the eigenvalues of the Jacobian there (by finite differences).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["PhasePlane", "FixedPoint"]


@dataclass(frozen=True)
class FixedPoint:
    x: float            # SI
    y: float            # SI
    eigenvalues: np.ndarray
    stability: str      # "stable node", "unstable focus", "saddle", … (as models.fixed_points)

    @property
    def stable(self) -> bool:
        return self.stability.startswith("stable")


class PhasePlane:
    """Nullclines and fixed points of ``dx/dt = f(x, y)``, ``dy/dt = g(x, y)``."""

    def __init__(self, equations: str, constants: list[str]):
        import sympy

        from eqsnn import units
        from eqsnn.equations import parse_equations
        from eqsnn.equations.symbols import symbol
        from eqsnn.models.analysis import _numeric  # eqsnn's functions mapped to numpy
        parsed = parse_equations(equations)
        self.x_name, self.y_name = list(parsed.differential)
        self.dims = (parsed.differential[self.x_name].dim, parsed.differential[self.y_name].dim)
        names = sorted(set(constants) | {n for n in parsed.external_names
                                         if n in units.UNIT_NAMES and n not in constants})
        self._units = {n: float(units.to_si(1 * units.UNIT_NAMES[n])[0])
                       for n in names if n in units.UNIT_NAMES and n not in constants}
        self._args = [symbol(self.x_name), symbol(self.y_name)] + [symbol(n) for n in names]
        self._names = names
        rhs = [parsed.rhs(self.x_name), parsed.rhs(self.y_name)]
        free = set().union(*(e.free_symbols for e in rhs)) - set(self._args)
        self._free = free - {symbol("t")}
        self._f = [_numeric(sympy.sympify(e), self._args) for e in rhs]

    def missing(self, constants: dict[str, float]) -> list[str]:
        return sorted(s.name for s in self._free if s.name not in constants)

    def rates(self, x, y, constants: dict[str, float]):
        """``(dx/dt, dy/dt)`` in SI at the points ``(x, y)`` (arrays broadcast)."""
        values = {**self._units, **constants}
        extra = [values.get(n, 0.0) for n in self._names]
        x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
        return [np.broadcast_to(np.asarray(f(x, y, *extra), dtype=float), x.shape)
                for f in self._f]

    def grid(self, x_range, y_range, constants, n: int = 120):
        """``(X, Y, F, G)`` on an ``n``×``n`` grid (SI)."""
        X, Y = np.meshgrid(np.linspace(*x_range, n), np.linspace(*y_range, n))
        with np.errstate(all="ignore"):
            F, G = self.rates(X, Y, constants)
        return X, Y, F, G

    def fixed_points(self, x_range, y_range, constants, n: int = 160) -> list[FixedPoint]:
        """Crossings of the two nullclines inside the box, refined and classified."""
        import contourpy
        X, Y, F, G = self.grid(x_range, y_range, constants, n)
        lines = contourpy.contour_generator(X, Y, np.nan_to_num(G, nan=0.0)).lines(0.0)
        found: list[FixedPoint] = []
        for line in lines:
            if len(line) < 2:
                continue
            with np.errstate(all="ignore"):
                f = self.rates(line[:, 0], line[:, 1], constants)[0]
            crossings = np.flatnonzero(np.sign(f[:-1]) * np.sign(f[1:]) < 0)
            for k in crossings:
                w = f[k] / (f[k] - f[k + 1])
                guess = line[k] + w * (line[k + 1] - line[k])
                point = self._newton(guess, constants)
                if point is None or not _inside(point, x_range, y_range):
                    continue
                if any(np.allclose((p.x, p.y), point, rtol=1e-6, atol=1e-12) for p in found):
                    continue
                from eqsnn.models.analysis import _classify  # one classification
                eigenvalues = np.linalg.eigvals(self._jacobian(point, constants))
                found.append(FixedPoint(float(point[0]), float(point[1]), eigenvalues,
                                        _classify(eigenvalues)))
        return sorted(found, key=lambda p: p.x)

    def _jacobian(self, point, constants) -> np.ndarray:
        x, y = point
        hx, hy = 1e-7 * max(abs(x), 1e-3), 1e-7 * max(abs(y), 1e-3)
        fx1, gx1 = self.rates(x + hx, y, constants)
        fx0, gx0 = self.rates(x - hx, y, constants)
        fy1, gy1 = self.rates(x, y + hy, constants)
        fy0, gy0 = self.rates(x, y - hy, constants)
        return np.array([[(fx1 - fx0) / (2 * hx), (fy1 - fy0) / (2 * hy)],
                         [(gx1 - gx0) / (2 * hx), (gy1 - gy0) / (2 * hy)]], dtype=float)

    def _newton(self, guess, constants, steps: int = 30):
        point = np.asarray(guess, dtype=float)
        for _ in range(steps):
            f, g = self.rates(point[0], point[1], constants)
            J = self._jacobian(point, constants)
            try:
                delta = np.linalg.solve(J, -np.array([float(f), float(g)]))
            except np.linalg.LinAlgError:
                return None
            point = point + delta
            if np.all(np.abs(delta) <= 1e-12 + 1e-10 * np.abs(point)):
                return point
        return point if np.all(np.isfinite(point)) else None


def _inside(point, x_range, y_range) -> bool:
    return x_range[0] <= point[0] <= x_range[1] and y_range[0] <= point[1] <= y_range[1]
