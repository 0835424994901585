"""The generator syntax of ``Synapses.connect``: ``j="k for k in range(i-3, i+4) if k != i"``.

Brian2's forms, parsed here with :mod:`ast` (never eval-ed) into their parts, each a
:class:`~eqsnn.equations.lines.Definition` that still knows where it sits in the user's
string, so an error in any part points at the right column::

    EXPR for VAR in range(stop) | range(start, stop) | range(start, stop, step) [if COND]
    EXPR for VAR in sample(...same..., p=P) | sample(...same..., size=K)      [if COND]
    EXPR [if COND]                                  (one value: "i", "int(i/2) if i % 2 == 0")

The parts are converted to SymPy by the build stage (:mod:`eqsnn.lowering.generators`).
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from eqsnn.equations.lines import Definition, split_definitions
from eqsnn.errors import EquationSyntaxError

__all__ = ["GeneratorSyntax", "parse_generator"]

_EXAMPLE = "'k for k in range(i-3, i+4) if k != i'"
_ITERATORS = ("range", "sample")


@dataclass(frozen=True)
class GeneratorSyntax:
    """One parsed generator. ``variable`` is ``None`` for the one-value form (``"i"``);
    ``bounds`` are the positional arguments of ``range``/``sample`` (1 to 3: stop, or
    start and stop, or start, stop and step); ``p`` / ``size`` the keyword of
    ``sample``; ``condition`` the ``if`` part."""

    text: str
    element: Definition
    variable: str | None = None
    iterator: str = "range"
    bounds: tuple[Definition, ...] = ()
    p: Definition | None = None
    size: Definition | None = None
    condition: Definition | None = None


def parse_generator(text: str, *, label: str) -> GeneratorSyntax:
    """Split a generator string into its parts (errors with a caret and a hint)."""
    definitions = split_definitions(text, label=label)
    if len(definitions) != 1:
        raise EquationSyntaxError(f"the {label} must be one expression, e.g. {_EXAMPLE}",
                                  span=(definitions[1] if definitions else
                                        Definition(text, text, ((0, 1, 0),), label)).span(0))
    definition = definitions[0].strip()
    if not re.search(r"\bfor\b", definition.text):
        return _one_value(text, definition, label)
    # "[ ... ]" makes it a list comprehension for ast; its offsets are shifted back by one
    # (the '[' sits at column -1 of the user's text).
    bracketed = Definition("[" + definition.text + "]", definition.source,
                           _shifted(definition.pieces), label)
    from eqsnn.equations.convert import parse_python, refuse_dunders
    tree = parse_python(bracketed, what=label)
    refuse_dunders(tree, bracketed)
    node = tree.body
    whole = definition.span(0, len(definition.text))
    if not isinstance(node, ast.ListComp):
        raise EquationSyntaxError(f"the {label} is not a generator expression", span=whole,
                                  hint=f"write it as {_EXAMPLE}")
    if len(node.generators) != 1:
        raise _error(bracketed, node.generators[1], f"a {label} iterates over one range only",
                     hint=f"one 'for' per generator, e.g. {_EXAMPLE}")
    generator = node.generators[0]
    if getattr(generator, "is_async", 0):
        raise _error(bracketed, generator.target, f"'async for' is not allowed in a {label}")
    if not isinstance(generator.target, ast.Name):
        raise _error(bracketed, generator.target,
                     f"a {label} iterates with one variable (not a tuple)",
                     hint=f"e.g. {_EXAMPLE}")
    if len(generator.ifs) > 1:
        raise _error(bracketed, generator.ifs[1], f"a {label} has at most one 'if'",
                     hint="join the conditions with 'and'")
    iterator = generator.iter
    if not (isinstance(iterator, ast.Call) and isinstance(iterator.func, ast.Name)
            and iterator.func.id in _ITERATORS):
        raise _error(bracketed, iterator, f"a {label} iterates over range(...) or "
                                          f"sample(...), nothing else",
                     hint="range(stop), range(start, stop[, step]), sample(stop, p=0.1) or "
                          "sample(start, stop, size=10)")
    name = iterator.func.id
    bounds, p, size = _arguments(bracketed, iterator, name, label)
    variable = generator.target.id
    if variable in ("i", "j"):
        raise _error(bracketed, generator.target,
                     f"the iteration variable of a {label} cannot be called {variable!r} "
                     f"(the source and target indices)", hint="call it k, as in " + _EXAMPLE)
    return GeneratorSyntax(
        text=text, element=_part(bracketed, node.elt), variable=variable, iterator=name,
        bounds=bounds, p=p, size=size,
        condition=_part(bracketed, generator.ifs[0]) if generator.ifs else None)


def _one_value(text: str, definition: Definition, label: str) -> GeneratorSyntax:
    """``"EXPR"`` or ``"EXPR if COND"`` (Brian2 splits at the keyword ``if``)."""
    parts = list(re.finditer(r"\bif\b", definition.text))
    if len(parts) > 1:
        raise EquationSyntaxError(f"the {label} has more than one 'if'",
                                  span=definition.span(parts[1].start(), parts[1].end()),
                                  hint="join the conditions with 'and'")
    if not parts:
        return GeneratorSyntax(text=text, element=definition)
    keyword = parts[0]
    element = definition.sub(0, keyword.start()).strip()
    condition = definition.sub(keyword.end()).strip()
    for part, where in ((element, "before"), (condition, "after")):
        if not part.text:
            raise EquationSyntaxError(f"nothing {where} 'if' in the {label}",
                                      span=definition.span(keyword.start(), keyword.end()),
                                      hint="e.g. 'int(i/2) if i % 2 == 0'")
    return GeneratorSyntax(text=text, element=element, condition=condition)


def _arguments(bracketed: Definition, call: ast.Call, name: str, label: str):
    if not 1 <= len(call.args) <= 3 or any(isinstance(a, ast.Starred) for a in call.args):
        raise _error(bracketed, call, f"{name}() in a {label} takes 1 to 3 positional "
                                      f"arguments (stop, or start, stop[, step])")
    bounds = tuple(_part(bracketed, arg) for arg in call.args)
    keywords = {k.arg: k for k in call.keywords}
    if name == "range":
        if call.keywords:
            raise _error(bracketed, call.keywords[0].value,
                         f"range() in a {label} takes no keyword arguments",
                         hint="for a random sample write sample(..., p=0.1)")
        return bounds, None, None
    if len(call.keywords) != 1 or None in keywords or not set(keywords) <= {"p", "size"}:
        raise _error(bracketed, call, f"sample() in a {label} takes exactly one keyword: "
                                      f"p= (each value with that probability) or size= "
                                      f"(that many values, without replacement)",
                     hint="e.g. sample(N_post, p=0.1) or sample(N_post, size=10)")
    p = _part(bracketed, keywords["p"].value) if "p" in keywords else None
    size = _part(bracketed, keywords["size"].value) if "size" in keywords else None
    return bounds, p, size


def _columns(bracketed: Definition, node: ast.AST) -> tuple[int, int]:
    from eqsnn.equations.expressions import ExpressionConverter
    start, end = ExpressionConverter(bracketed)._columns(node)
    return start, len(bracketed.text) - 1 if end is None else end


def _part(bracketed: Definition, node: ast.AST) -> Definition:
    start, end = _columns(bracketed, node)
    return bracketed.sub(start, end)


def _error(bracketed: Definition, node: ast.AST, message: str, *, hint: str | None = None):
    start, end = _columns(bracketed, node)
    return EquationSyntaxError(message, span=bracketed.span(start, end), hint=hint)


def _shifted(pieces):
    """The source map of ``"[" + text + "]"``: every offset one further on."""
    (_, line, column), *rest = pieces
    return ((0, line, column - 1),) + tuple((offset + 1, l, c) for offset, l, c in rest)
