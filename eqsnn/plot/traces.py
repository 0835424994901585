"""Values over time: state traces with units, synaptic weights and their evolution."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from eqsnn import units
from eqsnn.errors import InvalidValueError
from eqsnn.plot._common import axes, display, label as axis_label

__all__ = ["trace", "weights", "weight_over_time"]


def trace(monitor: Any, variable: str = "v", index: int | Sequence[int] = 0, ax: Any = None, *,
          unit: Any = None, label: str | Sequence[str] | None = None, color: str | None = None,
          lw: float = 1.0):
    """Recorded values of ``variable`` against time (ms), with the unit on the y axis.

    Parameters
    ----------
    monitor
        A :class:`~eqsnn.StateMonitor` that recorded ``variable``.
    variable
        Name of a recorded variable or subexpression.
    index
        Row(s) of the monitor to draw (positions in its ``record`` list).
    unit
        Unit for the y axis (``"nA"``); default: mV for voltages, otherwise the SI
        prefix that suits the data.
    label
        Legend label (one per row when ``index`` is a list).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes(ax)
    rows = [index] if np.isscalar(index) else list(index)
    recorded = getattr(monitor, variable)
    values, unit_label = display(recorded, unit)
    values = np.atleast_2d(values)
    labels = label if isinstance(label, (list, tuple)) else [label] * len(rows)
    for row, text in zip(rows, labels):
        if not 0 <= row < values.shape[0]:
            raise InvalidValueError(f"the monitor recorded {values.shape[0]} rows of "
                                    f"{variable}, so there is no row {row}")
        ax.plot(monitor.t_ * 1e3, values[row], lw=lw, label=text, color=color)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(axis_label(variable, unit_label))
    return ax


def weights(values: Any, ax: Any = None, *, variable: str = "w", bins: int = 40,
            unit: Any = None, color: str | None = None, label: str | None = None):
    """Histogram of synaptic weights.

    Parameters
    ----------
    values
        A :class:`~eqsnn.Synapses` (its ``variable`` is read), or the weights
        themselves (a quantity or an array).
    variable
        Which synaptic variable to read from a Synapses object.
    bins
        Number of bins.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes(ax)
    if hasattr(values, "equations") and hasattr(values, "source"):
        values = getattr(values, variable)
    numbers, unit_label = display(values, unit)
    ax.hist(numbers.ravel(), bins=bins, color=color or "C0", label=label,
            edgecolor="white", linewidth=0.3)
    ax.set_xlabel(axis_label(f"weight {variable}", unit_label))
    ax.set_ylabel("synapses")
    return ax


def weight_over_time(record: Any, ax: Any = None, *, variable: str = "w", unit: Any = None,
                     individual: int = 0, color: str | None = None, label: str | None = None):
    """Mean synaptic weight against time, with a band of ± one standard deviation.

    Parameters
    ----------
    record
        A :class:`~eqsnn.StateMonitor` of a Synapses object that recorded
        ``variable``, or a pair ``(times, values)``: times as a quantity or seconds,
        values shaped ``(n_synapses, n_times)`` (or ``(n_times,)`` for a mean already
        taken).
    individual
        Also draw this many single synapses, thinly (the first ones recorded).

    Returns
    -------
    matplotlib.axes.Axes
        The mean is the line labelled ``label`` (default ``"mean"``).
    """
    ax = axes(ax)
    if isinstance(record, tuple):
        times, values = record
        times = units.to_si(times)[0] if units.is_quantity(times) else np.asarray(times)
    else:
        times, values = record.t_, getattr(record, variable)
    numbers, unit_label = display(values, unit)
    numbers = np.atleast_2d(numbers)
    t_ms = np.asarray(times, dtype=float) * 1e3
    if numbers.shape[1] != t_ms.size:
        raise InvalidValueError(f"{numbers.shape[1]} weight samples for {t_ms.size} times",
                                hint="values must be shaped (n_synapses, n_times)")
    color = color or "C0"
    for row in numbers[:individual]:
        ax.plot(t_ms, row, lw=0.4, color=color, alpha=0.3)
    mean = numbers.mean(axis=0)
    if numbers.shape[0] > 1:
        spread = numbers.std(axis=0)
        ax.fill_between(t_ms, mean - spread, mean + spread, color=color, alpha=0.2, lw=0)
    ax.plot(t_ms, mean, lw=1.5, color=color, label=label or "mean")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(axis_label(f"weight {variable}", unit_label))
    return ax
