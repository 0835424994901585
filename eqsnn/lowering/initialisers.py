"""A string initialiser (``group.var = "..."``) → its :class:`ValueRecord`: parsed,
names resolved and units checked against the group's variables."""
from __future__ import annotations

from typing import Any, Mapping

from eqsnn import units
from eqsnn.equations import parse_expression
from eqsnn.equations.shadowing import refuse_shadowed_builtins
from eqsnn.errors import DimensionMismatchError, SourceSpan
from eqsnn.lowering.calls import check_calls
from eqsnn.lowering.loop_only import NEURON_LOOP_ONLY, refuse_loop_only_names
from eqsnn.lowering.namespace import Constant, resolve_names
from eqsnn.lowering.printed import free_names
from eqsnn.lowering.records import ValueRecord
from eqsnn.lowering.trees import to_tree
from eqsnn.lowering.user_functions import resolve_function_names

__all__ = ["lower_initialiser"]


def lower_initialiser(equations, text: str, var: str, var_dim, all_dims: Mapping[str, Any],
                      namespace: Mapping[str, Any], known: list[str]) -> ValueRecord:
    """A string initialiser ``group.var = text`` → its :class:`ValueRecord`.

    ``extra`` lists the names the text uses beyond the group's own (namespace entries
    and units), resolved again at every use because their values may change. ``known``
    are the group's own variables, the values Python holds: ``dt`` and a
    ``not_refractory`` that is not one of them are refused (see
    :mod:`eqsnn.lowering.loop_only`).
    """
    from eqsnn.equations import check_dimensions, dimension_as_written
    label = f"value of {var}"
    parsed = parse_expression(text, label=label)
    refuse_shadowed_builtins(namespace, parsed.builtins)
    names = free_names(parsed.unit_expr) - set(all_dims)
    extra = resolve_names(names, namespace, source=text, label=label, known=known)
    extra.update(resolve_function_names(parsed.functions, namespace, text, label))
    dims_of_functions = {k: f.dim for k, f in extra.items()
                         if not isinstance(f, Constant) and getattr(f, "dim", None) is not None}
    dims = {**all_dims, **dims_of_functions,
            **{k: c.dim for k, c in extra.items() if isinstance(c, Constant)}}
    span = SourceSpan(text, 1, 0, len(text), label)
    check_calls(parsed.expr, {k: f for k, f in extra.items() if not isinstance(f, Constant)},
                dims, span)
    from eqsnn.lowering.indices import own_index_names
    own, dims = own_index_names(parsed.expr, dims)  # (a subgroup's i counts from 0)
    expr = equations.substitute(own)
    refuse_loop_only_names(expr, text, label, set(NEURON_LOOP_ONLY) - set(known))
    check_dimensions(expr, dims, span=span)
    dim = dimension_as_written(parsed.unit_expr, dims, span=span)  # a bare '0' fits (None)
    if dim is not None and dim != var_dim:
        raise DimensionMismatchError(
            f"{var} has unit {units.format_dimension(var_dim)}, but {text!r} has "
            f"unit {units.format_dimension(dim)}", span=span)
    return ValueRecord(to_tree(expr), tuple(sorted(extra)))
