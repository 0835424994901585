"""Refractoriness given as a string: ``refractory="v > -40*mV"`` or ``refractory="ref"``.

Brian2's semantics (``brian2/groups/neurongroup.py``, ``StateUpdater``): a group with a
string refractoriness keeps ``not_refractory`` as a state variable. At the start of
every state update, before the equations are integrated, it is computed per neuron:

* a **time** (``"ref"``, ``"(1 + 2*rand())*ms"``): ``not_refractory = timestep(t -
  lastspike) >= timestep(ref)``, the expression evaluated anew at every step;
* a **condition** (``"v > -40*mV"``: "stay refractory while it holds"):
  ``not_refractory = not_refractory or not (condition)``, so a neuron only *leaves*
  refractoriness through the condition.

The threshold is ``(threshold) and not_refractory``, and a neuron that spikes gets
``not_refractory = False`` (the threshold templates write it). A refractory period
given as a quantity stays data (steps computed in the templates, no recompile).
"""
from __future__ import annotations

from typing import Mapping

import sympy
from sympy.codegen.ast import Assignment

from eqsnn import units
from eqsnn.equations import check_dimensions, dimension_as_written
from eqsnn.equations import functions as fn
from eqsnn.equations.conditions import is_condition
from eqsnn.equations.symbols import DT, NOT_REFRACTORY, symbol
from eqsnn.errors import DimensionMismatchError, InvalidValueError, SourceSpan

__all__ = ["STEPS_SINCE_SPIKE", "refractory_statement", "threshold_when_not_refractory",
           "renumber_random", "next_random_id"]

#: Whole steps since the neuron's last spike (a double; the templates define it from
#: the step counter and ``lastspike``, as exact integers).
STEPS_SINCE_SPIKE = symbol("_steps_since_spike")
_SECOND = units.ureg.second.dimensionality


def refractory_statement(parsed, equations, dims: Mapping[str, object]) -> Assignment:
    """``not_refractory = ...`` for the string ``parsed.source`` (a time or a condition);
    raises an eqsnn error with a caret for anything else."""
    text = parsed.source
    span = SourceSpan(text, 1, 0, len(text), "refractory")
    expr = equations.substitute(parsed.expr)
    check_dimensions(expr, dims, span=span)
    if is_condition(expr):
        return Assignment(NOT_REFRACTORY, sympy.Or(sympy.Ne(NOT_REFRACTORY, 0), sympy.Not(expr)))
    dim = dimension_as_written(parsed.unit_expr, dims, span=span)
    if dim == _SECOND:
        # Brian2's timestep(x, dt) = int((x + 1e-3*dt)/dt): a period that is a multiple
        # of dt counts that many steps, whatever the rounding of x/dt.
        steps = sympy.floor((expr + DT / 1000) / DT)
        return Assignment(NOT_REFRACTORY, sympy.GreaterThan(STEPS_SINCE_SPIKE, steps))
    if dim is None or dim == units.DIMENSIONLESS:
        raise InvalidValueError(
            f"the refractory expression {text!r} is a number, neither a time nor a "
            f"condition", span=span,
            hint="give a time ('5*ms', 'ref' with 'ref : second') or a condition to stay "
                 "refractory while it holds ('v > -40*mV')")
    raise DimensionMismatchError(
        f"the refractory expression must be a time or a condition, but {text!r} has unit "
        f"{units.format_dimension(dim)}", span=span,
        hint="give a time ('5*ms') or a condition ('v > -40*mV')")


def threshold_when_not_refractory(threshold):
    """Brian2's ``(threshold) and not_refractory``."""
    return sympy.And(threshold, sympy.Ne(NOT_REFRACTORY, 0))


def renumber_random(statement: Assignment, first: int) -> Assignment:
    """The statement with its ``rand(k)``/``randn(k)`` call sites moved to ``first + k``,
    above the ids the equations' own calls and noise use (one operation, one stream per
    call site)."""
    calls = {call: type(call)(first + int(call.args[0]))
             for call in statement.rhs.atoms(fn.rand, fn.randn)}
    return Assignment(statement.lhs, statement.rhs.xreplace(calls)) if calls else statement


def next_random_id(statements) -> int:
    """One more than the largest random call-site id the statements use."""
    ids = [int(call.args[0]) for s in statements for call in s.rhs.atoms(fn.rand, fn.randn)]
    return max(ids, default=-1) + 1
