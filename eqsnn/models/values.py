"""Values in model descriptions: the :data:`REST` marker and :func:`format_value`."""
from __future__ import annotations

from typing import Any

from eqsnn import units

__all__ = ["REST", "format_value"]


class _Rest:
    """Marker for an initial value taken from the model's resting state (input = 0)."""

    def __repr__(self) -> str:
        return "REST"


#: Initial value meaning "the resting state of the model with zero input".
REST = _Rest()


def format_value(value: Any) -> str:
    """``-65 mV``, ``0.02``, ``"b*v"`` — a value as a person writes it."""
    if value is None:
        return "none"
    if value is REST:
        return "rest"
    if isinstance(value, str):
        return value
    if units.is_quantity(value):
        magnitude = value.magnitude
        text = f"{magnitude:g}" if isinstance(magnitude, (int, float)) else str(magnitude)
        unit = f"{value.units:~P}"
        return f"{text} {unit}" if unit else text
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
