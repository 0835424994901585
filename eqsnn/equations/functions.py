"""The functions allowed inside equation strings: one table (:data:`TABLE`) that every
stage reads — the parser (name → SymPy), the unit checker, the C and numpy printers and
the evaluator of initialisers.

Standard functions map to SymPy's own (``exp`` → ``sympy.exp``). The few that SymPy lacks
are defined here as ``sympy.Function`` subclasses so every later stage (integrators,
printers) can recognise them by class:

* ``exprel(x) = (exp(x) - 1)/x`` with ``exprel(0) = 1`` — the stable building block for
  rate functions such as HH's ``alpha_m``; same definition as ``scipy.special.exprel``
  and Brian2's ``exprel``. (``x/(exp(x) - 1)`` is ``1/exprel(x)``.)
* ``clip(x, low, high)``.
* ``rand(k)``, ``randn(k)`` — uniform in [0, 1) and standard normal. Users write
  ``rand()``; the parser fills in ``k``, a distinct integer per call site, so that two
  calls are two independent numbers (and common-subexpression elimination cannot merge
  them).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy
from sympy import S

__all__ = ["exprel", "exprel_from_exp", "inv_exprel", "inv_exprel_from_exp", "clip", "trunc",
           "rand", "randn", "MathFunction", "TABLE", "BY_SYMPY_NAME", "FUNCTIONS",
           "RANDOM_FUNCTIONS", "spellings", "DIMENSIONLESS", "SAME", "RATIO", "ANY"]


class exprel(sympy.Function):
    """``(exp(x) - 1)/x``, continuous at 0 where it is 1."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return S.One
        if x.is_Number:
            return (sympy.exp(x) - 1) / x

    def fdiff(self, argindex=1):
        x = self.args[0]
        return ((x - 1) * sympy.exp(x) + 1) / x**2

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return (sympy.exp(x) - 1) / x

    def _eval_is_real(self):
        return self.args[0].is_real

    def _latex(self, printer):
        return r"\operatorname{exprel}\left(%s\right)" % printer._print(self.args[0])


class exprel_from_exp(sympy.Function):
    """``exprel(x)`` given ``exp(x) = p/q``, computed once for several calls (only the
    build stage writes it: :mod:`eqsnn.lowering.exponentials`)."""

    nargs = 3

    def _eval_rewrite_as_exp(self, x, p, q, **kwargs):
        return (p / q - 1) / x

    def _latex(self, printer):
        return r"\operatorname{exprel}\left(%s\right)" % printer._print(self.args[0])


class inv_exprel_from_exp(sympy.Function):
    """``1/exprel(x) = x/(exp(x) - 1)`` given ``exp(x) = p/q`` (as :class:`exprel_from_exp`)."""

    nargs = 3

    def _eval_rewrite_as_exp(self, x, p, q, **kwargs):
        return x / (p / q - 1)

    def _latex(self, printer):
        return r"\operatorname{exprel}\left(%s\right)^{-1}" % printer._print(self.args[0])


class inv_exprel(sympy.Function):
    """``1/exprel(x) = x/expm1(x)``: one division where ``c/exprel(x)`` takes two (only
    the build stage writes it: :mod:`eqsnn.lowering.exponentials`)."""

    nargs = 1

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return x / (sympy.exp(x) - 1)

    def _latex(self, printer):
        return r"\operatorname{exprel}\left(%s\right)^{-1}" % printer._print(self.args[0])


class trunc(sympy.Function):
    """``int(x)``: x rounded toward zero, as Brian2's ``int`` (and C's cast) does."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_Number and x.is_finite:
            return sympy.Integer(int(x))

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_integer(self):
        return self.args[0].is_real

    def _latex(self, printer):
        return r"\operatorname{int}\left(%s\right)" % printer._print(self.args[0])


class clip(sympy.Function):
    """``clip(x, low, high)``: x limited to [low, high]."""

    nargs = 3

    @classmethod
    def eval(cls, x, low, high):
        if x.is_Number and low.is_Number and high.is_Number:
            return sympy.Min(sympy.Max(x, low), high)

    def _eval_rewrite_as_Min(self, x, low, high, **kwargs):
        return sympy.Min(sympy.Max(x, low), high)

    def _eval_is_real(self):
        return self.args[0].is_real


class rand(sympy.Function):
    """Uniform random number in [0, 1); the argument is the call-site id."""

    nargs = 1
    # Not a constant: with its numeric call-site id SymPy would take rand(0) for a
    # number and try to decide comparisons such as rand(0) < 1 numerically, which never
    # ends (Piecewise construction hung on '(1 > rand())*1').
    is_number = False

    def _eval_is_real(self):
        return True

    def _eval_evalf(self, prec):
        # Never a number: without this, SymPy would call mpmath's own ``rand``.
        return None

    def _latex(self, printer):
        return r"\operatorname{rand}()"


class randn(sympy.Function):
    """Standard normal random number; the argument is the call-site id."""

    nargs = 1
    is_number = False  # see rand

    def _eval_is_real(self):
        return True

    def _eval_evalf(self, prec):
        return None

    def _latex(self, printer):
        return r"\operatorname{randn}()"


# --- the one table of functions -----------------------------------------------------------
#: How a function's units work (read by :func:`eqsnn.equations.check_dimensions`).
DIMENSIONLESS = "dimensionless"   # dimensionless arguments, dimensionless result
SAME = "same"                     # arguments share one unit; the result has it
RATIO = "ratio"                   # arguments share one unit; the result is dimensionless
ANY = "any"                       # any unit in, dimensionless out (sign)


@dataclass(frozen=True)
class MathFunction:
    """One built-in function and how every stage spells it.

    Attributes
    ----------
    name
        Its name in equation strings; ``None`` for functions only SymPy's rewriting
        passes produce (``expm1``, ``log1p``, ``atan2``) or SymPy's own (``Min``, ``Mod``).
    sympy_name
        Class name of the SymPy function the later stages see; ``None`` where the parser
        builds something else (``sqrt(x)`` is ``x**(1/2)``, ``log10(x)`` is
        ``log(x)/log(10)``).
    nargs
        Number of arguments.
    c, numpy
        The callee in generated C and numpy code; ``None`` where a printer method
        writes it (``sign`` as a selection, ``Mod`` through ``floor``; see
        :mod:`eqsnn.printers.code`). ``eqsnn_*`` functions are in
        ``templates/eqsnn_support.h`` and its twin :mod:`eqsnn.codegen.numpy_support`.
    evaluate
        The numpy callee of the initialisers' evaluator (:mod:`eqsnn.runtime.evaluate`),
        resolved by :func:`eqsnn.codegen.numpy_support.numpy_callable`.
    units
        :data:`DIMENSIONLESS`, :data:`SAME`, :data:`RATIO` or :data:`ANY`; ``None`` where
        the units are those of what the parser builds (a power, a logarithm).
    build
        What the parser calls with the arguments; default ``getattr(sympy, sympy_name)``
        (or this module's class of that name).
    """

    name: str | None
    sympy_name: str | None
    nargs: int
    c: str | None
    numpy: str | None
    evaluate: str | None
    units: str | None
    build: Callable | None = None


def _row(name, sympy_name, nargs, c, numpy, units, *, evaluate="", build=None):
    return MathFunction(name, sympy_name, nargs, c, numpy,
                        numpy if evaluate == "" else evaluate, units, build)


#: Every built-in function, once. ``rand``/``randn`` are apart (:data:`RANDOM_FUNCTIONS`):
#: they are not functions of their arguments.
TABLE: tuple[MathFunction, ...] = (
    # eqsnn_exp/eqsnn_expm1 (templates/eqsnn_support.h): the C library's exp and expm1, or
    # eqsnn's own, inline, with CompilerOptions(exp="inline")
    _row("exp", "exp", 1, "eqsnn_exp", "np.exp", DIMENSIONLESS),
    _row("log", "log", 1, "log", "np.log", DIMENSIONLESS),
    _row("log10", None, 1, None, None, None, build=lambda x: sympy.log(x, 10)),
    _row("sqrt", None, 1, None, None, None, build=sympy.sqrt),  # a power: x**(1/2)
    _row("sin", "sin", 1, "sin", "np.sin", DIMENSIONLESS),
    _row("cos", "cos", 1, "cos", "np.cos", DIMENSIONLESS),
    _row("tan", "tan", 1, "tan", "np.tan", DIMENSIONLESS),
    _row("sinh", "sinh", 1, "sinh", "np.sinh", DIMENSIONLESS),
    _row("cosh", "cosh", 1, "cosh", "np.cosh", DIMENSIONLESS),
    _row("tanh", "tanh", 1, "tanh", "np.tanh", DIMENSIONLESS),
    _row("arcsin", "asin", 1, "asin", "np.arcsin", DIMENSIONLESS),
    _row("arccos", "acos", 1, "acos", "np.arccos", DIMENSIONLESS),
    _row("arctan", "atan", 1, "atan", "np.arctan", DIMENSIONLESS),
    _row("abs", "Abs", 1, "fabs", "np.abs", SAME),
    _row("floor", "floor", 1, "floor", "np.floor", SAME),
    _row("ceil", "ceiling", 1, "ceil", "np.ceil", SAME),
    _row("int", "trunc", 1, "trunc", "np.trunc", DIMENSIONLESS),  # Brian2: toward zero
    _row("sign", "sign", 1, None, None, ANY, evaluate="np.sign"),
    _row("clip", "clip", 3, "eqsnn_clip", "eqsnn_clip", SAME),
    _row("exprel", "exprel", 1, "eqsnn_exprel", "eqsnn_exprel", DIMENSIONLESS),
    # produced by SymPy (sympy.codegen.rewriting's expm1_opt, log1p_opt; simplification)
    _row(None, "expm1", 1, "eqsnn_expm1", "np.expm1", DIMENSIONLESS),
    _row(None, "log1p", 1, "log1p", "np.log1p", DIMENSIONLESS),
    # produced by the build stage's sharing of exponentials (eqsnn/lowering/exponentials.py)
    _row(None, "exprel_from_exp", 3, "eqsnn_exprel_from_exp", "eqsnn_exprel_from_exp",
         DIMENSIONLESS),
    _row(None, "inv_exprel_from_exp", 3, "eqsnn_inv_exprel_from_exp",
         "eqsnn_inv_exprel_from_exp", DIMENSIONLESS),
    _row(None, "inv_exprel", 1, "eqsnn_inv_exprel", "eqsnn_inv_exprel", DIMENSIONLESS),
    _row(None, "atan2", 2, "atan2", "np.arctan2", RATIO),
    # fmin/fmax (C) and np.fmin/np.fmax agree, including on NaN; n arguments are nested
    _row(None, "Min", 2, "fmin", "np.fmin", SAME),
    _row(None, "Max", 2, "fmax", "np.fmax", SAME),
    # floored modulo (Python's %): printed as x - y*floor(x/y) on both backends
    _row(None, "Mod", 2, None, None, SAME, evaluate="np.mod"),
)

#: By SymPy class name: what the printers, the evaluator and the unit checker look up.
BY_SYMPY_NAME: dict[str, MathFunction] = {f.sympy_name: f for f in TABLE if f.sympy_name}


def _builder(function: MathFunction) -> Callable:
    return function.build or globals().get(function.sympy_name) or getattr(sympy, function.sympy_name)


#: name in the equation language → SymPy callable, and the number of arguments.
FUNCTIONS: dict[str, tuple[Callable, int]] = {
    f.name: (_builder(f), f.nargs) for f in TABLE if f.name is not None}
#: Functions that take no user arguments and draw random numbers.
RANDOM_FUNCTIONS = {"rand": rand, "randn": randn}


def spellings(target: str) -> dict[str, str]:
    """SymPy class name → callee in ``target``'s code (``"c"``, ``"numpy"`` or
    ``"evaluate"``), for the functions that have one."""
    return {f.sympy_name: getattr(f, target) for f in TABLE
            if f.sympy_name and getattr(f, target)}
