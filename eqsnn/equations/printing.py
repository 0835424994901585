"""Printing SymPy expressions back in eqsnn's equation language, and as LaTeX.

:func:`to_text` is the inverse of the parser: its output parses back to the same SymPy
expression (floats are printed with ``repr`` so no digit is lost; ``asin`` prints as the
language's ``arcsin``; ``rand(3)`` as ``rand()``).
"""
from __future__ import annotations

import sympy
from sympy.printing.str import StrPrinter

from eqsnn.equations.functions import rand, randn

__all__ = ["to_text", "to_latex", "function_name", "EquationPrinter"]

# SymPy's class name → the name users write.
_NAMES = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "ceiling": "ceil",
          "Abs": "abs", "trunc": "int"}
_RELATIONS = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def function_name(expr: sympy.Basic) -> str:
    """The equation-language name of the function applied in ``expr``."""
    name = getattr(expr.func, "__name__", str(expr.func))
    return _NAMES.get(name, name)


class EquationPrinter(StrPrinter):
    """SymPy's string printer, speaking eqsnn's equation language."""

    printmethod = "_eqsnn_text"

    def _print_Float(self, expr):
        value = float(expr)
        return repr(value) if value >= 0 else f"-{repr(-value)}"

    def _print_Relational(self, expr):
        op = _RELATIONS.get(expr.rel_op, expr.rel_op)
        return f"{self._number(expr.lhs)} {op} {self._number(expr.rhs)}"

    def _number(self, expr) -> str:
        """``expr`` printed so that it parses back as a number, even a condition-as-number
        (which would otherwise read back as a condition: '1*(v > 0)')."""
        text = self._print(expr)
        return f"1*{text}" if isinstance(expr, sympy.Piecewise) else text

    def _print_And(self, expr):
        return " and ".join(f"({self._print(a)})" for a in expr.args)

    def _print_Or(self, expr):
        return " or ".join(f"({self._print(a)})" for a in expr.args)

    def _print_Not(self, expr):
        return f"not ({self._print(expr.args[0])})"

    def _print_BooleanTrue(self, expr):
        return "True"

    def _print_BooleanFalse(self, expr):
        return "False"

    def _print_Pi(self, expr):
        return "pi"

    def _print_Exp1(self, expr):
        return "e"

    def _print_Infinity(self, expr):
        return "inf"

    def _print_NegativeInfinity(self, expr):
        return "-inf"

    def _print_Piecewise(self, expr):
        # The parser's own Piecewise: a condition used as a number, 1 where it holds.
        first, rest = expr.args[0], expr.args[1:]
        if (len(expr.args) == 2 and first.expr == 1 and rest[0].expr == 0
                and rest[0].cond is sympy.true):
            return f"({self._print(first.cond)})"
        if first.cond is sympy.true:
            return self._number(first.expr)
        # One SymPy folded an operation into (x**(v > 0) → Piecewise((1, v > 0),
        # (0**x, True))): the language has no 'if', so write it with conditions as
        # numbers, which parses back to an equal expression.
        otherwise = sympy.Piecewise(*rest) if rest else sympy.Integer(0)
        return (f"({self._number(first.expr)})*({self._print(first.cond)}) + "
                f"({self._number(otherwise)})*(not ({self._print(first.cond)}))")

    def _print_Mod(self, expr):
        left, right = expr.args
        return f"(({self._print(left)}) % ({self._print(right)}))"

    def _print_Function(self, expr):
        if isinstance(expr, (rand, randn)):
            return f"{type(expr).__name__}()"
        args = ", ".join(self._number(a) for a in expr.args)
        return f"{function_name(expr)}({args})"

    def _print_Symbol(self, expr):
        return expr.name


_TEXT = EquationPrinter({"order": None})


def to_text(expr: sympy.Basic) -> str:
    """``expr`` in the equation language (parses back to ``expr``)."""
    return _TEXT._number(expr)


def to_latex(expr: sympy.Basic) -> str:
    """``expr`` as LaTeX (SymPy's printer, with the language's function names)."""
    return sympy.latex(expr, inv_trig_style="full")


def _flags_text(flags) -> str:
    return f" ({', '.join(sorted(flags))})" if flags else ""


def entry_text(entry) -> str:
    """One definition as a line of the equation language."""
    from eqsnn.equations.unit_strings import format_unit

    unit = format_unit(entry.unit) if entry.type == "float" else entry.type
    if entry.kind == "differential":
        left = f"d{entry.name}/dt = {to_text(entry.expr)}"
    elif entry.kind == "subexpression":
        left = f"{entry.name} = {to_text(entry.expr)}"
    else:
        left = entry.name
    return f"{left} : {unit}{_flags_text(entry.flags)}"


def equations_text(equations) -> str:
    """All definitions, one per line, in source order."""
    return "\n".join(entry_text(e) for e in equations.entries)


def _unit_latex(unit) -> str:
    if unit.dimensionless:
        return "1"
    return f"{unit:L}"


def equations_latex(equations) -> str:
    """An ``align*`` block: one row per definition, its unit on the right."""
    rows = []
    for entry in equations.entries:
        name = sympy.latex(sympy.Symbol(entry.name))
        if entry.kind == "differential":
            left = rf"\frac{{d{name}}}{{dt}}"
        else:
            left = name
        right = "" if entry.expr is None else to_latex(entry.expr)
        relation = "&=" if entry.expr is not None else "&"
        flags = (r"\quad\text{(" + ", ".join(sorted(entry.flags)) + ")}"
                 if entry.flags else "")
        rows.append(rf"{left} {relation} {right} && \left[{_unit_latex(entry.unit)}\right]"
                    + flags)
    return "$$\n\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}\n$$"
