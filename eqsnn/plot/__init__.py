"""Plots of models and simulation results (matplotlib).

Every function draws into ``ax`` (a new figure's Axes if not given) and returns that
Axes, so figures compose::

    import matplotlib.pyplot as plt
    from eqsnn import plot
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True)
    plot.raster(spikes, top, populations={"exc": 800, "inh": 200})
    plot.rate(rates, bottom)

* spikes: :func:`raster`, :func:`rate`
* values over time: :func:`trace`, :func:`weights`, :func:`weight_over_time`
* models: :func:`phase_plane`, :func:`fi_curve`
* the ``eqsnn demo`` figure: :func:`demo_figure`
"""
from __future__ import annotations

from eqsnn.plot.figures import demo_figure
from eqsnn.plot.phase import phase_plane
from eqsnn.plot.spikes import raster, rate
from eqsnn.plot.traces import trace, weight_over_time, weights
from eqsnn.plot.tuning import fi_curve

__all__ = ["raster", "rate", "trace", "weights", "weight_over_time", "phase_plane",
           "fi_curve", "demo_figure"]
