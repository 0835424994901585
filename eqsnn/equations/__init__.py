"""Stage 1: equation strings → SymPy, safely, with units checked.

The language (Brian2's, where it helps users carry habits over)::

    dv/dt = (El - v + R*I)/tau : volt (unless refractory)   # differential equation
    I = I0*sin(2*pi*f*t) : amp                               # subexpression
    tau : second (constant)                                  # parameter

* A definition ends with ``: unit`` (``1`` if dimensionless) and optional flags
  ``(unless refractory, constant, shared, event-driven, summed)``.
* ``#`` starts a comment. A definition continues on the next line while a parenthesis
  is open, after a trailing backslash, or when the line ends with an operator.
* Expressions: ``+ - * / ** %``, comparisons (chained too), ``and or not``, numbers,
  names, the functions of :mod:`eqsnn.equations.functions`, ``rand()``, ``randn()``, user
  functions (resolved by the runtime), ``pi``, ``e``, ``inf``, ``True``, ``False``.
  White noise ``xi``/``xi_name`` only in differential equations.
* Statements (resets, ``on_pre``): ``v = El; w += b`` with ``= += -= *= /=``.

Nothing is ever evaluated: text goes through :mod:`ast` and a whitelist of node types.
"""
from eqsnn.equations.definitions import EquationEntry
from eqsnn.equations.dimensions import check_dimensions, dimension_as_written
from eqsnn.equations.model import Equations, parse_equations
from eqsnn.equations.statements import (ParsedExpression, Statement, parse_expression,
                                        parse_statements)

__all__ = ["parse_equations", "parse_expression", "parse_statements", "check_dimensions",
           "dimension_as_written", "Equations", "EquationEntry", "Statement", "ParsedExpression"]
