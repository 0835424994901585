"""Namespace entries named like the language's own functions and constants.

``exp(t)`` in an equation is the built-in exponential, whatever the namespace holds; a
namespace entry ``exp`` (say, a TimedArray) would be silently ignored. Such an entry is
refused instead, when the model uses the name, so the user learns that their object is
not the one being called.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from eqsnn.equations.expressions import CONSTANTS
from eqsnn.equations.functions import RANDOM_FUNCTIONS
from eqsnn.equations.symbols import normalise_name
from eqsnn.errors import InvalidValueError, SourceSpan

__all__ = ["refuse_shadowed_builtins"]


def refuse_shadowed_builtins(namespace: Mapping, used: Iterable[str], *,
                             span: SourceSpan | None = None) -> None:
    """Raise if ``namespace`` has an entry named like a built-in in ``used``.

    Parameters
    ----------
    namespace
        The user's namespace (keys are compared in normalised form).
    used
        The built-in names the model uses (``builtin_names`` of
        :class:`~eqsnn.equations.Equations`, ``builtins`` of parsed expressions and
        statements).
    span
        Where the model is, for the message.
    """
    used = set(used)
    for key in namespace:
        name = normalise_name(key) if isinstance(key, str) else key
        if name not in used:
            continue
        kind = ("constant" if name in CONSTANTS else "random function"
                if name in RANDOM_FUNCTIONS else "function")
        call = name if kind == "constant" else f"{name}()"
        raise InvalidValueError(
            f"the namespace entry {key!r} has the name of the built-in {kind} {call}, "
            f"which the model uses: the built-in would be used and the entry ignored",
            span=span, hint=f"rename the entry (and its uses in the model), e.g. "
                            f"'{name}_input'")
