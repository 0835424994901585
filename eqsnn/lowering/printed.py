"""SymPy statements and expressions → the :class:`~eqsnn.lowering.records.Code` of a
record, for one backend; and the small SymPy questions every lowering asks."""
from __future__ import annotations

from typing import Iterable, Mapping

from sympy.core.function import AppliedUndef

from eqsnn import printers
from eqsnn.equations import functions as fn
from eqsnn.lowering import invariants
from eqsnn.lowering.records import Code, Expression

__all__ = ["code", "expression", "free_names", "temporaries", "uses_random", "reads"]


def free_names(expr) -> set[str]:
    return {s.name for s in expr.free_symbols}


def temporaries(statements) -> tuple[str, ...]:
    """Assigned names that start with ``_`` (the template declares them), in order."""
    seen: list[str] = []
    for statement in statements:
        name = statement.lhs.name
        if name.startswith("_") and name not in seen:
            seen.append(name)
    return tuple(seen)


def uses_random(exprs) -> bool:
    return any(e.has(fn.rand, fn.randn) for e in exprs)


def reads(exprs: Iterable, targets: Iterable[str] = ()) -> tuple[str, ...]:
    """Model names that ``exprs`` use (symbols and user functions, not temporaries),
    with the assigned ``targets``: what an operation's template must bind."""
    names = set(targets)
    for expr in exprs:
        names |= free_names(expr)
        names |= {call.func.__name__ for call in expr.atoms(AppliedUndef)}
    return tuple(sorted(n for n in names if not n.startswith("_")))


def code(backend: str, statements, names: Mapping[str, str],
         functions: Mapping[str, str], *, batch: str = "",
         hoist: tuple[Iterable[str], str] | None = None) -> Code | None:
    """The record code of ``statements`` (``None`` when there are none). ``hoist``:
    ``(scalars, prefix)`` computes the loop invariants once before the loop (see
    :mod:`eqsnn.lowering.invariants`: the constants ``scalars``, new names ``prefix0``
    …)."""
    if not statements:
        return None
    body, before, assigned = statements, [], []
    used: set[str] = set()
    if hoist is not None:
        found = invariants.split(statements, *hoist)
        body = found.body
        lines = printers.statements(backend, body, names, functions, hoisted=found.names,
                                    used=used)
        before, assigned = invariants.printed(backend, found, names, functions, used)
    else:
        lines = printers.statements(backend, body, names, functions)
    return Code(tuple(lines), tuple(t for t in temporaries(statements) if t not in assigned),
                reads([s.rhs for s in statements], [s.lhs.name for s in statements]),
                uses_random([s.rhs for s in statements]), batch, tuple(before),
                tuple(assigned))


def expression(backend: str, expr, names: Mapping[str, str],
               functions: Mapping[str, str], *,
               hoist: tuple[Iterable[str], str] | None = None) -> Expression:
    """The record expression of ``expr``; ``hoist`` as in :func:`code`."""
    if hoist is None:
        return Expression(printers.expression(backend, expr, names, functions),
                          reads([expr]), uses_random([expr]))
    found = invariants.split((), *hoist, expressions=[expr])
    used: set[str] = set()
    text = printers.expression(backend, expr, names, functions, hoisted=found.names,
                               used=used)
    before, assigned = invariants.printed(backend, found, names, functions, used)
    return Expression(text, reads([expr]), uses_random([expr]), tuple(before),
                      tuple(assigned))
