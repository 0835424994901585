"""eqsnn's exceptions: one hierarchy, every message pointing at the user's text.

Every error a user can cause is an :class:`EqsnnError`. A message has three parts:

* what went wrong (one sentence),
* where: the offending line of the equation string with a caret under the column,
* how to fix it (a ``hint``), where a fix is likely.

Stages raise the specific subclass; callers that just want "anything eqsnn refused"
catch :class:`EqsnnError`.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "SourceSpan",
    "EqsnnError",
    "EquationSyntaxError",
    "UnknownNameError",
    "ReservedNameError",
    "DimensionMismatchError",
    "UnsupportedEquationsError",
    "CompilationError",
    "UnsupportedFunctionError",
    "SymbolicTimeoutError",
    "CompilerNotFoundWarning",
    "CompilerProbeTimeoutWarning",
    "InvalidValueError",
    "IndexOutOfRangeError",
    "NumericalInstabilityError",
    "NetworkOperationError",
]


@dataclass(frozen=True)
class SourceSpan:
    """Where in the user's text a problem is.

    ``line`` is 1-based within ``source``; ``column`` and ``end_column`` are 0-based
    offsets into that line (``end_column`` exclusive). ``label`` names the text, e.g.
    ``"equations"``, ``"threshold"`` or ``"reset"``.
    """

    source: str
    line: int = 1
    column: int = 0
    end_column: int | None = None
    label: str = "equations"

    @property
    def line_text(self) -> str:
        lines = self.source.splitlines() or [""]
        index = min(max(self.line - 1, 0), len(lines) - 1)
        return lines[index]

    def render(self) -> str:
        """The line with a caret (or ``^~~~`` run) under the offending columns."""
        text = self.line_text
        # Keep the caret aligned by showing the line with its leading white space
        # stripped and shifting the caret by the same amount.
        stripped = text.lstrip()
        shift = len(text) - len(stripped)
        column = max(self.column - shift, 0)
        width = 1
        if self.end_column is not None and self.end_column > self.column:
            width = self.end_column - self.column
        marker = "^" + "~" * (width - 1)
        lines = self.source.splitlines()
        where = f"line {self.line}, column {self.column + 1}" if len(lines) > 1 else f"column {self.column + 1}"
        return f"  in {self.label}, {where}:\n    {stripped}\n    {' ' * column}{marker}"


class EqsnnError(Exception):
    """Root of everything eqsnn raises because of its input.

    Parameters
    ----------
    message
        What went wrong, one sentence.
    span
        Where in the user's text, if known.
    hint
        How to fix it, if a fix is likely.
    """

    def __init__(self, message: str, *, span: SourceSpan | None = None, hint: str | None = None):
        self.message = message
        self.span = span
        self.hint = hint
        super().__init__(self._format())

    def _format(self) -> str:
        parts = [self.message]
        if self.span is not None:
            parts.append(self.span.render())
        if self.hint:
            parts.append(f"  hint: {self.hint}")
        return "\n".join(parts)

    def __str__(self) -> str:
        return self._format()


class EquationSyntaxError(EqsnnError):
    """The text is not valid in eqsnn's equation language."""


class UnknownNameError(EqsnnError):
    """A name is used that is neither defined in the equations nor given in the namespace."""


class ReservedNameError(EqsnnError):
    """A name the user tried to define is reserved (``t``, ``dt``, ``xi``, ``i``, ``N``, …)."""


class DimensionMismatchError(EqsnnError):
    """Terms with incompatible physical dimensions are combined."""


class UnsupportedEquationsError(EqsnnError):
    """A numerical method (or another stage) cannot handle these equations."""


class UnsupportedFunctionError(UnsupportedEquationsError):
    """An expression calls a function the code generators cannot print for both backends."""


class SymbolicTimeoutError(UnsupportedEquationsError):
    """Symbolic work on a definition (parsing, simplifying, solving) ran over its time
    budget (``EQSNN_SYMBOLIC_SECONDS``)."""


class CompilationError(EqsnnError):
    """Generated code failed to compile; the message carries the compiler's first errors."""


class InvalidValueError(EqsnnError):
    """A value given by the user has the wrong shape, unit or range."""


class IndexOutOfRangeError(InvalidValueError, IndexError):
    """An index past the end of a group's or synapses' values, of a group or synapses
    themselves (``G[k]``, ``S[k]``), or not recorded by a StateMonitor (``mon[k]``). It is
    also an ``IndexError``, as Python's own sequences raise, so ``list(G.v_)``, ``for x in
    G.v`` and ``list(G)`` stop at the end instead of failing there."""


class NumericalInstabilityError(EqsnnError):
    """The simulation produced NaN or infinity."""


class NetworkOperationError(EqsnnError):
    """A network operation (a user's Python function called during a run) raised; the
    original exception is its ``__cause__``."""


class CompilerNotFoundWarning(UserWarning):
    """No working C compiler: eqsnn falls back to its numpy backend."""


class CompilerProbeTimeoutWarning(UserWarning):
    """The C compiler did not build eqsnn's test library in time (a busy machine): this
    network runs on numpy, and the next one asks the compiler again."""
