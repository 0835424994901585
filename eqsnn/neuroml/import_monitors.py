"""A LEMS simulation's outputs (``OutputFile`` columns, ``Display`` lines,
``EventOutputFile`` selections) → eqsnn StateMonitors and SpikeMonitors. Each function
takes the importer (:mod:`eqsnn.neuroml.importer`) whose network is being read."""
from __future__ import annotations

import numpy as np

from eqsnn.neuroml.lems import Component
from eqsnn.neuroml.model import descendants

__all__ = ["add_monitors"]


def add_monitors(importer) -> None:
    from eqsnn import SpikeMonitor, StateMonitor
    wanted: dict[str, dict[str, list[int]]] = {}
    columns: list[tuple[str, str, str, int]] = []
    for element in descendants(importer.simulation, ("OutputColumn", "Line")):
        if "/" not in element.attrs.get("quantity", ""):
            continue   # the time column
        pop, index, variable = _quantity_path(importer, element)
        columns.append((element.id, pop, variable, index))
        record = wanted.setdefault(pop, {}).setdefault(variable, [])
        if index not in record:
            record.append(index)
    for pop, variables in wanted.items():
        indices = sorted({k for rows in variables.values() for k in rows})
        monitor = StateMonitor(importer.model.groups[pop], sorted(variables), record=indices,
                               name=f"{pop}.state")
        importer.model.monitors[monitor.name] = monitor
    for column_id, pop, variable, index in columns:
        monitor = importer.model.monitors[f"{pop}.state"]
        importer.model.columns[column_id] = (monitor, variable,
                                         int(np.searchsorted(monitor.record, index)))
    for element in descendants(importer.simulation, ("EventSelection",)):
        pop, _ = importer.cell(element.attrs.get("select"), element.element)
        name = f"{pop}.spikes"
        if name not in importer.model.monitors:
            importer.model.monitors[name] = SpikeMonitor(importer.model.groups[pop], name=name)


def _quantity_path(importer, element: Component) -> tuple[str, int, str]:
    quantity = element.attrs.get("quantity", "")
    head, _, variable = quantity.rpartition("/")
    pop, index = importer.cell(head, element.element)
    tr = importer.model.translations[pop]
    if variable not in tr.names:
        raise importer.lib.error(element.element, f"{quantity!r}: the cells of {pop!r} have no "
                                              f"variable {variable!r}")
    return pop, index, tr.names[variable]
