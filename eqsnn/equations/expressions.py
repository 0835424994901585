"""Python ``ast`` → SymPy, node by node, through a whitelist.

Nothing here evaluates the user's text: it is parsed by :func:`ast.parse` (a parser,
not an interpreter) and every node type is translated by a method of
:class:`ExpressionConverter` or refused with an :class:`EquationSyntaxError` pointing at
the node. Names become :func:`~eqsnn.equations.symbols.symbol`; calls are allowed only to
the built-in functions, ``rand()``/``randn()`` and plain user function names (recorded so
the runtime can resolve or reject them).
"""
from __future__ import annotations

import ast
import builtins
import math
import operator
import sys
from dataclasses import dataclass, field
from typing import Callable

import sympy

from eqsnn.equations.conditions import as_number as _as_number
from eqsnn.equations.conditions import flatten_condition, is_condition
from eqsnn.equations.functions import FUNCTIONS, RANDOM_FUNCTIONS
from eqsnn.equations.hints import (FOREIGN_FUNCTIONS, OPERATOR_HINTS, REFUSED, did_you_mean,
                                   dotted, looks_like_builtin, refused_hint)
from eqsnn.equations.lines import Definition
from eqsnn.equations.symbols import GENERATED_PREFIX, is_noise_name, symbol
from eqsnn.errors import EqsnnError, EquationSyntaxError, ReservedNameError, UnknownNameError

__all__ = ["ExpressionConverter", "RandomIds", "CONSTANTS", "is_condition"]

#: Names that stand for numbers rather than variables.
CONSTANTS = {"pi": sympy.pi, "e": sympy.E, "inf": sympy.oo,
             "True": sympy.true, "False": sympy.false}
#: Deepest expression tree accepted (SymPy and the printers recurse on it).
MAX_DEPTH = 60
#: Largest |log10| of a number a literal power may produce before we refuse to compute it.
_MAX_MAGNITUDE = 300

_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow, ast.Mod: sympy.Mod,
    ast.FloorDiv: lambda a, b: sympy.floor(a / b),  # Python's (and Brian2's) a // b
}
_COMPARE = {
    ast.Lt: sympy.StrictLessThan, ast.LtE: sympy.LessThan, ast.Gt: sympy.StrictGreaterThan,
    ast.GtE: sympy.GreaterThan, ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne,
}
class RandomIds:
    """Hands out the call-site ids of ``rand()``/``randn()``, unique within one parse."""

    def __init__(self, start: int = 0):
        self.next = start

    def take(self) -> int:
        value, self.next = self.next, self.next + 1
        return value


@dataclass
class ExpressionConverter:
    """Translate one parsed expression to SymPy.

    Parameters
    ----------
    definition
        The text being converted, for error positions. ``ast`` columns are offsets into
        ``definition.text`` (UTF-8 bytes, converted to characters here).
    random_ids
        Where ``rand()``/``randn()`` get their ids.
    allow_noise
        Whether ``xi``/``xi_*`` may appear (only in differential equations).
    what
        What the text is, for messages (``"threshold"``, ``"equation"``…).
    """

    definition: Definition
    random_ids: RandomIds = field(default_factory=RandomIds)
    allow_noise: bool = False
    allow_random: bool = True
    what: str = "expression"
    external_functions: set = field(default_factory=set)
    names: set = field(default_factory=set)
    #: Built-in functions and constants used (``exp``, ``pi`` …): a namespace entry of
    #: the same name would never be read, so the runtime refuses one.
    builtins: set = field(default_factory=set)

    # --- entry -------------------------------------------------------------------------
    def _as_float64(self, node: ast.AST, value: sympy.Rational | sympy.Float):
        """A folded constant as the compiled code will hold it: an overflow is an
        error; a value below the smallest normal float64 is 0, as the code flushes it."""
        number = float(value)  # (an exact Rational too: 10**300*10**300 is no float)
        if not math.isfinite(number):
            raise self.error(node, f"this part of the {self.what} evaluates to "
                                   f"{sympy.Float(value, 4)}, beyond the range of a 64-bit float",
                             hint="check the constants and units for a mistake")
        if abs(number) < sys.float_info.min and not value.is_zero:
            return sympy.Float(0)
        return value

    def convert(self, node: ast.AST, depth: int = 0) -> sympy.Basic:
        if depth > MAX_DEPTH:
            raise self.error(node, "the expression is nested too deeply",
                             hint="split it into subexpressions")
        method: Callable | None = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            what = REFUSED.get(type(node), f"'{type(node).__name__}'")
            raise self.error(node, f"{what} is not allowed in a {self.what}",
                             hint=refused_hint(node))
        try:
            result = method(node, depth + 1)
            if isinstance(result, (sympy.Float, sympy.Rational)):
                result = self._as_float64(node, result)
            elif isinstance(result, sympy.Expr) and result.is_number \
                    and result.is_extended_real is False:  # (inf is fine, I and zoo not)
                raise self.error(node, f"this part of the {self.what} evaluates to the "
                                       f"complex number {result}",
                                 hint="the simulator computes with real numbers: check "
                                      "the argument of log, sqrt or **")
            return result
        except EqsnnError:
            raise
        except (TypeError, ValueError, ArithmeticError, AttributeError,
                sympy.SympifyError, RecursionError) as exc:  # SymPy refusing a combination
            raise self.error(node, f"cannot build this {self.what}: {exc}") from None

    # --- positions ---------------------------------------------------------------------
    def _columns(self, node: ast.AST) -> tuple[int, int | None]:
        raw = self.definition.text.encode("utf-8")

        def chars(byte_offset):
            return len(raw[:byte_offset].decode("utf-8", errors="ignore"))

        start = chars(getattr(node, "col_offset", 0))
        end = getattr(node, "end_col_offset", None)
        if getattr(node, "end_lineno", 1) != getattr(node, "lineno", 1):
            end = None
        return start, (chars(end) if end is not None else None)

    def error(self, node: ast.AST, message: str, *, hint: str | None = None,
              cls: type[EqsnnError] = EquationSyntaxError) -> EqsnnError:
        start, end = self._columns(node)
        return cls(message, span=self.definition.span(start, end), hint=hint)

    def operator_error(self, node: ast.BinOp, message: str, *, hint: str | None = None):
        """An error pointing at the operator itself (``v^3``: at the ``^``)."""
        _, left_end = self._columns(node.left)
        right_start, _ = self._columns(node.right)
        text = self.definition.text
        if left_end is not None and left_end < right_start:
            gap = text[left_end:right_start]
            stripped = gap.strip(" ()")
            if stripped:
                start = left_end + gap.index(stripped)
                return EquationSyntaxError(
                    message, span=self.definition.span(start, start + len(stripped)),
                    hint=hint)
        return self.error(node, message, hint=hint)

    # --- leaves ------------------------------------------------------------------------
    def _Constant(self, node: ast.Constant, depth: int):
        value = node.value
        if isinstance(value, bool):
            return sympy.true if value else sympy.false
        if isinstance(value, int):
            if abs(value) > sys.float_info.max:  # compiled code holds it as a double
                raise self.error(node, "this number is beyond the range of a 64-bit "
                                       "float (about 1.8e308)",
                                 hint="write inf for infinity, or check the number")
            return sympy.Integer(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.error(node, "this number is too large",
                                 hint="write inf for infinity")
            return sympy.Float(value)
        if isinstance(value, complex):
            raise self.error(node, "complex numbers are not allowed",
                             hint="'j' after a number makes it imaginary; use * to multiply")
        raise self.error(node, f"{type(value).__name__} values are not allowed in a "
                               f"{self.what}", hint="only numbers and names are allowed")

    def _Name(self, node: ast.Name, depth: int):
        name = node.id
        if name.startswith("__"):
            raise self.error(node, f"the name '{name}' is not allowed",
                             hint="names with double underscores are Python internals")
        if name.startswith(GENERATED_PREFIX):
            raise self.error(node, f"names starting with '{GENERATED_PREFIX}' are reserved "
                                   f"for the names eqsnn generates: '{name}'",
                             hint="rename it without the underscore", cls=ReservedNameError)
        if name in CONSTANTS:
            self.builtins.add(name)
            return CONSTANTS[name]
        if name in FUNCTIONS or name in RANDOM_FUNCTIONS:
            raise self.error(node, f"'{name}' is a function, used here as a value",
                             hint=f"call it: {name}(...)"
                             if name in FUNCTIONS else f"call it: {name}()")
        if is_noise_name(name) and not self.allow_noise:
            raise self.error(node, f"white noise '{name}' is only allowed in differential "
                                   f"equations, not in a {self.what}",
                             hint="move it into a 'dx/dt = ...' equation")
        self.names.add(name)
        return symbol(name)

    # --- operators ---------------------------------------------------------------------
    def _Expression(self, node: ast.Expression, depth: int):
        return self.convert(node.body, depth)

    def _BinOp(self, node: ast.BinOp, depth: int):
        op = type(node.op)
        if op not in _BINARY:
            message, hint = OPERATOR_HINTS.get(op, (f"operator {op.__name__}", None))
            raise self.operator_error(node, f"{message} in a {self.what}", hint=hint)
        left = self.convert(node.left, depth)
        right = self.convert(node.right, depth)
        # A condition in arithmetic counts as 1 or 0, as in Brian2: (t > 50*ms)*I0.
        left, right = _as_number(left), _as_number(right)
        if op is ast.Pow:
            _check_power_size(self, node, left, right)
        if op in (ast.Div, ast.Mod, ast.FloorDiv) and right.is_zero:
            raise self.error(node, "division by zero")
        return _BINARY[op](left, right)

    def _UnaryOp(self, node: ast.UnaryOp, depth: int):
        operand = self.convert(node.operand, depth)
        op = type(node.op)
        if op is ast.USub:
            return -_as_number(operand)
        if op is ast.UAdd:
            return _as_number(operand)
        if op is ast.Not:
            return sympy.Not(_as_condition(self, node.operand, operand))
        message, hint = OPERATOR_HINTS.get(op, (f"operator {op.__name__}", None))
        raise self.error(node, f"{message} in a {self.what}", hint=hint)

    def _BoolOp(self, node: ast.BoolOp, depth: int):
        values = [_as_condition(self, v, self.convert(v, depth)) for v in node.values]
        return (sympy.And if isinstance(node.op, ast.And) else sympy.Or)(*values)

    def _Compare(self, node: ast.Compare, depth: int):
        # Chained comparisons: a < b < c means (a < b) and (b < c).
        terms = [self.convert(node.left, depth)]
        terms += [self.convert(c, depth) for c in node.comparators]
        parts = []
        for index, op in enumerate(node.ops):
            if type(op) not in _COMPARE:
                message, hint = OPERATOR_HINTS.get(type(op), (type(op).__name__, None))
                raise self.error(node, f"{message} in a {self.what}", hint=hint)
            left, right = terms[index], terms[index + 1]
            for side in (left, right):
                if is_condition(side):
                    raise self.error(node, "cannot compare a condition with a value",
                                     hint="combine conditions with 'and'/'or'")
            # Kept as written (0 < v stays 0 < v), except between two numbers: SymPy
            # would take an unevaluated Ne(0, 0) for true inside a Piecewise.
            numbers = left.is_number and right.is_number
            comparison = _COMPARE[type(op)](left, right, evaluate=numbers)
            # A side may hold a condition used as a number: ((x > 1)*x > 0).
            parts.append(flatten_condition(comparison))
        return parts[0] if len(parts) == 1 else sympy.And(*parts)

    # --- calls -------------------------------------------------------------------------
    def _Call(self, node: ast.Call, depth: int):
        if not isinstance(node.func, ast.Name):
            if isinstance(node.func, ast.Attribute):
                raise self.error(node.func, f"attribute access ('{dotted(node.func)}') "
                                            f"is not allowed in a {self.what}",
                                 hint=f"call functions by their plain name, e.g. "
                                      f"{node.func.attr}(x)")
            raise self.error(node, f"only named functions can be called in a {self.what}")
        name = node.func.id
        if node.keywords:
            raise self.error(node.keywords[0].value if node.keywords[0].arg is None
                             else node, f"keyword arguments are not allowed in a "
                                        f"{self.what} (calling '{name}')",
                             hint="pass arguments by position")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.error(arg, f"starred arguments are not allowed in a {self.what}")
        if name.startswith(GENERATED_PREFIX):
            raise self.error(node.func, f"the function '{name}' is not allowed",
                             hint=f"names starting with '{GENERATED_PREFIX}' are reserved "
                                  f"for the names eqsnn generates", cls=ReservedNameError)
        if name in RANDOM_FUNCTIONS:
            self.builtins.add(name)
            return self._random(node, name)
        args = [_as_number(self.convert(a, depth)) for a in node.args]
        if name in FUNCTIONS:
            self.builtins.add(name)
            function, nargs = FUNCTIONS[name]
            if len(args) != nargs:
                raise self.error(node, f"{name}() takes {nargs} argument"
                                       f"{'s' if nargs != 1 else ''}, {len(args)} given")
            return function(*args)
        if name in FOREIGN_FUNCTIONS or looks_like_builtin(name):
            hint = FOREIGN_FUNCTIONS.get(name) or did_you_mean(name, FUNCTIONS)
            raise self.error(node.func, f"unknown function '{name}'", hint=hint,
                             cls=UnknownNameError)
        if name in CONSTANTS or is_noise_name(name):
            raise self.error(node.func, f"'{name}' is not a function")
        self.external_functions.add(name)
        if not args:
            return self._drawing_call(node, name)
        return sympy.Function(name, real=True)(*args)

    def _drawing_call(self, node: ast.Call, name: str):
        """``f()``: a user function that draws (a BinomialFunction) gets the random
        numbers of its own call site, ``f(rand(k), randn(k))`` - the one id ``k`` for
        both marks the call (calls the user writes never share an id); the build stage
        refuses it for a function that does not draw (eqsnn.lowering.calls)."""
        if name in vars(builtins):  # (breakpoint(), input(): Python's, never callable here)
            raise self.error(node.func, f"unknown function '{name}'", cls=UnknownNameError,
                             hint=f"Python's built-in functions cannot be called in a "
                                  f"{self.what}; a function called without arguments is "
                                  f"one that draws, such as a BinomialFunction")
        if not self.allow_random:
            raise self.error(node, f"{name}() (a function called without arguments draws "
                                   f"random numbers) is not allowed in a {self.what}")
        k = self.random_ids.take()
        return sympy.Function(name, real=True)(RANDOM_FUNCTIONS["rand"](k),
                                               RANDOM_FUNCTIONS["randn"](k))

    def _random(self, node: ast.Call, name: str):
        if node.args:
            raise self.error(node, f"{name}() takes no arguments",
                             hint=f"write {name}() and scale it: e.g. 2*{name}()")
        if not self.allow_random:
            raise self.error(node, f"{name}() is not allowed in a {self.what}")
        return RANDOM_FUNCTIONS[name](self.random_ids.take())


def _as_condition(converter: ExpressionConverter, node: ast.AST, value):
    if is_condition(value):
        return value
    if isinstance(value, sympy.Symbol):
        # a boolean variable (``not spiking``); the build stage, which knows the types,
        # refuses other names (eqsnn.lowering.types.check_truth_values)
        return value
    raise converter.error(node, "'and', 'or' and 'not' combine conditions, but this is a "
                                "number", hint="compare it with something, e.g. 'x > 0'")


def _check_power_size(converter, node, base, exponent) -> None:
    """Refuse literal powers like 10**10**10 that SymPy would try to compute exactly."""
    if not (base.is_Number and exponent.is_Number):
        return
    try:
        magnitude = abs(float(exponent)) * math.log10(max(abs(float(base)), 1e-300))
    except (OverflowError, ValueError):
        magnitude = math.inf
    if abs(magnitude) > _MAX_MAGNITUDE or abs(float(exponent)) > 10_000:
        raise converter.error(node, "this power is too large to compute")
