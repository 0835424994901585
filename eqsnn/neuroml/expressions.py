"""LEMS expressions → eqsnn expression strings, and numbers for constant ones.

LEMS writes ``v .gt. thresh .and. x^2 .leq. 1``; eqsnn reads Python syntax. The
translation is token by token (never a regular-expression rewrite of the whole text):
``^`` → ``**``, ``.gt.`` → ``>`` (and the other comparisons), ``.and.``/``.or.``/
``.not.`` → ``and``/``or``/``not``, ``H(x)`` (Heaviside) → ``(x > 0)``,
``random(x)`` → ``(x*rand())``, and names through a renaming (reserved names of eqsnn
such as ``i``, and ``_post`` suffixes inside synapses). Unknown names and functions are
errors at the XML element that holds the expression.
"""
from __future__ import annotations

import ast
import math
import re
from typing import Callable, Mapping

__all__ = ["translate", "evaluate", "ExpressionError"]

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<dotop>\.(?:gt|lt|geq|leq|eq|neq|and|or|not)\.)
  | (?P<name>[A-Za-z_]\w*)
  | (?P<op>[-+*/^(),])
""", re.VERBOSE | re.IGNORECASE)

_DOT = {".gt.": ">", ".lt.": "<", ".geq.": ">=", ".leq.": "<=", ".eq.": "==",
        ".neq.": "!=", ".and.": "and", ".or.": "or", ".not.": "not"}
# LEMS function -> eqsnn function (same meaning)
_FUNCTIONS = {"exp": "exp", "log": "log", "ln": "log", "sqrt": "sqrt", "sin": "sin",
              "cos": "cos", "tan": "tan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
              "abs": "abs", "ceil": "ceil", "floor": "floor", "arcsin": "arcsin",
              "arccos": "arccos", "arctan": "arctan", "asin": "arcsin", "acos": "arccos",
              "atan": "arctan"}


class ExpressionError(ValueError):
    """A LEMS expression eqsnn cannot translate; the caller adds the XML location."""


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise ExpressionError(f"unexpected {text[position]!r} at column {position + 1} "
                                  f"of {text!r}")
        position = match.end()
        if match.lastgroup != "space":
            tokens.append((match.lastgroup, match.group()))
    return tokens


def translate(text: str, rename: Callable[[str], str | None]) -> str:
    """``text`` in eqsnn syntax; ``rename(name)`` gives a variable's eqsnn name or
    ``None`` for an unknown one (an error)."""
    tokens = _tokens(text)
    out, _ = _translate(tokens, 0, rename, text)
    return out


def _translate(tokens, start: int, rename, text: str, stop_at_close: bool = False):
    out: list[str] = []
    k = start
    while k < len(tokens):
        kind, value = tokens[k]
        if kind == "op" and value == ")" and stop_at_close:
            return " ".join(out), k
        if kind == "name" and k + 1 < len(tokens) and tokens[k + 1] == ("op", "("):
            inner, close = _translate(tokens, k + 2, rename, text, stop_at_close=True)
            if close >= len(tokens):
                raise ExpressionError(f"unbalanced parentheses in {text!r}")
            out.append(_call(value, inner, text))
            k = close + 1
            continue
        if kind == "op" and value == "(":
            inner, close = _translate(tokens, k + 1, rename, text, stop_at_close=True)
            if close >= len(tokens):
                raise ExpressionError(f"unbalanced parentheses in {text!r}")
            out.append(f"({inner})")
            k = close + 1
            continue
        if kind == "op" and value == ")":
            raise ExpressionError(f"unbalanced parentheses in {text!r}")
        if kind == "name":
            name = rename(value)
            if name is None:
                raise ExpressionError(f"unknown name {value!r} in {text!r}")
            out.append(name)
        elif kind == "dotop":
            out.append(_DOT[value.lower()])
        elif value == "^":
            out.append("**")
        else:
            out.append(value)
        k += 1
    return " ".join(out), k


def _call(function: str, argument: str, text: str) -> str:
    if function == "H":
        return f"(({argument}) > 0)"
    if function == "random":
        return f"(({argument})*rand())"
    if function in _FUNCTIONS:
        return f"{_FUNCTIONS[function]}({argument})"
    raise ExpressionError(f"the function {function!r} in {text!r} has no eqsnn "
                          f"equivalent (known: {', '.join(sorted(_FUNCTIONS))}, H, random)")


_MATH = {"exp": math.exp, "log": math.log, "sqrt": math.sqrt, "sin": math.sin,
         "cos": math.cos, "tan": math.tan, "sinh": math.sinh, "cosh": math.cosh,
         "tanh": math.tanh, "abs": abs, "ceil": math.ceil, "floor": math.floor,
         "arcsin": math.asin, "arccos": math.acos, "arctan": math.atan}
_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
           ast.Pow: lambda a, b: a ** b}
_COMPARE = {ast.Gt: lambda a, b: a > b, ast.Lt: lambda a, b: a < b,
            ast.GtE: lambda a, b: a >= b, ast.LtE: lambda a, b: a <= b,
            ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b}


def evaluate(expression: str, values: Mapping[str, float]) -> float:
    """The value of a translated constant expression (SI numbers in ``values``).

    Walks Python's syntax tree of the already translated text; only numbers, names
    from ``values``, arithmetic, comparisons and the functions above are accepted.
    """
    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise ExpressionError(f"{node.id!r} is not a constant")
            return float(values[node.id])
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
            operand = walk(node.operand)
            return -operand if isinstance(node.op, ast.USub) else (
                operand if isinstance(node.op, ast.UAdd) else float(not operand))
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
            return float(_COMPARE[type(node.ops[0])](walk(node.left), walk(node.comparators[0])))
        if isinstance(node, ast.BoolOp):
            results = [walk(v) for v in node.values]
            return float(all(results) if isinstance(node.op, ast.And) else any(results))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in _MATH and len(node.args) == 1:
            return float(_MATH[node.func.id](walk(node.args[0])))
        raise ExpressionError(f"{expression!r} is not a constant expression")
    try:
        return walk(ast.parse(expression, mode="eval"))
    except (ZeroDivisionError, OverflowError, ValueError) as exc:
        if isinstance(exc, ExpressionError):
            raise
        raise ExpressionError(f"{expression!r} cannot be evaluated: {exc}") from None
