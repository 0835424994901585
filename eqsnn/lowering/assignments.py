"""A statement ``target op expr`` (a reset, an event's code, a pathway) as the value it
leaves in its target, its units checked: shared by neurons, events and synapses."""
from __future__ import annotations

import sympy
from sympy.codegen.ast import Assignment

from eqsnn import units
from eqsnn.equations.conditions import as_number
from eqsnn.equations.symbols import symbol
from eqsnn.errors import DimensionMismatchError

__all__ = ["assigned_value", "checked_assignment"]


def assigned_value(target: str, op: str, expr: sympy.Expr) -> sympy.Expr:
    """The value ``target op expr`` leaves in target (``v += w`` -> ``v + w``)."""
    if op == "=":
        return expr
    lhs, expr = symbol(target), as_number(expr)  # (flag += v > 1: a condition counts 1)
    return {"+=": lhs + expr, "-=": lhs - expr, "*=": lhs * expr, "/=": lhs / expr}[op]


def checked_assignment(equations, statement, label: str, target_dim, dims) -> Assignment:
    """``target op expr`` of a reset or event code as an assignment, its units checked:
    the right-hand side must have the target's unit (``target_dim``; none for ``*=`` and
    ``/=``), as written, so that 0*nA is a current while a bare 0 fits any unit."""
    from eqsnn.equations import check_dimensions, dimension_as_written
    target = statement.target
    expr = equations.substitute(statement.expr)
    check_dimensions(expr, dims, span=statement.span)
    want = units.DIMENSIONLESS if statement.op in ("*=", "/=") else target_dim
    dim = dimension_as_written(statement.unit_expr, dims, span=statement.span)
    if dim is not None and dim != want:
        raise DimensionMismatchError(
            f"the {label} statement '{target} {statement.op} …' needs a value with "
            f"unit {units.format_dimension(want)}, but the right-hand side has unit "
            f"{units.format_dimension(dim)}", span=statement.span)
    return Assignment(symbol(target), assigned_value(target, statement.op, expr))
