"""Resolving the names a model uses but does not define.

A model's external names come from the ``namespace`` the user passes explicitly (no
stack inspection), then from eqsnn's unit names (so ``10*ms`` works in any string). A
name found nowhere is an error that points at its first use and suggests a fix.
Constants become run-time data (a scalar handed to the compiled loop), never code, so
changing one between runs does not recompile.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np

from eqsnn import units
from eqsnn.errors import InvalidValueError, SourceSpan, UnknownNameError

__all__ = ["Constant", "resolve_names", "find_span"]


@dataclass
class Constant:
    """A scalar from the namespace, in SI units."""

    name: str
    value: float
    dim: Any

    @classmethod
    def from_value(cls, name: str, value: Any) -> "Constant":
        magnitude, dim = units.to_si(value)
        array = np.asarray(magnitude, dtype=np.float64)
        if array.ndim != 0:
            raise InvalidValueError(
                f"namespace entry {name!r} must be a single number, not an array of shape "
                f"{array.shape}",
                hint=f"declare it per neuron in the equations ('{name} : <unit>') and set "
                     f"it with group.{name} = ...")
        return cls(name, float(array), dim)


def find_span(source: str, name: str, label: str) -> SourceSpan | None:
    """The first place ``name`` occurs as a whole word in ``source``."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
    for number, line in enumerate(source.splitlines(), start=1):
        code = line.split("#", 1)[0]
        match = pattern.search(code)
        if match:
            return SourceSpan(source, number, match.start(), match.end(), label)
    return None


def resolve_names(names: Iterable[str], namespace: Mapping[str, Any], *, source: str,
                  label: str, known: Iterable[str] = ()) -> dict[str, Any]:
    """Map each external name to a :class:`Constant` or a user function object.

    ``known`` are names defined elsewhere (the model's own variables), offered as
    suggestions for a misspelt name.
    """
    resolved: dict[str, Any] = {}
    for name in sorted(names):
        if name in namespace:
            value = namespace[name]
            resolved[name] = value if callable(value) and hasattr(value, "_eqsnn_function") \
                else Constant.from_value(name, value)
        elif name in units.UNIT_NAMES:
            resolved[name] = Constant.from_value(name, 1 * units.UNIT_NAMES[name])
        else:
            candidates = list(namespace) + list(known) + list(units.UNIT_NAMES)
            close = difflib.get_close_matches(name, candidates, n=1)
            hint = (f"did you mean {close[0]!r}? " if close else "") + \
                f"define it in the equations or pass it in namespace={{'{name}': ...}}"
            raise UnknownNameError(f"unknown name {name!r} in the {label}",
                                   span=find_span(source, name, label), hint=hint)
    return resolved
