"""Dimensional analysis of SymPy expressions.

:func:`check_dimensions` walks an expression bottom-up and returns its dimension (a pint
``UnitsContainer``), raising :class:`DimensionMismatchError` where terms of different
dimensions are added or compared, or where a function that needs a dimensionless argument
(``exp``, ``log``, ``sin``, ``exprel`` …) gets one with a unit.

Two values are dimension-agnostic: a bare literal ``0`` (``v = 0`` for a voltage is
allowed, as in Brian2) and the result of a user function whose dimension is not in
``dims`` (the runtime knows it later). Both are represented by ``None`` while walking.
A zero that multiplies a unit is not bare: ``0*nA`` is a current. Check the expression
as written (``unit_expr``), before SymPy folded ``0*nA`` to ``0``.
"""
from __future__ import annotations

from typing import Mapping

import sympy
from sympy.core.function import AppliedUndef
from sympy.logic.boolalg import BooleanAtom, BooleanFunction

from eqsnn.equations import functions as fn
from eqsnn.equations.hints import did_you_mean
from eqsnn.equations.functions import rand, randn
from eqsnn.equations.symbols import is_noise_name
from eqsnn.errors import DimensionMismatchError, SourceSpan, UnknownNameError
from eqsnn.units import DIMENSIONLESS, Dimension, format_dimension, ureg

__all__ = ["check_dimensions", "dimension_as_written", "BUILTIN_DIMENSIONS", "NOISE_DIMENSION"]

_SECOND = ureg.second.dimensionality
#: White noise ``xi`` has unit second**-0.5: ``xi*dt`` is a Wiener increment.
NOISE_DIMENSION = (ureg.second ** -0.5).dimensionality
#: Names the runtime provides, with their dimensions.
BUILTIN_DIMENSIONS: dict[str, Dimension] = {
    "t": _SECOND, "dt": _SECOND, "lastspike": _SECOND,
    "i": DIMENSIONLESS, "j": DIMENSIONLESS, "N": DIMENSIONLESS, "N_pre": DIMENSIONLESS,
    "N_post": DIMENSIONLESS, "N_incoming": DIMENSIONLESS, "N_outgoing": DIMENSIONLESS,
    "not_refractory": DIMENSIONLESS, "t_in_timesteps": DIMENSIONLESS,
}



def check_dimensions(expr: sympy.Basic, dims: Mapping[str, Dimension], *,
                     span: SourceSpan | None = None) -> Dimension:
    """The dimension of ``expr``, checking that every operation in it is consistent.

    Parameters
    ----------
    expr
        A SymPy expression from the parser (or an integrator).
    dims
        Dimension of every name in ``expr`` (state variables, parameters, namespace
        constants). ``t``, ``dt``, ``i``, ``N``, … and noise ``xi`` are known already. A
        user function ``f(x)`` has the dimension ``dims["f"]`` if given, otherwise any.
    span
        Where ``expr`` was written, for the error message.

    Returns
    -------
    Dimension
        ``DIMENSIONLESS`` for conditions and dimension-agnostic results.

    Raises
    ------
    DimensionMismatchError
        Listing each offending term with its dimension.
    UnknownNameError
        For a name missing from ``dims``.
    """
    result = dimension_as_written(expr, dims, span=span)
    return DIMENSIONLESS if result is None else result


def dimension_as_written(expr: sympy.Basic, dims: Mapping[str, Dimension], *,
                         span: SourceSpan | None = None) -> Dimension | None:
    """Like :func:`check_dimensions`, but ``None`` where the value fits any unit: a bare
    ``0`` (``v = 0`` for a voltage, as in Brian2) or a user function of unknown unit.

    Give it the expression *as written* (``unit_expr`` of a parsed expression or
    statement): ``0*nA`` has unit amp, like ``2*nA``; only SymPy's folded form of it,
    ``0``, would fit anything.
    """
    return _Checker(dims, span).dim(expr)


class _Checker:
    def __init__(self, dims: Mapping[str, Dimension], span: SourceSpan | None):
        self.dims = dims
        self.span = span

    def fail(self, message: str, hint: str | None = None):
        raise DimensionMismatchError(message, span=self.span, hint=hint)

    def dim(self, expr):
        if isinstance(expr, sympy.Symbol):
            return self.symbol(expr.name)
        if isinstance(expr, (BooleanAtom, sympy.NumberSymbol)) or expr.is_Number:
            return None if expr.is_zero else DIMENSIONLESS
        if isinstance(expr, sympy.Add):
            return self.same([(term, self.dim(term)) for term in expr.args], "added")
        if isinstance(expr, sympy.Mul):
            result, unknown = DIMENSIONLESS, False
            for factor in expr.args:
                d = self.dim(factor)
                # A literal zero is a plain number here: 0*nA has the unit of nA.
                unknown = unknown or (d is None and not factor.is_Number)
                result = result if d is None else result * d
            return None if unknown else result
        if isinstance(expr, sympy.Pow):
            return self.power(expr)
        if isinstance(expr, sympy.core.relational.Relational):
            self.same([(side, self.dim(side)) for side in expr.args], "compared")
            return DIMENSIONLESS
        if isinstance(expr, BooleanFunction):
            for arg in expr.args:
                self.dim(arg)
            return DIMENSIONLESS
        if isinstance(expr, sympy.Piecewise):
            for _, condition in expr.args:
                self.dim(condition)
            return self.same([(value, self.dim(value)) for value, _ in expr.args],
                             "alternatives of a Piecewise")
        if isinstance(expr, sympy.Function):
            return self.function(expr)
        self.fail(f"cannot determine the unit of '{_show(expr)}'")

    def symbol(self, name: str):
        if name in self.dims:
            return self.dims[name]
        if name in BUILTIN_DIMENSIONS:
            return BUILTIN_DIMENSIONS[name]
        if is_noise_name(name):
            return NOISE_DIMENSION
        hint = did_you_mean(name, list(self.dims) + list(BUILTIN_DIMENSIONS))
        raise UnknownNameError(f"unknown name '{name}': not defined in the equations or "
                               f"the namespace", span=self.span,
                               hint=hint or f"define it ('{name} : <unit>') or pass it "
                                            f"in the namespace")

    def same(self, pairs, verb: str):
        """All known dimensions in ``pairs`` must agree; return the common one."""
        known = [(e, d) for e, d in pairs if d is not None]
        if not known:
            return None
        first = known[0][1]
        if any(d != first for _, d in known):
            terms = "\n".join(f"    {_show(e)}  [{format_dimension(d)}]" for e, d in known)
            self.fail(f"terms with different units are {verb}:\n{terms}",
                      hint="every term must have the same unit; check the units of "
                           "the parameters involved")
        return first

    def power(self, expr: sympy.Pow):
        base, exponent = expr.args
        base_dim = self.dim(base)
        exponent_dim = self.dim(exponent)
        if exponent_dim not in (None, DIMENSIONLESS):
            self.fail(f"the exponent of '{_show(expr)}' has unit "
                      f"{format_dimension(exponent_dim)}; exponents must be dimensionless")
        if base_dim in (None, DIMENSIONLESS):
            return base_dim
        if not exponent.is_Number:
            self.fail(f"'{_show(expr)}' raises a quantity with unit "
                      f"{format_dimension(base_dim)} to a non-numeric power",
                      hint="only numeric powers of quantities have a unit; "
                           "divide by a reference value first")
        power = float(exponent)
        return base_dim ** (int(power) if power.is_integer() else power)

    def function(self, expr: sympy.Function):
        args = expr.args
        if isinstance(expr, (rand, randn)):
            return DIMENSIONLESS
        known = None if isinstance(expr, AppliedUndef) else fn.BY_SYMPY_NAME.get(type(expr).__name__)
        units = known.units if known is not None else None
        if units == fn.DIMENSIONLESS:
            for arg in args:
                d = self.dim(arg)
                if d not in (None, DIMENSIONLESS):
                    self.fail(f"{_function_name(expr)}() needs a dimensionless argument, "
                              f"but '{_show(arg)}' has unit {format_dimension(d)}",
                              hint="divide by a reference value with the same unit")
            return DIMENSIONLESS
        if units == fn.ANY:
            self.dim(args[0])
            return DIMENSIONLESS
        if units in (fn.SAME, fn.RATIO):
            combined = "combined by %" if isinstance(expr, sympy.Mod) else \
                f"given to {_function_name(expr)}()"
            same = self.same([(a, self.dim(a)) for a in args], combined)
            return same if units == fn.SAME else DIMENSIONLESS
        # A user function (TimedArray …): its arguments must make sense on their own.
        for arg in args:
            self.dim(arg)
        name = _function_name(expr)
        return self.dims.get(name)


def _function_name(expr) -> str:
    from eqsnn.equations.printing import function_name

    return function_name(expr)


def _show(expr) -> str:
    from eqsnn.equations.printing import to_text

    return to_text(expr)
