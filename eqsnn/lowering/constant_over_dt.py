"""``x = expr : unit (constant over dt)`` in Synapses, as Brian2 does it: the value is
stored per synapse and computed once per step, for every synapse, in the
``before_start`` slot at the synapses' order (Brian2's ``subexpression_updater``), so
the clock-driven equations, the pathways, the summed variables and a StateMonitor in
``start`` all read the value of this step, computed from the state at its start. A
multi-stage method (``rk2``) therefore holds it over the step.

(Neuron groups compute theirs at the start of their state update: see
:mod:`eqsnn.lowering.neurons`.) For both, a subexpression that draws random numbers
must carry the flag, as Brian2's ``check_subexpressions`` requires.
"""
from __future__ import annotations

from sympy.codegen.ast import Assignment

from eqsnn.equations.symbols import symbol
from eqsnn.errors import InvalidValueError
from eqsnn.lowering.printed import uses_random

__all__ = ["stored_subexpressions", "refuse_assignment", "update_statements",
           "refuse_random_subexpressions"]


def refuse_random_subexpressions(equations) -> None:
    """A subexpression substituted where it is used would draw new numbers at every use
    (``x = rand()`` read twice gives two values), so Brian2 refuses ``rand()``,
    ``randn()`` and a drawing function (``f()``) in one without ``(constant over dt)``."""
    for name, entry in equations.subexpressions.items():
        if "constant over dt" in entry.flags or not uses_random([entry.expr]):
            continue
        hint = (f"draw the numbers into a parameter or a (constant over dt) subexpression "
                f"and sum that" if "summed" in entry.flags else
                f"add the flag: '{name} = ... (constant over dt)' draws once per step "
                f"and holds the value over the step, as Brian2 requires")
        raise InvalidValueError(
            f"the subexpression {name!r} draws random numbers, so it would take another "
            f"value at every place that uses it", span=equations.span(name), hint=hint)


def stored_subexpressions(equations) -> dict:
    """The ``(constant over dt)`` subexpressions (name -> expression, dependencies
    first); Brian2 refuses them ``(shared)`` in Synapses, and so does eqsnn."""
    stored = equations.constant_over_dt
    for name in stored:
        if "shared" in equations.subexpressions[name].flags:
            raise InvalidValueError(
                f"the synaptic subexpression {name!r} is flagged both (shared) and "
                f"(constant over dt), which Brian2 does not combine in Synapses",
                span=equations.span(name),
                hint="drop (constant over dt): a shared subexpression has one value anyway")
    return stored


def refuse_assignment(target: str, stored, label: str, span) -> None:
    """A ``(constant over dt)`` subexpression is computed, never assigned."""
    if target in stored:
        raise InvalidValueError(
            f"{label} assigns to {target!r}, a (constant over dt) subexpression: it is "
            f"computed from other variables at the start of every step", span=span,
            hint="assign to the variables it is computed from, or make it a parameter")


def update_statements(stored, rename) -> tuple[Assignment, ...]:
    """The statements of the ``before_start`` operation; ``rename`` gives unsuffixed
    target variables their ``_post`` name."""
    return tuple(Assignment(symbol(name), rename(expr)) for name, expr in stored.items())
