"""The network as a NeuroML 2 document (libNeuroML: populations, spike sources,
projections with one connectionWD per synapse) and its LEMS simulation (pyNeuroML:
an output column per recorded neuron and variable, an event selection per spiking
neuron)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

import eqsnn
from eqsnn._extras import require
from eqsnn.neuroml.errors import UnsupportedNeuroMLError
from eqsnn.neuroml.writer import Exported, number

__all__ = ["network_document", "simulation", "population_of", "cell_reference"]


def network_document(writer, path: Path) -> None:
    neuroml = require("neuroml", extra="neuroml", feature="eqsnn.neuroml.write")
    writers = require("neuroml.writers", extra="neuroml", feature="eqsnn.neuroml.write")
    document = neuroml.NeuroMLDocument(id=writer.name)
    network = neuroml.Network(id=writer.name)
    document.networks.append(network)
    for group in writer.groups:
        if isinstance(group, eqsnn.PoissonGroup):
            rates = np.asarray(group.rates_)
            if np.ptp(rates) > 0:
                raise UnsupportedNeuroMLError(f"{group.name!r}: Poisson rates differ "
                                              f"between neurons")
            component = f"{group.name}_poisson"
            document.spike_generator_poissons.append(neuroml.SpikeGeneratorPoisson(
                id=component, average_rate=f"{number(rates[0])} Hz"))
            writer.populations[group.name] = (component, group.N)
            writer.cells[group.name] = [(group.name, k) for k in range(group.N)]
    for population, (component, size) in writer.populations.items():
        network.populations.append(neuroml.Population(id=population, component=component,
                                                      size=size))
    for generator in writer.generators:
        _spike_arrays(writer, neuroml, document, network, generator)
    for syn in writer.synapses:
        _projections(writer, neuroml, network, syn)
    writers.NeuroMLWriter.write(document, str(path))


def _spike_arrays(writer, neuroml, document, network, generator) -> None:
    """One spikeArray and population per neuron. jNeuroML emits a spike in the step
    whose end reaches its time: times are written mid-step, so that this is the
    step in which eqsnn fires it."""
    if generator.period_:
        raise UnsupportedNeuroMLError(
            f"{generator.name!r}: spikes repeated with period= are not exported (a "
            f"spikeArray lists each spike); give the repetitions as spikes")
    steps = np.round(generator.times_ / writer.dt)
    for k in range(generator.N):
        spikes = [neuroml.Spike(id=n, time=f"{number((step + 0.5) * writer.dt)} s")
                  for n, step in enumerate(np.sort(steps[generator.indices == k]))]
        document.spike_arrays.append(neuroml.SpikeArray(id=f"{generator.name}_{k}_spikes",
                                                        spikes=spikes))
        network.populations.append(neuroml.Population(
            id=population_of(writer, generator, k), component=f"{generator.name}_{k}_spikes",
            size=1))


def population_of(writer, group, index: int) -> str:
    """The population of neuron ``index`` of ``group``."""
    if isinstance(group, eqsnn.SpikeGeneratorGroup):
        return f"{group.name}_{index}"
    return writer.cells[group.name][index][0]


def cell_reference(writer, group, index: int) -> str:
    """NeuroML's reference to neuron ``index`` of ``group``: ``population[k]``."""
    if isinstance(group, eqsnn.SpikeGeneratorGroup):
        return f"{group.name}_{index}[0]"
    population, position = writer.cells[group.name][index]
    return f"{population}[{position}]"


def _projections(writer, neuroml, network, syn) -> None:
    """A projection per Synapses (per source neuron of a SpikeGeneratorGroup), a
    connectionWD per synapse with its weight and delay."""
    weights = writer.weights.get(syn.name, np.ones(syn.N))
    delays = np.asarray(syn.delay_, dtype=float) * np.ones(syn.N)
    delays = _one_step_early(delays, writer.dt) if writer.deltas.get(syn.name) \
        else _inside_step(delays, writer.dt)
    pre = syn.i + syn.pre_start
    post = syn.j + syn.post_start
    sources = {population_of(writer, syn.pre_group, k) for k in set(pre.tolist())}
    targets = {population_of(writer, syn.post_group, k) for k in set(post.tolist())}
    projections: dict[tuple, object] = {}
    for k in range(syn.N):
        source = population_of(writer, syn.pre_group, pre[k])
        target = population_of(writer, syn.post_group, post[k])
        if (source, target) not in projections:
            key = syn.name if len(sources) == len(targets) == 1 else \
                f"{syn.name}_{source}_{target}"
            projections[source, target] = neuroml.Projection(
                id=key, presynaptic_population=source, postsynaptic_population=target,
                synapse=f"{syn.name}_synapse")
            network.projections.append(projections[source, target])
        key = (source, target)
        projections[key].connection_wds.append(neuroml.ConnectionWD(
            id=len(projections[key].connection_wds),
            pre_cell_id=f"../{cell_reference(writer, syn.pre_group, pre[k])}",
            post_cell_id=f"../{cell_reference(writer, syn.post_group, post[k])}",
            weight=number(weights[k]), delay=f"{number(delays[k] * 1e3)} ms"))


def simulation(writer, exported: Exported, duration: float) -> None:
    lems = require("pyneuroml.lems", extra="neuroml", feature="eqsnn.neuroml.write")
    simulation = lems.LEMSSimulation(f"sim_{writer.name}", duration * 1e3, writer.dt * 1e3,
                                     target=writer.name)
    simulation.include_lems_file(exported.types.name, include_included=False)
    simulation.include_neuroml2_file(exported.network.name, include_included=False)
    exported.output_file = f"{writer.name}.dat"
    exported.event_file = f"{writer.name}.spikes"
    simulation.create_output_file("traces", exported.output_file)
    simulation.create_event_output_file("events", exported.event_file, format="TIME_ID")
    selection = 0
    for monitor in writer.monitors:
        group = monitor.group
        if isinstance(monitor, eqsnn.StateMonitor):
            for variable in monitor.variables:
                for index in np.asarray(monitor.record) + monitor.start:
                    column = f"{monitor.name}_{variable}_{index}"
                    simulation.add_column_to_output_file(
                        "traces", column, f"{cell_reference(writer, group, index)}/{variable}")
                    exported.columns[column] = (monitor.name, variable, int(index))
        else:
            for index in range(monitor.start, monitor.stop):
                simulation.add_selection_to_event_output_file(
                    "events", str(selection), cell_reference(writer, group, index), "spike")
                exported.events[str(selection)] = (monitor.name, index)
                selection += 1
    if not exported.columns:
        simulation.add_column_to_output_file("traces", "t", "t")
    simulation.save_to_file(str(exported.simulation))


def _inside_step(delays: np.ndarray, dt: float) -> np.ndarray:
    """Delays as jNeuroML should read them. Measured: a delay ``d`` acts in jNeuroML as
    ``floor(d/dt)`` steps act in eqsnn, with jNeuroML's times summed step by step, so a
    whole number of steps falls on either side by rounding (one step early for some
    spikes and not others). Half a step more is eqsnn's number of steps every time
    (the importer reads ``floor(d/dt)``)."""
    steps = np.rint(delays / dt)
    return np.where(steps > 0, (steps + 0.5) * dt, 0.0)


def _one_step_early(delays: np.ndarray, dt: float) -> np.ndarray:
    """The delays of a delta synapse as jNeuroML must read them (measured, see
    tests/neuroml/test_export_deltas.py): the cell adds the jump at the end of the step
    that delivers it, a step after eqsnn's on_pre, so the delay is a step shorter than
    a current's (see :func:`_inside_step`): ``floor(d/dt)`` one less than eqsnn's
    steps (the importer adds the step back). A zero delay stays zero: the jump then
    comes one step late in jNeuroML, as a zero-delay current does."""
    steps = np.rint(delays / dt)
    return np.where(steps > 0, (steps - 0.5) * dt, 0.0)
