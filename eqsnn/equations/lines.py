"""Splitting equation text into logical definitions, remembering where each character was.

A *definition* is one equation, statement or expression. It usually sits on one physical
line; it continues onto the next line when

* a parenthesis (round or square) opened on it is still open, or
* the line ends with a backslash, or
* the line (comment removed) ends with a binary operator or a comma
  (``+ - * / ** % = == < > <= >= != ,`` and ``and``/``or``/``not``), so the expression
  is obviously unfinished.

Comments run from ``#`` to the end of the line (there are no strings in the language, so
a ``#`` is always a comment). The physical lines of a definition are joined with a space
into one line of text; :class:`Definition` maps every offset of that joined text back
to ``(line, column)`` in the user's source, so an error found in the joined text is shown
under the right character of the right line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from eqsnn.errors import EquationSyntaxError, SourceSpan

__all__ = ["Definition", "split_definitions", "split_semicolons"]

# An unfinished expression: ends with an operator, a comma or a boolean keyword.
_CONTINUES = re.compile(r"(\*\*|[-+*/%=<>,!]|\band|\bor|\bnot)\s*$")
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}


@dataclass(frozen=True)
class Definition:
    """One logical definition: its joined text and where each piece came from.

    ``pieces`` holds ``(offset_in_text, line, column)`` for the start of each physical
    line's contribution, in increasing order of offset.
    """

    text: str
    source: str
    pieces: tuple[tuple[int, int, int], ...]
    label: str = "equations"

    @property
    def line(self) -> int:
        """The 1-based source line on which the definition starts."""
        return self.pieces[0][1]

    def locate(self, offset: int) -> tuple[int, int]:
        """``(line, column)`` in the source of character ``offset`` of ``text``."""
        chosen = self.pieces[0]
        for piece in self.pieces:
            if piece[0] <= offset:
                chosen = piece
            else:
                break
        start, line, column = chosen
        return line, column + (offset - start)

    def span(self, start: int, end: int | None = None) -> SourceSpan:
        """A :class:`SourceSpan` for ``text[start:end]`` (clipped to one source line)."""
        start = max(0, min(start, len(self.text)))
        line, column = self.locate(start)
        end_column = None
        if end is not None and end > start:
            end_line, end_col = self.locate(max(end - 1, start))
            end_column = end_col + 1 if end_line == line else None
        return SourceSpan(self.source, line, column, end_column, self.label)

    def sub(self, start: int, end: int | None = None) -> "Definition":
        """The part ``text[start:end]`` as a definition of its own (same source map)."""
        end = len(self.text) if end is None else end
        pieces = []
        for offset, line, column in self.pieces:
            if offset <= start:
                pieces = [(0, line, column + (start - offset))]
            elif offset < end:
                pieces.append((offset - start, line, column))
        return Definition(self.text[start:end], self.source, tuple(pieces), self.label)

    def strip(self) -> "Definition":
        """The same text without surrounding white space."""
        left = len(self.text) - len(self.text.lstrip())
        right = len(self.text.rstrip())
        return self.sub(left, max(right, left))


def _strip_comment(line: str) -> str:
    index = line.find("#")
    return line if index < 0 else line[:index]


def split_definitions(source: str, *, label: str = "equations") -> list[Definition]:
    """Split ``source`` into its definitions (blank lines and comments dropped).

    Raises
    ------
    EquationSyntaxError
        For a closing bracket without an opening one, or brackets still open at the end.
    """
    definitions: list[Definition] = []
    text, pieces = "", []
    stack: list[tuple[str, int, int]] = []  # open brackets: (char, line, column)
    lines = source.splitlines() or [""]
    for number, raw in enumerate(lines, start=1):
        code = _strip_comment(raw).rstrip()
        backslash = code.endswith("\\")
        if backslash:
            code = code[:-1]
        if not code.strip() and not pieces:
            continue
        if pieces:
            text += " "
        pieces.append((len(text), number, 0))
        text += code
        for column, char in enumerate(code):
            if char in _OPEN:
                stack.append((char, number, column))
            elif char in _CLOSE:
                if not stack or stack[-1][0] != _CLOSE[char]:
                    raise EquationSyntaxError(
                        f"unbalanced parentheses: '{char}' closes nothing",
                        span=SourceSpan(source, number, column, column + 1, label),
                        hint="remove it or add the matching opening bracket")
                stack.pop()
        if stack or backslash or _CONTINUES.search(code):
            continue
        definitions.append(Definition(text, source, tuple(pieces), label))
        text, pieces = "", []
    if stack:
        char, number, column = stack[-1]
        raise EquationSyntaxError(
            f"unbalanced parentheses: '{char}' is never closed",
            span=SourceSpan(source, number, column, column + 1, label),
            hint=f"add the matching '{_OPEN[char]}'")
    trailing = _CONTINUES.search(text)
    if pieces and trailing and not text.rstrip().endswith("\\"):
        line, column = Definition(text, source, tuple(pieces), label).locate(trailing.start())
        raise EquationSyntaxError(
            f"the {label} end{'' if label == 'equations' else 's'} with '{trailing.group(1)}': the expression is incomplete",
            span=SourceSpan(source, line, column, column + len(trailing.group(1)), label),
            hint="finish the expression or remove the trailing operator")
    if pieces and text.strip():
        definitions.append(Definition(text, source, tuple(pieces), label))
    return definitions


def split_semicolons(definition: Definition) -> list[Definition]:
    """Split a definition at top-level ``;`` (statements ``v = El; w += b``)."""
    parts, start, depth = [], 0, 0
    for index, char in enumerate(definition.text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
        elif char == ";" and depth == 0:
            parts.append(definition.sub(start, index))
            start = index + 1
    parts.append(definition.sub(start))
    return [part.strip() for part in parts if part.text.strip()]
