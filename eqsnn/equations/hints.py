"""What the expression language refuses, and what to write instead.

The tables of foreign function names, refused operators and refused node types, with
the hint each error carries; :func:`did_you_mean` for misspelt names. Used by
:mod:`eqsnn.equations.expressions` (the converter) and the other parsers.
"""
from __future__ import annotations

import ast

from eqsnn.equations.functions import FUNCTIONS

__all__ = ["did_you_mean", "FOREIGN_FUNCTIONS", "OPERATOR_HINTS", "REFUSED", "refused_hint",
           "looks_like_builtin", "dotted"]

# Names people write from other languages, with what to write instead.
FOREIGN_FUNCTIONS = {
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

# What people mean by operators the language refuses.
OPERATOR_HINTS = {
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
REFUSED = {
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


def looks_like_builtin(name: str) -> bool:
    """Case variants and transpositions of built-in names are typos, not user functions."""
    for known in FUNCTIONS:
        if name.lower() == known.lower() or (len(name) > 2 and sorted(name) == sorted(known)):
            return True
    return False


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    return "..."


def refused_hint(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute):
        return f"use a plain name instead of '{dotted(node)}'"
    if isinstance(node, ast.Subscript):
        return "equations work on one neuron at a time; there is no indexing"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "strings cannot be used in equations"
    if isinstance(node, ast.Tuple):
        return "a stray comma? separate statements with ';' or new lines"
    return None
