"""``connect(j="k for k in range(i-3, i+4) if k != i")`` → a :class:`GeneratorRecord`.

The generator string is split into its parts by
:func:`eqsnn.equations.generator_syntax.parse_generator`; here every part is converted
to SymPy, its names resolved and its units checked, and turned into a tree that the
runtime evaluates over numpy arrays (:mod:`eqsnn.runtime.generators`), as Brian2 does:

* ``range``/``sample`` arguments, ``p`` and ``size``: once per *outer* neuron (``i`` for
  ``j=...``), so they may use ``i``, ``N_pre``, ``N_post``, the outer group's variables
  and constants, but not the index being made nor the iteration variable;
* the element: per value of the iteration variable; it makes the other index;
* the ``if`` condition: per candidate pair, with everything (``i``, ``j``, the iteration
  variable, both groups' variables). A condition of the outer neuron alone is tested
  before iterating, as Brian2 does (its range need not be valid where it is false).

The record is plain data (no SymPy): a warm run loads it from the build cache.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from eqsnn.lowering.records import ValueRecord

__all__ = ["GeneratorRecord", "lower_generator", "tree_names", "tree_random"]


@dataclass(frozen=True)
class GeneratorRecord:
    """A generator's parts as trees. ``result`` is the index it makes (``"j"`` for
    ``connect(j=...)``), ``iterator`` ``"range"``, ``"sample"`` or ``"one"`` (a single
    value: ``j="i"``), ``variable`` the iteration variable; ``condition_first``: the
    condition reads only the outer neuron and is tested before iterating;
    ``condition_reads_result``: it reads the index made (or its group's variables), so
    indices are checked before it is evaluated. ``spans`` hold ``[line, column,
    end_column]`` of every part in the user's string, for errors found when it runs."""

    text: str
    result: str
    iterator: str
    variable: str | None
    parts: Mapping[str, ValueRecord]
    condition_first: bool = False
    condition_reads_result: bool = False
    spans: Mapping[str, list] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"text": self.text, "result": self.result, "iterator": self.iterator,
                "variable": self.variable,
                "parts": {name: part.to_json() for name, part in self.parts.items()},
                "condition_first": self.condition_first,
                "condition_reads_result": self.condition_reads_result,
                "spans": dict(self.spans)}

    @classmethod
    def from_json(cls, data) -> "GeneratorRecord":
        return cls(data["text"], data["result"], data["iterator"], data["variable"],
                   {name: ValueRecord.from_json(part) for name, part in data["parts"].items()},
                   data["condition_first"], data["condition_reads_result"], data["spans"])


def tree_names(tree) -> set[str]:
    """The symbols a tree reads."""
    if not isinstance(tree, list) or not tree:
        return set()
    if tree[0] == "s":
        return {tree[1]}
    found = set()
    for child in tree[1:]:
        if isinstance(child, list):
            found |= tree_names(child)
    return found


def tree_random(tree) -> bool:
    """Whether a tree draws random numbers (``rand()``/``randn()``)."""
    if not isinstance(tree, list) or not tree:
        return False
    if tree[0] in ("rand", "randn"):
        return True
    return any(tree_random(child) for child in tree[1:] if isinstance(child, list))


def lower_generator(syn_derivation, text: str, *, result: str,
                    namespace: Mapping[str, Any] = ()) -> GeneratorRecord:
    """Parse and check ``connect(j=text)`` (``result="j"``) or ``connect(i=text)``."""
    from eqsnn.equations.generator_syntax import parse_generator
    label = f"generator of {result}"
    syntax = parse_generator(text, label=label)
    d = syn_derivation
    outer = "i" if result == "j" else "j"
    sides = {"i": ("_pre", d.pre_group), "j": ("_post", d.post_group)}
    outer_suffix, outer_side = sides[outer]
    result_suffix, result_side = sides[result]
    constants = {name: c.dim for name, c in d.constants.items()}
    from eqsnn import units
    one = units.DIMENSIONLESS
    sizes = {"N_pre": one, "N_post": one}
    outer_vars = {v + outer_suffix: dim for v, dim in outer_side.dims.items()
                  if v in outer_side.arrays}
    result_vars = {v + result_suffix: dim for v, dim in result_side.dims.items()
                   if v in result_side.arrays}
    once = {outer: one, **sizes, **outer_vars, **constants}
    inner = {syntax.variable: one} if syntax.variable else {}
    every = {**once, **inner, result: one, **result_vars}
    not_yet = {result: f"the index {result} being made", **dict.fromkeys(
        result_vars, f"a variable of the {'target' if result == 'j' else 'source'} "
                     f"(the index {result} is being made)")}
    if syntax.variable:
        not_yet[syntax.variable] = "the iteration variable"
    pieces = {"element": (syntax.element, {**once, **inner}, False)}
    defaults = {"start": None, "stop": None, "step": None}
    if syntax.bounds:
        named = (["stop"] if len(syntax.bounds) == 1 else ["start", "stop", "step"])
        defaults.update(zip(named, syntax.bounds))
        for name, definition in defaults.items():
            if definition is not None:
                pieces[name] = (definition, once, False)
    for name in ("p", "size"):
        if getattr(syntax, name) is not None:
            pieces[name] = (getattr(syntax, name), once, False)
    if syntax.condition is not None:
        pieces["condition"] = (syntax.condition, every, True)
    parts, spans = {}, {}
    for name, (definition, available, boolean) in pieces.items():
        parts[name] = _lower_part(d, definition, available, not_yet, label=label,
                                  boolean=boolean, namespace=namespace)
        span = definition.span(0, len(definition.text))
        spans[name] = [span.line, span.column, span.end_column]
    for name, value in (("start", 0.0), ("step", 1.0)):
        parts.setdefault(name, ValueRecord(["n", value]))
    if syntax.variable is None:
        parts["stop"] = ValueRecord(["n", 1.0])
    first = reads_result = False
    if "condition" in parts:
        used = tree_names(parts["condition"].tree)
        reads_result = bool(used & ({result} | set(result_vars)))
        first = not reads_result and syntax.variable not in used \
            and not tree_random(parts["condition"].tree)
    return GeneratorRecord(text, result, "one" if syntax.variable is None else syntax.iterator,
                           syntax.variable, parts, first, reads_result, spans)


def _lower_part(d, definition, available: Mapping[str, Any], not_yet: Mapping[str, str], *,
                label: str, boolean: bool, namespace) -> ValueRecord:
    """One part of the generator → its tree, with names and units checked."""
    from eqsnn import units
    from eqsnn.equations.conditions import is_condition
    from eqsnn.equations.dimensions import check_dimensions
    from eqsnn.equations.convert import convert_definition
    from eqsnn.errors import DimensionMismatchError, InvalidValueError, UnknownNameError
    from eqsnn.lowering.namespace import Constant, resolve_names
    from eqsnn.lowering.synapse_names import check_suffixes
    from eqsnn.lowering.trees import to_tree

    what = "condition" if boolean else label
    converted = convert_definition(definition, what=what)
    expr = d.implicit_post(d.equations.substitute(converted.expr))
    names = {s.name for s in converted.unit_expr.free_symbols}
    names |= {s.name for s in expr.free_symbols}
    check_suffixes(names, definition.source, d.pre_group, d.post_group)
    for name in sorted(names):
        if name in available:
            continue
        if name in not_yet:
            raise InvalidValueError(
                f"this part of the {label} cannot use {name!r}: it is evaluated before "
                f"{not_yet[name]} is known", span=_name_span(definition, name),
                hint="only the 'if' condition may use every index, e.g. "
                     "'k for k in range(N_post) if abs(k - i) < 3'")
        if name in ("N_incoming", "N_outgoing"):
            raise UnknownNameError(f"{name} is not available in connect(), while the "
                                   f"synapses are being made",
                                   span=_name_span(definition, name),
                                   hint=f"set a parameter after connect(): S.n = '{name}'")
    extra = resolve_names(names - set(available), dict(namespace), source=definition.source,
                          label=label, known=list(available))
    dims = {**available, **{k: c.dim for k, c in extra.items() if isinstance(c, Constant)}}
    span = definition.span(0, len(definition.text))
    got = check_dimensions(expr, dims, span=span)
    if got != units.DIMENSIONLESS:
        raise DimensionMismatchError(f"every part of a {label} must be dimensionless, but "
                                     f"{definition.text!r} has unit "
                                     f"{units.format_dimension(got)}", span=span)
    if boolean and not is_condition(expr):
        raise InvalidValueError(f"the 'if' part of a {label} must be a condition, but "
                                f"{definition.text!r} is a number", span=span,
                                hint="compare something, e.g. 'if k != i'")
    if not boolean and is_condition(expr):
        raise InvalidValueError(f"this part of the {label} must be a number, not a condition",
                                span=span)
    return ValueRecord(to_tree(expr), tuple(sorted(extra)))


def _name_span(definition, name: str):
    match = re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", definition.text)
    if match is None:
        return definition.span(0, len(definition.text))
    return definition.span(match.start(), match.end())
