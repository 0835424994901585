"""Evaluating expressions over numpy arrays, for initialisers and read-outs.

``group.v = "El + rand()*5*mV"`` is parsed (never eval-ed) into SymPy, turned into a
small tree of plain lists by the build stage (:func:`eqsnn.lowering.trees.to_tree`) and
evaluated by walking that tree with
numpy functions (:func:`evaluate_tree`). The simulation loop never uses this: it runs
generated code. This is for the one-off work around it, where a tree walk is simple,
safe and fast enough.

The tree is plain data so that it can be stored with a group's other derivation
results (:mod:`eqsnn.lowering.cache`): a warm run evaluates initialisers without
importing SymPy, and cold and warm runs evaluate the very same tree, draw for draw.

Tree nodes (JSON lists): ``["s", name]`` symbol, ``["n", x]`` number, ``["rand"]``,
``["randn"]``, ``["+", *args]``, ``["*", *args]``, ``["/", a, b]``, ``["**", base, exp]``,
``["f", callee, *args]`` built-in function (its ``evaluate`` spelling in the table of
functions, :data:`eqsnn.equations.functions.TABLE`), ``["u", name, *args]`` user function
(a TimedArray), ``["pw", [value, condition], ...]``, ``["rel", op, a, b]``,
``["and", *args]``, ``["or", *args]``, ``["not", a]``.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Mapping

import numpy as np

from eqsnn.codegen.numpy_support import numpy_callable
from eqsnn.errors import UnsupportedEquationsError

__all__ = ["LazyValues", "evaluate_tree"]


class LazyValues(dict):
    """Values of an expression's symbols, some computed only when the tree asks.

    A synapse initialiser such as ``"0.5*mV*rand()"`` could refer to any variable of
    the source and target groups (``v_pre``, ``u_post`` …); gathering each of them over
    a million synapses up front costs 8 MB and a few ms per variable that the string
    never reads. ``lazy`` holds a function per name; the first lookup calls it and
    keeps the result. A name in both takes the lazy value."""

    def __init__(self, values: Mapping[str, Any], lazy: Mapping[str, Callable[[], Any]]):
        super().__init__((k, v) for k, v in values.items() if k not in lazy)
        self._lazy = dict(lazy)

    def __missing__(self, name: str):
        if name not in self._lazy:
            raise KeyError(name)
        value = self[name] = self._lazy.pop(name)()
        return value


_RELATIONS = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal,
              "==": np.equal, "!=": np.not_equal}


def evaluate_tree(tree: list, values: Mapping[str, Any], *, size: int,
                  rng: np.random.Generator | None = None,
                  functions: Mapping[str, Callable] | None = None) -> np.ndarray:
    """Evaluate ``tree`` with symbols taken from ``values`` (scalars or length-``size``
    arrays) and return a float64 array of length ``size``."""
    functions = functions or {}

    def walk(node):
        kind = node[0]
        if kind == "s":
            try:
                return values[node[1]]
            except KeyError:  # (the lowering refuses loop-only names: lowering/loop_only.py)
                raise UnsupportedEquationsError(
                    f"{node[1]!r} has no value in a value or index set from Python") from None
        if kind == "n":
            return node[1]
        if kind in ("rand", "randn"):
            generator = rng if rng is not None else np.random.default_rng()
            return generator.random(size) if kind == "rand" else generator.standard_normal(size)
        if kind == "pw":
            # every branch is evaluated (and draws its random numbers) in order
            pieces = [(walk(value), walk(condition)) for value, condition in node[1:]]
            result = np.nan
            for value, condition in reversed(pieces):
                result = np.where(condition, value, result)
            return result
        if kind == "rel":
            return _RELATIONS[node[1]](walk(node[2]), walk(node[3]))
        if kind in ("f", "u"):
            args = [walk(arg) for arg in node[2:]]
            function = numpy_callable(node[1]) if kind == "f" else functions.get(node[1])
            if function is None:
                raise UnsupportedEquationsError(f"cannot evaluate the function {node[1]!r} here")
            return function(*args)
        args = [walk(arg) for arg in node[1:]]
        if kind == "+":
            return sum(args[1:], args[0])
        if kind == "*":
            return functools.reduce(np.multiply, args)
        if kind == "/":
            return np.divide(args[0], args[1])
        if kind == "**":
            return np.power(np.asarray(args[0], dtype=np.float64), args[1])
        if kind == "and":  # (reduce pairwise: a scalar term beside arrays broadcasts)
            return functools.reduce(np.logical_and, args)
        if kind == "or":
            return functools.reduce(np.logical_or, args)
        if kind == "not":
            return np.logical_not(args[0])
        raise UnsupportedEquationsError(f"unknown expression node {kind!r}")

    with np.errstate(all="ignore"):
        result = walk(tree)
    return np.broadcast_to(np.asarray(result, dtype=np.float64), (size,)).copy()
