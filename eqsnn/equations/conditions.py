"""Conditions inside arithmetic, and arithmetic inside conditions, kept within what every
later stage can print and evaluate.

A condition used as a number is ``Piecewise((1, cond), (0, True))`` (Brian2's meaning of
``(v > 0)*x``). A comparison may in turn contain such a number: ``((x > 1)*x > 0)``.
Left to itself, SymPy folds a ``Piecewise`` found inside a condition into an ``ITE``
(if-then-else) *boolean*, which the printers and the numpy evaluator do not know, and
which fails outright (``KeyError: pop from an empty set``) when the condition has no
free symbol (``w > (rand() > 0.5)*rand()`` after substitution). So conditions here never
contain a ``Piecewise``: a comparison over one is rewritten into plain ``and``/``or``
over its branches,

    ``Piecewise((a, c), (b, True)) > 0``  →  ``(c and a > 0) or (not c and b > 0)``,

which means the same thing, is branch-free in both backends and lets SymPy simplify the
impossible branches away (``0 > 0`` is ``False``).
"""
from __future__ import annotations

import sympy
from sympy.core.relational import Relational
from sympy.logic.boolalg import BooleanAtom, BooleanFunction

__all__ = ["is_condition", "as_number", "flatten_condition", "substitute"]


def is_condition(value) -> bool:
    """True for comparisons, and/or/not and True/False (SymPy's Symbol is a Boolean too,
    so ``isinstance(x, Boolean)`` cannot tell)."""
    return isinstance(value, (Relational, BooleanFunction, BooleanAtom))


def as_number(value):
    """A condition as 1 where it holds and 0 elsewhere; anything else unchanged."""
    if value is sympy.true:
        return sympy.Integer(1)
    if value is sympy.false:
        return sympy.Integer(0)
    if is_condition(value):
        condition = flatten_condition(value)
        try:
            return sympy.Piecewise((sympy.Integer(1), condition), (sympy.Integer(0), sympy.true))
        except RecursionError:
            # SymPy's canonical form of a comparison between two calls of one function
            # ('rand() - y > y - rand()') swaps the calls at every step and Piecewise
            # canonicalises until the stack is gone; 'lhs - rhs > 0' is a fixed point.
            condition = condition.xreplace({c: c.func(c.lhs - c.rhs, 0)
                                            for c in condition.atoms(Relational)})
            return sympy.Piecewise((sympy.Integer(1), condition), (sympy.Integer(0), sympy.true))
    return value


def flatten_condition(condition):
    """``condition`` with every ``Piecewise`` inside a comparison rewritten into
    ``and``/``or`` over the branches (see the module documentation)."""
    if isinstance(condition, BooleanAtom) or not condition.has(sympy.Piecewise):
        return condition
    if isinstance(condition, Relational):
        return _split_comparison(condition)
    if isinstance(condition, BooleanFunction):
        return condition.func(*[flatten_condition(arg) for arg in condition.args])
    return condition


def _split_comparison(comparison: Relational):
    piecewise = _innermost_piecewise(comparison)
    branches, earlier = [], []
    for value, condition in piecewise.args:
        # Branch k holds where its condition does and no earlier one did.
        taken = sympy.And(condition, *[sympy.Not(c) for c in earlier])
        earlier.append(condition)
        replaced = comparison.xreplace({piecewise: value})
        branches.append(sympy.And(taken, flatten_condition(replaced)))
        if condition is sympy.true:
            break
    return sympy.Or(*branches)


def _innermost_piecewise(expr) -> sympy.Piecewise:
    """A ``Piecewise`` in ``expr`` none of whose values contains another one."""
    for node in sympy.postorder_traversal(expr):
        if isinstance(node, sympy.Piecewise):
            return node
    raise ValueError("no Piecewise")  # callers check expr.has(Piecewise) first


def substitute(expr, replacements: dict):
    """``expr.xreplace(replacements)``, keeping conditions free of ``Piecewise`` when a
    replacement brings one into a comparison (a subexpression ``a = (x > 1)*x`` used in
    ``(a > 0)``)."""
    if not replacements or not isinstance(expr, sympy.Basic):
        return expr
    if not (expr.has(Relational) and any(isinstance(v, sympy.Basic) and v.has(sympy.Piecewise)
                                          for v in replacements.values())):
        return expr.xreplace(replacements)
    return _rebuild(expr, replacements, {})


def _rebuild(expr, replacements: dict, memo: dict):
    if expr in replacements:
        return replacements[expr]
    if not expr.args:
        return expr
    if expr in memo:
        return memo[expr]
    if isinstance(expr, sympy.Piecewise):
        pairs = [(_rebuild(value, replacements, memo),
                  flatten_condition(_rebuild(condition, replacements, memo)))
                 for value, condition in expr.args]
        result = sympy.Piecewise(*pairs)
    else:
        args = [_rebuild(arg, replacements, memo) for arg in expr.args]
        result = expr if args == list(expr.args) else expr.func(*args)
        if isinstance(result, Relational):
            result = flatten_condition(result)
    memo[expr] = result
    return result

