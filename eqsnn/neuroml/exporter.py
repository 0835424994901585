"""An eqsnn network → NeuroML 2 + LEMS files that pyNeuroML validates and jNeuroML runs.

Three files, written side by side:

``<name>.types.xml`` (LEMS)
    One ``ComponentType`` per group and per synapse set, made from its equations
    (differential equations → ``TimeDerivative``, subexpressions → ``DerivedVariable``,
    threshold and reset → ``OnCondition``, a refractory period → the integrating /
    refractory ``Regime`` pair of NeuroML's own cells), and one component of each with
    the constants' values in SI units.
``<name>.net.nml`` (NeuroML 2, written with libNeuroML)
    The network: a population per group (per distinct set of initial values: a
    NeuroML population has one component; a ``PoissonGroup`` becomes a population of
    ``spikeGeneratorPoisson``, a ``SpikeGeneratorGroup`` one ``spikeArray`` population
    per neuron), a projection per ``Synapses`` (per source neuron of a
    SpikeGeneratorGroup) with one ``connectionWD`` per synapse (weight and delay).
``LEMS_<name>.xml`` (LEMS, written with pyNeuroML)
    A ``<Simulation>`` of the network at the network's ``dt`` with an output column per
    recorded neuron and variable of each StateMonitor, and an event selection per neuron
    of each SpikeMonitor.

What translates: any group model (neurons that start differently go to populations of
their own); synapses
whose current reaches the target through one ``(summed)`` variable (eqsnn's kernels
``ExponentialCurrent``, ``ExponentialConductance``, ``AlphaCurrent``…), with at most
one per-synapse parameter that differs between synapses (it becomes NeuroML's
``weight``). What does not (noise, ``rand()``, ``on_pre`` changing the target directly,
such as ``v_post += w``) raises :class:`~eqsnn.neuroml.errors.UnsupportedNeuroMLError`
naming the object and the construct.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import eqsnn
from eqsnn import units
from eqsnn._extras import require
from eqsnn.neuroml.export_cells import cell_type
from eqsnn.neuroml.export_network import network_document, simulation
from eqsnn.neuroml.export_synapses import classify, synapse_type
from eqsnn.neuroml.writer import Exported, Writer

__all__ = ["write", "Exported"]

_LEMS_NS = "http://www.neuroml.org/lems/0.7.6"


def write(net, folder, *, name: str = "eqsnn_model", duration: Any = None) -> Exported:
    """Write ``net`` as NeuroML 2 / LEMS files in ``folder``.

    Parameters
    ----------
    net
        An :class:`eqsnn.Network` (its groups, synapses and monitors are exported).
    folder
        Where to write the three files (created if needed).
    name
        The files' stem and the network's id.
    duration
        The simulation's length (default: the time the network has run, else 100 ms).
    """
    require("neuroml", extra="neuroml", feature="eqsnn.neuroml.write")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    dt = float(net.dt.to("second").magnitude)
    if duration is None:
        duration = net.t_ if net.t_ > 0 else 0.1
    else:
        duration = float(units.to_si(duration)[0])
    return _write_files(Writer(net, dt, name), folder, duration)


def _write_files(writer: Writer, folder: Path, duration: float) -> Exported:
    etree = require("lxml.etree", extra="neuroml", feature="eqsnn.neuroml.write")
    for syn in writer.synapses:
        classify(writer, syn)
    root = etree.Element("Lems", nsmap={None: _LEMS_NS})
    root.append(etree.Comment(f" eqsnn {eqsnn.__version__}: the models of network "
                              f"{writer.name!r} as LEMS ComponentTypes "))
    for tag in ("NeuroMLCoreDimensions.xml", "Cells.xml", "Synapses.xml", "Inputs.xml"):
        etree.SubElement(root, "Include", file=tag)
    types, components = [], []
    for group in writer.groups:
        if isinstance(group, eqsnn.PoissonGroup):
            continue
        ctype, cells = cell_type(writer, etree, group)
        types.append(ctype)
        components.extend(cells)
    for syn in writer.synapses:
        ctype, component = synapse_type(writer, etree, syn)
        types.append(ctype)
        components.append(component)
    for name, exponents in writer.extra_dimensions.items():
        root.append(etree.Element("Dimension", name=name,
                                  **{k: str(v) for k, v in exponents.items()}))
    for symbol, dimension in writer.extra_units.items():
        root.append(etree.Element("Unit", symbol=symbol, dimension=dimension, power="0"))
    root.extend(types + components)
    types_path = folder / f"{writer.name}.types.xml"
    types_path.write_bytes(etree.tostring(root, pretty_print=True,
                                          xml_declaration=True, encoding="UTF-8"))
    network_path = folder / f"{writer.name}.net.nml"
    network_document(writer, network_path)
    exported = Exported(types_path, network_path, folder / f"LEMS_{writer.name}.xml",
                        cells=writer.cells)
    simulation(writer, exported, duration)
    return exported
