"""Demos for ``eqsnn demo``: real simulations that write a figure and a summary.

Each demo is a function ``(duration_s, backend, seed) -> DemoResult``; the registry
below is what ``eqsnn demo --list`` shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["DemoResult", "DEMOS", "DEFAULT", "register"]


@dataclass
class DemoResult:
    """What a demo ran and what came out of it."""

    title: str
    network: Any
    spikes: Any = None          # a SpikeMonitor
    trace: Any = None           # a StateMonitor of one variable
    trace_variable: str = "v"
    trace_label: str | None = None  # which neuron the trace shows
    rate: Any = None            # a PopulationRateMonitor
    neurons: int = 0
    populations: dict | None = None  # name -> size, in index order, for the raster
    synapses: int = 0
    extra: dict = field(default_factory=dict)


DEMOS: dict[str, tuple[str, Callable[..., DemoResult]]] = {}
#: What ``eqsnn demo`` runs without a name.
DEFAULT = "izhikevich"


def register(name: str, description: str):
    def decorate(function):
        DEMOS[name] = (description, function)
        return function
    return decorate


from eqsnn.demos import izhikevich as _izhikevich  # noqa: E402,F401  (registers demos)
from eqsnn.demos import cuba as _cuba  # noqa: E402,F401
