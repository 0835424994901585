"""The functions allowed inside equation strings, as SymPy objects.

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

import sympy
from sympy import S

__all__ = ["exprel", "clip", "rand", "randn", "FUNCTIONS", "RANDOM_FUNCTIONS"]


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

    def _eval_is_real(self):
        return True

    def _eval_evalf(self, prec):
        return None

    def _latex(self, printer):
        return r"\operatorname{randn}()"


#: name in the equation language → SymPy callable, and the number of arguments.
FUNCTIONS: dict[str, tuple[object, int]] = {
    "exp": (sympy.exp, 1), "log": (sympy.log, 1),
    "log10": (lambda x: sympy.log(x, 10), 1), "sqrt": (sympy.sqrt, 1),
    "sin": (sympy.sin, 1), "cos": (sympy.cos, 1), "tan": (sympy.tan, 1),
    "tanh": (sympy.tanh, 1), "sinh": (sympy.sinh, 1), "cosh": (sympy.cosh, 1),
    "arcsin": (sympy.asin, 1), "arccos": (sympy.acos, 1), "arctan": (sympy.atan, 1),
    "abs": (sympy.Abs, 1), "floor": (sympy.floor, 1), "ceil": (sympy.ceiling, 1),
    "sign": (sympy.sign, 1), "clip": (clip, 3), "exprel": (exprel, 1),
}
#: Functions that take no user arguments and draw random numbers.
RANDOM_FUNCTIONS = {"rand": rand, "randn": randn}
