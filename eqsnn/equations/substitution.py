"""``Equations("dv/dt = -v/tau : volt", tau="tau_m")``: names replaced by other names,
expressions or values before the text is parsed, as Brian2's ``Equations(..., **kwds)``.

The replacement works on the tokens of each definition (Python's ``tokenize``: a name
is a whole NAME token, never part of another name or of a number), in the defined name
and the right-hand side, never in units or flags:

* a string that is a name renames (``g="g_e"``: ``dg/dt = -g/tau`` becomes ``dg_e/dt =
  -g_e/tau``); another string is an expression, inserted in parentheses;
* a number or a quantity is inserted as its value in SI units (``tau=10*ms`` →
  ``(0.01*second)``), the text Brian2's documentation calls "exactly equivalent".
"""
from __future__ import annotations

import io
import keyword
import numbers
import tokenize
from typing import Any, Mapping

from eqsnn import units
from eqsnn.equations.definitions import _DERIVATIVE, _assignment, _top_level_colon
from eqsnn.equations.hints import did_you_mean
from eqsnn.equations.lines import split_definitions
from eqsnn.errors import EquationSyntaxError, InvalidValueError

__all__ = ["substitute_names"]


def substitute_names(source: str, replacements: Mapping[str, Any]) -> str:
    """The equation text with ``replacements`` made (see the module docstring)."""
    texts = {key: _replacement_text(key, value) for key, value in replacements.items()}
    used: set[str] = set()
    lines = [_definition(d.text, texts, replacements, used)
             for d in split_definitions(source)]
    unused = sorted(set(texts) - used)
    if unused:
        names = _names(source)
        raise InvalidValueError(
            f"Equations(..., {unused[0]}=...) replaces {unused[0]!r}, which the equations "
            f"do not use", hint=did_you_mean(unused[0], names) or
            f"the names they use are {', '.join(sorted(names))}")
    return "\n".join(lines)


def _replacement_text(key: str, value: Any) -> str:
    if not key.isidentifier() or keyword.iskeyword(key):
        raise InvalidValueError(f"Equations(..., {key!r}=...): not a name to replace")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InvalidValueError(f"Equations(..., {key}=''): the replacement is empty",
                                    hint=f"give a name or a value for {key}")
        return text if text.isidentifier() else f"({text})"
    try:
        magnitude, dim = units.to_si(value, what=f"the value given for {key}")
    except Exception as error:  # a value that is neither a number nor a quantity
        raise InvalidValueError(
            f"Equations(..., {key}=...) needs a name, an expression or a value, not "
            f"{type(value).__name__}") from error
    if hasattr(magnitude, "__len__") or isinstance(magnitude, (bool, complex)):
        raise InvalidValueError(f"Equations(..., {key}=...) needs one value, not "
                                f"{type(value).__name__}",
                                hint="an array of values belongs in a parameter: "
                                     f"'{key} : unit', set on the group")
    whole = isinstance(magnitude, numbers.Integral)  # (k=2 stays the integer 2)
    number = str(int(magnitude)) if whole else repr(float(magnitude))
    if dim == units.DIMENSIONLESS:
        return f"({number})"
    from eqsnn.equations.unit_strings import format_unit
    return f"({number}*{format_unit(units.unit_for_dimension(dim))})"


def _definition(text: str, texts, replacements, used: set[str]) -> str:
    colon = _top_level_colon(text)
    if colon < 0:
        return text  # (the parser reports the missing unit)
    left, unit = text[:colon], text[colon:]
    equals = _assignment(left)
    head, rhs = (left, None) if equals is None else (left[:equals], left[equals + 1:])
    head = head.strip()
    derivative = _DERIVATIVE.match(head)
    name = derivative.group(1) if derivative else head
    if name in texts:
        used.add(name)
        new = texts[name]
        if not new.isidentifier():
            raise InvalidValueError(
                f"Equations(..., {name}=...) replaces the defined variable {name!r}: "
                f"give a name, not {replacements[name]!r}")
        name = new
    head = f"d{name}/dt" if derivative else name
    if rhs is None:
        return f"{head} {unit}"
    return f"{head} = {_replace_tokens(rhs, texts, used)} {unit}"


def _replace_tokens(expression: str, texts, used: set[str]) -> str:
    """``expression`` with every NAME token in ``texts`` replaced (one line)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(expression).readline))
    except (tokenize.TokenError, SyntaxError) as error:
        raise EquationSyntaxError(f"cannot read {expression.strip()!r}: {error}") from None
    pieces, position = [], 0
    for token in tokens:
        if token.type == tokenize.NAME and token.string in texts and token.start[0] == 1:
            start, end = token.start[1], token.end[1]
            pieces += [expression[position:start], texts[token.string]]
            position = end
            used.add(token.string)
    pieces.append(expression[position:])
    return "".join(pieces).strip()


def _names(source: str) -> set[str]:
    names: set[str] = set()
    for definition in split_definitions(source):
        try:
            tokens = tokenize.generate_tokens(io.StringIO(definition.text).readline)
            names |= {t.string for t in tokens if t.type == tokenize.NAME}
        except (tokenize.TokenError, SyntaxError):
            continue
    return names
