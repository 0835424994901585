"""Statements (resets, ``on_pre``/``on_post``) and single expressions (thresholds,
initialisers).

Statements are ``target op expr`` with ``op`` in ``= += -= *= /=``, one per line or
separated by ``;``::

    v = El; w += b
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from eqsnn.equations.convert import convert_definition
from eqsnn.equations.expressions import RandomIds, is_condition
from eqsnn.equations.lines import Definition, split_definitions, split_semicolons
from eqsnn.equations.symbols import is_reserved, normalise_name
from eqsnn.errors import EquationSyntaxError, ReservedNameError, SourceSpan

__all__ = ["Statement", "ParsedExpression", "parse_statements", "parse_expression",
           "OPERATORS"]

OPERATORS = ("=", "+=", "-=", "*=", "/=")
_UNSUPPORTED = re.compile(r"\s*(\w+)\s*(\*\*=|//=|%=|:=|\^=|&=|\|=|<<=|>>=)")
_STATEMENT = re.compile(r"([^=]*?)\s*(\+=|-=|\*=|/=|(?<![=<>!*/+\-%])=(?!=))\s*")


@dataclass(frozen=True)
class Statement:
    """``target op expr``; ``span`` points at the statement in the user's text."""

    target: str
    op: str
    expr: sympy.Basic
    span: SourceSpan
    #: ``expr`` as written, for unit checks (see :class:`~eqsnn.equations.convert.Converted`).
    unit_expr: sympy.Basic | None = None
    #: Built-in functions and constants it uses (``exp``, ``pi``).
    builtins: frozenset = frozenset()

    def __post_init__(self):
        if self.unit_expr is None:
            object.__setattr__(self, "unit_expr", self.expr)

    def __str__(self) -> str:
        from eqsnn.equations.printing import to_text

        return f"{self.target} {self.op} {to_text(self.expr)}"


@dataclass(frozen=True)
class ParsedExpression:
    """A single parsed expression: the SymPy ``expr``, its ``source`` and the ``names``
    it uses (functions excluded)."""

    expr: sympy.Basic
    source: str
    names: frozenset
    #: ``expr`` as written, for unit checks (see :class:`~eqsnn.equations.convert.Converted`).
    unit_expr: sympy.Basic | None = None
    #: Built-in functions and constants it uses (``exp``, ``pi``).
    builtins: frozenset = frozenset()

    def __post_init__(self):
        if self.unit_expr is None:
            object.__setattr__(self, "unit_expr", self.expr)

    @property
    def functions(self) -> frozenset:
        """User functions called in the expression (not built in)."""
        return frozenset(f.func.__name__ for f in self.expr.atoms(sympy.Function)
                         if type(f.func).__name__ == "UndefinedFunction")


def parse_expression(text: str, *, label: str = "expression",
                     random_id_start: int = 0) -> ParsedExpression:
    """Parse a threshold, condition or initialiser.

    Parameters
    ----------
    text
        One expression (it may span lines inside parentheses).
    label
        What it is, for messages (``"threshold"``, ``"value of v"``).
    random_id_start
        First call-site id for ``rand()``/``randn()``.

    Raises
    ------
    EquationSyntaxError
        With a caret at the offending character.
    """
    if not isinstance(text, str):
        raise EquationSyntaxError(f"the {label} must be a string, not {type(text).__name__}")
    definitions = split_definitions(text, label=label)
    if not definitions:
        raise EquationSyntaxError(f"the {label} is empty", span=SourceSpan(text, 1, 0, None, label))
    if len(definitions) > 1:
        raise EquationSyntaxError(
            f"the {label} must be one expression, but continues on line "
            f"{definitions[1].line}", span=definitions[1].span(0, len(definitions[1].text)),
            hint="join the lines or put the expression in parentheses")
    definition = definitions[0].strip()
    what = "condition" if label in ("threshold", "condition") else label
    converted = convert_definition(definition, what=what, random_ids=RandomIds(random_id_start))
    return ParsedExpression(converted.expr, text, frozenset(converted.names),
                            converted.unit_expr, frozenset(converted.builtins))


def parse_statements(text: str, *, label: str = "reset", random_id_start: int = 0,
                     booleans=frozenset()) -> tuple[Statement, ...]:
    """Parse statements such as ``"v = El; w += b"``.

    Parameters
    ----------
    text
        Statements, separated by new lines or ``;``.
    label
        What they are, for messages (``"reset"``, ``"on_pre"``).
    random_id_start
        First call-site id for ``rand()``/``randn()``.
    booleans
        The boolean variables (``x : boolean``): only they may be assigned a condition
        (``spiking = v > vt``, ``flag = True``).

    Raises
    ------
    EquationSyntaxError, ReservedNameError
        With a caret at the offending part.
    """
    if not isinstance(text, str):
        raise EquationSyntaxError(f"the {label} must be a string, not {type(text).__name__}")
    ids = RandomIds(random_id_start)
    statements = []
    for definition in split_definitions(text, label=label):
        for part in split_semicolons(definition):
            statements.append(_statement(part, ids, label, booleans))
    return tuple(statements)


def _statement(part: Definition, ids: RandomIds, label: str, booleans) -> Statement:
    whole = part.span(0, len(part.text))
    unsupported = _UNSUPPORTED.match(part.text)
    if unsupported:
        op = unsupported.group(2)
        name = unsupported.group(1)
        hint = (f"write {name} = {name} {op[:-1]} ..." if op != ":=" else f"write {name} = ...")
        raise EquationSyntaxError(
            f"'{op}' is not supported in a {label}: use =, +=, -=, *= or /=",
            span=part.span(unsupported.start(2), unsupported.end(2)), hint=hint)
    match = _STATEMENT.match(part.text)
    if match is None:
        raise EquationSyntaxError(
            f"a {label} statement must assign to a variable, e.g. 'v = El'",
            span=whole, hint="use =, +=, -=, *= or /=" +
                             ("; == compares, = assigns" if "==" in part.text else ""))
    written, op = match.group(1).strip(), match.group(2)
    target = normalise_name(written)
    target_span = part.span(0, max(len(written), 1))
    if not re.fullmatch(r"[A-Za-z_]\w*", target):
        hint = ("'**=' and other operators are not supported; write v = v**2"
                if written.endswith(("*", "%", "/")) else "the left-hand side must be a name")
        raise EquationSyntaxError(f"cannot assign to '{written}'", span=target_span, hint=hint)
    if is_reserved(target):
        raise ReservedNameError(f"'{target}' is reserved and cannot be assigned in a {label}",
                                span=target_span, hint="assign to a state variable")
    rhs = part.sub(match.end())
    if not rhs.text.strip():
        raise EquationSyntaxError(f"nothing to assign after '{op}'",
                                  span=part.span(match.start(2), match.end(2)),
                                  hint=f"e.g. {target} {op} 0")
    converted = convert_definition(rhs.strip(), what=f"{label} statement", random_ids=ids)
    if is_condition(converted.expr) and target not in booleans:
        raise EquationSyntaxError(f"cannot assign a condition to '{target}'", span=whole,
                                  hint="== compares; to assign write a single =; a "
                                       "variable that holds a condition is ': boolean'")
    return Statement(target, op, converted.expr, whole, converted.unit_expr,
                     frozenset(converted.builtins))
