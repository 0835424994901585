"""Plots of simulation results (matplotlib). Each function draws into ``ax`` (a new one
if not given) and returns the Axes, so figures compose."""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["raster", "trace", "rate", "demo_figure"]


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt
    return plt.figure().add_subplot()


def raster(spikes: Any, ax=None, *, color: str = "k", markersize: float = 1.0, label=None):
    """Spike raster of a SpikeMonitor: time (ms) against neuron index."""
    ax = _axes(ax)
    ax.plot(spikes.t_ * 1e3, spikes.i, "|", color=color, markersize=markersize, label=label)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron index")
    return ax


def trace(monitor: Any, variable: str = "v", index: int = 0, ax=None, *, unit: Any = None,
          label=None):
    """One recorded variable of one neuron against time, with its unit on the axis."""
    ax = _axes(ax)
    values = getattr(monitor, variable)[index]
    if hasattr(values, "units"):
        if unit is not None:
            values = values.to(unit)
        elif str(values.units) == "volt":
            values = values.to("mV")
        ax.set_ylabel(f"{variable} ({values.units:~P})")
        values = values.magnitude
    else:
        ax.set_ylabel(variable)
    ax.plot(monitor.t_ * 1e3, values, lw=0.8, label=label)
    ax.set_xlabel("time (ms)")
    return ax


def rate(monitor: Any, ax=None, *, width: Any = None, label=None):
    """Population rate (Hz) against time, smoothed over ``width`` (default 5 ms)."""
    from eqsnn.units import ms
    ax = _axes(ax)
    smooth = monitor.smooth_rate(width if width is not None else 5 * ms)
    ax.plot(monitor.t_ * 1e3, np.asarray(smooth.magnitude), lw=0.8, label=label)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("rate (Hz)")
    return ax


def demo_figure(result: Any):
    """Raster, one trace and the population rate of a demo, stacked."""
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    panels = [p for p in (result.spikes, result.trace, result.rate) if p is not None]
    figure, axes = plt.subplots(len(panels), 1, figsize=(8, 2.4 * len(panels) + 0.6),
                                sharex=True, squeeze=False)
    axes = list(axes[:, 0])
    if result.spikes is not None:
        raster(result.spikes, axes.pop(0))
    if result.trace is not None:
        trace(result.trace, result.trace_variable, 0, axes.pop(0))
    if result.rate is not None:
        rate(result.rate, axes.pop(0))
    figure.suptitle(result.title)
    figure.tight_layout()
    return figure
