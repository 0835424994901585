"""White noise: how ``xi`` becomes a Wiener increment drawn once per step.

``xi`` has unit ``second**-0.5``: over a step, ``xi*dt`` is a Wiener increment
``dW ~ N(0, dt)``, drawn as ``sqrt(dt)*randn(k)``. Every noise symbol gets its own
call-site id ``k`` (so common-subexpression elimination can never merge two independent
draws), chosen above every id the user's own ``rand()``/``randn()`` calls already use.
"""
from __future__ import annotations

import sympy

from eqsnn.equations.functions import rand, randn
from eqsnn.equations.symbols import DT, symbol
from eqsnn.integrators.system import OdeSystem

__all__ = ["draw_increments", "increment_symbol", "noise_summary"]


def increment_symbol(xi: sympy.Symbol) -> sympy.Symbol:
    """The temporary holding the Wiener increment of noise symbol ``xi``."""
    return symbol(f"_dW_{xi.name}")


def draw_increments(system: OdeSystem) -> dict[sympy.Symbol, sympy.Expr]:
    """``{_dW_xi: sqrt(dt)*randn(k)}`` for each noise symbol, with fresh ids ``k``."""
    used = [int(call.args[0]) for e in _all_exprs(system)
            for call in e.atoms(rand, randn) if call.args and call.args[0].is_Integer]
    first = max(used, default=-1) + 1
    return {increment_symbol(xi): sympy.sqrt(DT) * randn(first + n)
            for n, xi in enumerate(system.noise_symbols)}


def noise_summary(system: OdeSystem) -> str:
    """E.g. ``"xi in the equation for v"`` for messages."""
    parts = []
    for xi in system.noise_symbols:
        where = [x.name for x in system.states if system.noise(x, xi) != 0]
        parts.append(f"{xi} in the equation{'s' if len(where) > 1 else ''} for "
                     f"{', '.join(where)}")
    return "; ".join(parts)


def _all_exprs(system: OdeSystem):
    yield from system.drift.values()
    for coefficients in system.diffusion.values():
        yield from coefficients.values()
