"""What an import makes: :class:`NeuroMLModel`, and the small helpers the importer
shares (initial values from ``OnStart``, names, the per-second reading of loose time
derivatives)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from eqsnn.errors import EqsnnError
from eqsnn.neuroml.dynamics import Translated
from eqsnn.neuroml.errors import NeuroMLError
from eqsnn.neuroml.lems import Component

__all__ = ["NeuroMLModel", "NeuroMLWarning", "descendants", "identifier", "initialise",
           "per_second", "summed_exposures", "unit_quantity"]


@dataclass
class NeuroMLModel:
    """The eqsnn objects of an imported network.

    Attributes
    ----------
    groups
        Population id → :class:`~eqsnn.NeuronGroup`.
    synapses
        Projection id (or ``from->to``) → :class:`~eqsnn.Synapses`.
    inputs
        Objects made for Poisson inputs (their PoissonGroups and Synapses).
    monitors
        Monitors for the LEMS ``<Simulation>``'s outputs: ``"<population>.spikes"`` and
        ``"<population>.state"``.
    columns
        Output column / line id → ``(StateMonitor, variable, row)`` of the recording.
    translations
        Population or projection id → what its ComponentType became
        (:class:`~eqsnn.neuroml.dynamics.Translated`: equations, namespace, …).
    dt, duration
        The ``<Simulation>``'s ``step`` and ``length`` in seconds (``None`` without one).
    """

    groups: dict = field(default_factory=dict)
    synapses: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    monitors: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    translations: dict = field(default_factory=dict)
    dt: float | None = None
    duration: float | None = None

    @property
    def objects(self) -> list:
        """Everything a network of this model runs."""
        return [*self.groups.values(), *self.inputs.values(), *self.synapses.values(),
                *self.monitors.values()]

    def network(self, *more: Any, dt: Any = None, seed: int | None = None,
                backend: str | None = None):
        """A :class:`~eqsnn.Network` of all objects (plus ``more``); ``dt`` defaults to
        the simulation's step."""
        from eqsnn import Network
        from eqsnn.units import second
        if dt is None:
            if self.dt is None:
                raise NeuroMLError("the document has no <Simulation step=...>",
                                   hint="give the step: model.network(dt=0.01*ms)")
            dt = self.dt * second
        return Network(*self.objects, *more, dt=dt, seed=seed, backend=backend)

    def run(self, duration: Any = None, **network_options):
        """Build the network, run it for ``duration`` (default: the simulation's
        length) and return it."""
        from eqsnn.units import second
        net = self.network(**network_options)
        if duration is None:
            if self.duration is None:
                raise NeuroMLError("the document has no <Simulation length=...>",
                                   hint="give the duration: model.run(100*ms)")
            duration = self.duration * second
        net.run(duration)
        return net


def per_second(lines: list[str], exc: EqsnnError, component: Component) -> bool:
    """jNeuroML computes on SI numbers and does not insist that a time derivative be a
    rate: ``dx/dt = -x/150`` (pinskyRinzelCA3Cell) is read as per second. Where eqsnn
    refuses exactly that (the right-hand side has the variable's own unit), the line is
    rewritten to say so, ``dx/dt = (-x/150)/second``, with a warning."""
    import warnings

    from eqsnn.errors import DimensionMismatchError
    match = re.search(r"the right-hand side of d(\w+)/dt has unit (.+?), but \1 has unit "
                      r"(.+?), so it must be", exc.message)
    if not isinstance(exc, DimensionMismatchError) or not match \
            or match.group(2) != match.group(3):
        return False
    variable = match.group(1)
    for k, line in enumerate(lines):
        head, _, rest = line.partition(" = ")
        if head == f"d{variable}/dt":
            expression, _, unit = rest.rpartition(" : ")
            lines[k] = f"{head} = ({expression})/second : {unit}"
            warnings.warn(f"{component.type} {component.id!r}: the time derivative of "
                          f"{variable} is not a rate; read, as jNeuroML does, per second",
                          NeuroMLWarning, stacklevel=4)
            return True
    return False


class NeuroMLWarning(UserWarning):
    """Something eqsnn imported as jNeuroML reads it, though the document is loose."""


def summed_exposures(cell_type) -> list[str]:
    """The exposures a cell's ``select="synapses[*]/x"`` sums (``x``)."""
    names = []
    if cell_type.dynamics is not None:
        for element in cell_type.dynamics.iter():
            select = element.get("select") if isinstance(element.tag, str) else None
            match = re.fullmatch(r"synapses\[\*\]/(\w+)", select or "")
            if match:
                names.append(match.group(1))
    return names


def has_regimes(cell_type) -> bool:
    """Whether a cell type's dynamics has regimes. jNeuroML gives a cell without them
    (and its inputs) the time at the end of the step, ``t + dt`` in eqsnn; a cell with
    regimes reads ``t`` as it was at the step's start."""
    return cell_type.dynamics is not None and any(
        getattr(e, "tag", "").endswith("Regime") for e in cell_type.dynamics)


def initialise(obj, tr: Translated) -> None:
    """``OnStart``: each assignment in order, as a string initialiser. A bare number is
    an SI value, as LEMS reads it (``u = 0`` for a current)."""
    from eqsnn.neuroml.dimensions import si_quantity
    for variable, value in tr.initial:
        try:
            number = float(value)
        except ValueError:
            setattr(obj, variable, value)
        else:
            setattr(obj, variable, si_quantity(number, tr.dims[variable]))


def descendants(component: Component, types: tuple[str, ...]) -> list[Component]:
    found = []
    for child in component.children:
        if child.type in types:
            found.append(child)
        found.extend(descendants(child, types))
    return found


def identifier(text: str) -> str:
    return re.sub(r"\W", "_", str(text))


def unit_quantity(name: str):
    from eqsnn import units
    return units.ureg.Quantity(1.0, name)
