"""A NeuroML 2 network (or a LEMS simulation of one) → eqsnn objects.

=======================================  ===========================================
NeuroML                                   eqsnn
=======================================  ===========================================
``<population component= size=>``         a :class:`~eqsnn.NeuronGroup` named after it
``<projection synapse=>`` + connections   a :class:`~eqsnn.Synapses`: the synapse's
                                          state per connection, ``on_pre`` from its
                                          ``OnEvent``, its current summed into the
                                          target (``i_<projection> : amp``); weights
                                          and delays per connection
``<synapticConnection>`` (LEMS)           the same, one per (from, to, synapse)
``<explicitInput>``, ``<inputList>``      an input whose current depends on time only
                                          (``pulseGenerator``, ``sineGenerator``, …)
                                          becomes a subexpression of the target, times
                                          a per-neuron weight; ``poissonFiringSynapse``
                                          a :class:`~eqsnn.PoissonGroup` and Synapses
``<Simulation>`` ``OutputFile``,          :class:`~eqsnn.StateMonitor`\\ s and
``EventOutputFile``, ``Display``          :class:`~eqsnn.SpikeMonitor`\\ s
=======================================  ===========================================
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np

from eqsnn.errors import EqsnnError
from eqsnn.neuroml.dimensions import pint_dimension, unit_string
from eqsnn.neuroml.dynamics import Translated, translate_component
from eqsnn.neuroml.errors import NeuroMLError, UnsupportedNeuroMLError
from eqsnn.neuroml.lems import Component, Library
from eqsnn.neuroml.model import (NeuroMLModel, NeuroMLWarning, descendants, identifier,
                                 initialise, per_second, summed_exposures, unit_quantity)

__all__ = ["NeuroMLModel", "NeuroMLWarning", "load"]

_CELL_REFERENCE = re.compile(r"^(?:\.\./)?(\w+)(?:\[(\d+)\]|/(\d+)(?:/\w+)?)?$")
_POISSON_INPUTS = ("poissonFiringSynapse", "transientPoissonFiringSynapse")
_UNSUPPORTED_NETWORK = ("electricalProjection", "continuousProjection", "region")


def load(path, *, method: str = "euler", dt: Any = None, network: str | None = None,
         monitors: bool = True) -> NeuroMLModel:
    """Import a NeuroML 2 document or LEMS file as eqsnn groups and synapses.

    Parameters
    ----------
    path
        A ``.nml`` document or a LEMS ``.xml`` file (``<Target>`` → ``<Simulation>`` →
        network). Includes are resolved beside the file, then among NeuroML's core
        types.
    method
        Integration method of every group and synapse set. ``"euler"`` (forward Euler)
        is what jNeuroML uses, so it gives jNeuroML's numbers.
    dt
        The time step the model will run with (default: the simulation's step, else
        0.1 ms); it is needed to reproduce jNeuroML's refractory periods exactly.
    network
        The id of the network to import when the document has several.
    monitors
        Create monitors for the simulation's output files and displays.
    """
    lib = Library()
    lib.load(path)
    return _Importer(lib, method, dt, network, monitors).run()


class _Importer:
    def __init__(self, lib: Library, method: str, dt: Any, network_id: str | None,
                 monitors: bool):
        self.lib, self.method = lib, method
        self.model = NeuroMLModel()
        self.simulation = self._simulation()
        self.net = self._network(network_id)
        self.dt = self._dt(dt)
        self.want_monitors = monitors
        self.populations: dict[str, Component] = {}
        self.sizes: dict[str, int] = {}
        self.instance_index: dict[str, dict[int, int]] = {}
        # population -> (attachment, exposure) -> contributing eqsnn names
        self.contributions: dict[str, dict[tuple[str, str], list[str]]] = {}
        self.extra_lines: dict[str, list[str]] = {}
        self.extra_namespace: dict[str, dict] = {}
        self.extra_values: dict[str, dict[str, np.ndarray]] = {}
        self.later: list = []      # (callable) run once the groups exist
        self.spike_arrays: dict[str, list[float]] = {}   # population -> spike times

    # --- the document ---------------------------------------------------------------
    def _simulation(self) -> Component | None:
        for target in self.lib.targets:
            component = self.lib.components.get(target)
            if component is None:
                raise NeuroMLError(f"<Target component={target!r}> names no component")
            return component
        return None

    def _network(self, network_id: str | None) -> Component:
        lib = self.lib
        if network_id is None and self.simulation is not None:
            network_id = self.simulation.attrs.get("target")
        if network_id is not None:
            if network_id not in lib.components:
                raise NeuroMLError(f"the document has no network with id {network_id!r}")
            return lib.components[network_id]
        networks = [c for c in lib.top if c.type in ("network", "networkWithTemperature")]
        if len(networks) != 1:
            raise NeuroMLError(
                f"the document has {len(networks)} <network> elements",
                hint="name the one to import: load(path, network='...')" if networks
                else "eqsnn imports networks: add <network><population component=... "
                     "size=.../></network>")
        return networks[0]

    def _dt(self, dt: Any) -> float:
        from eqsnn import units
        sim = self.simulation
        if sim is not None:
            self.model.dt = self.lib.quantity(sim.attrs.get("step"), "time", sim.element)[0]
            self.model.duration = self.lib.quantity(sim.attrs.get("length"), "time",
                                                    sim.element)[0]
        if dt is not None:
            return float(units.to_si(dt)[0])
        return self.model.dt if self.model.dt is not None else 1e-4

    def component(self, component_id: str, where) -> Component:
        if component_id not in self.lib.components:
            raise self.lib.error(where, f"no component with id {component_id!r} is defined")
        return self.lib.components[component_id]

    # --- the steps --------------------------------------------------------------------
    def run(self) -> NeuroMLModel:
        for child in self.net.children:
            if child.type in _UNSUPPORTED_NETWORK:
                raise self.lib.error(child.element, f"<{child.type}> has no eqsnn translation",
                                     cls=UnsupportedNeuroMLError)
        for child in self.net.children_of("population", "populationList"):
            self._population(child)
        for child in self.net.children_of("explicitInput"):
            self._inputs(child.attrs.get("input"), [child], child, None)
        for child in self.net.children_of("inputList"):
            self._inputs(child.attrs.get("component"), child.children_of("input", "inputW"),
                         child, child.attrs.get("population"))
        projections = self._projection_plans()
        for plan in projections:
            for exposure, name, unit in plan["sums"]:
                self._contribute(plan["post"], exposure, name, unit)
        for pop_id in self.populations:
            self._group(pop_id)
        for plan in projections:
            self._synapses(plan)
        for step in self.later:
            step()
        if self.want_monitors and self.simulation is not None:
            self._monitors()
        return self.model

    # --- populations ------------------------------------------------------------------
    def _population(self, pop: Component) -> None:
        component = self.component(pop.attrs.get("component"), pop.element)
        if pop.type == "populationList" or pop.children_of("instance"):
            instances = pop.children_of("instance")
            size = len(instances)
            self.instance_index[pop.id] = {int(inst.attrs.get("id", k)): k
                                           for k, inst in enumerate(instances)}
        else:
            size = int(float(pop.attrs.get("size", 1)))
        if size < 1:
            raise self.lib.error(pop.element, f"the population {pop.id!r} is empty")
        self.populations[pop.id] = component
        self.sizes[pop.id] = size
        if self.lib.resolve(component.type, component.element).is_a("spikeArray"):
            self.spike_arrays[pop.id] = [
                self.lib.quantity(spike.attrs.get("time"), "time", spike.element)[0]
                for spike in component.children_of("spike")]
        self.contributions[pop.id] = {}
        self.extra_lines[pop.id] = []
        self.extra_namespace[pop.id] = {}
        self.extra_values[pop.id] = {}

    def cell(self, reference: str, where, population: str | None = None) -> tuple[str, int]:
        """``"../pop[3]"``, ``"pop/3/cell"``, ``"#pop..."`` → (population, position)."""
        match = _CELL_REFERENCE.match((reference or "").lstrip("#"))
        if not match:
            raise self.lib.error(where, f"cannot read the cell reference {reference!r}",
                                 hint="write pop[3] or ../pop/3/cellType")
        pop = match.group(1)
        index = match.group(2) or match.group(3)
        if population is not None and pop != population and index is None:
            pop, index = population, pop
        if pop not in self.populations:
            raise self.lib.error(where, f"{reference!r} refers to no population of the "
                                        f"network (known: {sorted(self.populations)})")
        position = int(index or 0)
        position = self.instance_index.get(pop, {}).get(position, position)
        if not 0 <= position < self.sizes[pop]:
            raise self.lib.error(where, f"{reference!r}: the population {pop!r} has "
                                        f"{self.sizes[pop]} cells")
        return pop, position

    def _contribute(self, pop: str, exposure: str, name: str, unit: str) -> None:
        """``name`` (a parameter of the group, set by summed synapses) adds to the
        group's ``select="synapses[*]/<exposure>"`` sum."""
        self.contributions[pop].setdefault(("synapses", exposure), []).append(name)
        self.extra_lines[pop].append(f"{name} : {unit}")

    def _group(self, pop_id: str) -> None:
        from eqsnn import NeuronGroup
        component = self.populations[pop_id]
        if pop_id in self.spike_arrays:
            self.model.groups[pop_id] = self._spike_array(pop_id)
            return
        contributions = self.contributions[pop_id]

        used = set()

        def sums(attachment: str, exposure: str, element) -> list[str]:
            used.add((attachment, exposure))
            return contributions.get((attachment, exposure), [])

        tr = translate_component(self.lib, component, sums=sums)
        unheard = {k: v for k, v in contributions.items() if k not in used}
        if unheard:
            (attachment, exposure), names = next(iter(unheard.items()))
            raise self.lib.error(
                component.element,
                f"{', '.join(names)} cannot reach the cells of {pop_id!r}: {component.type} "
                f"sums no {attachment}[*]/{exposure} (it has no inputs of that kind)",
                hint="target a cell type with synaptic inputs (iafCell rather than "
                     "iafTauCell)")
        if tr.per_step and self.method != "euler":
            raise self.lib.error(
                self.lib.resolve(component.type).dynamics,
                f"{component.type} sets variables by conditions checked every step, which "
                f"eqsnn reproduces with the 'euler' method only (asked: {self.method!r})",
                hint="load(..., method='euler')", cls=UnsupportedNeuroMLError)
        lines = tr.lines + self.extra_lines[pop_id]
        namespace = {**tr.namespace, **self.extra_namespace[pop_id]}
        for _ in range(len(lines) + 1):
            try:
                group = NeuronGroup(self.sizes[pop_id], "\n".join(lines),
                                    threshold=tr.threshold, reset="\n".join(tr.reset) or None,
                                    refractory=self._refractory(tr), method=self.method,
                                    namespace=namespace, name=pop_id)
                initialise(group, tr)
                break
            except EqsnnError as exc:
                if not per_second(lines, exc, component):
                    raise self._translation_error(component, exc) from None
        for name, values in self.extra_values[pop_id].items():
            setattr(group, name, values)
        self.model.groups[pop_id] = group
        self.model.translations[pop_id] = tr

    def _spike_array(self, pop_id: str):
        """A population of ``spikeArray``: every cell emits the component's spikes.
        jNeuroML emits a spike in the step whose end reaches its time; eqsnn's
        SpikeGeneratorGroup fires in the step it is given, so that step is given."""
        from eqsnn import SpikeGeneratorGroup
        from eqsnn.units import second
        times = np.asarray(self.spike_arrays[pop_id], dtype=float)
        steps = np.maximum(np.ceil(times / self.dt - 1e-9) - 1, 0)
        size = self.sizes[pop_id]
        return SpikeGeneratorGroup(size, np.repeat(np.arange(size), steps.size),
                                   np.tile(steps * self.dt, size) * second, name=pop_id)

    def _refractory(self, tr: Translated):
        """jNeuroML holds the reset value for floor(refract/dt) + 2 steps (it leaves the
        refractory regime at the first step after ``t > tSpike + refract`` and
        integrates from the step after); eqsnn integrates again once ``refractory`` has
        passed since the spike's step. The two freeze the same steps when eqsnn's
        period is ``(floor(refract/dt) + 2)*dt``."""
        from eqsnn.units import second
        if tr.refractory is None:
            return None
        steps = int(np.floor(tr.refractory / self.dt + 1e-9)) + 2
        return steps * self.dt * second

    def _translation_error(self, component: Component, exc: EqsnnError) -> NeuroMLError:
        rtype = self.lib.resolve(component.type)
        where = rtype.dynamics if rtype.dynamics is not None else component.element
        return self.lib.error(
            where, f"the equations eqsnn made of {component.type} {component.id!r} are "
                   f"refused: {exc.message}" + (f"\n{exc.span.render()}" if exc.span else ""),
            hint=exc.hint, cls=UnsupportedNeuroMLError)

    # --- inputs -----------------------------------------------------------------------
    def _inputs(self, input_id: str | None, entries: list[Component], where: Component,
                population: str | None) -> None:
        component = self.component(input_id, where.element)
        targets: dict[str, np.ndarray] = {}
        for entry in entries:
            pop, position = self.cell(entry.attrs.get("target"), entry.element, population)
            weights = targets.setdefault(pop, np.zeros(self.sizes[pop]))
            weights[position] += float(entry.attrs.get("weight", 1.0))
        if component.type in _POISSON_INPUTS:
            for pop, weights in targets.items():
                self._poisson_input(component, pop, weights, where)
            return
        label = identifier(where.id or input_id)
        for pop, weights in targets.items():
            self._time_input(component, pop, weights, label, where)

    def _time_input(self, component: Component, pop: str, weights: np.ndarray, label: str,
                    where: Component) -> None:
        """An input whose state is set by conditions on time (pulse, sine, ramp): a
        subexpression of the target, scaled by each neuron's summed input weight."""
        rtype = self.lib.resolve(component.type, component.element)
        prefix = f"{label}_"
        # jNeuroML advances a cell's inputs before the cell, to the end of the step
        # (t + dt); a cell with regimes reads them as they were at the step's start.
        cell_type = self.lib.resolve(self.populations[pop].type)
        has_regimes = cell_type.dynamics is not None and any(
            getattr(e, "tag", "").endswith("Regime") for e in cell_type.dynamics)
        tr = translate_component(self.lib, component, prefix=prefix, each_step="expression",
                                 end_of_step_time=not has_regimes)
        if tr.states or rtype.requirements:
            raise self.lib.error(
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
            self.contributions[pop].setdefault(("synapses", exposure), []).append(name)
            self.extra_lines[pop].append(f"{name} = {weight}*{tr.names[exposure]} : "
                                         f"{unit_string(dim)}")
        self.extra_lines[pop] += [line for line in tr.lines] + [f"{weight} : 1"]
        self.extra_namespace[pop].update(tr.namespace)
        self.extra_values[pop][weight] = weights
        self.model.translations[f"{where.id or component.id}:{pop}"] = tr

    def _poisson_input(self, component: Component, pop: str, weights: np.ndarray,
                       where: Component) -> None:
        """``poissonFiringSynapse``: Poisson spikes at ``averageRate`` into one synapse
        per target (``transient…``: only from ``delay`` for ``duration``)."""
        from eqsnn import PoissonGroup
        lib = self.lib
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
        self.model.inputs[source.name] = source
        synapse = self.component(component.attrs.get("synapse"), component.element)
        plan = {"name": label, "kind": "poisson", "pre": None, "post": pop,
                "synapse": synapse, "pairs": (np.arange(targets.size), targets),
                "weights": None, "delays": None, "input_weights": weights[targets],
                "element": where.element, "source": source}
        plan["sums"] = self._synapse_sums(synapse, pop, label, where.element)
        for exposure, name, unit in plan["sums"]:
            self._contribute(pop, exposure, name, unit)
        self.later.append(lambda plan=plan: self._synapses(plan))

    # --- projections ------------------------------------------------------------------
    def _projection_plans(self) -> list[dict]:
        plans = []
        for proj in self.net.children_of("projection"):
            pre = proj.attrs.get("presynapticPopulation")
            post = proj.attrs.get("postsynapticPopulation")
            for side in (pre, post):
                if side not in self.populations:
                    raise self.lib.error(proj.element, f"the projection {proj.id!r} names "
                                                       f"no population {side!r}")
            synapse = self.component(proj.attrs.get("synapse"), proj.element)
            connections = proj.children_of("connection", "connectionWD")
            pairs = [(self.cell(c.attrs.get("preCellId"), c.element, pre)[1],
                      self.cell(c.attrs.get("postCellId"), c.element, post)[1])
                     for c in connections]
            plan = self._plan(proj.id, pre, post, synapse, pairs, connections, proj.element)
            plans.append(plan)
        grouped: dict[tuple, list[Component]] = {}
        for conn in self.net.children_of("synapticConnection", "synapticConnectionWD"):
            pre, _ = self.cell(conn.attrs.get("from"), conn.element)
            post, _ = self.cell(conn.attrs.get("to"), conn.element)
            grouped.setdefault((pre, post, conn.attrs.get("synapse")), []).append(conn)
        for (pre, post, synapse_id), conns in grouped.items():
            synapse = self.component(synapse_id, conns[0].element)
            pairs = [(self.cell(c.attrs.get("from"), c.element)[1],
                      self.cell(c.attrs.get("to"), c.element)[1]) for c in conns]
            plans.append(self._plan(f"{pre}_to_{post}_{synapse_id}", pre, post, synapse,
                                    pairs, conns, conns[0].element))
        return plans

    def _plan(self, name, pre, post, synapse, pairs, connections, element) -> dict:
        lib = self.lib
        weights = [float(c.attrs.get("weight", 1.0)) for c in connections]
        delays = [lib.quantity(c.attrs["delay"], "time", c.element)[0]
                  if "delay" in c.attrs else 0.0 for c in connections]
        plan = {"name": identifier(name), "kind": "projection", "id": name,
                "pre": pre, "post": post, "synapse": synapse,
                "pairs": (np.array([p for p, _ in pairs], dtype=np.int64),
                          np.array([q for _, q in pairs], dtype=np.int64)),
                "weights": np.array(weights), "delays": np.array(delays),
                "input_weights": None, "element": element}
        plan["sums"] = self._synapse_sums(synapse, post, identifier(name), element)
        return plan

    def _synapse_sums(self, synapse: Component, post: str, label: str, where) -> list:
        """``(exposure, target parameter, unit)`` for each exposure of the synapse that
        the target cell sums (``select="synapses[*]/i"``: ``i``; ``I`` for the
        dimensionless cells; any other name a user's cell sums)."""
        rtype = self.lib.resolve(synapse.type, synapse.element)
        cell_type = self.lib.resolve(self.populations[post].type)
        wanted = summed_exposures(cell_type)
        sums = []
        for exposure in wanted:
            if exposure in rtype.exposures:
                dim = pint_dimension(self.lib.dimensions.get(rtype.exposures[exposure], {}))
                sums.append((exposure, f"{exposure}_{label}", unit_string(dim)))
        if not sums:
            raise self.lib.error(where, f"the synapse {synapse.id!r} ({synapse.type}) exposes "
                                        f"none of {sorted(wanted) or ['i']}, which the cells "
                                        f"of {post!r} ({cell_type.name}) sum")
        return sums

    def _synapses(self, plan: dict) -> None:
        from eqsnn import Synapses
        synapse, post = plan["synapse"], plan["post"]
        rtype = self.lib.resolve(synapse.type, synapse.element)
        requirements = {name: f"{self._cell_name(post, name, plan['element'])}_post"
                        for name in rtype.requirements}
        tr = translate_component(self.lib, synapse, requirements=requirements,
                                 per_item_properties=True)
        if tr.per_step or tr.threshold:
            raise self.lib.error(rtype.dynamics, f"the synapse {synapse.type} has conditions "
                                                 f"of its own, which eqsnn synapses cannot check",
                                 cls=UnsupportedNeuroMLError)
        lines = list(tr.lines)
        scale = ""
        if plan["input_weights"] is not None:
            lines.append("input_weight : 1")
            scale = "input_weight*"
        for exposure, name, unit in plan["sums"]:
            lines.append(f"{name}_post = {scale}{tr.names[exposure]} : {unit} (summed)")
        pre_group = plan.get("source") or self.model.groups[plan["pre"]]
        try:
            syn = Synapses(pre_group, self.model.groups[post], "\n".join(lines),
                           on_pre="\n".join(tr.on_event.get("in", [])) or None,
                           method=self.method, namespace=tr.namespace,
                           name=identifier(plan.get("id") or plan["name"]))
            i, j = plan["pairs"]
            if i.size:
                syn.connect(i=i, j=j)
                initialise(syn, tr)
                for name, value in tr.properties.items():
                    setattr(syn, name, value)
                if plan["weights"] is not None and "weight" in tr.names:
                    setattr(syn, tr.names["weight"], plan["weights"])
                if plan["input_weights"] is not None:
                    syn.input_weight = plan["input_weights"]
                if plan["delays"] is not None and np.any(plan["delays"]):
                    from eqsnn.units import second
                    syn.delay = plan["delays"] * second
        except EqsnnError as exc:
            raise self._translation_error(synapse, exc) from None
        key = plan.get("id") or plan["name"]
        (self.model.synapses if plan["kind"] == "projection" else self.model.inputs)[key] = syn
        self.model.translations[key] = tr

    def _cell_name(self, pop: str, lems_name: str, where) -> str:
        tr = self.model.translations.get(pop)
        if tr is not None and lems_name in tr.names:
            return tr.names[lems_name]
        return lems_name

    # --- monitors ---------------------------------------------------------------------
    def _monitors(self) -> None:
        from eqsnn import SpikeMonitor, StateMonitor
        wanted: dict[str, dict[str, list[int]]] = {}
        columns: list[tuple[str, str, str, int]] = []
        for element in descendants(self.simulation, ("OutputColumn", "Line")):
            if "/" not in element.attrs.get("quantity", ""):
                continue   # the time column
            pop, index, variable = self._quantity_path(element)
            columns.append((element.id, pop, variable, index))
            record = wanted.setdefault(pop, {}).setdefault(variable, [])
            if index not in record:
                record.append(index)
        for pop, variables in wanted.items():
            indices = sorted({k for rows in variables.values() for k in rows})
            monitor = StateMonitor(self.model.groups[pop], sorted(variables), record=indices,
                                   name=f"{pop}.state")
            self.model.monitors[monitor.name] = monitor
        for column_id, pop, variable, index in columns:
            monitor = self.model.monitors[f"{pop}.state"]
            self.model.columns[column_id] = (monitor, variable,
                                             int(np.searchsorted(monitor.record, index)))
        for element in descendants(self.simulation, ("EventSelection",)):
            pop, _ = self.cell(element.attrs.get("select"), element.element)
            name = f"{pop}.spikes"
            if name not in self.model.monitors:
                self.model.monitors[name] = SpikeMonitor(self.model.groups[pop], name=name)

    def _quantity_path(self, element: Component) -> tuple[str, int, str]:
        quantity = element.attrs.get("quantity", "")
        head, _, variable = quantity.rpartition("/")
        pop, index = self.cell(head, element.element)
        tr = self.model.translations[pop]
        if variable not in tr.names:
            raise self.lib.error(element.element, f"{quantity!r}: the cells of {pop!r} have no "
                                                  f"variable {variable!r}")
        return pop, index, tr.names[variable]
