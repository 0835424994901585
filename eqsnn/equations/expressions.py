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
import math
import operator
import sys
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

import sympy

from eqsnn.equations.budget import within_budget
from eqsnn.equations.conditions import as_number as _as_number
from eqsnn.equations.conditions import flatten_condition, is_condition
from eqsnn.equations.functions import FUNCTIONS, RANDOM_FUNCTIONS
from eqsnn.equations.lines import Definition
from eqsnn.equations.symbols import GENERATED_PREFIX, is_noise_name, symbol
from eqsnn.errors import EqsnnError, EquationSyntaxError, ReservedNameError, UnknownNameError

__all__ = ["ExpressionConverter", "RandomIds", "convert_definition", "Converted", "CONSTANTS",
           "did_you_mean", "is_condition"]

#: Names that stand for numbers rather than variables.
CONSTANTS = {"pi": sympy.pi, "e": sympy.E, "inf": sympy.oo,
             "True": sympy.true, "False": sympy.false}
#: Deepest expression tree accepted (SymPy and the printers recurse on it).
MAX_DEPTH = 60
#: Largest |log10| of a number a literal power may produce before we refuse to compute it.
_MAX_MAGNITUDE = 300

# Names people write from other languages, with what to write instead.
_FOREIGN_FUNCTIONS = {
    "ln": "use log(x) for the natural logarithm",
    "pow": "use x**y for powers",
    "max": "use clip(x, low, high) to limit a value",
    "min": "use clip(x, low, high) to limit a value",
    "fabs": "use abs(x)",
    "ceiling": "use ceil(x)",
    "asin": "use arcsin(x)", "acos": "use arccos(x)", "atan": "use arctan(x)",
    "float": "numbers are floating point already: drop float(...)",
    "round": "use floor(x + 0.5)",
}

_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow, ast.Mod: sympy.Mod,
    ast.FloorDiv: lambda a, b: sympy.floor(a / b),  # Python's (and Brian2's) a // b
}
_COMPARE = {
    ast.Lt: sympy.StrictLessThan, ast.LtE: sympy.LessThan, ast.Gt: sympy.StrictGreaterThan,
    ast.GtE: sympy.GreaterThan, ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne,
}
# What people mean by operators the language refuses.
_OPERATOR_HINTS = {
    ast.BitXor: ("'^' is not a power here", "use ** for powers: x**2"),
    ast.BitAnd: ("'&' is not allowed", "use 'and' to combine conditions"),
    ast.BitOr: ("'|' is not allowed", "use 'or' to combine conditions"),
    ast.LShift: ("'<<' is not allowed", None),
    ast.RShift: ("'>>' is not allowed", None),
    ast.MatMult: ("'@' is not allowed", None),
    ast.Invert: ("'~' is not allowed", "use 'not' to negate a condition"),
    ast.Is: ("'is' is not allowed", "use == to compare"),
    ast.IsNot: ("'is not' is not allowed", "use != to compare"),
    ast.In: ("'in' is not allowed", None),
    ast.NotIn: ("'not in' is not allowed", None),
}
# Node types users might write, with a readable name for the message.
_REFUSED = {
    ast.Attribute: "attribute access ('a.b')", ast.Subscript: "indexing ('a[i]')",
    ast.Lambda: "lambda", ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension", ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression", ast.Starred: "starred arguments",
    ast.JoinedStr: "an f-string", ast.Constant: "a string", ast.NamedExpr: "':='",
    ast.IfExp: "'x if c else y'", ast.List: "a list", ast.Tuple: "a tuple",
    ast.Dict: "a dict", ast.Set: "a set", ast.Await: "await", ast.Yield: "yield",
    ast.YieldFrom: "yield", ast.Slice: "a slice",
}


def did_you_mean(name: str, candidates, *, cutoff: float = 0.6) -> str | None:
    """``"did you mean 'tau'?"`` for the closest candidate, or ``None``."""
    import difflib

    candidates = sorted(set(candidates))
    lowered = {c.lower(): c for c in candidates}
    if name.lower() in lowered and lowered[name.lower()] != name:
        return f"did you mean '{lowered[name.lower()]}'?"
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=cutoff)
    return f"did you mean '{close[0]}'?" if close else None


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
            what = _REFUSED.get(type(node), f"'{type(node).__name__}'")
            raise self.error(node, f"{what} is not allowed in a {self.what}",
                             hint=_refused_hint(node))
        try:
            result = method(node, depth + 1)
            if isinstance(result, (sympy.Float, sympy.Rational)):
                result = self._as_float64(node, result)
            elif isinstance(result, sympy.Expr) and result.is_number \
                    and result.is_real is False:
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
            message, hint = _OPERATOR_HINTS.get(op, (f"operator {op.__name__}", None))
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
        message, hint = _OPERATOR_HINTS.get(op, (f"operator {op.__name__}", None))
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
                message, hint = _OPERATOR_HINTS.get(type(op), (type(op).__name__, None))
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
                raise self.error(node.func, f"attribute access ('{_dotted(node.func)}') "
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
        if name in _FOREIGN_FUNCTIONS or _looks_like_builtin(name):
            hint = _FOREIGN_FUNCTIONS.get(name) or did_you_mean(name, FUNCTIONS)
            raise self.error(node.func, f"unknown function '{name}'", hint=hint,
                             cls=UnknownNameError)
        if name in CONSTANTS or is_noise_name(name):
            raise self.error(node.func, f"'{name}' is not a function")
        if not args:
            raise self.error(node, f"the function '{name}' is called without arguments",
                             hint="user functions (like a TimedArray) take arguments, "
                                  "e.g. stim(t)")
        self.external_functions.add(name)
        return sympy.Function(name, real=True)(*args)

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


def _looks_like_builtin(name: str) -> bool:
    """Case variants and transpositions of built-in names are typos, not user functions."""
    for known in FUNCTIONS:
        if name.lower() == known.lower() or (len(name) > 2 and sorted(name) == sorted(known)):
            return True
    return False


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    return "..."


def _refused_hint(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute):
        return f"use a plain name instead of '{_dotted(node)}'"
    if isinstance(node, ast.Subscript):
        return "equations work on one neuron at a time; there is no indexing"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "strings cannot be used in equations"
    if isinstance(node, ast.Tuple):
        return "a stray comma? separate statements with ';' or new lines"
    return None


class Converted(NamedTuple):
    """One converted expression.

    ``unit_expr`` is the expression as written, for unit checks: SymPy folds ``0*nA``
    to ``0`` and ``El + 0*nA`` to ``El``, which would hide a wrong unit; where folding
    dropped a name, ``unit_expr`` is the same text converted without evaluation
    (otherwise it is ``expr`` itself)."""

    expr: sympy.Basic
    unit_expr: sympy.Basic
    names: set
    functions: set
    builtins: set


def convert_definition(definition: Definition, *, what: str = "expression",
                       random_ids: RandomIds | None = None, allow_noise: bool = False,
                       allow_random: bool = True) -> Converted:
    """Parse ``definition.text`` as one expression.

    Raises
    ------
    EquationSyntaxError
        With the caret at the offending character and a hint where one is likely.
    """
    text = definition.text
    if not text.strip():
        raise EquationSyntaxError(f"the {what} is empty", span=definition.span(0))
    tree = parse_python(definition, what=what)
    options = dict(allow_noise=allow_noise, allow_random=allow_random, what=what)
    converter = ExpressionConverter(definition, random_ids or RandomIds(), **options)
    refuse_dunders(tree, definition)
    expr = within_budget(lambda: converter.convert(tree.body), what=f"building this {what}",
                         span=definition.span(0, len(text)),
                         hint="split it into shorter subexpressions")
    if isinstance(expr, sympy.Basic) and expr.has(sympy.zoo, sympy.nan):
        raise EquationSyntaxError(f"the {what} is undefined (a division by zero?)",
                                  span=definition.span(0, len(text)))
    unit_expr = expr
    kept = {s.name for s in expr.free_symbols} if isinstance(expr, sympy.Basic) else set()
    if converter.names - kept:
        written = _as_written(ExpressionConverter(definition, RandomIds(), **options), tree)
        unit_expr = expr if written is None else written
    return Converted(expr, unit_expr, converter.names, converter.external_functions,
                     converter.builtins)


def _as_written(converter: ExpressionConverter, tree: ast.Expression):
    """The expression converted without SymPy's evaluation (``0*nA`` stays a product),
    or None if SymPy cannot build it that way."""
    try:
        with sympy.evaluate(False):
            return converter.convert(tree.body)
    except EqsnnError:
        return None


def parse_python(definition: Definition, *, what: str) -> ast.Expression:
    """:func:`ast.parse` in eval mode, with Python's errors turned into eqsnn's."""
    from eqsnn.equations.syntax_hints import syntax_error

    text = definition.text
    try:
        return ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise syntax_error(definition, exc, what=what) from None
    except (RecursionError, MemoryError, ValueError):
        raise EquationSyntaxError(f"the {what} is nested too deeply or contains invalid "
                                  f"characters", span=definition.span(0, len(text))) from None


def refuse_dunders(tree: ast.AST, definition: Definition) -> None:
    """Refuse ``__import__``, ``x.__class__`` … before anything else is looked at, so the
    message names the real problem."""
    for node in ast.walk(tree):
        name = (node.id if isinstance(node, ast.Name) else
                node.attr if isinstance(node, ast.Attribute) else "")
        if name.startswith("__"):
            start, end = ExpressionConverter(definition)._columns(node)
            raise EquationSyntaxError(
                f"the name '{name}' is not allowed: equations are not Python code",
                span=definition.span(start, end),
                hint="names with double underscores are Python internals")
