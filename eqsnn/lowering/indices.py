"""A string index of a group's variable, ``G.v["i > 1"]`` → a :class:`ValueRecord`.

The condition is parsed, its names resolved and its units checked like an initialiser
(:func:`eqsnn.lowering.neurons.lower_initialiser`), and it must be a condition. The
synaptic twin, ``S.w["i > j"]``, goes through
:func:`eqsnn.lowering.synapses.lower_string` with ``boolean=True``.
"""
from __future__ import annotations

from typing import Any, Mapping

from eqsnn.errors import InvalidValueError, SourceSpan
from eqsnn.lowering.records import ValueRecord

__all__ = ["lower_group_condition"]


def lower_group_condition(equations, text: str, all_dims: Mapping[str, Any],
                          namespace: Mapping[str, Any], known: list[str]) -> ValueRecord:
    """``text`` as a condition over the neurons of a group (``i``, ``N``, variables)."""
    from eqsnn.equations import check_dimensions, parse_expression
    from eqsnn.equations.conditions import is_condition
    from eqsnn.lowering.namespace import Constant, resolve_names
    from eqsnn.lowering.trees import to_tree
    label = "index"
    parsed = parse_expression(text, label=label)
    names = {s.name for s in parsed.unit_expr.free_symbols} - set(all_dims)
    extra = resolve_names(names, namespace, source=text, label=label, known=known)
    dims = {**all_dims, **{k: c.dim for k, c in extra.items() if isinstance(c, Constant)}}
    span = SourceSpan(text, 1, 0, len(text), label)
    expr = equations.substitute(parsed.expr)
    check_dimensions(expr, dims, span=span)
    if not is_condition(expr):
        raise InvalidValueError(f"a string index must be a condition such as 'i > 1', but "
                                f"{text!r} is a number", span=span,
                                hint="compare something, e.g. G.v['v > -60*mV']")
    return ValueRecord(to_tree(expr), tuple(sorted(extra)))
