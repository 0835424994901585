"""What a recording needs to say about the model that made it, as plain JSON data.

Everything here comes from the objects' public attributes: the equations as written,
threshold and reset as eqsnn parsed them, constants as SI numbers with their unit.
"""
from __future__ import annotations

from typing import Any

import numpy as np

import eqsnn
from eqsnn import units
from eqsnn.errors import InvalidValueError

__all__ = ["describe_network", "monitors_of", "unit_name"]


def unit_name(dim) -> str:
    """The SI unit a dimension's values are stored in (``volt``, ``siemens/meter**2``)."""
    if dim == units.DIMENSIONLESS:
        return "dimensionless"
    return str(units.unit_for_dimension(dim)).replace(" ", "")


def monitors_of(net) -> list:
    """The network's monitors, in the order they were added."""
    if not isinstance(net, eqsnn.Network):
        raise InvalidValueError(
            f"recordings are exported from a Network (its dt and time are needed), not "
            f"{type(net).__name__}", hint="pass the network you ran: to_neo(net)")
    kinds = (eqsnn.SpikeMonitor, eqsnn.StateMonitor, eqsnn.PopulationRateMonitor)
    return [obj for obj in net.objects if isinstance(obj, kinds)]


def describe_network(net) -> dict:
    """A JSON-ready description of every group and synapse set in ``net``."""
    monitors_of(net)  # the same check of what was passed
    described = []
    for obj in net.objects:
        if isinstance(obj, (eqsnn.SpikeMonitor, eqsnn.StateMonitor,
                            eqsnn.PopulationRateMonitor)):
            continue
        described.append(_describe(obj))
    return {"simulator": "eqsnn", "version": eqsnn.__version__,
            "dt": {"value": float(net.dt.to("second").magnitude), "unit": "second"},
            "duration": {"value": float(net.t_), "unit": "second"},
            "seed": net.seed, "backend": net.backend, "objects": described}


def _describe(obj) -> dict:
    entry: dict[str, Any] = {"name": obj.name, "type": type(obj).__name__, "N": int(obj.N)}
    if isinstance(obj, eqsnn.SpikeGeneratorGroup):
        return entry
    model = obj.model
    entry["equations"] = model if isinstance(model, str) else getattr(model, "source", str(model))
    if isinstance(obj, eqsnn.Synapses):
        entry["source"], entry["target"] = obj.source.name, obj.target.name
        return entry
    threshold, reset = obj.threshold, obj.reset
    entry["threshold"] = None if threshold is None else str(threshold)
    entry["reset"] = "; ".join(f"{a.lhs} = {a.rhs}" for a in reset) or None
    entry["refractory"] = None if obj.refractory is None else \
        {"value": obj.refractory, "unit": "second"}
    entry["method"] = obj.method
    entry["namespace"] = {name: _constant(value)
                          for name, value in obj.resolved_namespace.items()
                          if hasattr(value, "dim")}
    return entry


def _constant(constant) -> dict:
    value = np.asarray(constant.value)
    return {"value": value.tolist(), "unit": unit_name(constant.dim)}
