"""What the parts of a NeuroML export share: the network's objects, the LEMS dimensions
and units made on the way, and where each neuron and synapse went.

:mod:`eqsnn.neuroml.exporter` drives the export; :mod:`~eqsnn.neuroml.export_cells`,
:mod:`~eqsnn.neuroml.export_synapses` and :mod:`~eqsnn.neuroml.export_network` write
the cells' and synapses' ComponentTypes and the network and simulation documents, each
through one :class:`Writer`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import eqsnn
from eqsnn import units
from eqsnn._extras import require
from eqsnn.neuroml.errors import UnsupportedNeuroMLError
from eqsnn.neuroml.lems import Library
from eqsnn.neuroml.lems_printer import UnsupportedExport, lems_expression

__all__ = ["Exported", "Writer", "number", "one_line"]

# eqsnn's names of units, used in expressions as constants (10*mV): LEMS Constants
_UNIT_CONSTANTS = set(units.UNIT_NAMES)


@dataclass
class Exported:
    """The files written, and where each monitor's recordings are in jNeuroML's output:
    ``columns[column id] = (monitor name, variable, neuron)``, ``events[selection id] =
    (monitor name, neuron)``; ``cells[group][k] = (population, index)``: where neuron
    ``k`` of a group is (a group whose neurons start differently is one population per
    distinct start, a NeuroML population having one component)."""

    types: Path
    network: Path
    simulation: Path
    columns: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)
    cells: dict = field(default_factory=dict)
    output_file: str = ""
    event_file: str = ""


class Writer:
    """The state of one export (see the module's docstring)."""

    def __init__(self, net, dt: float, name: str):
        self.net, self.dt, self.name = net, dt, name
        self.core = Library()
        self.core.load_string('<Lems><Include file="NeuroML2CoreTypes.xml"/>'
                              '<Include file="Simulation.xml"/></Lems>', "<core types>")
        self.groups = [o for o in net.objects if isinstance(o, eqsnn.NeuronGroup)]
        self.synapses = [o for o in net.objects if isinstance(o, eqsnn.Synapses)]
        self.monitors = [o for o in net.objects if isinstance(
            o, (eqsnn.SpikeMonitor, eqsnn.StateMonitor))]
        # a NeuroML spikeArray is one spike train: one population of one per neuron
        self.generators = [o for o in net.objects if isinstance(o, eqsnn.SpikeGeneratorGroup)]
        # target group -> the parameter its synapses' (summed) currents set
        self.summed_targets: dict[str, str] = {}
        self.extra_dimensions: dict[str, dict] = {}
        self.extra_units: dict[str, str] = {}
        self.weights: dict[str, np.ndarray] = {}   # synapses -> NeuroML weight per synapse
        # target group -> {variable: its equation}: linear decaying variables that
        # synapses increment (ge_post += w), moved into the synapses (see export_synapses.classify)
        self.kernel_variables: dict[str, dict] = {}
        self.kernels: dict[str, list] = {}          # synapses -> [(variable, increment)]
        # target group -> {variable: its entry}: other variables synapses increment
        # (v_post += w: delta synapses, export_deltas); synapses -> {variable: increment}
        self.delta_variables: dict[str, dict] = {}
        self.deltas: dict[str, dict] = {}
        self.counted: set[str] = set()    # groups whose spikes synapses' on_post read
        # group -> per neuron (population, index); population -> (component, size)
        self.cells: dict[str, list] = {}
        self.populations: dict[str, tuple[str, int]] = {}
        # the object being written: its TimedArrays, name -> how a call prints
        self.calls: dict[str, object] = {}

    # --- dimensions and values ---------------------------------------------------------
    def dimension(self, dim) -> str:
        """The LEMS dimension name of a pint dimension (NeuroML's own if it has one)."""
        exponents = _exponents(dim)
        if not exponents:
            return "none"
        for name, known in self.core.dimensions.items():
            if known == exponents:
                return name
        name = "dim_" + "_".join(f"{k}{v}".replace("-", "m") for k, v in exponents.items())
        self.extra_dimensions[name] = exponents
        return name

    def value(self, magnitude: float, dim) -> str:
        """An SI value as LEMS text with a unit of scale 1 (``-0.07 V``)."""
        dimension = self.dimension(dim)
        if dimension == "none":
            return number(magnitude)
        for symbol, (unit_dim, factor, offset) in self.core.units.items():
            if unit_dim == dimension and factor == 1.0 and offset == 0.0:
                return f"{number(magnitude)} {symbol}"
        symbol = f"SI_{dimension}"
        self.extra_units[symbol] = dimension
        return f"{number(magnitude)} {symbol}"

    # --- what cells and synapses both write ----------------------------------------------
    def constants(self, ctype, component, namespace, owner: str) -> dict:
        """The constants of ``namespace`` as LEMS Parameters (Constants for unit
        names); returns its TimedArrays by name (see :mod:`~eqsnn.neuroml.export_inputs`),
        whose calls ``lems`` prints from now on."""
        etree = require("lxml.etree", extra="neuroml", feature="eqsnn.neuroml.write")
        arrays = {}
        for name, constant in sorted(namespace.items()):
            if isinstance(constant, eqsnn.TimedArray):
                arrays[name] = constant
                continue
            if not hasattr(constant, "dim"):
                raise UnsupportedNeuroMLError(
                    f"{owner!r} uses {name!r}, a function that has no NeuroML export",
                    hint="of the functions, only a TimedArray of time (stim(t)) exports")
            if np.ndim(constant.value) != 0:
                raise UnsupportedNeuroMLError(f"{owner!r}: the constant {name!r} is an array")
            text = self.value(float(constant.value), constant.dim)
            if name in _UNIT_CONSTANTS:
                etree.SubElement(ctype, "Constant", name=name,
                                 dimension=self.dimension(constant.dim), value=text)
            else:
                etree.SubElement(ctype, "Parameter", name=name,
                                 dimension=self.dimension(constant.dim))
                component.set(name, text)
        self.calls = {name: _call_of(name) for name in arrays}
        return arrays

    def use_functions(self, namespace) -> None:
        """Print calls of ``namespace``'s TimedArrays from now on."""
        self.calls = {name: _call_of(name) for name, value in namespace.items()
                      if isinstance(value, eqsnn.TimedArray)}

    def lems(self, expr, where: str, rename=lambda name: name) -> str:
        try:
            return lems_expression(expr, rename, self.calls)
        except UnsupportedExport as exc:
            raise UnsupportedNeuroMLError(f"{where}: {exc}") from None

    def assignments(self, etree, parent, statements, where: str) -> None:
        for statement in statements:
            etree.SubElement(parent, "StateAssignment", variable=str(statement.lhs),
                             value=self.lems(statement.rhs, where))


def timed_variable(name: str) -> str:
    """The LEMS variable that holds the TimedArray ``name`` at the current time."""
    return f"{name}_of_t"


def _call_of(name: str):
    def call(args) -> str:
        if len(args) != 1 or getattr(args[0], "name", None) != "t":
            raise UnsupportedExport(f"{name}({', '.join(map(str, args))}): a TimedArray "
                                    f"exports when it is called with t itself")
        return timed_variable(name)
    return call


def _exponents(dim) -> dict:
    names = {"[mass]": "m", "[length]": "l", "[time]": "t", "[current]": "i",
             "[temperature]": "k", "[substance]": "n", "[luminosity]": "j"}
    return {names[k]: int(v) for k, v in dim.items() if v}


def number(value) -> str:
    """A float as XML attribute text: all digits of a double, no numpy repr."""
    return repr(float(value))


def one_line(text: str) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines() if line.strip())
