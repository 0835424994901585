"""Firing rate against input: the f–I curve."""
from __future__ import annotations

from typing import Any

import numpy as np

from eqsnn.plot._common import axes, display, label as axis_label

__all__ = ["fi_curve"]


def fi_curve(curve: Any, ax: Any = None, *, steady: bool = False, unit: Any = None,
             label: str | None = None, color: str | None = None, marker: str = "o"):
    """Plot an f–I curve from :func:`eqsnn.models.fi_curve`.

    Parameters
    ----------
    curve
        A :class:`~eqsnn.models.FICurve` (currents and rates).
    steady
        Plot the steady rate (inverse mean inter-spike interval) instead of the spike
        count over the window.
    unit
        Unit for the input axis (default: an SI prefix that suits the values).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes(ax)
    currents, current_unit = display(curve.currents, unit)
    rates = curve.isi_rates if steady else curve.rates
    hz = np.asarray(rates.to("Hz").magnitude if hasattr(rates, "to") else rates, dtype=float)
    ax.plot(currents, hz, marker=marker, ms=3, lw=1.2, label=label, color=color)
    ax.set_xlabel(axis_label("input", current_unit))
    ax.set_ylabel("steady rate (Hz)" if steady else "rate (Hz)")
    ax.set_ylim(bottom=0)
    return ax
