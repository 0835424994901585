"""A pathway's statements (``on_pre``, ``on_post``) → SymPy assignments of a
:class:`~eqsnn.lowering.synapses.SynapseLowering`: targets and units checked, unsuffixed
target variables named ``x_post``, Brian2's conditional write of ``(unless refractory)``
variables, and how the numpy twin batches the arriving synapses.
"""
from __future__ import annotations

import sympy
from sympy.codegen.ast import Assignment

from eqsnn import units
from eqsnn.equations import check_dimensions, dimension_as_written
from eqsnn.equations.symbols import symbol
from eqsnn.errors import DimensionMismatchError, InvalidValueError, UnknownNameError
from eqsnn.lowering import constant_over_dt
from eqsnn.lowering.assignments import assigned_value
from eqsnn.lowering.names import NOT_REFRACTORY
from eqsnn.lowering.synapse_names import neuron_arrays

__all__ = ["event_assignments", "unless_refractory", "batch_kind"]

_ONE = units.DIMENSIONLESS


def event_assignments(lowering, path) -> tuple[Assignment, ...]:
    """A pathway's statements as assignments, after advancing event-driven variables
    (``lowering``: the :class:`~eqsnn.lowering.synapses.SynapseLowering` being built)."""
    label = path.label
    writable = set(lowering.state)
    writable |= {f"{v}_pre" for v in neuron_arrays(lowering.pre_group)}
    writable |= {f"{v}_post" for v in neuron_arrays(lowering.post_group)}
    writable |= set(neuron_arrays(lowering.post_group))
    assignments = []
    for statement in lowering.parsed_events[path.name]:
        target = statement.target
        if target in NOT_REFRACTORY.values() or (target == "not_refractory"
                                                 and target not in lowering.state):
            raise InvalidValueError(
                f"{label} assigns to {target!r}, which says whether a neuron is "
                f"refractory: synaptic code may read it, not write it",
                span=statement.span, hint="a neuron's refractoriness follows from its "
                "group's refractory= argument and its spikes")
        constant_over_dt.refuse_assignment(target, lowering.constant_over_dt, label,
                                           statement.span)
        if target not in writable:
            raise UnknownNameError(
                f"{label} assigns to {target!r}, which is neither a synaptic variable nor "
                f"a state variable of the source or target group", span=statement.span,
                hint=f"synaptic variables: {sorted(lowering.state)}; neuron variables are "
                     f"written with a suffix, e.g. v_post += w")
        if target in lowering.shared:  # Brian2: not in code that runs for some synapses
            raise InvalidValueError(
                f"{label} assigns to {target!r}, a shared variable (one value for all "
                f"synapses), but it runs for the synapses of one spike", span=statement.span,
                hint=f"drop (shared) from {target!r} to give each synapse its value")
        if target not in lowering.state and not target.endswith(("_pre", "_post")):
            target = f"{target}_post"
        expr = lowering.equations.substitute(statement.expr)
        check_dimensions(expr, lowering.all_dims, span=statement.span)
        want = _ONE if statement.op in ("*=", "/=") else lowering.all_dims[target]
        with sympy.evaluate(False):  # (keep 0*nA a product while naming v as v_post)
            written = lowering.implicit_post(statement.unit_expr)
        # As written, so that 0*nA is a current; a bare 0 (None) fits any unit.
        dim = dimension_as_written(written, lowering.all_dims, span=statement.span)
        if dim is not None and dim != want:
            raise DimensionMismatchError(
                f"{label}: '{statement.target} {statement.op} …' needs a value with unit "
                f"{units.format_dimension(want)}, but the right-hand side has unit "
                f"{units.format_dimension(dim)}", span=statement.span)
        rhs = lowering.implicit_post(assigned_value(target, statement.op, expr))
        assignments.append(Assignment(symbol(target), unless_refractory(
            target, rhs, lowering.pre_group, lowering.post_group)))
    return lowering.advance + tuple(assignments)

def unless_refractory(target: str, value, pre_group, post_group):
    """Brian2's conditional write: a neuron variable flagged ``(unless refractory)``
    keeps its value while its neuron is refractory (the statement is skipped for
    that neuron). Each side's variables are guarded by their own neuron's flag.

    An increment ``x + e`` becomes ``x + e*flag`` (the flag is 1.0 or 0.0: exact for
    a finite ``e``, and without a branch, which mispredicts when refractory and
    writable targets mix: Brunel 2000's loop took 3.8 times as long per synaptic
    event with the select); anything else ``(value if flag else x)``."""
    for side, group in (("pre", pre_group), ("post", post_group)):
        suffix = f"_{side}"
        if target.endswith(suffix) and target[:-len(suffix)] in group.unless_refractory:
            flag, old = symbol(NOT_REFRACTORY[side]), symbol(target)
            increment = value - old
            if not increment.has(old):
                return old + increment * flag
            return sympy.Piecewise((value, sympy.Ne(flag, 0)), (old, True))
    return value


def batch_kind(statements) -> str:
    """How the numpy twin splits one step's arriving synapses so that vectorised writes
    give what the C loop gives one synapse at a time: by the neuron written to (no
    neuron twice in a batch), or one synapse at a time when both sides are written."""
    written = {a.lhs.name for a in statements}
    post = any(name.endswith("_post") for name in written)
    pre = any(name.endswith("_pre") for name in written)
    return "single" if post and pre else "post" if post else "pre" if pre else ""
