"""Loop invariants: what an operation's per-neuron code computes from scalars only.

A state update such as CUBA's ``exact`` one evaluates ``exp(-dt/taum)``,
``exprel(dt*(1/taue - 1/taum))`` and ``El*(1 - exp(-dt/taum))`` for every neuron,
although they depend only on constants and ``dt``. :func:`split` finds those parts, so
that the templates compute them once, before the loop over the neurons (once per step:
they may read ``t``), and the loop only reads them:

* a **statement** whose right-hand side is invariant and whose temporary is assigned
  once (``_cse0 = dt/taum``) moves before the loop as it is;
* in the other statements, each **largest invariant subexpression** (a whole node of the
  SymPy tree, never part of a sum or product) gets a name (``_su_inv0``).

Invariant means: built from numbers, the constants of the namespace, ``dt``, ``t``,
``N`` and earlier invariant temporaries, with no random number (``rand()`` is a
function of step, stream *and neuron*), no user function (a ``TimedArray(t, i)``
differs per neuron; an ``eqsnn.Function`` may draw random numbers) and no condition.
State variables, shared ones included, linked variables, ``i`` and ``not_refractory``
are per neuron.

The printers replace a named subexpression by its name where they print that very node
(:class:`~eqsnn.printers.rules.EqsnnRules` ``hoisted``): the order of the factors and
terms around it is the one SymPy prints anyway, so each neuron's arithmetic is the same
operations on the same values as without hoisting — nothing is rewritten or
reassociated, on either backend. Only the names a printed line uses are computed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

import sympy
from sympy.codegen.ast import Assignment
from sympy.core.function import AppliedUndef
from sympy.logic.boolalg import Boolean

from eqsnn import printers
from eqsnn.equations import functions as fn
from eqsnn.equations.symbols import symbol

__all__ = ["Invariants", "split", "printed", "per_call_names"]

#: names that have one value for every neuron of one call of an operation (in one step)
per_call_names = frozenset({"dt", "t", "N"})


@dataclass
class Invariants:
    """The invariant part of some statements or an expression.

    ``statements``: what runs before the loop, in order (moved temporaries and named
    subexpressions, each only after what it reads); ``names``: subexpression → its name,
    for the printers; ``body``: the statements that stay in the loop."""

    statements: list[Assignment] = field(default_factory=list)
    names: dict[sympy.Expr, str] = field(default_factory=dict)
    body: tuple = ()


def split(statements: Iterable[Assignment], scalars: Iterable[str], prefix: str,
          expressions: Iterable[sympy.Expr] = ()) -> Invariants:
    """The loop invariants of ``statements`` (run in order for each neuron) and of
    ``expressions`` (a threshold), given the names that are ``scalars`` (the
    namespace's constants; :data:`per_call_names` are added). New names are
    ``{prefix}0``, ``{prefix}1`` …"""
    statements = tuple(statements)
    known = {symbol(name) for name in set(scalars) | per_call_names}
    assigned: dict[str, int] = {}
    for statement in statements:
        assigned[statement.lhs.name] = assigned.get(statement.lhs.name, 0) + 1
    result = Invariants()
    body = []
    for statement in statements:
        lhs = statement.lhs
        movable = lhs.name.startswith("_") and assigned[lhs.name] == 1
        if movable and _invariant(statement.rhs, known):
            result.statements.append(statement)
            known.add(lhs)
            continue
        _name_parts(statement.rhs, known, prefix, result)
        body.append(statement)
    for expr in expressions:
        _name_parts(expr, known, prefix, result)
    result.body = tuple(body)
    return result


def _invariant(expr, known: set) -> bool:
    if isinstance(expr, Boolean) or expr.has(fn.rand, fn.randn) or expr.atoms(AppliedUndef):
        return False
    return expr.free_symbols <= known


def _worth_naming(expr) -> bool:
    """Not a name or a number, nor a number times one (``-El``, ``2*tau``: a product the
    compiler folds into the code around it anyway)."""
    if expr.is_Atom:
        return False
    if isinstance(expr, sympy.Mul) and len(expr.args) == 2 and expr.args[0].is_Number:
        return not expr.args[1].is_Atom
    return True


def _name_parts(expr, known: set, prefix: str, result: Invariants) -> None:
    """Name each largest invariant subexpression of ``expr`` (top-down)."""
    if _invariant(expr, known):
        if _worth_naming(expr) and expr not in result.names:
            name = f"{prefix}{len(result.names)}"
            result.names[expr] = name
            result.statements.append(Assignment(symbol(name), expr))
        return
    for arg in expr.args:
        if isinstance(arg, sympy.Basic):
            _name_parts(arg, known, prefix, result)


def printed(backend: str, invariants: Invariants, names: Mapping[str, str],
            functions: Mapping[str, str], used: set[str]) -> tuple[list[str], list[str]]:
    """The lines before the loop that the loop needs, and the temporaries they assign.

    ``used``: the names the loop's printed code uses (the printers add each name they
    print to it). Walked backwards, each needed statement is printed with the names
    defined before it (never its own right-hand side) and adds what it reads."""
    # a moved temporary prints as itself (``_cse0``), not through the printers' table
    used |= {s.name for statement in invariants.body for s in statement.rhs.free_symbols}
    lines = []
    for k in reversed(range(len(invariants.statements))):
        statement = invariants.statements[k]
        if statement.lhs.name not in used:
            continue
        defined = {s.lhs.name for s in invariants.statements[:k]}
        earlier = {e: n for e, n in invariants.names.items() if n in defined}
        lines += printers.statements(backend, [statement], names, functions,
                                     hoisted=earlier, used=used)
        used |= {s.name for s in statement.rhs.free_symbols}
    lines.reverse()
    return lines, [s.lhs.name for s in invariants.statements if s.lhs.name in used]
