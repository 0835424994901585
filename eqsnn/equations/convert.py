"""One expression's text → SymPy: parse, refuse, convert, keep the as-written form.

The entry points of the expression language (:func:`convert_definition`,
:func:`parse_python`, :func:`refuse_dunders`); the node-by-node translation is
:class:`eqsnn.equations.expressions.ExpressionConverter`.
"""
from __future__ import annotations

import ast
from typing import NamedTuple

import sympy

from eqsnn.equations.budget import within_budget
from eqsnn.equations.expressions import ExpressionConverter, RandomIds
from eqsnn.equations.lines import Definition
from eqsnn.errors import EqsnnError, EquationSyntaxError

__all__ = ["Converted", "convert_definition", "parse_python", "refuse_dunders"]


class Converted(NamedTuple):
    """One converted expression.

    ``unit_expr`` is the expression as written, for unit checks: SymPy folds ``0*nA``
    to ``0`` and ``El + 0*nA`` to ``El``, which would hide a wrong unit; where folding
    dropped a name, ``unit_expr`` is the same text converted without evaluation
    (otherwise it is ``expr`` itself)."""

    expr: sympy.Basic
    unit_expr: sympy.Basic
    names: set
    functions: set
    builtins: set


def convert_definition(definition: Definition, *, what: str = "expression",
                       random_ids: RandomIds | None = None, allow_noise: bool = False,
                       allow_random: bool = True) -> Converted:
    """Parse ``definition.text`` as one expression.

    Raises
    ------
    EquationSyntaxError
        With the caret at the offending character and a hint where one is likely.
    """
    text = definition.text
    if not text.strip():
        raise EquationSyntaxError(f"the {what} is empty", span=definition.span(0))
    tree = parse_python(definition, what=what)
    options = dict(allow_noise=allow_noise, allow_random=allow_random, what=what)
    converter = ExpressionConverter(definition, random_ids or RandomIds(), **options)
    refuse_dunders(tree, definition)
    expr = within_budget(lambda: converter.convert(tree.body), what=f"building this {what}",
                         span=definition.span(0, len(text)),
                         hint="split it into shorter subexpressions")
    if isinstance(expr, sympy.Basic) and expr.has(sympy.zoo, sympy.nan):
        raise EquationSyntaxError(f"the {what} is undefined (a division by zero?)",
                                  span=definition.span(0, len(text)))
    unit_expr = expr
    kept = {s.name for s in expr.free_symbols} if isinstance(expr, sympy.Basic) else set()
    if converter.names - kept:
        written = _as_written(ExpressionConverter(definition, RandomIds(), **options), tree)
        unit_expr = expr if written is None else written
    return Converted(expr, unit_expr, converter.names, converter.external_functions,
                     converter.builtins)


def _as_written(converter: ExpressionConverter, tree: ast.Expression):
    """The expression converted without SymPy's evaluation (``0*nA`` stays a product),
    or None if SymPy cannot build it that way."""
    try:
        with sympy.evaluate(False):
            return converter.convert(tree.body)
    except EqsnnError:
        return None


def parse_python(definition: Definition, *, what: str) -> ast.Expression:
    """:func:`ast.parse` in eval mode, with Python's errors turned into eqsnn's."""
    from eqsnn.equations.syntax_hints import syntax_error

    text = definition.text
    try:
        return ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise syntax_error(definition, exc, what=what) from None
    except (RecursionError, MemoryError, ValueError):
        raise EquationSyntaxError(f"the {what} is nested too deeply or contains invalid "
                                  f"characters", span=definition.span(0, len(text))) from None


def refuse_dunders(tree: ast.AST, definition: Definition) -> None:
    """Refuse ``__import__``, ``x.__class__`` … before anything else is looked at, so the
    message names the real problem."""
    for node in ast.walk(tree):
        name = (node.id if isinstance(node, ast.Name) else
                node.attr if isinstance(node, ast.Attribute) else "")
        if name.startswith("__"):
            start, end = ExpressionConverter(definition)._columns(node)
            raise EquationSyntaxError(
                f"the name '{name}' is not allowed: equations are not Python code",
                span=definition.span(start, end),
                hint="names with double underscores are Python internals")
