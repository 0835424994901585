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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import eqsnn
from eqsnn import units
from eqsnn._extras import require
from eqsnn.neuroml.errors import UnsupportedNeuroMLError
from eqsnn.neuroml.lems import Library
from eqsnn.neuroml.lems_printer import UnsupportedExport, lems_expression

__all__ = ["write", "Exported"]

_LEMS_NS = "http://www.neuroml.org/lems/0.7.6"
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
    writer = _Writer(net, dt, name)
    return writer.write(folder, duration)


class _Writer:
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
        # synapses increment (ge_post += w), moved into the synapses (see _classify)
        self.kernel_variables: dict[str, dict] = {}
        self.kernels: dict[str, list] = {}          # synapses -> [(variable, increment)]
        # group -> per neuron (population, index); population -> (component, size)
        self.cells: dict[str, list] = {}
        self.populations: dict[str, tuple[str, int]] = {}

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
            return _number(magnitude)
        for symbol, (unit_dim, factor, offset) in self.core.units.items():
            if unit_dim == dimension and factor == 1.0 and offset == 0.0:
                return f"{_number(magnitude)} {symbol}"
        symbol = f"SI_{dimension}"
        self.extra_units[symbol] = dimension
        return f"{_number(magnitude)} {symbol}"

    # --- the files -----------------------------------------------------------------------
    def write(self, folder: Path, duration: float) -> Exported:
        etree = require("lxml.etree", extra="neuroml", feature="eqsnn.neuroml.write")
        for syn in self.synapses:
            self._classify(syn)
        root = etree.Element("Lems", nsmap={None: _LEMS_NS})
        root.append(etree.Comment(f" eqsnn {eqsnn.__version__}: the models of network "
                                  f"{self.name!r} as LEMS ComponentTypes "))
        for tag in ("NeuroMLCoreDimensions.xml", "Cells.xml", "Synapses.xml", "Inputs.xml"):
            etree.SubElement(root, "Include", file=tag)
        types, components = [], []
        for group in self.groups:
            if isinstance(group, eqsnn.PoissonGroup):
                continue
            ctype, cells = self._cell_type(etree, group)
            types.append(ctype)
            components.extend(cells)
        for syn in self.synapses:
            ctype, component = self._synapse_type(etree, syn)
            types.append(ctype)
            components.append(component)
        for name, exponents in self.extra_dimensions.items():
            root.append(etree.Element("Dimension", name=name,
                                      **{k: str(v) for k, v in exponents.items()}))
        for symbol, dimension in self.extra_units.items():
            root.append(etree.Element("Unit", symbol=symbol, dimension=dimension, power="0"))
        root.extend(types + components)
        types_path = folder / f"{self.name}.types.xml"
        types_path.write_bytes(etree.tostring(root, pretty_print=True,
                                              xml_declaration=True, encoding="UTF-8"))
        network_path = folder / f"{self.name}.net.nml"
        self._network_document(network_path)
        exported = Exported(types_path, network_path, folder / f"LEMS_{self.name}.xml",
                            cells=self.cells)
        self._simulation(exported, duration)
        return exported

    # --- cells -----------------------------------------------------------------------------
    def _cell_type(self, etree, group):
        equations = group.equations
        dims = {e.name: e.dim for e in equations.entries}
        volt = units.ureg.volt.dimensionality
        base = "baseCellMembPot" if dims.get("v") == volt else (
            "baseSpikingCell" if group.threshold is not None else "baseCell")
        ctype = etree.Element("ComponentType", name=f"eqsnn_{group.name}", extends=base,
                              description=f"eqsnn NeuronGroup {group.name!r}: "
                                          f"{_one_line(equations.source)}")
        component = etree.Element("Component", id=f"{group.name}_cell",
                                  type=f"eqsnn_{group.name}")
        self._constants(ctype, component, group.namespace, group.name)
        target = self.summed_targets.get(group.name)
        kernels = self.kernel_variables.get(group.name, {})
        if target is not None or kernels:
            etree.SubElement(ctype, "Attachments", name="synapses", type="basePointCurrent")
        for entry in equations.entries:
            if not (base == "baseCellMembPot" and entry.name == "v"):
                etree.SubElement(ctype, "Exposure", name=entry.name,
                                 dimension=self.dimension(entry.dim))
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
                             dimension=self.dimension(entry.dim))
            initial[entry.name] = parameter
            columns.append((parameter, entry.dim, np.broadcast_to(values, (group.N,))))
        components = self._split(group, component, columns)
        dynamics = etree.SubElement(ctype, "Dynamics")
        refractory = group.refractory is not None
        for entry in equations.entries:
            where = f"{group.name}: {entry.name}"
            if entry.name == target or entry.name in kernels:
                exposure = "i" if entry.name == target else entry.name
                etree.SubElement(dynamics, "DerivedVariable", name=entry.name,
                                 dimension=self.dimension(entry.dim), exposure=entry.name,
                                 select=f"synapses[*]/{exposure}", reduce="add")
            elif entry.kind == "subexpression":
                etree.SubElement(dynamics, "DerivedVariable", name=entry.name,
                                 dimension=self.dimension(entry.dim), exposure=entry.name,
                                 value=self._lems(entry.expr, where))
            else:
                etree.SubElement(dynamics, "StateVariable", name=entry.name,
                                 dimension=self.dimension(entry.dim), exposure=entry.name)
        if refractory:
            etree.SubElement(dynamics, "StateVariable", name="lastSpikeTime", dimension="time")
        start = etree.SubElement(dynamics, "OnStart")
        for variable, parameter in initial.items():
            etree.SubElement(start, "StateAssignment", variable=variable, value=parameter)
        derivatives = [e for e in equations.entries
                       if e.kind == "differential" and e.name not in kernels]
        if not refractory:
            for entry in derivatives:
                etree.SubElement(dynamics, "TimeDerivative", variable=entry.name,
                                 value=self._lems(entry.expr, f"{group.name}: d{entry.name}/dt"))
            if group.threshold is not None:
                condition = etree.SubElement(dynamics, "OnCondition",
                                             test=self._lems(group.threshold, group.name))
                self._assignments(etree, condition, group.reset, group.name)
                etree.SubElement(condition, "EventOut", port="spike")
        else:
            self._refractory_regimes(etree, ctype, components, dynamics, group, derivatives)
        return ctype, components

    def _split(self, group, template, columns) -> list:
        """One component per distinct set of initial values (a NeuroML population has
        one component): neuron k of the group becomes ``self.cells[group][k]`` =
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
                component.set(parameter, self.value(value, dim))
            components.append(component)
            members = np.flatnonzero(inverse == c)
            self.populations[population] = (component.get("id"), members.size)
            for position, k in enumerate(members):
                cells[k] = (population, position)
        self.cells[group.name] = cells
        return components

    def _refractory_regimes(self, etree, ctype, components, dynamics, group, derivatives):
        """eqsnn's refractory period as NeuroML's integrating/refractory regime pair.
        jNeuroML holds the reset for floor(refract/dt) + 2 steps (see the importer);
        ``refract`` is chosen mid-step so that this is eqsnn's number of steps."""
        steps = int(round(group.refractory / self.dt))
        if steps < 2:
            raise UnsupportedNeuroMLError(
                f"{group.name!r}: a refractory period of {steps} step(s) is shorter than "
                f"jNeuroML's shortest (2 steps)", hint="use refractory >= 2*dt")
        etree.SubElement(ctype, "Parameter", name="refract", dimension="time")
        for component in components:
            component.set("refract", f"{_number((steps - 1.5) * self.dt)} s")
        refractory = etree.SubElement(dynamics, "Regime", name="refractory")
        integrating = etree.SubElement(dynamics, "Regime", name="integrating", initial="true")
        for entry in derivatives:
            value = self._lems(entry.expr, f"{group.name}: d{entry.name}/dt")
            etree.SubElement(integrating, "TimeDerivative", variable=entry.name, value=value)
            if "unless refractory" not in entry.flags:
                etree.SubElement(refractory, "TimeDerivative", variable=entry.name,
                                 value=value)
        entry_ = etree.SubElement(refractory, "OnEntry")
        etree.SubElement(entry_, "StateAssignment", variable="lastSpikeTime", value="t")
        self._assignments(etree, entry_, group.reset, group.name)
        leave = etree.SubElement(refractory, "OnCondition",
                                 test="t .gt. lastSpikeTime + refract")
        etree.SubElement(leave, "Transition", regime="integrating")
        spike = etree.SubElement(integrating, "OnCondition",
                                 test=self._lems(group.threshold, group.name))
        etree.SubElement(spike, "EventOut", port="spike")
        etree.SubElement(spike, "Transition", regime="refractory")

    def _assignments(self, etree, parent, statements, where: str) -> None:
        for statement in statements:
            etree.SubElement(parent, "StateAssignment", variable=str(statement.lhs),
                             value=self._lems(statement.rhs, where))

    def _constants(self, ctype, component, namespace, owner: str) -> None:
        etree = require("lxml.etree", extra="neuroml", feature="eqsnn.neuroml.write")
        for name, constant in sorted(namespace.items()):
            if not hasattr(constant, "dim"):
                raise UnsupportedNeuroMLError(
                    f"{owner!r} uses {name!r}, a function (such as a TimedArray) that "
                    f"has no NeuroML export")
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

    def _lems(self, expr, where: str, rename=lambda name: name) -> str:
        try:
            return lems_expression(expr, rename)
        except UnsupportedExport as exc:
            raise UnsupportedNeuroMLError(f"{where}: {exc}") from None

    # --- synapses -------------------------------------------------------------------------
    def _classify(self, syn) -> None:
        """How ``syn`` reaches its target: through one ``(summed)`` current, and/or by
        incrementing variables of the target that decay linearly (``ge_post += w`` with
        ``dge/dt = -ge/tau``). Such a variable is the sum of one copy per synapse, so in
        NeuroML each synapse keeps its copy and the cell sums them."""
        post = syn.post_group.name
        summed = [e for e in syn.equations.entries if "summed" in e.flags]
        if len(summed) > 1:
            raise UnsupportedNeuroMLError(
                f"{syn.name!r} has {len(summed)} (summed) variables; NeuroML sums the "
                f"synapses of a cell into one current")
        if summed:
            target = summed[0].name[:-len("_post")]
            if summed[0].dim != units.ureg.ampere.dimensionality:
                raise UnsupportedNeuroMLError(
                    f"{syn.name!r} sums {summed[0].name} in "
                    f"{units.format_dimension(summed[0].dim)}; NeuroML synapses deliver a "
                    f"current (amp)")
            if self.summed_targets.setdefault(post, target) != target:
                raise UnsupportedNeuroMLError(
                    f"{syn.name!r} sums into {post}.{target}, other synapses into "
                    f"{post}.{self.summed_targets[post]}; NeuroML sums every synapse of a "
                    f"cell into one current")
        kernels = []
        if syn.pre.has_code:
            for statement in syn.pre.statements:
                name = str(statement.lhs)
                if name.endswith("_post"):
                    kernels.append((name[:-5], self._increment(syn, name[:-5], statement)))
        if not summed and not kernels:
            raise UnsupportedNeuroMLError(
                f"{syn.name!r} neither sums a current into its target nor increments a "
                f"decaying variable of it; a NeuroML synapse acts through one of these")
        self.kernels[syn.name] = kernels
        equations = syn.post_group.equations
        for name, _ in kernels:
            self.kernel_variables.setdefault(post, {})[name] = equations[name]

    def _increment(self, syn, name: str, statement):
        """``x_post += e`` → ``e``, if ``x`` decays linearly and nothing else sets it."""
        import sympy
        group = syn.post_group
        equations = group.equations
        hint = ("NeuroML synapses change only their own state; a variable of the target "
                "they increment must decay linearly (dge/dt = -ge/tau), as eqsnn's kernels "
                "ExponentialCurrent / ExponentialConductance do")
        if name not in equations.differential:
            raise UnsupportedNeuroMLError(f"{syn.name!r}: on_pre changes {name}_post, which "
                                          f"has no differential equation", hint=hint)
        entry = equations[name]
        rhs = equations.rhs(name)
        x = entry.symbol
        slope = sympy.diff(rhs, x)
        variables = set(equations.names)
        if {s.name for s in slope.free_symbols} & variables \
                or sympy.simplify(rhs - slope * x) != 0:
            raise UnsupportedNeuroMLError(f"{syn.name!r}: on_pre changes {name}_post, whose "
                                          f"equation is not a linear decay", hint=hint)
        if "unless refractory" in entry.flags or any(str(a.lhs) == name for a in group.reset):
            raise UnsupportedNeuroMLError(f"{syn.name!r}: {group.name}.{name} is also changed "
                                          f"by the cell (reset or refractoriness)", hint=hint)
        increment = sympy.expand(statement.rhs - statement.lhs)
        if statement.lhs in increment.free_symbols:
            raise UnsupportedNeuroMLError(f"{syn.name!r}: on_pre scales {name}_post; only "
                                          f"increments add up over synapses", hint=hint)
        return increment

    def _synapse_type(self, etree, syn):
        equations = syn.equations
        summed = next((e for e in equations.entries if "summed" in e.flags), None)
        kernels = dict(self.kernels[syn.name])
        post_kernels = self.kernel_variables.get(syn.post_group.name, {})
        post_names = set()

        def rename(name: str) -> str:
            if name.endswith("_post"):
                post_names.add(name[:-5])
                return name[:-5]
            if name.endswith("_pre"):
                raise UnsupportedExport(f"{name}: a NeuroML synapse cannot read its source")
            return name

        if summed is not None:
            self._lems(summed.expr, f"{syn.name}: {summed.name}", rename)   # the _post names
        voltage = post_names == {"v"}
        if post_names - {"v"}:
            raise UnsupportedNeuroMLError(
                f"{syn.name!r} reads {sorted(post_names)} of its target; a NeuroML synapse "
                f"can read the membrane potential v only")
        base = "baseVoltageDepSynapse" if voltage else "baseSynapse"
        ctype = etree.Element("ComponentType", name=f"eqsnn_{syn.name}", extends=base,
                              description=f"eqsnn Synapses {syn.name!r}: "
                                          f"{_one_line(equations.source)}")
        component = etree.Element("Component", id=f"{syn.name}_synapse",
                                  type=f"eqsnn_{syn.name}")
        constants = dict(syn._constants)  # noqa: SLF001 - Synapses has no public namespace
        for name in kernels:   # the target's constants in the moved equations
            for symbol in syn.post_group.equations.rhs(name).free_symbols:
                if symbol.name in syn.post_group.namespace:
                    value = syn.post_group.namespace[symbol.name]
                    if symbol.name in constants and constants[symbol.name].value != value.value:
                        raise UnsupportedNeuroMLError(
                            f"{syn.name!r} and its target both define {symbol.name!r}, "
                            f"differently")
                    constants[symbol.name] = value
        self._constants(ctype, component, constants, syn.name)
        for name, entry in post_kernels.items():
            etree.SubElement(ctype, "Exposure", name=name, dimension=self.dimension(entry.dim))
        weight = self._weight(etree, ctype, component, syn)
        dynamics = etree.SubElement(ctype, "Dynamics")
        for name, entry in post_kernels.items():
            if name in kernels:
                etree.SubElement(dynamics, "StateVariable", name=name, exposure=name,
                                 dimension=self.dimension(entry.dim))
            else:
                etree.SubElement(dynamics, "DerivedVariable", name=name, exposure=name,
                                 dimension=self.dimension(entry.dim), value="0")
        for entry in equations.entries:
            if entry is summed:
                continue
            if entry.kind == "parameter":
                if entry.name == weight:
                    etree.SubElement(dynamics, "DerivedVariable", name=entry.name,
                                     dimension=self.dimension(entry.dim),
                                     value=f"weight * {entry.name}_unit")
                continue
            tag = "StateVariable" if entry.kind == "differential" else "DerivedVariable"
            element = etree.SubElement(dynamics, tag, name=entry.name,
                                       dimension=self.dimension(entry.dim))
            if tag == "DerivedVariable":
                element.set("value", self._lems(entry.expr, f"{syn.name}: {entry.name}", rename))
        current = "0" if summed is None else \
            self._lems(summed.expr, f"{syn.name}: {summed.name}", rename)
        etree.SubElement(dynamics, "DerivedVariable", name="i", dimension="current",
                         exposure="i", value=current)
        start = etree.SubElement(dynamics, "OnStart")
        for name, entry in post_kernels.items():
            if name in kernels:
                etree.SubElement(start, "StateAssignment", variable=name, value="0")
                rhs = syn.post_group.equations.rhs(name)
                etree.SubElement(dynamics, "TimeDerivative", variable=name,
                                 value=self._lems(rhs, f"{syn.name}: d{name}/dt"))
        for entry in equations.entries:
            if entry.kind == "differential":
                values = np.asarray(getattr(syn, entry.name + "_"))
                if values.size and np.ptp(values) > 0:
                    raise UnsupportedNeuroMLError(f"{syn.name}.{entry.name} differs between "
                                                  f"synapses at the start")
                etree.SubElement(start, "StateAssignment", variable=entry.name,
                                 value=_number(values[0]) if values.size else "0")
                etree.SubElement(dynamics, "TimeDerivative", variable=entry.name,
                                 value=self._lems(entry.expr, f"{syn.name}: d{entry.name}/dt",
                                                  rename))
        if syn.pre.has_code:
            event = etree.SubElement(dynamics, "OnEvent", port="in")
            for statement in syn.pre.statements:
                target = str(statement.lhs)
                if target.endswith("_post"):
                    name = target[:-5]
                    increment = self._lems(kernels[name], f"{syn.name}: on_pre", rename)
                    etree.SubElement(event, "StateAssignment", variable=name,
                                     value=f"{name} + {increment}")
                    continue
                if target.startswith("_"):
                    raise UnsupportedNeuroMLError(f"{syn.name!r}: on_pre uses {target}, "
                                                  f"which has no NeuroML export")
                etree.SubElement(event, "StateAssignment", variable=target,
                                 value=self._lems(statement.rhs, f"{syn.name}: on_pre",
                                                  rename))
        if syn.post.has_code:
            raise UnsupportedNeuroMLError(f"{syn.name!r}: on_post has no NeuroML export")
        return ctype, component

    def _weight(self, etree, ctype, component, syn) -> str | None:
        """Per-synapse parameters: uniform ones become constants; one that differs
        between synapses becomes NeuroML's weight times a unit value."""
        varying = None
        for entry in syn.equations.entries:
            if entry.kind != "parameter" or "summed" in entry.flags:
                continue
            values = np.asarray(getattr(syn, entry.name + "_"), dtype=float)
            if values.size and np.ptp(values) > 0:
                if varying is not None:
                    raise UnsupportedNeuroMLError(
                        f"{syn.name!r}: {varying} and {entry.name} both differ between "
                        f"synapses; NeuroML connections carry one weight")
                varying = entry.name
                scale = float(np.max(np.abs(values))) or 1.0
                self.weights[syn.name] = values / scale
                etree.SubElement(ctype, "Parameter", name=f"{entry.name}_unit",
                                 dimension=self.dimension(entry.dim))
                component.set(f"{entry.name}_unit", self.value(scale, entry.dim))
                etree.SubElement(ctype, "Property", name="weight", dimension="none",
                                 defaultValue="1")
            else:
                etree.SubElement(ctype, "Parameter", name=entry.name,
                                 dimension=self.dimension(entry.dim))
                component.set(entry.name, self.value(values[0] if values.size else 0.0,
                                                     entry.dim))
        return varying

    # --- the network (libNeuroML) and the simulation (pyNeuroML) ---------------------------
    def _network_document(self, path: Path) -> None:
        neuroml = require("neuroml", extra="neuroml", feature="eqsnn.neuroml.write")
        writers = require("neuroml.writers", extra="neuroml", feature="eqsnn.neuroml.write")
        document = neuroml.NeuroMLDocument(id=self.name)
        network = neuroml.Network(id=self.name)
        document.networks.append(network)
        for group in self.groups:
            if isinstance(group, eqsnn.PoissonGroup):
                rates = np.asarray(group.rates_)
                if np.ptp(rates) > 0:
                    raise UnsupportedNeuroMLError(f"{group.name!r}: Poisson rates differ "
                                                  f"between neurons")
                component = f"{group.name}_poisson"
                document.spike_generator_poissons.append(neuroml.SpikeGeneratorPoisson(
                    id=component, average_rate=f"{_number(rates[0])} Hz"))
                self.populations[group.name] = (component, group.N)
                self.cells[group.name] = [(group.name, k) for k in range(group.N)]
        for population, (component, size) in self.populations.items():
            network.populations.append(neuroml.Population(id=population, component=component,
                                                          size=size))
        for generator in self.generators:
            self._spike_arrays(neuroml, document, network, generator)
        for syn in self.synapses:
            self._projections(neuroml, network, syn)
        writers.NeuroMLWriter.write(document, str(path))

    def _spike_arrays(self, neuroml, document, network, generator) -> None:
        """One spikeArray and population per neuron. jNeuroML emits a spike in the step
        whose end reaches its time: times are written mid-step, so that this is the
        step in which eqsnn fires it."""
        steps = np.round(generator._times / self.dt)  # noqa: SLF001 - no public accessor
        for k in range(generator.N):
            spikes = [neuroml.Spike(id=n, time=f"{_number((step + 0.5) * self.dt)} s")
                      for n, step in enumerate(np.sort(steps[generator._indices == k]))]  # noqa: SLF001
            document.spike_arrays.append(neuroml.SpikeArray(id=f"{generator.name}_{k}_spikes",
                                                            spikes=spikes))
            network.populations.append(neuroml.Population(
                id=self._population(generator, k), component=f"{generator.name}_{k}_spikes",
                size=1))

    def _population(self, group, index: int) -> str:
        """The population of neuron ``index`` of ``group``."""
        if isinstance(group, eqsnn.SpikeGeneratorGroup):
            return f"{group.name}_{index}"
        return self.cells[group.name][index][0]

    def _cell(self, group, index: int) -> str:
        """NeuroML's reference to neuron ``index`` of ``group``: ``population[k]``."""
        if isinstance(group, eqsnn.SpikeGeneratorGroup):
            return f"{group.name}_{index}[0]"
        population, position = self.cells[group.name][index]
        return f"{population}[{position}]"

    def _projections(self, neuroml, network, syn) -> None:
        """A projection per Synapses (per source neuron of a SpikeGeneratorGroup), a
        connectionWD per synapse with its weight and delay."""
        weights = self.weights.get(syn.name, np.ones(syn.N))
        delays = np.asarray(syn.delay_, dtype=float) * np.ones(syn.N)
        pre = syn.i + syn.pre_start
        post = syn.j + syn.post_start
        sources = {self._population(syn.pre_group, k) for k in set(pre.tolist())}
        targets = {self._population(syn.post_group, k) for k in set(post.tolist())}
        projections: dict[tuple, object] = {}
        for k in range(syn.N):
            source = self._population(syn.pre_group, pre[k])
            target = self._population(syn.post_group, post[k])
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
                pre_cell_id=f"../{self._cell(syn.pre_group, pre[k])}",
                post_cell_id=f"../{self._cell(syn.post_group, post[k])}",
                weight=_number(weights[k]), delay=f"{_number(delays[k] * 1e3)} ms"))

    def _simulation(self, exported: Exported, duration: float) -> None:
        lems = require("pyneuroml.lems", extra="neuroml", feature="eqsnn.neuroml.write")
        simulation = lems.LEMSSimulation(f"sim_{self.name}", duration * 1e3, self.dt * 1e3,
                                         target=self.name)
        simulation.include_lems_file(exported.types.name, include_included=False)
        simulation.include_neuroml2_file(exported.network.name, include_included=False)
        exported.output_file = f"{self.name}.dat"
        exported.event_file = f"{self.name}.spikes"
        simulation.create_output_file("traces", exported.output_file)
        simulation.create_event_output_file("events", exported.event_file, format="TIME_ID")
        selection = 0
        for monitor in self.monitors:
            group = monitor.group
            if isinstance(monitor, eqsnn.StateMonitor):
                for variable in monitor.variables:
                    for index in np.asarray(monitor.record) + monitor.start:
                        column = f"{monitor.name}_{variable}_{index}"
                        simulation.add_column_to_output_file(
                            "traces", column, f"{self._cell(group, index)}/{variable}")
                        exported.columns[column] = (monitor.name, variable, int(index))
            else:
                for index in range(monitor.start, monitor.stop):
                    simulation.add_selection_to_event_output_file(
                        "events", str(selection), self._cell(group, index), "spike")
                    exported.events[str(selection)] = (monitor.name, index)
                    selection += 1
        if not exported.columns:
            simulation.add_column_to_output_file("traces", "t", "t")
        simulation.save_to_file(str(exported.simulation))


def _exponents(dim) -> dict:
    names = {"[mass]": "m", "[length]": "l", "[time]": "t", "[current]": "i",
             "[temperature]": "k", "[substance]": "n", "[luminosity]": "j"}
    return {names[k]: int(v) for k, v in dim.items() if v}


def _number(value) -> str:
    """A float as XML attribute text: all digits of a double, no numpy repr."""
    return repr(float(value))


def _one_line(text: str) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines() if line.strip())
