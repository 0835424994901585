"""SymPy expressions → trees of plain lists, for evaluating strings without SymPy.

An initialiser (``G.v = "El + rand()*5*mV"``), a subexpression read as ``G.I_syn`` or a
connect condition is evaluated once over numpy arrays, not compiled. The build stage
turns its SymPy expression into a tree of JSON lists, kept in the record; the runtime
walks it with numpy (:func:`eqsnn.runtime.evaluate.evaluate_tree`), so cold and warm
runs evaluate the very same tree, draw for draw.

Tree nodes: ``["s", name]`` symbol, ``["n", x]`` number, ``["rand"]``, ``["randn"]``,
``["+", *args]``, ``["*", *args]``, ``["/", a, b]``, ``["**", base, exp]``,
``["f", callee, *args]``
built-in function (its ``evaluate`` spelling in :data:`eqsnn.equations.functions.TABLE`), ``["u", name, *args]`` user function (a TimedArray),
``["pw", [value, condition], ...]``, ``["rel", op, a, b]``, ``["and", *args]``,
``["or", *args]``, ``["not", a]``.
"""
from __future__ import annotations

import sympy
from sympy.core.function import AppliedUndef

from eqsnn.equations import functions as fn
from eqsnn.errors import UnsupportedEquationsError

__all__ = ["to_tree"]

#: Functions that jump at integers: their argument is evaluated as one quotient (below).
_STEPS = ("floor", "ceiling", "trunc")


def to_tree(expr) -> list:
    """A SymPy expression as a tree of plain lists (see the module docstring)."""
    def walk(node) -> list:
        if node.is_Symbol:
            return ["s", node.name]
        if isinstance(node, (fn.rand, fn.randn)):
            return ["rand" if isinstance(node, fn.rand) else "randn"]
        if node is sympy.true or node is sympy.false:
            return ["n", 1.0 if node is sympy.true else 0.0]
        if node.is_Number or node is sympy.pi or node is sympy.E:
            return ["n", float(node)]
        if node.is_Add:
            return ["+", *[walk(arg) for arg in node.args]]
        if node.is_Mul:
            return ["*", *[walk(arg) for arg in node.args]]
        if node.is_Pow:
            return ["**", walk(node.args[0]), walk(node.args[1])]
        if isinstance(node, sympy.Piecewise):
            return ["pw", *[[walk(value), walk(condition)] for value, condition in node.args]]
        if isinstance(node, sympy.core.relational.Relational):
            return ["rel", node.rel_op, walk(node.args[0]), walk(node.args[1])]
        if isinstance(node, (sympy.And, sympy.Or)):
            return ["and" if isinstance(node, sympy.And) else "or",
                    *[walk(arg) for arg in node.args]]
        if isinstance(node, sympy.Not):
            return ["not", walk(node.args[0])]
        name = type(node).__name__
        if name in _STEPS:
            return _call(fn.BY_SYMPY_NAME[name], [quotient(node.args[0])])
        known = fn.BY_SYMPY_NAME.get(name)
        if known is not None and known.evaluate and not isinstance(node, AppliedUndef):
            return _call(known, [walk(arg) for arg in node.args])
        if isinstance(node, sympy.Function):
            return ["u", name, *[walk(arg) for arg in node.args]]
        raise UnsupportedEquationsError(f"cannot evaluate {node} here (function {name!r})")

    def quotient(arg) -> list:
        # SymPy distributes a division by a number: (i - 5)/3 arrives as i/3 - 5/3, which
        # is -2.2e-16 at i = 5, and floor(i // 3), int() and the like jump there. Put back
        # over one denominator, integers divide exactly, as in Brian2's integer arithmetic.
        numerator, denominator = sympy.fraction(sympy.together(arg))
        if denominator == 1:
            return walk(arg)
        return ["/", walk(numerator), walk(denominator)]

    return walk(expr)


def _call(function, args: list) -> list:
    """``["f", callee, *args]``; Min/Max of n arguments nest, as the printers write them."""
    if len(args) <= function.nargs:
        return ["f", function.evaluate, *args]
    tree = args[-1]
    for arg in reversed(args[:-1]):
        tree = ["f", function.evaluate, arg, tree]
    return tree
