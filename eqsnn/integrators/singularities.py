"""Removable singularities in rate functions, rewritten to ``exprel``.

Hodgkin–Huxley-type rates such as ``0.1*(v + 40)/(1 - exp(-(v + 40)/10))`` are ``0/0``
at one voltage (here -40 mV); evaluated there they give NaN, although the function has
a finite limit. Any product ``u * c / (k*(exp(w) - 1))`` whose factor ``u`` is
proportional to ``w`` (``u = r*w``, ``r`` not depending on the variables) equals
``(r*c/k) / exprel(w)`` with ``exprel(w) = (exp(w) - 1)/w``, ``exprel(0) = 1``: exact
everywhere, including the singular point. The forms ``(exp(w) - 1)``, ``(1 - exp(-w))``
and any constant multiple are recognised, whatever the units' scale factors.
"""
from __future__ import annotations

import random

import sympy

from eqsnn.equations.budget import within_budget
from eqsnn.equations.functions import exprel

__all__ = ["remove_singularities"]


def remove_singularities(expr: sympy.Expr) -> tuple[sympy.Expr, list[tuple[sympy.Expr, sympy.Expr]]]:
    """``expr`` with every ``w/(exp(w) - 1)``-type product rewritten, and the rewrites."""
    rewrites: list[tuple[sympy.Expr, sympy.Expr]] = []
    rewritten = within_budget(lambda: _walk(expr, rewrites),
                              what="looking for removable singularities in a rate function")
    return rewritten, rewrites


def _walk(expr, rewrites):
    if not expr.args or expr.is_Atom:
        return expr
    new = expr.func(*[_walk(a, rewrites) for a in expr.args])
    if new.is_Mul:
        rewritten = _rewrite_product(new)
        if rewritten is not None:
            rewrites.append((new, rewritten))
            return rewritten
    return new


def _rewrite_product(product: sympy.Mul):
    factors = list(product.args)
    for index, factor in enumerate(factors):
        if not (factor.is_Pow and factor.exp == -1):
            continue
        matched = _exp_minus_one(factor.base)
        if matched is None:
            continue
        scale, w = matched  # factor.base == scale*(exp(w) - 1)
        for other_index, numerator in enumerate(factors):
            if other_index == index or numerator.is_Number:
                continue
            ratio = _proportionality(numerator, w)
            if ratio is None:
                continue
            rest = [f for k, f in enumerate(factors) if k not in (index, other_index)]
            return sympy.Mul(*rest) * ratio / scale / exprel(w)
    return None


def _exp_minus_one(base):
    """``(scale, w)`` if ``base == scale*(exp(w) - 1)``, else None.

    SymPy splits a float out of an exponential (``exp(x - 4.0)`` becomes
    ``0.0183*exp(x)``), so ``k + c*exp(u)`` is matched in general: it equals
    ``-k*(exp(u + log(-c/k)) - 1)`` whenever ``-c/k > 0``.
    """
    if not base.is_Add:
        return None
    exp_terms = [t for t in base.args if any(isinstance(f, sympy.exp)
                                             for f in sympy.Mul.make_args(t))]
    if len(exp_terms) != 1:
        return None
    term = exp_terms[0]
    factors = sympy.Mul.make_args(term)
    exps = [f for f in factors if isinstance(f, sympy.exp)]
    if len(exps) != 1:
        return None
    c = sympy.Mul(*[f for f in factors if f is not exps[0]])
    k = base - term
    if c.free_symbols or k.free_symbols or k == 0:
        return None
    ratio = -c / k
    if not ratio.is_positive:
        return None
    u = exps[0].args[0]
    w = u if _close(ratio, 1) else u + sympy.log(ratio)
    return -k, w


def _proportionality(u, w):
    """``r`` with ``u == r*w`` and ``r`` free of ``w``'s symbols, else None."""
    symbols = sorted(w.free_symbols, key=lambda s: s.name)
    if not symbols or not (u.free_symbols & set(symbols)):
        return None
    for s in symbols:
        dw = sympy.diff(w, s)
        if dw != 0:
            ratio = sympy.diff(u, s) / dw
            break
    else:
        return None
    if ratio.free_symbols & set(symbols):
        return None
    return ratio if _numerically_zero(u - ratio * w, u) else None


def _close(a, b) -> bool:
    a, b = complex(a), complex(b)
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b), 1e-300)


def _numerically_zero(difference, reference) -> bool:
    """True if ``difference`` vanishes (exactly, or to rounding at random points)."""
    if sympy.expand(difference) == 0:
        return True
    names = sorted(difference.free_symbols | reference.free_symbols, key=lambda s: s.name)
    rng = random.Random(1952)
    for _ in range(3):
        point = {s: rng.uniform(0.5, 2.0) for s in names}
        try:
            d = complex(difference.evalf(subs=point))
            r = complex(reference.evalf(subs=point))
        except (TypeError, ValueError):
            return False
        if abs(d) > 1e-9 * max(abs(r), 1e-300):
            return False
    return True
