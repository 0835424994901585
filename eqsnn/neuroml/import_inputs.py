"""NeuroML inputs → eqsnn: an input whose state is a function of time (pulse, sine,
ramp) becomes a subexpression of its target, scaled by each neuron's summed input
weight; a ``poissonFiringSynapse`` a PoissonGroup and Synapses. Each function takes the
importer (:mod:`eqsnn.neuroml.importer`) whose network is being read."""
from __future__ import annotations

import numpy as np

from eqsnn.neuroml.dimensions import unit_string
from eqsnn.neuroml.dynamics import translate_component
from eqsnn.neuroml.errors import UnsupportedNeuroMLError
from eqsnn.neuroml.import_synapses import make_synapses, synapse_sums
from eqsnn.neuroml.lems import Component
from eqsnn.neuroml.model import has_regimes, identifier, unit_quantity

__all__ = ["add_inputs"]

_POISSON_INPUTS = ("poissonFiringSynapse", "transientPoissonFiringSynapse")


def add_inputs(importer, input_id: str | None, entries: list[Component], where: Component,
            population: str | None) -> None:
    component = importer.component(input_id, where.element)
    targets: dict[str, np.ndarray] = {}
    for entry in entries:
        pop, position = importer.cell(entry.attrs.get("target"), entry.element, population)
        weights = targets.setdefault(pop, np.zeros(importer.sizes[pop]))
        weights[position] += float(entry.attrs.get("weight", 1.0))
    if component.type in _POISSON_INPUTS:
        for pop, weights in targets.items():
            _poisson_input(importer, component, pop, weights, where)
        return
    label = identifier(where.id or input_id)
    for pop, weights in targets.items():
        _time_input(importer, component, pop, weights, label, where)


def _time_input(importer, component: Component, pop: str, weights: np.ndarray, label: str,
                where: Component) -> None:
    """An input whose state is set by conditions on time (pulse, sine, ramp): a
    subexpression of the target, scaled by each neuron's summed input weight."""
    rtype = importer.lib.resolve(component.type, component.element)
    prefix = f"{label}_"
    # jNeuroML advances a cell's inputs before the cell, to the end of the step
    # (t + dt); a cell with regimes reads them as they were at the step's start.
    cell_type = importer.lib.resolve(importer.populations[pop].type)
    tr = translate_component(importer.lib, component, prefix=prefix, each_step="expression",
                             end_of_step_time=not has_regimes(cell_type))
    if tr.states or rtype.requirements:
        raise importer.lib.error(
            rtype.dynamics if rtype.dynamics is not None else component.element,
            f"the input {component.type} {component.id!r} has its own state or reads "
            f"the cell ({', '.join(rtype.requirements) or ', '.join(tr.states)}); eqsnn "
            f"imports inputs that are functions of time, and Poisson inputs",
            cls=UnsupportedNeuroMLError)
    weight = f"{prefix}inputs"
    for exposure in rtype.exposures:
        if exposure not in tr.names:
            continue
        dim = tr.dims[tr.names[exposure]]
        name = f"{prefix}{exposure}_total"
        importer.contributions[pop].setdefault(("synapses", exposure), []).append(name)
        importer.extra_lines[pop].append(f"{name} = {weight}*{tr.names[exposure]} : "
                                     f"{unit_string(dim)}")
    importer.extra_lines[pop] += [line for line in tr.lines] + [f"{weight} : 1"]
    importer.extra_namespace[pop].update(tr.namespace)
    importer.extra_values[pop][weight] = weights
    importer.model.translations[f"{where.id or component.id}:{pop}"] = tr


def _poisson_input(importer, component: Component, pop: str, weights: np.ndarray,
                   where: Component) -> None:
    """``poissonFiringSynapse``: Poisson spikes at ``averageRate`` into one synapse
    per target (``transient…``: only from ``delay`` for ``duration``)."""
    from eqsnn import PoissonGroup
    lib = importer.lib
    rate = lib.quantity(component.attrs.get("averageRate"), "per_time", component.element)[0]
    targets = np.flatnonzero(weights)
    label = identifier(f"{where.id or component.id}_{pop}")
    namespace = {"rate": rate * unit_quantity("hertz")}
    rates = "rate"
    if component.type == "transientPoissonFiringSynapse":
        delay = lib.quantity(component.attrs.get("delay"), "time", component.element)[0]
        duration = lib.quantity(component.attrs.get("duration"), "time",
                                component.element)[0]
        namespace.update(delay=delay * unit_quantity("second"), duration=duration * unit_quantity("second"))
        rates = "rate*(t >= delay and t < delay + duration)"
    source = PoissonGroup(targets.size, rates, namespace=namespace, name=f"{label}_spikes")
    importer.model.inputs[source.name] = source
    synapse = importer.component(component.attrs.get("synapse"), component.element)
    plan = {"name": label, "kind": "poisson", "pre": None, "post": pop,
            "synapse": synapse, "pairs": (np.arange(targets.size), targets),
            "weights": None, "delays": None, "input_weights": weights[targets],
            "element": where.element, "source": source}
    plan["sums"] = synapse_sums(importer, synapse, pop, label, where.element)
    for exposure, name, unit in plan["sums"]:
        importer.contribute(pop, exposure, name, unit)
    importer.later.append(lambda plan=plan: make_synapses(importer, plan))
