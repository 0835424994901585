"""A neuron group's custom-event strings → :class:`~eqsnn.lowering.records.EventRecord`.

An event's condition is read like the threshold (a comparison of the group's variables,
constants, ``t``, ``i``, ``N``, ``not_refractory``) and the code run on it like the
reset (assignments to the group's state variables), against the group's
:class:`~eqsnn.lowering.neurons.NeuronLowering`; names the model does not use are
looked up in the group's namespace.
"""
from __future__ import annotations

from typing import Any, Mapping

import sympy
from sympy.core.function import AppliedUndef

from eqsnn import printers
from eqsnn.equations import (check_dimensions, dimension_as_written, parse_expression,
                             parse_statements)
from eqsnn.equations.conditions import is_condition
from eqsnn.errors import InvalidValueError, SourceSpan, UnknownNameError
from eqsnn.lowering import printed
from eqsnn.lowering.event_records import EventCode, EventRecord
from eqsnn.lowering.names import BUILTIN_NAMES, local_names
from eqsnn.lowering.namespace import Constant, find_span, resolve_names
from eqsnn.lowering.assignments import checked_assignment
from eqsnn.lowering.printed import free_names
from eqsnn.lowering.types import check_truth_values

__all__ = ["lower_event_string"]


def lower_event_string(group, kind: str, text: str, label: str,
                       namespace: Mapping[str, Any]) -> EventRecord:
    """``kind`` ``"condition"`` (``events={name: text}``) or ``"code"``
    (``run_on_event(name, text)``) of the group whose lowering is ``group``."""
    if kind == "condition":
        parsed = [parse_expression(text, label=label)]
        written = [p.unit_expr for p in parsed]
    else:
        parsed = list(parse_statements(text, label=label, booleans={  # (flag = False)
            name for name, dtype in group.dtypes.items() if dtype == "bool"}))
        written = [s.unit_expr for s in parsed]
    used = set().union(*(free_names(e) for e in written)) if written else set()
    for statement in parsed if kind == "code" else ():
        _check_target(group, statement, label)
    _refuse_linked(group, used, text, label)
    _refuse_new_functions(group, written, text, label)
    extra = resolve_names(used - set(group.all_dims) - BUILTIN_NAMES, namespace,
                          source=text, label=label, known=list(group.dims))
    constants = {**group.constants,
                 **{k: c for k, c in extra.items() if isinstance(c, Constant)}}
    dims = {**group.all_dims, **{k: c.dim for k, c in constants.items()}}
    if kind == "condition":
        body = _condition(group, parsed[0], text, label, dims)
    else:
        body = tuple(checked_assignment(group.equations, s, label, group.dims[s.target], dims)
                     for s in parsed)
        if not body:
            raise InvalidValueError(f"the {label} has no statements",
                                    hint="give statements such as 'n = 0; v -= 1*mV'")
    return EventRecord(kind, tuple(sorted(constants)),
                       {backend: _print(group, kind, body, constants, backend)
                        for backend in printers.BACKENDS},
                       written=() if kind == "condition" else tuple(sorted(
                           {a.lhs.name for a in body})))


def _condition(group, parsed, text: str, label: str, dims) -> sympy.Basic:
    span = SourceSpan(text, 1, 0, len(text), label)
    expr = group.equations.substitute(parsed.expr)
    check_dimensions(expr, dims, span=span)
    dimension_as_written(parsed.unit_expr, dims, span=span)  # 'v > 0*nA' too
    # a bare name is a condition only if it is a boolean variable (Brian2 refuses 'v');
    # a sympy Symbol is a Boolean, so isinstance cannot tell
    booleans = [name for name, dtype in group.dtypes.items() if dtype == "bool"]
    check_truth_values(parsed.expr, booleans, span)
    if not (is_condition(expr) or (isinstance(expr, sympy.Symbol) and expr.name in booleans)):
        raise InvalidValueError(f"the {label} must be a condition, but {text!r} is a number",
                                span=span, hint="compare something, e.g. 'v > -50*mV'")
    return expr


def _check_target(group, statement, label: str) -> None:
    if statement.target not in group.state:
        raise UnknownNameError(
            f"the {label} assigns to {statement.target!r}, which is not a state variable "
            f"of {group.name!r}", span=statement.span,
            hint=f"the state variables are {sorted(group.state)}")



def _print(group, kind: str, body, constants, backend: str) -> EventCode:
    """With the names the group's own operations use (``v[_i]``, ``x[0]`` if shared)."""
    locals_ = local_names(list(group.dims) + list(constants) + list(group.functions), backend)
    local = lambda name: locals_.get(name, name)  # noqa: E731
    names = {var: local(var) + ("[0]" if var in group.shared else "[_i]")
             for var in group.state}
    names.update({name: local(name) for name in constants})
    functions = {name: local(name) for name in group.functions}
    if kind == "condition":
        return EventCode(locals_, printed.expression(backend, body, names, functions))
    return EventCode(locals_, printed.code(backend, body, names, functions))


def _refuse_linked(group, used, text: str, label: str) -> None:
    for name in sorted(used & set(group.linked)):
        raise InvalidValueError(
            f"the {label} uses the linked variable {name!r}; custom events do not read "
            f"variables through their links (yet)", span=find_span(text, name, label),
            hint="use it in a subexpression of the model instead, or read the variable "
                 "it is linked to in its own group")


def _refuse_new_functions(group, written, text: str, label: str) -> None:
    for expr in written:
        for call in expr.atoms(AppliedUndef):
            name = call.func.__name__
            if name not in group.functions:
                raise UnknownNameError(
                    f"the {label} calls {name!r}, which the model of {group.name!r} does "
                    f"not use", span=find_span(text, name, label),
                    hint="a function (TimedArray) of an event string must also appear in "
                         "the group's equations")
