"""Helpers shared by the plot modules: an Axes to draw into, and values in units a
person reads (mV rather than volt, nA rather than 1e-9 A)."""
from __future__ import annotations

from typing import Any

import numpy as np

from eqsnn import units

# Units a neuroscientist expects on an axis, by dimension name: voltages in mV and time
# in ms whatever their size; other dimensions get an SI prefix fitted to the data.
_FIXED = {"volt": "mV", "second": "ms"}


def axes(ax: Any = None):
    """``ax`` itself, or a new Axes on a new figure."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt
    return plt.figure().add_subplot()


def display(values: Any, unit: Any = None) -> tuple[np.ndarray, str]:
    """``values`` (a quantity, or plain numbers) as floats plus the label of their unit.

    With ``unit`` given (``"nA"`` or a pint unit) the values are converted to it;
    otherwise voltages go to mV, times to ms, and anything else to the SI prefix that
    puts the largest magnitude between 1 and 1000. Plain numbers get the label ``""``.
    """
    if not units.is_quantity(values):
        return np.asarray(values, dtype=float), ""
    if unit is None:
        base = units.unit_for_dimension(values.dimensionality)
        unit = _FIXED.get(str(base))
        if unit is None:
            largest = float(np.nanmax(np.abs(values.to(base).magnitude), initial=0.0))
            unit = (largest * base).to_compact().units if largest > 0 else base
    converted = values.to(unit)
    label = f"{converted.units:~P}"
    return np.asarray(converted.magnitude, dtype=float), label


def label(name: str, unit_label: str) -> str:
    """``v (mV)``, or just ``v`` for a dimensionless value."""
    return f"{name} ({unit_label})" if unit_label else name
