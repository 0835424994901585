"""A string evaluated per synapse (``S.w = "..."``) or per candidate pair (a
``connect`` condition or probability) → its :class:`~eqsnn.lowering.records.ValueRecord`.

It is read against a :class:`~eqsnn.lowering.synapses.SynapseLowering`: the model's
variables, constants and units, and the neurons on either side.
"""
from __future__ import annotations

from typing import Any, Mapping

import sympy

from eqsnn import units
from eqsnn.equations import check_dimensions, dimension_as_written, parse_expression
from eqsnn.equations.conditions import is_condition
from eqsnn.equations.shadowing import refuse_shadowed_builtins
from eqsnn.errors import DimensionMismatchError, InvalidValueError, SourceSpan
from eqsnn.lowering.calls import check_calls
from eqsnn.lowering.loop_only import SYNAPSE_LOOP_ONLY, refuse_loop_only_names
from eqsnn.lowering.namespace import Constant, resolve_names
from eqsnn.lowering.records import ValueRecord
from eqsnn.lowering.synapse_names import (CONNECTIVITY_COUNTS, check_suffixes, neuron_arrays,
                                          neuron_dims, refuse_connectivity_counts)
from eqsnn.lowering.trees import to_tree
from eqsnn.lowering.types import check_truth_values

__all__ = ["lower_string"]

_ONE = units.DIMENSIONLESS


def lower_string(syn_derivation, text: str, label: str, *,
                 want=None, boolean: bool = False, pairs: bool = False,
                 namespace: Mapping[str, Any] = ()) -> ValueRecord:
    """A string evaluated per synapse, or per candidate pair for ``connect`` (``pairs``)
    → its :class:`ValueRecord`; ``extra`` lists the namespace entries and units it uses
    beyond the model's, whose values are read at every use."""
    parsed = parse_expression(text, label=label)
    refuse_shadowed_builtins(namespace, parsed.builtins)
    d = syn_derivation
    names = {s.name for s in parsed.unit_expr.free_symbols}  # (nA of 0*nA too)
    if not pairs:  # (before check_suffixes: not_refractory_pre is no neuron variable there)
        refuse_loop_only_names(parsed.unit_expr, text, label, _loop_only(d))
    check_suffixes(names, text, d.pre_group, d.post_group)
    if pairs:  # i, j, sizes, neuron variables of both sides and the model's constants
        refuse_connectivity_counts(names, text, label)
        available = {"i": _ONE, "j": _ONE, "N_pre": _ONE, "N_post": _ONE}
        for suffix, group in (("_pre", d.pre_group), ("_post", d.post_group)):
            available.update({v + suffix: neuron_dims(group)[v] for v in neuron_arrays(group)})
        available.update({name: c.dim for name, c in d.constants.items()})
    else:  # a value per existing synapse: also how many synapses share its target/source
        available = {**d.all_dims, **dict.fromkeys(CONNECTIVITY_COUNTS, _ONE)}
    extra = resolve_names(names - set(available), dict(namespace), source=text, label=label,
                          known=list(available))
    dims = {**available, **{k: c.dim for k, c in extra.items() if isinstance(c, Constant)}}
    span = SourceSpan(text, 1, 0, len(text), label)
    # user functions the string calls (a TimedArray, a BinomialFunction's f()), checked
    from eqsnn.lowering.user_functions import resolve_function_names
    functions = resolve_function_names(getattr(parsed, "functions", ()), dict(namespace),
                                       text, label)
    check_calls(parsed.expr, functions, dims, span)
    expr = d.implicit_post(d.equations.substitute(parsed.expr))
    if not pairs:  # (and through the model's subexpressions)
        refuse_loop_only_names(expr, text, label, _loop_only(d))
    got = check_dimensions(expr, dims, span=span)
    if pairs and got != _ONE:
        raise DimensionMismatchError(f"the {label} must be dimensionless, but {text!r} has "
                                     f"unit {units.format_dimension(got)}", span=span)
    with sympy.evaluate(False):  # as written: 0*nA is a current; a bare 0 fits (None)
        written = dimension_as_written(d.implicit_post(parsed.unit_expr), dims, span=span)
    if want is not None and written is not None and written != want:
        raise DimensionMismatchError(
            f"{label.replace('value of ', '')} has unit {units.format_dimension(want)}, but "
            f"{text!r} has unit {units.format_dimension(got)}", span=span)
    if boolean:
        # a bare name is a condition only if it is a boolean variable (Brian2 refuses 'i',
        # 'j > 0 and i'); a sympy Symbol is a Boolean, so isinstance cannot tell
        booleans = _booleans(d)
        check_truth_values(d.implicit_post(parsed.expr), booleans, span)
        if not (is_condition(expr) or (isinstance(expr, sympy.Symbol) and expr.name in booleans)):
            raise InvalidValueError(f"the {label} must be a comparison such as 'i != j', but "
                                    f"{text!r} is a number", span=span,
                                    hint="compare something, e.g. 'abs(i - j) < 10'")
    return ValueRecord(to_tree(expr), tuple(sorted(set(extra) | set(functions))))


def _loop_only(d) -> set[str]:
    """The names of a synapse string with no value in Python: ``dt``, and a side's
    ``not_refractory`` unless that group keeps it as a variable."""
    held = {f"{v}{suffix}" for suffix, group in (("_pre", d.pre_group), ("_post", d.post_group))
            for v in neuron_arrays(group)}
    return set(SYNAPSE_LOOP_ONLY) - held


def _booleans(d) -> list[str]:
    """The boolean neuron variables a synapse string may use as conditions (x_pre, x_post)."""
    sides = (("_pre", d.pre_group), ("_post", d.post_group))
    return [f"{v.name}{suffix}" for suffix, side in sides for v in side.variables
            if v.dtype == "bool"]
