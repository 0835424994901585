"""One line of equations → one :class:`EquationEntry`.

The three forms (Brian2's syntax)::

    dv/dt = (El - v)/tau : volt (unless refractory)   # differential equation
    I_leak = gL*(El - v) : amp                          # subexpression
    tau : second (constant)                             # parameter

The unit after the last top-level ``:`` is parsed by :mod:`unit_strings`; flags are a
parenthesised, comma-separated list at the very end.
"""
from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field

from eqsnn._pint import pint
import sympy

from eqsnn.equations.convert import convert_definition
from eqsnn.equations.expressions import RandomIds, is_condition
from eqsnn.equations.hints import did_you_mean
from eqsnn.equations.lines import Definition
from eqsnn.equations.symbols import GENERATED_PREFIX, is_noise_name, is_reserved, normalise_name
from eqsnn.equations.unit_strings import parse_unit
from eqsnn.errors import EquationSyntaxError, ReservedNameError
from eqsnn.units import Dimension, ureg

__all__ = ["EquationEntry", "parse_definition", "FLAGS", "TYPES"]

#: What may stand for the unit after ``:`` to give a variable a type (Brian2's
#: ``: integer`` and ``: boolean``): dimensionless, stored as int32 / bool.
TYPES = ("integer", "boolean")

#: Flags, and the kinds of definitions each may be given to.
FLAGS = {
    "unless refractory": ("differential",),
    "constant": ("parameter", "subexpression"),
    # Evaluated once at the start of each step and stored (Brian2's flag).
    "constant over dt": ("subexpression",),
    "shared": ("parameter", "subexpression", "differential"),
    "event-driven": ("differential",),
    # The default for synaptic equations; accepted because Brian2 users write it.
    "clock-driven": ("differential",),
    "summed": ("subexpression", "parameter"),
    # A parameter that reads another group's variable: G.x = linked_var(H, "y").
    "linked": ("parameter",),
}
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*$")
_DERIVATIVE = re.compile(r"d\s*([^\W\d]\w*)\s*/\s*d\s*(\w+)$")  # (d<ligature>/dt too)
_FLAG_GROUP = re.compile(r"\(\s*([\w\s,\-]*)\)\s*$")


@dataclass(frozen=True)
class EquationEntry:
    """One definition of an :class:`~eqsnn.equations.Equations` object.

    Attributes
    ----------
    name
        The defined variable.
    kind
        ``"differential"``, ``"subexpression"`` or ``"parameter"``.
    expr
        The SymPy right-hand side (``None`` for parameters).
    unit
        The pint unit written after ``:``.
    dim
        Its dimension.
    flags
        A frozenset of flag names.
    line
        The 1-based source line where the definition starts.
    type
        ``"float"``, or ``"integer"``/``"boolean"`` written instead of the unit.
    """

    name: str
    kind: str
    expr: sympy.Basic | None
    unit: pint.Unit
    dim: Dimension
    flags: frozenset = frozenset()
    line: int = 1
    names: frozenset = field(default=frozenset(), compare=False, repr=False)
    functions: frozenset = field(default=frozenset(), compare=False, repr=False)
    #: ``expr`` as written, for unit checks (``0*nA`` not folded to ``0``).
    unit_expr: sympy.Basic | None = field(default=None, compare=False, repr=False)
    #: Built-in functions and constants the definition uses (``exp``, ``pi``).
    builtins: frozenset = field(default=frozenset(), compare=False, repr=False)
    type: str = "float"

    def __post_init__(self):
        if self.unit_expr is None:
            object.__setattr__(self, "unit_expr", self.expr)

    @property
    def symbol(self) -> sympy.Symbol:
        from eqsnn.equations.symbols import symbol

        return symbol(self.name)


def _top_level_colon(text: str) -> int:
    depth, found = 0, -1
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == ":" and depth == 0:
            found = index
    return found


def parse_definition(definition: Definition, random_ids: RandomIds) -> EquationEntry:
    """Parse one (joined, stripped) definition line.

    Raises
    ------
    EquationSyntaxError, ReservedNameError, UnknownNameError
        Pointing at the offending part of the line.
    """
    text = definition.text
    colon = _top_level_colon(text)
    if colon < 0:
        raise _missing_unit(definition)
    left = definition.sub(0, colon).strip()
    unit_part = definition.sub(colon + 1).strip()
    unit_part, flags = _split_flags(unit_part)
    var_type = unit_part.text if unit_part.text in TYPES else "float"
    unit = parse_unit(unit_part) if var_type == "float" else ureg.dimensionless

    equals = _assignment(left.text)
    if equals is None:
        kind, name_part, rhs = "parameter", left, None
    else:
        name_part = left.sub(0, equals).strip()
        rhs = left.sub(equals + 1).strip()
        if not rhs.text:
            raise EquationSyntaxError("the right-hand side after '=' is empty",
                                      span=left.span(equals, equals + 1),
                                      hint="write an expression after '='")
        kind = "subexpression"
        match = _DERIVATIVE.match(name_part.text)
        if match:
            if match.group(2) != "t":
                raise EquationSyntaxError(
                    f"derivatives must be with respect to time t, not "
                    f"'{match.group(2)}'", span=name_part.span(0, len(name_part.text)),
                    hint=f"write d{match.group(1)}/dt")
            kind = "differential"
            name_part = name_part.sub(match.start(1), match.end(1))
    name = normalise_name(name_part.text)
    _check_name(name_part, kind)
    expr = unit_expr = None
    names = functions = builtins = frozenset()
    if rhs is not None:
        what = "differential equation" if kind == "differential" else "subexpression"
        expr, unit_expr, names, functions, builtins = convert_definition(
            rhs, what=what, random_ids=random_ids, allow_noise=kind == "differential")
        if is_condition(expr) and kind == "differential":
            raise EquationSyntaxError(
                f"the right-hand side of d{name}/dt is a condition, not a number",
                span=rhs.span(0, len(rhs.text)))
    _check_flags(flags, kind, name)
    if var_type != "float" and kind == "differential":
        raise EquationSyntaxError(
            f"a differential equation defines a floating-point variable, but '{name}' is "
            f"declared {var_type}", span=unit_part.span(0, len(unit_part.text)),
            hint=f"integrate a dimensionless variable (': 1'), or make '{name}' a "
                 f"parameter (': {var_type}') that resets change")
    return EquationEntry(name, kind, expr, unit, unit.dimensionality,
                         frozenset(f for f, _ in flags), definition.line,
                         frozenset(names), frozenset(functions), unit_expr,
                         frozenset(builtins), var_type)


def _assignment(text: str) -> int | None:
    """Index of the ``=`` of ``name = expr`` (not of ``==``, ``<=`` …), or ``None``."""
    for match in re.finditer(r"=", text):
        index = match.start()
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if before not in "=<>!+-*/" and after != "=":
            return index
    return None


def _missing_unit(definition: Definition) -> EquationSyntaxError:
    text = definition.text
    equals = _assignment(text)
    if equals is None and not _IDENTIFIER.match(text):
        return EquationSyntaxError(
            "this line is not an equation",
            span=definition.span(0, len(text)),
            hint="write 'dx/dt = expr : unit', 'name = expr : unit' or 'name : unit'")
    example = f"{text} : volt" if equals is not None else f"{text} : second"
    return EquationSyntaxError(
        "missing unit: every definition ends with ': unit'",
        span=definition.span(len(text) - 1, len(text)),
        hint=f"add the unit, e.g. '{example}', or ': 1' if it is dimensionless")


def _split_flags(part: Definition) -> tuple[Definition, list[tuple[str, Definition]]]:
    """``volt (unless refractory)`` → the unit part and ``[("unless refractory", …)]``."""
    match = _FLAG_GROUP.search(part.text)
    if not match:
        return part, []
    before = part.text[:match.start()].rstrip()
    if not before or before.endswith(("*", "/", "**")):
        return part, []  # parentheses belong to the unit: amp/(meter**2)
    words = [" ".join(w.split()) for w in match.group(1).split(",")]
    if part.text[match.start() - 1].isalnum() and not all(w in FLAGS for w in words):
        return part, []  # 'sqrt(second)': a call, which the unit parser refuses
    flags, offset = [], match.start(1)
    for raw in match.group(1).split(","):
        piece = part.sub(offset, offset + len(raw)).strip()
        offset += len(raw) + 1
        flag = " ".join(piece.text.split())
        if not flag:
            raise EquationSyntaxError("empty flag", span=part.span(match.start(), match.end()),
                                      hint=f"flags are: {', '.join(FLAGS)}")
        flags.append((flag, piece))
    for flag, piece in flags:
        if flag not in FLAGS:
            hint = did_you_mean(flag, FLAGS) or f"flags are: {', '.join(FLAGS)}"
            raise EquationSyntaxError(f"unknown flag '{flag}'",
                                      span=piece.span(0, len(piece.text)), hint=hint)
    return part.sub(0, len(before)), flags


def _check_flags(flags, kind: str, name: str) -> None:
    given = {flag: piece for flag, piece in flags}
    if "clock-driven" in given and "event-driven" in given:
        piece = given["clock-driven"]
        raise EquationSyntaxError(
            f"'{name}' cannot be both clock-driven and event-driven",
            span=piece.span(0, len(piece.text)),
            hint="event-driven variables change only at spikes; clock-driven ones every "
                 "step; keep one flag")
    for flag, piece in flags:
        if kind not in FLAGS[flag]:
            allowed = " or ".join(f"{k} definitions" for k in FLAGS[flag])
            raise EquationSyntaxError(
                f"the flag '{flag}' cannot be given to the {kind} '{name}'",
                span=piece.span(0, len(piece.text)),
                hint=f"'{flag}' is for {allowed}")


def _check_name(part: Definition, kind: str) -> None:
    name = normalise_name(part.text)
    span = part.span(0, max(len(name), 1))
    if not _IDENTIFIER.match(name):
        hint = ("write a derivative as dv/dt" if "'" in name or "/" in name else
                "== compares; define with a single =" if "==" in name else
                "the left-hand side must be a single name")
        raise EquationSyntaxError(f"'{name}' cannot be defined: not a name", span=span,
                                  hint=hint)
    if is_noise_name(name):
        raise ReservedNameError(f"'{name}' is reserved for white noise and cannot be "
                                f"defined", span=span, hint="choose another name")
    if is_reserved(name):
        why = (f"names starting with '{GENERATED_PREFIX}' are eqsnn's own, for the names "
               f"it generates" if name.startswith(GENERATED_PREFIX) else
               f"'{name}' is a Python keyword" if keyword.iskeyword(name) else
               f"'{name}' is provided by eqsnn")
        raise ReservedNameError(f"the name '{name}' is reserved and cannot be defined "
                                f"({why})", span=span, hint="choose another name")
