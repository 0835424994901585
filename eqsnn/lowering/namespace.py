"""Resolving the names a model uses but does not define.

A model's external names come from the ``namespace`` the user passes explicitly (no
stack inspection), then from eqsnn's unit names (so ``10*ms`` works in any string). A
name found nowhere is an error that points at its first use and suggests a fix.
Constants become run-time data (a scalar handed to the compiled loop), never code, so
changing one between runs does not recompile.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np

from eqsnn import units
from eqsnn.errors import InvalidValueError, SourceSpan, UnknownNameError

__all__ = ["Constant", "resolve_names", "find_span", "check_namespace"]


@dataclass
class Constant:
    """A scalar from the namespace, in SI units."""

    name: str
    value: float
    dim: Any

    @classmethod
    def from_value(cls, name: str, value: Any) -> "Constant":
        if isinstance(value, str):
            raise InvalidValueError(
                f"namespace entry {name!r} is the string {value!r}, not a value",
                hint=f"give the value itself, e.g. {{'{name}': {value}}} with the units "
                     f"imported, not a string")
        try:
            magnitude, dim = units.to_si(value)
            array = np.asarray(magnitude, dtype=np.float64)
        except (TypeError, ValueError, OverflowError) as error:
            raise InvalidValueError(
                f"namespace entry {name!r} must be a real number or quantity, not "
                f"{type(value).__name__} ({error})",
                hint="numbers beyond 64-bit floats (about 1.8e308) and complex numbers "
                     "cannot be used") from None
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
            import difflib  # (only for the error's hint: not in every run's process)
            candidates = list(namespace) + list(known) + list(units.UNIT_NAMES)
            close = difflib.get_close_matches(name, candidates, n=1)
            hint = (f"did you mean {close[0]!r}? " if close else "") + \
                f"define it in the equations or pass it in namespace={{'{name}': ...}}"
            error = UnknownNameError(f"unknown name {name!r} in the {label}",
                                     span=find_span(source, name, label), hint=hint)
            error.missing_name = name  # (an object may wait for it: runtime/namespaces)
            raise error
    return resolved


def check_namespace(namespace: Any) -> dict[str, Any]:
    """``namespace`` as a dict whose keys are names (normalised as Python does), or an
    InvalidValueError naming the bad key."""
    def normalise_name(key: str) -> str:  # (as equations.symbols does; no SymPy import
        if key.isascii():                  # when warm, nor unicodedata for ASCII names)
            return key
        import unicodedata
        return unicodedata.normalize("NFKC", key)

    if namespace is None:
        return {}
    if not isinstance(namespace, Mapping):
        raise InvalidValueError(f"namespace must be a dict of names to values, not "
                                f"{type(namespace).__name__}")
    checked: dict[str, Any] = {}
    for key, value in namespace.items():
        if not isinstance(key, str) or not normalise_name(key).isidentifier():
            raise InvalidValueError(f"namespace keys must be names, not {key!r}",
                                    hint="e.g. namespace={'tau': 10*ms}")
        name = normalise_name(key)
        if name in checked:
            raise InvalidValueError(f"namespace keys {key!r} and {name!r} are one name "
                                    f"(Python's NFKC form)", hint="keep one of them")
        checked[name] = value
    return checked
