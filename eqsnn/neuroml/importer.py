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
from eqsnn.neuroml.dynamics import Translated, translate_component
from eqsnn.neuroml.errors import NeuroMLError, UnsupportedNeuroMLError
from eqsnn.neuroml.import_inputs import add_inputs
from eqsnn.neuroml.import_monitors import add_monitors
from eqsnn.neuroml.import_synapses import make_synapses, projection_plans
from eqsnn.neuroml.lems import Component, Library
from eqsnn.neuroml.model import (NeuroMLModel, NeuroMLWarning, has_regimes, initialise,
                                 per_second)

__all__ = ["NeuroMLModel", "NeuroMLWarning", "load"]

_CELL_REFERENCE = re.compile(r"^(?:\.\./)?(\w+)(?:\[(\d+)\]|/(\d+)(?:/\w+)?)?$")
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
            add_inputs(self, child.attrs.get("input"), [child], child, None)
        for child in self.net.children_of("inputList"):
            add_inputs(self, child.attrs.get("component"), child.children_of("input", "inputW"),
                         child, child.attrs.get("population"))
        projections = projection_plans(self)
        for plan in projections:
            for exposure, name, unit in plan["sums"]:
                self.contribute(plan["post"], exposure, name, unit)
        for pop_id in self.populations:
            self._group(pop_id)
        for plan in projections:
            make_synapses(self, plan)
        for step in self.later:
            step()
        if self.want_monitors and self.simulation is not None:
            add_monitors(self)
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

    def contribute(self, pop: str, exposure: str, name: str, unit: str) -> None:
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

        # jNeuroML gives a cell without regimes t + dt (see model.has_regimes)
        rtype = self.lib.resolve(component.type, component.element)
        tr = translate_component(self.lib, component, sums=sums,
                                 end_of_step_time=not has_regimes(rtype))
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
                    raise self.translation_error(component, exc) from None
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

    def translation_error(self, component: Component, exc: EqsnnError) -> NeuroMLError:
        rtype = self.lib.resolve(component.type)
        where = rtype.dynamics if rtype.dynamics is not None else component.element
        return self.lib.error(
            where, f"the equations eqsnn made of {component.type} {component.id!r} are "
                   f"refused: {exc.message}" + (f"\n{exc.span.render()}" if exc.span else ""),
            hint=exc.hint, cls=UnsupportedNeuroMLError)
