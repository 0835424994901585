"""floor, ceil and int() of a quotient, evaluated as written.

SymPy distributes a rational factor over a sum: ``(i - 5)/3`` is stored as
``i/3 - 5/3``, which floating point evaluates to -2.2e-16 at i = 5. Inside ``floor``,
``ceil``, ``int()`` (and ``%``, printed with a floor) that is a whole step too early at
every exact multiple. The printers gather such an argument back into ``n/q`` (n free of
fractions, q a whole number) and call a support function that rounds the quotient
exactly (``eqsnn_floor_quotient`` and its twins, in ``templates/eqsnn_support.h`` and
:mod:`eqsnn.codegen.numpy_support`): printing ``floor((i - 5.0)/3.0)`` would not do, as
gcc with ``-ffast-math`` computes it as ``(i - 5.0)*(1/3.0)``.

A quotient is gathered only where a rounding function takes it, so arithmetic elsewhere
prints (and costs) as before. Common-subexpression elimination would take the argument
apart first (``_cse0 = i/3 - 5/3`` shared by a floor and an int()), so the integrators
hold each such call as an opaque one across it (:func:`hold_quotients`,
:func:`release_quotients`).
"""
from __future__ import annotations

import math

import sympy

from eqsnn.equations import functions as fn
from eqsnn.equations.conditions import is_condition

__all__ = ["QUOTIENT_CALLEES", "as_quotient", "hold_quotients", "release_quotients"]

#: SymPy class name -> the support function rounding n/q (same name on both backends)
QUOTIENT_CALLEES = {"floor": "eqsnn_floor_quotient", "ceiling": "eqsnn_ceil_quotient",
                    "trunc": "eqsnn_trunc_quotient"}
_ROUNDING = (sympy.floor, sympy.ceiling, fn.trunc)
_HELD = {cls: sympy.Function(f"_held_{cls.__name__}") for cls in _ROUNDING}
_RELEASED = {held: cls for cls, held in _HELD.items()}


def as_quotient(expr) -> tuple[sympy.Expr, int] | None:
    """``(n, q)`` with ``expr == n/q``: q > 1 the least common denominator of the rational
    factors of ``expr``'s terms, n free of fractions; ``None`` when there is no such
    factor, a term has a floating-point one, or ``expr`` is a condition."""
    if is_condition(expr):
        return None
    terms = [term.as_coeff_Mul() for term in sympy.Add.make_args(expr)]
    if not all(coefficient.is_Rational for coefficient, _ in terms):
        return None
    q = math.lcm(*[int(coefficient.q) for coefficient, _ in terms])
    if q == 1:
        return None
    return sympy.Add(*[coefficient * q * rest for coefficient, rest in terms]), q


def hold_quotients(expr):
    """``expr`` with each floor/ceil/int() of a quotient replaced by an opaque call of
    (n, q), which common-subexpression elimination keeps whole."""
    def hold(call):
        quotient = as_quotient(call.args[0])
        return call if quotient is None else _HELD[call.func](quotient[0], quotient[1])
    return expr.replace(lambda node: isinstance(node, _ROUNDING), hold)


def release_quotients(expr):
    """The inverse of :func:`hold_quotients`: ``floor(n/q)`` again (n may now be a
    temporary, ``floor(_cse0/3)``, which the printers gather as well)."""
    return expr.replace(lambda node: getattr(node, "func", None) in _RELEASED,
                        lambda call: _RELEASED[call.func](call.args[0] / call.args[1]))
