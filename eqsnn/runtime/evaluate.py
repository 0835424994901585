"""Evaluating a SymPy expression over numpy arrays, for initialisers and read-outs.

``group.v = "El + rand()*5*mV"`` is parsed (never eval-ed) into SymPy and evaluated here
by walking the expression tree with numpy functions. The simulation loop never uses
this: it runs generated code. This is for the one-off work around it, where a tree walk
is simple, safe and fast enough.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np
import sympy

from eqsnn.equations import functions as fn
from eqsnn.errors import UnsupportedEquationsError

__all__ = ["evaluate"]

_UNARY: dict[type, Callable] = {
    sympy.exp: np.exp, sympy.log: np.log, sympy.sin: np.sin, sympy.cos: np.cos,
    sympy.tan: np.tan, sympy.sinh: np.sinh, sympy.cosh: np.cosh, sympy.tanh: np.tanh,
    sympy.asin: np.arcsin, sympy.acos: np.arccos, sympy.atan: np.arctan,
    sympy.Abs: np.abs, sympy.floor: np.floor, sympy.ceiling: np.ceil, sympy.sign: np.sign,
}


def _exprel(x):
    x = np.asarray(x, dtype=np.float64)
    small = np.abs(x) < 1e-6
    safe = np.where(small, 1.0, x)
    return np.where(small, 1.0 + x / 2.0 + x * x / 6.0, np.expm1(safe) / safe)


def evaluate(expr: sympy.Expr, values: Mapping[str, Any], *, size: int,
             rng: np.random.Generator | None = None,
             functions: Mapping[str, Callable] | None = None) -> np.ndarray:
    """Evaluate ``expr`` with symbols taken from ``values`` (scalars or length-``size``
    arrays) and return a float64 array of length ``size``."""
    functions = functions or {}

    def walk(node):
        if node.is_Symbol:
            return values[node.name]
        if node.is_Number or node in (sympy.true, sympy.false):
            return float(node)
        if node is sympy.pi or node is sympy.E:
            return float(node)
        args = [walk(arg) for arg in node.args] if not isinstance(node, (fn.rand, fn.randn)) else []
        if node.is_Add:
            return sum(args[1:], args[0])
        if node.is_Mul:
            result = args[0]
            for arg in args[1:]:
                result = result * arg
            return result
        if node.is_Pow:
            return np.power(np.asarray(args[0], dtype=np.float64), args[1])
        if isinstance(node, fn.rand):
            return _draw(rng).random(size)
        if isinstance(node, fn.randn):
            return _draw(rng).standard_normal(size)
        if isinstance(node, fn.exprel):
            return _exprel(args[0])
        if isinstance(node, fn.clip):
            return np.clip(args[0], args[1], args[2])
        if isinstance(node, (sympy.Min, sympy.Max)):
            op = np.minimum if isinstance(node, sympy.Min) else np.maximum
            result = args[0]
            for arg in args[1:]:
                result = op(result, arg)
            return result
        for kind, function in _UNARY.items():
            if isinstance(node, kind):
                return function(args[0])
        if isinstance(node, sympy.Piecewise):
            result = np.nan
            for (value, condition) in reversed(node.args):
                result = np.where(walk(condition), walk(value), result)
            return result
        if isinstance(node, sympy.core.relational.Relational):
            return _RELATIONS[node.rel_op](args[0], args[1])
        if isinstance(node, sympy.And):
            return np.logical_and.reduce(args)
        if isinstance(node, sympy.Or):
            return np.logical_or.reduce(args)
        if isinstance(node, sympy.Not):
            return np.logical_not(args[0])
        name = type(node).__name__
        if name in functions:
            return functions[name](*args)
        raise UnsupportedEquationsError(f"cannot evaluate {node} here (function {name!r})")

    with np.errstate(all="ignore"):
        result = walk(expr)
    return np.broadcast_to(np.asarray(result, dtype=np.float64), (size,)).copy()


_RELATIONS = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal,
              "==": np.equal, "!=": np.not_equal}


def _draw(rng):
    return rng if rng is not None else np.random.default_rng()
