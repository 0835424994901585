"""SymPy expressions (as eqsnn parsed them) → LEMS expression text.

The inverse of :mod:`eqsnn.neuroml.expressions`: ``x**2`` → ``x^2``, ``a > b`` →
``a .gt. b``, ``&``/``|`` → ``.and.``/``.or.``, and a condition used as a number (eqsnn
writes ``(v > 0)*x``, SymPy ``Piecewise((1, v > 0), (0, True))*x``) → the Heaviside
``H(v - 0)``, which is how :mod:`~eqsnn.neuroml.expressions` reads ``H`` back.
``clip(x, a, b)`` is written with ``H`` too. Anything LEMS cannot say (noise, ``rand()``,
other piecewise forms) raises
:class:`UnsupportedExport`.
"""
from __future__ import annotations

import sympy
from sympy.printing.str import StrPrinter

__all__ = ["lems_expression", "UnsupportedExport"]

_FUNCTIONS = {"exp", "log", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "abs",
              "ceiling", "floor"}
_RELATIONS = {">": ".gt.", "<": ".lt.", ">=": ".geq.", "<=": ".leq.", "==": ".eq.",
              "!=": ".neq."}


class UnsupportedExport(ValueError):
    """Part of an eqsnn model that has no LEMS equivalent; the exporter adds where."""


class _LemsPrinter(StrPrinter):
    def __init__(self, rename, calls):
        super().__init__({"full_prec": True})
        self.rename = rename
        self.calls = calls

    def _print_Symbol(self, expr):
        return self.rename(expr.name)

    def _print_Pow(self, expr, rational=False):
        base, power = expr.as_base_exp()
        if power == sympy.S.Half:
            return f"sqrt({self._print(base)})"
        if power.is_number and power < 0:
            inverse = sympy.Pow(base, -power, evaluate=False) if power != -1 else base
            return f"1 / ({self._print(inverse)})"
        return f"({self._print(base)})^({self._print(power)})"

    def _print_Mul(self, expr):
        numerator, denominator = sympy.fraction(expr, exact=True)
        if denominator != 1:
            return f"({self._print(numerator)}) / ({self._print(denominator)})"
        factors = [f"({self._print(f)})" if f.is_Add else self._print(f)
                   for f in expr.as_ordered_factors()]
        if factors and factors[0] == "-1":
            return "-" + " * ".join(factors[1:])
        return " * ".join(factors)

    def _print_Relational(self, expr):
        return f"({self._print(expr.lhs)} {_RELATIONS[expr.rel_op]} {self._print(expr.rhs)})"

    def _print_And(self, expr):
        return " .and. ".join(self._print(a) for a in expr.args)

    def _print_Or(self, expr):
        return "(" + " .or. ".join(self._print(a) for a in expr.args) + ")"

    def _print_Not(self, expr):
        inner = expr.args[0]
        if isinstance(inner, sympy.core.relational.Relational):
            return self._print(inner.negated)
        raise UnsupportedExport(f"'not' of {inner} (LEMS has no negation)")

    def _print_Piecewise(self, expr):
        pieces = expr.args
        if len(pieces) == 2 and pieces[0].expr == 1 and pieces[1].expr == 0 \
                and pieces[1].cond == sympy.true:
            condition = pieces[0].cond
            if isinstance(condition, (sympy.StrictGreaterThan, sympy.GreaterThan)):
                return f"H({self._print(condition.lhs - condition.rhs)})"
            if isinstance(condition, (sympy.StrictLessThan, sympy.LessThan)):
                return f"H({self._print(condition.rhs - condition.lhs)})"
        raise UnsupportedExport(f"the conditional expression {expr} (LEMS writes a "
                                f"condition in arithmetic only as H(x))")

    def _print_Function(self, expr):
        name = expr.func.__name__
        if name in self.calls:
            return self.calls[name](expr.args)
        if name == "clip":
            return self._clip(*(self._print(a) for a in expr.args))
        if name == "Abs":
            name = "abs"
        if name == "ceiling":
            name = "ceil"
        if name.lower() in _FUNCTIONS or name in ("abs", "ceil"):
            return f"{name}({', '.join(self._print(a) for a in expr.args)})"
        raise UnsupportedExport(f"the function {name}() has no LEMS equivalent")

    @staticmethod
    def _clip(x: str, low: str, high: str) -> str:
        """``clip(x, low, high)`` with Heaviside steps, exact whether jLEMS's ``H(0)``
        is 0 or 1: at most one of the three terms is not zero, and it is the value."""
        below, above = f"H({low} - ({x}))", f"H(({x}) - {high})"
        return (f"({low}) * {below} + ({high}) * {above} + ({x}) * (1 - {below} - "
                f"{above})")

    _print_Abs = _print_Function
    _print_exp = _print_Function
    _print_log = _print_Function

    def _print_Exp1(self, expr):
        return repr(float(sympy.E))

    def _print_Pi(self, expr):
        return repr(float(sympy.pi))

    def _print_Float(self, expr):
        return repr(float(expr))

    def _print_Rational(self, expr):
        return f"({expr.p}/{expr.q})" if expr.q != 1 else str(expr.p)

    def _print_Integer(self, expr):
        return str(int(expr))

    def _print_BooleanTrue(self, expr):
        raise UnsupportedExport("a constant condition")

    def emptyPrinter(self, expr):
        raise UnsupportedExport(f"{expr} ({type(expr).__name__}) has no LEMS equivalent")


def lems_expression(expr, rename=lambda name: name, calls=None) -> str:
    """``expr`` (SymPy) in LEMS syntax; ``rename`` maps eqsnn names to LEMS names,
    ``calls`` user functions (a TimedArray) to what prints a call of them from its
    arguments."""
    for atom in sympy.preorder_traversal(expr):
        name = type(atom).__name__
        if name in ("rand", "randn"):
            raise UnsupportedExport(f"{name}() has no LEMS equivalent (jLEMS's random() "
                                    f"draws other numbers than eqsnn's: the export could "
                                    f"not give eqsnn's results)")
        if name in ("exprel", "int_", "sign"):
            raise UnsupportedExport(f"{name}() has no LEMS equivalent")
    return _LemsPrinter(rename, calls or {}).doprint(expr)
