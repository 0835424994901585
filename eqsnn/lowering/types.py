"""``x : integer`` and ``x : boolean`` in the build stage: the dtype of each variable,
what a boolean may stand for, and where types are not supported.

Arithmetic stays in float64 (every number prints as a double): an integer variable is
read exactly (int32 -> double) and an assignment stores the value truncated toward zero,
as a C cast and numpy's item assignment both do — Brian2's semantics, where ``/`` is
always a true division and ``//`` floors. A boolean stores 1 for any non-zero value.
"""
from __future__ import annotations

import sympy
from sympy.logic.boolalg import BooleanFunction

from eqsnn.errors import InvalidValueError, SourceSpan
from eqsnn.lowering.names import BUILTIN_DIMS, SYNAPSE_DIMS
from eqsnn.lowering.namespace import find_span
from eqsnn.lowering.records import DTYPES

__all__ = ["dtypes", "refuse_per_element_shared", "check_truth_values",
           "check_model_truth_values"]


def dtypes(equations) -> dict[str, str]:
    """Variable name -> numpy dtype name, for every definition of ``equations``."""
    return {entry.name: DTYPES[entry.type] for entry in equations.entries}


def check_model_truth_values(equations, statements, booleans) -> None:
    """:func:`check_truth_values` for every definition of ``equations`` and every
    parsed statement (``on_pre``, ``on_post``, ...)."""
    for entry in equations.entries:
        check_truth_values(entry.expr, booleans, equations.span(entry.name))
    for statement in statements:
        check_truth_values(statement.expr, booleans, statement.span)


def check_truth_values(expr, booleans, span: SourceSpan | None, *,
                       condition: bool = False) -> None:
    """A bare name used as a condition (``not b``, ``b and v > 1``, a threshold ``b``:
    ``condition`` says that ``expr`` is one) must be a boolean variable: a number has
    no truth value in the language."""
    if expr is None or not isinstance(expr, sympy.Basic):
        return
    candidates = [expr] if condition and isinstance(expr, sympy.Symbol) else []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, BooleanFunction):
            candidates += [a for a in node.args if isinstance(a, sympy.Symbol)]
    for name in sorted({c.name for c in candidates} - set(booleans)):
        if span is not None and "\n" not in span.source:  # a one-line text: at the name
            span = find_span(span.source, name, span.label) or span
        raise InvalidValueError(
            f"{name!r} is used as a condition, but it is a number", span=span,
            hint=f"compare it with something, e.g. '{name} > 0'" + (
                "" if name in BUILTIN_DIMS or name in SYNAPSE_DIMS else ", or declare it "
                "': boolean'"))


def refuse_per_element_shared(equations, allowed, element: str) -> None:
    """A ``(shared)`` subexpression has one value for the whole group or synapses, so
    (Brian2's check) it may only use the ``allowed`` names: shared variables, constants,
    ``t``, ``dt`` and the sizes. ``element``: "neuron" or "synapse", for the message."""
    for name, entry in equations.subexpressions.items():
        if "shared" not in entry.flags:
            continue
        per_element = sorted({s.name for s in equations.substitute(entry.expr).free_symbols}
                             - set(allowed))
        if per_element:
            raise InvalidValueError(
                f"the shared subexpression {name!r} uses {', '.join(per_element)}, which "
                f"{'has' if len(per_element) == 1 else 'have'} a value per {element}",
                span=equations.span(name),
                hint="drop (shared), or make what it uses shared or a constant")