"""An eqsnn NeuronGroup as a LEMS ComponentType and its components (one per distinct
set of initial values): differential equations, subexpressions, threshold and reset, a
refractory period as NeuroML's integrating / refractory regime pair."""
from __future__ import annotations

import numpy as np

from eqsnn import units
from eqsnn.neuroml.errors import UnsupportedNeuroMLError
from eqsnn.neuroml.export_deltas import catch_up, delta_variables, jump_condition
from eqsnn.neuroml.export_inputs import timed_arrays
from eqsnn.neuroml.export_plasticity import count_spikes
from eqsnn.neuroml.writer import number, one_line

__all__ = ["cell_type"]


def cell_type(writer, etree, group):
    equations = group.equations
    refuse_noise(group.name, equations)
    dims = {e.name: e.dim for e in equations.entries}
    volt = units.ureg.volt.dimensionality
    base = "baseCellMembPot" if dims.get("v") == volt else (
        "baseSpikingCell" if group.threshold is not None else "baseCell")
    ctype = etree.Element("ComponentType", name=f"eqsnn_{group.name}", extends=base,
                          description=f"eqsnn NeuronGroup {group.name!r}: "
                                      f"{one_line(equations.source)}")
    component = etree.Element("Component", id=f"{group.name}_cell",
                              type=f"eqsnn_{group.name}")
    arrays = writer.constants(ctype, component, group.resolved_namespace, group.name)
    target = writer.summed_targets.get(group.name)
    kernels = writer.kernel_variables.get(group.name, {})
    deltas = writer.delta_variables.get(group.name, {})
    if target is not None or kernels or deltas:
        etree.SubElement(ctype, "Attachments", name="synapses", type="basePointCurrent")
    for entry in equations.entries:
        if not (base == "baseCellMembPot" and entry.name == "v"):
            etree.SubElement(ctype, "Exposure", name=entry.name,
                             dimension=writer.dimension(entry.dim))
    initial, columns = {}, []
    for entry in equations.entries:
        if entry.kind == "subexpression" or entry.name == target:
            continue
        values = np.asarray(getattr(group, entry.name + "_"), dtype=float)
        if entry.name in kernels:
            if np.any(values != 0):
                raise UnsupportedNeuroMLError(
                    f"{group.name}.{entry.name} starts away from 0; as the sum of its "
                    f"synapses' states in NeuroML it starts at 0")
            continue
        parameter = f"{entry.name}_init"
        etree.SubElement(ctype, "Parameter", name=parameter,
                         dimension=writer.dimension(entry.dim))
        initial[entry.name] = parameter
        columns.append((parameter, entry.dim, np.broadcast_to(values, (group.N,))))
    components = _split(writer, group, component, columns)
    dynamics = etree.SubElement(ctype, "Dynamics")
    refractory = group.refractory is not None
    if isinstance(group.refractory, str):
        raise UnsupportedNeuroMLError(
            f"{group.name!r}: refractoriness given as a string ({group.refractory!r}) has no "
            f"NeuroML form here (only a fixed period: the refractory regime pair)",
            hint="export a group with refractory=<a duration>")
    # jNeuroML gives a cell without regimes the time at the end of its step
    timed_arrays(writer, etree, dynamics, arrays, early=0 if refractory else 1)
    for entry in equations.entries:
        where = f"{group.name}: {entry.name}"
        if entry.name == target or entry.name in kernels:
            exposure = "i" if entry.name == target else entry.name
            etree.SubElement(dynamics, "DerivedVariable", name=entry.name,
                             dimension=writer.dimension(entry.dim), exposure=entry.name,
                             select=f"synapses[*]/{exposure}", reduce="add")
        elif entry.kind == "subexpression":
            etree.SubElement(dynamics, "DerivedVariable", name=entry.name,
                             dimension=writer.dimension(entry.dim), exposure=entry.name,
                             value=writer.lems(entry.expr, where))
        else:
            etree.SubElement(dynamics, "StateVariable", name=entry.name,
                             dimension=writer.dimension(entry.dim), exposure=entry.name)
    if refractory:
        etree.SubElement(dynamics, "StateVariable", name="lastSpikeTime", dimension="time")
    start = etree.SubElement(dynamics, "OnStart")
    for variable, parameter in initial.items():
        etree.SubElement(start, "StateAssignment", variable=variable, value=parameter)
    delta_variables(writer, etree, dynamics, start, deltas)
    derivatives = [e for e in equations.entries
                   if e.kind == "differential" and e.name not in kernels]
    if not refractory:
        for entry in derivatives:
            etree.SubElement(dynamics, "TimeDerivative", variable=entry.name,
                             value=writer.lems(entry.expr, f"{group.name}: d{entry.name}/dt"))
        if group.threshold is not None:
            condition = etree.SubElement(dynamics, "OnCondition",
                                         test=writer.lems(group.threshold, group.name))
            catch_up(etree, condition, deltas)
            writer.assignments(etree, condition, group.reset, group.name)
            etree.SubElement(condition, "EventOut", port="spike")
        jump_condition(etree, dynamics, deltas)
    else:
        condition = _refractory_regimes(writer, etree, ctype, components, dynamics, group,
                                        derivatives, deltas)
    if group.name in writer.counted:
        if group.threshold is None:
            raise UnsupportedNeuroMLError(f"synapses run on_post at spikes of "
                                          f"{group.name!r}, which has no threshold")
        count_spikes(etree, ctype, dynamics, start, [condition])
    return ctype, components


def refuse_noise(owner: str, equations) -> None:
    """White noise (``xi``) has no NeuroML export: NeuroML has no standard noise, and
    LEMS's only random source, jLEMS's uniform ``random()``, neither knows the step
    (an SDE's increment scales with sqrt(dt)) nor draws eqsnn's numbers, so an export
    could match eqsnn neither in law by construction nor number by number."""
    if equations.noise_names:
        names = ", ".join(sorted(equations.noise_names))
        raise UnsupportedNeuroMLError(
            f"{owner!r}: the white noise {names} in its equations has no NeuroML export "
            f"(NeuroML has no standard noise; LEMS has no Gaussian source and no dt)",
            hint="export the model without the noise term, or drive it with a "
                 "PoissonGroup through Synapses, which exports as spikeGeneratorPoisson")


def _split(writer, group, template, columns) -> list:
    """One component per distinct set of initial values (a NeuroML population has
    one component): neuron k of the group becomes ``writer.cells[group][k]`` =
    (population, index in it)."""
    import copy
    table = np.stack([values for _, _, values in columns], axis=1) if columns \
        else np.zeros((group.N, 0))
    rows, inverse = np.unique(table, axis=0, return_inverse=True)
    inverse = np.ravel(inverse)
    components, cells = [], [None] * group.N
    for c, row in enumerate(rows):
        component = copy.deepcopy(template)
        population = group.name if len(rows) == 1 else f"{group.name}_{c}"
        component.set("id", f"{population}_cell")
        for (parameter, dim, _), value in zip(columns, row):
            component.set(parameter, writer.value(value, dim))
        components.append(component)
        members = np.flatnonzero(inverse == c)
        writer.populations[population] = (component.get("id"), members.size)
        for position, k in enumerate(members):
            cells[k] = (population, position)
    writer.cells[group.name] = cells
    return components


def _refractory_regimes(writer, etree, ctype, components, dynamics, group, derivatives,
                        deltas):
    """eqsnn's refractory period as NeuroML's integrating/refractory regime pair.
    jNeuroML holds the reset for floor(refract/dt) + 2 steps (see the importer);
    ``refract`` is chosen mid-step so that this is eqsnn's number of steps. Returns the
    element whose actions run at a spike (the refractory regime's OnEntry)."""
    steps = int(round(group.refractory / writer.dt))
    if steps < 2:
        raise UnsupportedNeuroMLError(
            f"{group.name!r}: a refractory period of {steps} step(s) is shorter than "
            f"jNeuroML's shortest (2 steps)", hint="use refractory >= 2*dt")
    etree.SubElement(ctype, "Parameter", name="refract", dimension="time")
    for component in components:
        component.set("refract", f"{number((steps - 1.5) * writer.dt)} s")
    refractory = etree.SubElement(dynamics, "Regime", name="refractory")
    integrating = etree.SubElement(dynamics, "Regime", name="integrating", initial="true")
    for entry in derivatives:
        value = writer.lems(entry.expr, f"{group.name}: d{entry.name}/dt")
        etree.SubElement(integrating, "TimeDerivative", variable=entry.name, value=value)
        if "unless refractory" not in entry.flags:
            etree.SubElement(refractory, "TimeDerivative", variable=entry.name,
                             value=value)
    entry_ = etree.SubElement(refractory, "OnEntry")
    etree.SubElement(entry_, "StateAssignment", variable="lastSpikeTime", value="t")
    writer.assignments(etree, entry_, group.reset, group.name)
    leave = etree.SubElement(refractory, "OnCondition",
                             test="t .gt. lastSpikeTime + refract")
    etree.SubElement(leave, "Transition", regime="integrating")
    spike = etree.SubElement(integrating, "OnCondition",
                             test=writer.lems(group.threshold, group.name))
    etree.SubElement(spike, "EventOut", port="spike")
    etree.SubElement(spike, "Transition", regime="refractory")
    jump_condition(etree, dynamics, deltas)
    return entry_
