"""Composite figures: the one ``eqsnn demo`` writes."""
from __future__ import annotations

from typing import Any

from eqsnn.plot.spikes import raster, rate
from eqsnn.plot.traces import trace

__all__ = ["demo_figure"]


def demo_figure(result: Any):
    """Raster (coloured by population), one neuron's trace and the population rate.

    ``result`` is a :class:`eqsnn.demos.DemoResult`. The panels share the time axis;
    the raster takes most of the height. Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt
    panels = [name for name, part in (("raster", result.spikes), ("trace", result.trace),
                                      ("rate", result.rate)) if part is not None]
    heights = {"raster": 3.0, "trace": 1.3, "rate": 1.3}
    figure, axes = plt.subplots(len(panels), 1, figsize=(9, 1.2 + 1.6 * sum(heights[p] for p in panels)),
                                sharex=True, squeeze=False,
                                gridspec_kw={"height_ratios": [heights[p] for p in panels]})
    slots = dict(zip(panels, axes[:, 0]))
    if "raster" in slots:
        raster(result.spikes, slots["raster"], populations=result.populations,
               markersize=1.5)
        slots["raster"].set_ylim(-0.5, result.neurons - 0.5)
    if "trace" in slots:
        trace(result.trace, result.trace_variable, 0, slots["trace"], color="C3",
              label=result.trace_label)
        if result.trace_label:
            slots["trace"].legend(loc="upper right", fontsize="small")
    if "rate" in slots:
        rate(result.rate, slots["rate"], color="k")
    for ax in axes[:-1, 0]:
        ax.set_xlabel("")
    axes[-1, 0].set_xlim(0, result.network.t_ * 1e3)
    figure.suptitle(result.title, fontsize="medium")
    figure.tight_layout()
    return figure
