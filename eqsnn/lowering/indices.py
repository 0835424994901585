"""A string index of a group's variable, ``G.v["i > 1"]`` → a :class:`ValueRecord`.

The condition is parsed, its names resolved and its units checked like an initialiser
(:func:`eqsnn.lowering.initialisers.lower_initialiser`), and it must be a condition. The
synaptic twin, ``S.w["i > j"]``, goes through
:func:`eqsnn.lowering.synapses.lower_string` with ``boolean=True``.
"""
from __future__ import annotations

from typing import Any, Mapping

from eqsnn.errors import InvalidValueError, SourceSpan
from eqsnn.lowering.records import ValueRecord

__all__ = ["lower_group_condition", "own_index_names"]


def own_index_names(expr, dims: Mapping[str, Any]):
    """A string's own expression (before its subexpressions are substituted) with its
    ``i`` and ``N`` renamed to :data:`~eqsnn.lowering.names.VIEW_NAMES`, and ``dims``
    with their dimensions: the neurons a subgroup sees count from 0 in its strings, as
    in Brian2, while a subexpression it uses still reads the group's ``i`` and ``N``."""
    from eqsnn.equations.symbols import symbol
    from eqsnn.lowering.names import VIEW_NAMES
    renamed = {s: symbol(VIEW_NAMES[s.name]) for s in expr.free_symbols
               if s.name in VIEW_NAMES}
    dims = {**dims, **{VIEW_NAMES[name]: dims[name] for name in VIEW_NAMES}}
    return expr.xreplace(renamed), dims


def lower_group_condition(equations, text: str, all_dims: Mapping[str, Any],
                          namespace: Mapping[str, Any], known: list[str]) -> ValueRecord:
    """``text`` as a condition over the neurons of a group or subgroup (``i``, ``N``,
    variables; see :func:`own_index_names`)."""
    from eqsnn.equations import check_dimensions, parse_expression
    from eqsnn.equations.conditions import is_condition
    from eqsnn.lowering.loop_only import NEURON_LOOP_ONLY, refuse_loop_only_names
    from eqsnn.lowering.namespace import Constant, resolve_names
    from eqsnn.lowering.trees import to_tree
    label = "index"
    parsed = parse_expression(text, label=label)
    names = {s.name for s in parsed.unit_expr.free_symbols} - set(all_dims)
    extra = resolve_names(names, namespace, source=text, label=label, known=known)
    dims = {**all_dims, **{k: c.dim for k, c in extra.items() if isinstance(c, Constant)}}
    span = SourceSpan(text, 1, 0, len(text), label)
    own, dims = own_index_names(parsed.expr, dims)
    expr = equations.substitute(own)
    refuse_loop_only_names(expr, text, label, set(NEURON_LOOP_ONLY) - set(known))
    check_dimensions(expr, dims, span=span)
    if not is_condition(expr):
        raise InvalidValueError(f"a string index must be a condition such as 'i > 1', but "
                                f"{text!r} is a number", span=span,
                                hint="compare something, e.g. G.v['v > -60*mV']")
    return ValueRecord(to_tree(expr), tuple(sorted(extra)))
