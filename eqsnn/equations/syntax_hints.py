"""Python's ``SyntaxError`` rewritten as eqsnn's :class:`EquationSyntaxError`, with hints.

Python's messages are written for Python programmers ("invalid decimal literal"); these
name the mistake a person writing equations most likely made.
"""
from __future__ import annotations

import re

from eqsnn.equations.lines import Definition
from eqsnn.errors import EquationSyntaxError

__all__ = ["syntax_error"]

_NUMBER_THEN_NAME = re.compile(r"\b(\d+\.?\d*(?:[eE][-+]?\d+)?)\s*([A-Za-z_]\w*)")
_LONE_EQUALS = re.compile(r"(?<![=<>!+\-*/])=(?!=)")
_TRAILING_OPERATOR = re.compile(r"(\*\*|[-+*/%<>=!,]|\band|\bor|\bnot)\s*$")


def syntax_error(definition: Definition, exc: SyntaxError, *, what: str) -> EquationSyntaxError:
    """The error to raise for ``exc`` raised by ``ast.parse(definition.text)``."""
    text = definition.text
    reason = exc.msg or "invalid syntax"
    offset = (exc.offset or 1) - 1
    if offset <= 0 and reason == "invalid syntax" and _TRAILING_OPERATOR.search(text):
        offset = len(text.rstrip()) - 1
        return EquationSyntaxError(
            f"the {what} is incomplete: it ends with an operator",
            span=definition.span(offset, offset + 1),
            hint="finish the expression or remove the trailing operator")
    offset = min(max(offset, 0), max(len(text) - 1, 0))
    span = definition.span(offset, offset + 1)

    if "null bytes" in reason:
        return EquationSyntaxError(f"the {what} contains a NUL character",
                                   span=definition.span(0))
    arrow = re.search(r"=>|=<", text)
    if arrow:
        fixed = {"=>": ">=", "=<": "<="}[arrow.group(0)]
        return EquationSyntaxError(
            f"'{arrow.group(0)}' is not an operator",
            span=definition.span(arrow.start(), arrow.end()), hint=f"did you mean '{fixed}'?")
    if _LONE_EQUALS.search(text) and what.endswith("statement"):
        position = _LONE_EQUALS.search(text).start()
        return EquationSyntaxError(
            f"unexpected '=' in a {what}", span=definition.span(position, position + 1),
            hint="separate statements with ';' or new lines; == compares")
    if _LONE_EQUALS.search(text) and what in ("condition", "threshold", "expression"):
        position = _LONE_EQUALS.search(text).start()
        return EquationSyntaxError(
            f"'=' is an assignment, not allowed in a {what}",
            span=definition.span(position, position + 1),
            hint="use == to test for equality")
    if _LONE_EQUALS.search(text):
        position = _LONE_EQUALS.search(text).start()
        return EquationSyntaxError(
            f"unexpected '=' in a {what}", span=definition.span(position, position + 1),
            hint="use == to compare; one definition per line")
    if "decimal literal" in reason or "invalid syntax. Perhaps you forgot a comma" in reason:
        match = _NUMBER_THEN_NAME.search(text)
        if match:
            return EquationSyntaxError(
                f"a number is directly followed by a name ('{match.group(0)}')",
                span=definition.span(match.start(), match.end()),
                hint=f"multiplication needs '*': {match.group(1)}*{match.group(2)}")
    if "unterminated string" in reason or "'" in text or '"' in text:
        position = min(i for i in (text.find("'"), text.find('"')) if i >= 0) \
            if ("'" in text or '"' in text) else offset
        return EquationSyntaxError(
            f"quotes are not allowed in a {what}", span=definition.span(position, position + 1),
            hint="write a derivative as dv/dt, not v'; strings cannot be used")
    if "never closed" in reason or "unmatched" in reason or "does not match" in reason:
        return EquationSyntaxError(f"unbalanced parentheses in the {what}", span=span,
                                   hint="check that every '(' has its ')'")
    if text[offset:offset + 1] in "!?$`@&|~;":
        char = text[offset:offset + 1]
        hints = {"!": "use 'not' for negation and != for 'not equal'",
                 ";": "separate definitions with new lines",
                 "&": "use 'and'", "|": "use 'or'", "?": "use clip() or a condition"}
        return EquationSyntaxError(f"unexpected character '{char}' in the {what}",
                                   span=span, hint=hints.get(char))
    if "invalid syntax" in reason and re.search(r"[\w)]\s+[\w(]", text):
        return EquationSyntaxError(
            f"invalid syntax in the {what}: two terms without an operator between them?",
            span=span, hint="write the operator explicitly, e.g. a*b")
    return EquationSyntaxError(f"invalid syntax in the {what} ({reason})", span=span)
