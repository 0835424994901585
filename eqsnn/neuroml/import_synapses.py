"""NeuroML projections and synaptic connections → eqsnn Synapses: the synapse's
state per connection, ``on_pre`` from its ``OnEvent``, its current summed into the
target; weights and delays per connection. Each function takes the importer
(:mod:`eqsnn.neuroml.importer`) whose network is being read."""
from __future__ import annotations

import re

import numpy as np

from eqsnn.errors import EqsnnError
from eqsnn.neuroml.dimensions import pint_dimension, unit_string
from eqsnn.neuroml.dynamics import translate_component
from eqsnn.neuroml.errors import UnsupportedNeuroMLError
from eqsnn.neuroml.lems import Component
from eqsnn.neuroml.export_plasticity import post_lag
from eqsnn.neuroml.model import has_regimes, identifier, initialise, summed_exposures

__all__ = ["projection_plans", "synapse_sums", "make_synapses"]


def projection_plans(importer) -> list[dict]:
    plans = []
    for proj in importer.net.children_of("projection"):
        pre = proj.attrs.get("presynapticPopulation")
        post = proj.attrs.get("postsynapticPopulation")
        for side in (pre, post):
            if side not in importer.populations:
                raise importer.lib.error(proj.element, f"the projection {proj.id!r} names "
                                                   f"no population {side!r}")
        synapse = importer.component(proj.attrs.get("synapse"), proj.element)
        connections = proj.children_of("connection", "connectionWD")
        pairs = [(importer.cell(c.attrs.get("preCellId"), c.element, pre)[1],
                  importer.cell(c.attrs.get("postCellId"), c.element, post)[1])
                 for c in connections]
        plan = _plan(importer, proj.id, pre, post, synapse, pairs, connections, proj.element)
        plans.append(plan)
    grouped: dict[tuple, list[Component]] = {}
    for conn in importer.net.children_of("synapticConnection", "synapticConnectionWD"):
        pre, _ = importer.cell(conn.attrs.get("from"), conn.element)
        post, _ = importer.cell(conn.attrs.get("to"), conn.element)
        grouped.setdefault((pre, post, conn.attrs.get("synapse")), []).append(conn)
    for (pre, post, synapse_id), conns in grouped.items():
        synapse = importer.component(synapse_id, conns[0].element)
        pairs = [(importer.cell(c.attrs.get("from"), c.element)[1],
                  importer.cell(c.attrs.get("to"), c.element)[1]) for c in conns]
        plans.append(_plan(importer, f"{pre}_to_{post}_{synapse_id}", pre, post, synapse,
                                pairs, conns, conns[0].element))
    return plans


def _plan(importer, name, pre, post, synapse, pairs, connections, element) -> dict:
    lib = importer.lib
    weights = [float(c.attrs.get("weight", 1.0)) for c in connections]
    delays = [lib.quantity(c.attrs["delay"], "time", c.element)[0]
              if "delay" in c.attrs else 0.0 for c in connections]
    plan = {"name": identifier(name), "kind": "projection", "id": name,
            "pre": pre, "post": post, "synapse": synapse,
            "pairs": (np.array([p for p, _ in pairs], dtype=np.int64),
                      np.array([q for _, q in pairs], dtype=np.int64)),
            "weights": np.array(weights), "delays": np.array(delays),
            "input_weights": None, "element": element}
    plan["sums"] = synapse_sums(importer, synapse, post, identifier(name), element)
    return plan


def synapse_sums(importer, synapse: Component, post: str, label: str, where) -> list:
    """``(exposure, target parameter, unit)`` for each exposure of the synapse that
    the target cell sums (``select="synapses[*]/i"``: ``i``; ``I`` for the
    dimensionless cells; any other name a user's cell sums)."""
    rtype = importer.lib.resolve(synapse.type, synapse.element)
    cell_type = importer.lib.resolve(importer.populations[post].type)
    wanted = summed_exposures(cell_type)
    sums = []
    for exposure in wanted:
        if exposure in rtype.exposures:
            dim = pint_dimension(importer.lib.dimensions.get(rtype.exposures[exposure], {}))
            sums.append((exposure, f"{exposure}_{label}", unit_string(dim)))
    if not sums:
        raise importer.lib.error(where, f"the synapse {synapse.id!r} ({synapse.type}) exposes "
                                    f"none of {sorted(wanted) or ['i']}, which the cells "
                                    f"of {post!r} ({cell_type.name}) sum")
    return sums


def make_synapses(importer, plan: dict) -> None:
    from eqsnn import Synapses
    synapse, post = plan["synapse"], plan["post"]
    rtype = importer.lib.resolve(synapse.type, synapse.element)
    requirements = {name: f"{_cell_name(importer, post, name, plan['element'])}_post"
                    for name in rtype.requirements}
    cell_type = importer.lib.resolve(importer.populations[post].type)
    tr = translate_component(importer.lib, synapse, requirements=requirements,
                             per_item_properties=True,
                             post_lag=post_lag(has_regimes(cell_type)))
    if tr.per_step or tr.threshold:
        raise importer.lib.error(rtype.dynamics, f"the synapse {synapse.type} has conditions "
                                             f"of its own, which eqsnn synapses cannot check",
                             cls=UnsupportedNeuroMLError)
    lines = list(tr.lines)
    scale = ""
    if plan["input_weights"] is not None:
        lines.append("input_weight : 1")
        scale = "input_weight*"
    for exposure, name, unit in plan["sums"]:
        lines.append(f"{name}_post = {scale}{tr.names[exposure]} : {unit} (summed)")
    pre_group = plan.get("source") or importer.model.groups[plan["pre"]]
    try:
        deltas = _delta_increments(importer, post, tr)
        on_pre = tr.on_event.get("in", []) + deltas
        syn = Synapses(pre_group, importer.model.groups[post], "\n".join(lines),
                       on_pre="\n".join(on_pre) or None,
                       on_post="\n".join(tr.on_event.get("post", [])) or None,
                       method=importer.method, namespace=tr.namespace,
                       name=identifier(plan.get("id") or plan["name"]))
        i, j = plan["pairs"]
        if i.size:
            syn.connect(i=i, j=j)
            for name, value in tr.properties.items():
                setattr(syn, name, value)
            if plan["weights"] is not None and "weight" in tr.names:
                setattr(syn, tr.names["weight"], plan["weights"])
            initialise(syn, tr)   # after the weights: OnStart may read them (w = weight*...)
            if plan["input_weights"] is not None:
                syn.input_weight = plan["input_weights"]
            if plan["delays"] is not None and np.any(plan["delays"]):
                from eqsnn.units import second
                # jNeuroML: a delay d acts as floor(d/dt) steps (a delta synapse's a
                # step sooner, see export_network)
                delays = plan["delays"]
                steps = np.floor(delays / importer.dt + 1e-9) + (1 if deltas else 0)
                syn.delay = np.where(delays > 0, steps * importer.dt, 0.0) * second
    except EqsnnError as exc:
        raise importer.translation_error(synapse, exc) from None
    key = plan.get("id") or plan["name"]
    (importer.model.synapses if plan["kind"] == "projection" else importer.model.inputs)[key] = syn
    importer.model.translations[key] = tr


def _cell_name(importer, pop: str, lems_name: str, where) -> str:
    tr = importer.model.translations.get(pop)
    if tr is not None and lems_name in tr.names:
        return tr.names[lems_name]
    return lems_name


def _delta_increments(importer, post: str, tr) -> list[str]:
    """``x_post += e`` for each ``jumps = jumps + e`` of the synapse on an exposure the
    target reads as a delta synapse (see :class:`~eqsnn.neuroml.translation.Translated`)."""
    cell = importer.model.translations.get(post)
    increments = []
    for exposure, target in (cell.deltas.items() if cell is not None else ()):
        name = tr.names.get(exposure)
        for statement in tr.on_event.get("in", []):
            variable, value = statement.split(" = ", 1)
            match = re.fullmatch(rf"{re.escape(name)}\s*\+\s*(.+)", value.strip())
            if variable == name and match:
                increments.append(f"{target}_post += {match.group(1)}")
    return increments
