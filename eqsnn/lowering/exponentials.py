"""Fewer exponentials per neuron and step: one ``exp`` shared by calls whose arguments
differ by a constant, and ``c/exprel(x)`` with one division.

Rate functions of Hodgkin–Huxley-type models call ``exp`` and ``exprel`` of arguments
affine in ``v``, and several of them often have the same slope up to its sign: in the
Traub–Miles rates ``beta_m = 1.4/exprel(x)/ms``, ``alpha_n = 0.16/exprel(-5 - x)/ms`` and
``beta_h = 4/(1 + exp(-x))/ms`` with ``x = (v - VT - 40*mV)/(5*mV)``. This pass, run on a
state update's statements before they are printed (so that both backends compute the
same thing), finds the calls ``exp(a_j)`` and ``exprel(a_j)`` whose arguments satisfy
``a_j = r*a_0 + d_j`` with ``r = ±1`` and ``d_j`` a number (``|d_j| <= MAX_SHIFT``),
evaluates ``E = exp(a_0)`` once, and derives the others:

* ``exp(a_j) = exp(d_j) * E`` or ``exp(d_j) / E`` (``1/E`` computed once). Error: a
  product or quotient of two roundings, a few ulp on top of ``exp``'s own.
* ``exprel(a_j) = (e_j - 1)/a_j`` from that ``e_j = p/q`` (``exprel_from_exp(a_j, p,
  q)``: ``p = exp(d_j)*E, q = 1`` or ``p = exp(d_j), q = E``, so that ``(p - q)/(a_j*q)``
  takes one division either way), and ``1/exprel(a_j) = a_j*q/(p - q)``
  (``inv_exprel_from_exp``), with the argument computed as ``r*a_0 + d_j`` so that it is
  the very number whose exponential ``e_j`` is. Near 0 the subtraction cancels; a
  Taylor series takes over below ``|a_j| = 1/4``, which bounds the relative error by
  about 4.5 times the error of ``p`` and ``q`` (the bound and its test:
  ``templates/eqsnn_support.h``, ``tests/lowering/test_shared_exponentials.py``).
  The sign of ``a_0`` is chosen so that fewer exp calls need ``1/E``.

The arguments are compared as values at the start of the step (temporaries substituted
in order), so the pass sees through the common-subexpression temporaries; the shared
``exp`` goes right before the first statement that calls a member of its group, with its
argument as that statement writes it. Every other ``c/exprel(x)`` becomes
``c*inv_exprel(x) = c*x/expm1(x)``: one division instead of two, as accurate.

The shifts are restricted to numbers (a parameter's value is not known when the code is
built), and to ``|d| <= MAX_SHIFT``: the derived values then equal the direct ones to a
few ulp wherever the exponentials of all arguments of a group are normal numbers
(``|a| < 708 - MAX_SHIFT``); beyond, where an ``exp`` overflows or underflows, a derived
one may too (0 for a value below about 1e-300, or inf).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Iterable

import mpmath
import sympy
from sympy.codegen.ast import Assignment
from sympy.core.function import AppliedUndef

from eqsnn.equations import functions as fn
from eqsnn.equations.symbols import symbol

__all__ = ["share_exponentials", "MAX_SHIFT"]

#: the largest constant by which the arguments of a shared group may differ
MAX_SHIFT = 20
#: arguments larger than this (operations) are not compared (they are rarely affine)
_MAX_ARGUMENT_OPS = 60


@dataclass
class _Call:
    """One exp(...) or exprel(...) call: where, as written, and its value."""

    statement: int
    node: sympy.Expr
    value: sympy.Expr  # its argument at the start of the step (temporaries substituted)


@dataclass
class _Group:
    base: _Call
    members: list = field(default_factory=list)  # (call, r, d), the base first


def share_exponentials(statements: Iterable[Assignment], invariant: Iterable[str] = ()
                       ) -> tuple[Assignment, ...]:
    """The statements with exponentials shared (see the module's text).

    ``invariant`` names the symbols that are the same for every neuron (constants,
    ``t``, ``dt``): a call of only those is left alone (it is hoisted, not shared).
    """
    return _shared(tuple(statements), frozenset(invariant))


@functools.lru_cache(maxsize=64)  # (the lowering prints the same statements per backend)
def _shared(statements: tuple, invariant: frozenset) -> tuple[Assignment, ...]:
    statements = list(statements)
    invariant = {symbol(name) for name in invariant}
    groups = _groups(_calls(statements), invariant)
    names = _fresh_names(statements)
    inserted: dict[int, list[Assignment]] = {}
    replace: dict[int, dict] = {}
    for group in groups:
        if len(group.members) < 2:
            continue
        _rewrite(group, statements, next(names), inserted, replace)
    out: list[Assignment] = []
    for k, statement in enumerate(statements):
        out.extend(inserted.get(k, ()))
        rhs = statement.rhs.xreplace(replace[k]) if k in replace else statement.rhs
        out.append(Assignment(statement.lhs, _inverse_exprels(rhs)))
    return tuple(out)


def _calls(statements) -> list[_Call]:
    """Every exp and exprel call, in statement order, with its argument's value; not the
    calls whose argument calls functions itself (an exponential-Euler factor
    exp(-(alpha + beta)*dt)): such an argument is not affine in anything."""
    definitions: dict = {}  # temporary -> its right-hand side, in start-of-step values
    calling: set = set()    # the temporaries whose value calls a function
    assigned: dict = {}     # a variable assigned earlier -> a symbol for its new value
    memo: dict = {}
    calls = []
    for k, statement in enumerate(statements):
        for node in sympy.preorder_traversal(statement.rhs):
            if isinstance(node, (sympy.exp, fn.exprel)):
                argument = node.args[0].xreplace(assigned)
                if _calls_functions(argument, calling):
                    continue
                value = _value(argument, definitions, memo)
                if sympy.count_ops(value) <= _MAX_ARGUMENT_OPS:
                    calls.append(_Call(k, node, value))
        lhs, rhs = statement.lhs, statement.rhs.xreplace(assigned)
        if lhs.name.startswith("_") and lhs not in definitions:
            definitions[lhs] = rhs
            if _calls_functions(rhs, calling):
                calling.add(lhs)
        else:  # (a state variable: later reads are of the new value, unlike any other)
            assigned[lhs] = sympy.Dummy(lhs.name)
    return calls


def _calls_functions(expr, calling) -> bool:
    return bool(expr.atoms(sympy.Function)) or not calling.isdisjoint(expr.free_symbols)


def _value(expr, definitions, memo):
    """``expr`` with the temporaries it reads replaced by their values (recursively)."""
    replacements = {}
    for name in expr.free_symbols & definitions.keys():
        if name not in memo:
            memo[name] = _value(definitions[name], definitions, memo)
        replacements[name] = memo[name]
    return expr.xreplace(replacements)


def _groups(calls: list[_Call], invariant) -> list[_Group]:
    """Calls grouped by ``value = r*base + d`` (r = ±1, d a number, |d| <= MAX_SHIFT)."""
    groups: list[_Group] = []
    for call in calls:
        if _is_invariant(call.value, invariant):
            continue
        for group in groups:
            shift = _shift(call.value, group.base.value)
            if shift is not None:
                group.members.append((call, *shift))
                break
        else:
            groups.append(_Group(call, [(call, 1, sympy.S.Zero)]))
    return groups


def _is_invariant(value, invariant) -> bool:
    return value.free_symbols <= invariant and not value.has(fn.rand, fn.randn, AppliedUndef)


def _shift(value, base):
    """``(r, d)`` with ``value == r*base + d``, or None."""
    if value.free_symbols != base.free_symbols:
        return None
    for r in (1, -1):
        d = sympy.expand(value - r * base)
        if d.is_Number and abs(float(d)) <= MAX_SHIFT:
            return r, d
    return None


def _fresh_names(statements):
    taken = {s.name for st in statements for s in st.rhs.free_symbols | {st.lhs}}
    k = 0
    while True:
        if not {f"_exp{k}", f"_exp{k}_arg", f"_exp{k}_inv"} & taken:
            yield f"_exp{k}"
        k += 1


def _rewrite(group: _Group, statements, name: str, inserted, replace) -> None:
    """Define the group's exp (and its argument, its reciprocal if an exp needs it)
    before the first member's statement, and say what replaces each member."""
    base, members = group.base, group.members
    written = base.node.args[0]
    # exp(-a) costs a division (1/E), exprel(-a) none (from e = p/q): the sign of the
    # shared argument is the one fewer exp calls need negated
    negated = [r for call, r, _ in members if isinstance(call.node, sympy.exp)]
    if negated.count(-1) > negated.count(1):
        written, members = -written, [(call, -r, d) for call, r, d in members]
    argument, exp = symbol(f"{name}_arg"), symbol(name)
    defined = [Assignment(argument, written), Assignment(exp, sympy.exp(argument))]
    inverse = symbol(f"{name}_inv")
    if any(r == -1 and isinstance(call.node, sympy.exp) for call, r, _ in members):
        defined.append(Assignment(inverse, 1 / exp))
    inserted.setdefault(base.statement, []).extend(defined)
    for call, r, d in members:
        shifted = r * argument + d  # the argument whose exponential e = p/q is, exactly
        p, q = (exp * _exp_of_number(d), sympy.S.One) if r == 1 else (_exp_of_number(d), exp)
        if isinstance(call.node, sympy.exp):
            derived = {call.node: p if r == 1 else p * inverse}
        else:
            derived = {sympy.Pow(call.node, -1): fn.inv_exprel_from_exp(shifted, p, q),
                       call.node: fn.exprel_from_exp(shifted, p, q)}
        replace.setdefault(call.statement, {}).update(derived)


def _exp_of_number(d) -> sympy.Expr:
    """exp(d) for the double the code writes for d, rounded once (1 for d = 0)."""
    if d == 0:
        return sympy.S.One
    with mpmath.workdps(40):
        return sympy.Float(mpmath.exp(mpmath.mpf(float(d))), 40)


def _inverse_exprels(expr):
    """``c/exprel(x)`` -> ``c*inv_exprel(x)`` (x/expm1(x): one division, not two)."""
    return expr.replace(
        lambda node: node.is_Pow and node.exp == -1 and isinstance(node.base, fn.exprel),
        lambda node: fn.inv_exprel(node.base.args[0]))
