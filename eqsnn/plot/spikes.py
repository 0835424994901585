"""Spikes: raster plots coloured by population, and population rates."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from eqsnn.errors import InvalidValueError
from eqsnn.plot._common import axes

__all__ = ["raster", "rate"]


def _populations(spikes: Any, populations: Any) -> list[tuple[str | None, np.ndarray, np.ndarray]]:
    """Split spikes into ``(name, times_s, indices)`` per population.

    ``spikes`` is a SpikeMonitor or a mapping name → SpikeMonitor (stacked: each
    population's indices are offset past the previous one's neurons). ``populations``,
    for a single monitor, maps names to sizes (taken in order) or to index slices.
    """
    if isinstance(spikes, Mapping):
        parts, offset = [], 0
        for name, monitor in spikes.items():
            parts.append((name, monitor.t_, monitor.i + offset))
            offset += monitor.stop - monitor.start
        return parts
    if populations is None:
        return [(None, spikes.t_, spikes.i)]
    parts, start = [], 0
    for name, extent in populations.items():
        if isinstance(extent, slice):
            low, high = extent.start or 0, extent.stop
        else:
            low, high = start, start + int(extent)
        if high is None or high <= low:
            raise InvalidValueError(f"population {name!r} of the raster is empty ({extent!r})",
                                    hint="give each population a size or a slice start:stop")
        chosen = (spikes.i >= low) & (spikes.i < high)
        parts.append((name, spikes.t_[chosen], spikes.i[chosen]))
        start = high
    return parts


def raster(spikes: Any, ax: Any = None, *, populations: Mapping[str, Any] | None = None,
           colors: Sequence[str] | None = None, markersize: float = 2.0,
           legend: bool = True):
    """Spike raster: time (ms) against neuron index, one colour per population.

    Parameters
    ----------
    spikes
        A :class:`~eqsnn.SpikeMonitor`, or a mapping ``{"exc": mon_e, "inh": mon_i}`` of
        monitors whose rows are stacked in order.
    ax
        Axes to draw into (default: a new figure).
    populations
        For one monitor: ``{"exc": 800, "inh": 200}`` (sizes, in order) or
        ``{"exc": slice(0, 800), ...}``, to colour parts of the group apart.
    colors
        One matplotlib colour per population (default: the colour cycle; black for a
        single unnamed population).
    markersize
        Size of the tick marks.
    legend
        Show a legend naming the populations.

    Returns
    -------
    matplotlib.axes.Axes
        One line artist per population, labelled with its name.
    """
    ax = axes(ax)
    parts = _populations(spikes, populations)
    for k, (name, times, indices) in enumerate(parts):
        if colors is not None:
            color = colors[k % len(colors)]
        else:
            color = "k" if name is None else f"C{k}"
        ax.plot(times * 1e3, indices, "|", color=color, markersize=markersize,
                markeredgewidth=max(0.5, markersize / 3), label=name, rasterized=True)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron index")
    from matplotlib.ticker import MaxNLocator
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if legend and any(name is not None for name, _, _ in parts):
        ax.legend(loc="upper right", markerscale=4, fontsize="small", framealpha=0.8)
    return ax


def rate(monitor: Any, ax: Any = None, *, width: Any = None, label: str | None = None,
         color: str | None = None):
    """Population rate (Hz) against time, averaged over a flat window ``width``.

    Parameters
    ----------
    monitor
        A :class:`~eqsnn.PopulationRateMonitor`.
    width
        Smoothing window (default 5 ms); ``0*ms`` plots the raw per-step rate.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from eqsnn import units
    from eqsnn.units import ms
    ax = axes(ax)
    width = 5 * ms if width is None else width
    if units.to_si(width)[0] == 0:
        values = monitor.rate_
    else:
        values = np.asarray(monitor.smooth_rate(width).magnitude, dtype=float)
    ax.plot(monitor.t_ * 1e3, values, lw=1.0, label=label, color=color)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("rate (Hz)")
    ax.set_ylim(bottom=0)
    return ax
