"""The pathways of a Synapses object and their delays.

A pathway (``pre``: source spikes run ``on_pre``; ``post``: target spikes run
``on_post``; or one per entry of ``on_pre={...}`` / ``on_post={...}``, triggered by
the source's or the target's events) holds one delay for all its synapses (the common
case: no memory per synapse) until they are given different ones.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from eqsnn import units
from eqsnn.errors import InvalidValueError
from eqsnn.lowering.names import BUILTIN_DIMS
from eqsnn.runtime.events import check_event
from eqsnn.runtime.schedule import Scheduled, Slot
from eqsnn.runtime.variables import convert_value

__all__ = ["Pathway", "delays_by_pathway", "make_pathways", "check_senders"]

_SECOND = BUILTIN_DIMS["t"]


class Pathway(Scheduled):
    """One pathway of a synapse: events of its sender (the source for an ``on_pre``
    pathway, ``side == "pre"``; the target for ``on_post``, ``side == "post"``) run
    ``statements`` on each synapse after its delay. ``event`` names the sender's
    event (``"spike"`` unless ``on_event=`` says otherwise). ``when`` and ``order``:
    where in a step (Brian2's default: the ``synapses`` slot, order -1 for ``on_pre``
    pathways, +1 for ``on_post`` ones; a Synapses object's pathways run by order, then
    name)."""

    def __init__(self, synapses, name: str, delay: float, *, side: str | None = None,
                 event: str = "spike"):
        self._syn = synapses
        self.name = name
        self.side = side or name
        self.event = event
        self._slot = Slot(synapses, name, "synapses", -1 if self.side == "pre" else 1)
        # The delay of synapses made later, and of all synapses while ``_delay`` is
        # None: one delay for the whole pathway (the common case) costs no memory per
        # synapse. ``_delay`` holds one value per synapse once they differ.
        self._default = delay
        self._delay: np.ndarray | None = None
        # whether the network that last built this pathway runs it before its sender's
        # threshold (see runs_before_threshold): what its propagation structure is for
        self._before = False
        # whether its compiled code walks dense pieces of rows (runtime/propagation.py,
        # _dense_pieces; synapse_code.py: code whose every operation gives the same bits
        # in a vector as alone): whether its structure has their table
        self._dense = False

    def runs_before_threshold(self, schedule: tuple[str, ...]) -> bool:
        """Whether this pathway runs before its sender's threshold (of its event) in a
        step of ``schedule``. It then finds the spikes of the sender's step before, and,
        as in Brian2, whose pathway queues the spikes it finds in its own slot, a spike
        reaches a synapse of delay ``d`` one step of the sender's clock later than from
        a pathway after the threshold."""
        sender = self._syn.pre_group if self.side == "pre" else self._syn.post_group
        try:
            return self._slot.key(schedule) < sender.thresholder[self.event].key(schedule)
        except ValueError:  # a slot not in the schedule: the network refuses it when built
            return False

    def _values(self) -> np.ndarray:
        """The delay of every synapse, in seconds (a new array)."""
        if self._delay is None:
            return np.full(self._syn.N, self._default)
        return self._delay.copy()

    @property
    def statements(self):
        """The statements run at each arrival, as SymPy assignments (event-driven
        variables advanced first); derived again on demand after a warm start."""
        return self._syn._symbolic().pathway_code.get(self.name, ())

    @property
    def has_code(self) -> bool:
        return next(iter(self._syn._record.code.values())).pathway(self.name) is not None

    @property
    def delay(self):
        """The delay of each synapse on this pathway (one value per synapse; indexable
        like a variable: ``S.delay[0, :]``, ``S.delay["i == 0"] = "j*ms"``)."""
        from eqsnn.runtime.indexing import indexed
        return indexed(self, "delay", self._values(), _SECOND, raw=False)

    @property
    def delay_(self) -> np.ndarray:
        """The delays in seconds, without units (a copy)."""
        from eqsnn.runtime.indexing import indexed
        return indexed(self, "delay", self._values(), _SECOND, raw=True)

    def _set_delays(self, positions: np.ndarray, value: Any, *, raw: bool = False) -> None:
        """``S.delay[index] = value``: the delays of some synapses."""
        syn = self._syn
        if isinstance(value, str):
            values = syn._evaluate_string(value, "delay", _SECOND)[positions]
        else:
            values = convert_value("delay", value, _SECOND, positions.shape, raw=raw)
        self._check(values)
        delays = self._values()
        delays[positions] = values
        self._delay = delays
        syn._structure_version += 1

    def _check(self, values: np.ndarray) -> None:
        if np.any(values < 0) or not np.all(np.isfinite(values)):
            raise InvalidValueError(f"delays must be finite and not negative (the {self.name} "
                                    f"pathway of {self._syn.name!r})")

    @delay.setter
    def delay(self, value: Any) -> None:
        syn = self._syn
        # one duration also becomes the delay of synapses made later
        one = not isinstance(value, (str, list, tuple)) and np.ndim(units.to_si(value)[0]) == 0
        if isinstance(value, str):
            values = syn._evaluate_string(value, "delay", _SECOND)
        else:
            values = convert_value("delay", value, _SECOND, (syn.N,))
        self._check(values)
        if one:
            self._default = float(np.asarray(units.to_si(value)[0]))
            self._delay = None
        else:
            self._delay = np.array(values, dtype=np.float64)
        syn._structure_version += 1

    def __repr__(self) -> str:
        return f"Pathway({self.name!r} of {self._syn.name!r})"


def delays_by_pathway(delay: Any, names=("pre", "post")) -> dict[str, float]:
    """``delay=`` as ``{pathway name: seconds}`` for the pathways ``names`` (one
    duration is the ``pre`` pathway's, as in Brian2)."""
    given = delay if isinstance(delay, Mapping) else {} if delay is None else {"pre": delay}
    unknown = set(given) - set(names)
    if unknown:
        raise InvalidValueError(f"delay={{...}} names the pathways {sorted(unknown)}, but "
                                f"the pathways are {list(names)}",
                                hint="give a delay for a pathway of on_pre={...} or "
                                     "on_post={...} under its name")
    result = {}
    for path in names:
        value = given.get(path)
        if value is None:
            result[path] = 0.0
            continue
        if isinstance(value, str):
            raise InvalidValueError("delay= takes one duration; set per-synapse delays after "
                                    f"connect(): S.{path}.delay = {value!r}")
        magnitude, dim = units.to_si(value)
        if dim != _SECOND or np.ndim(magnitude) != 0 or not 0 <= magnitude < np.inf:
            raise InvalidValueError(
                "delay must be one non-negative duration such as 1*ms, "
                f"not {units.describe(value)}",
                hint="set per-synapse delays after connect(): S.delay = array or string")
        result[path] = float(magnitude)
    return result


def make_pathways(syn, paths, on_pre: Any, on_post: Any, delay: Any,
                  on_event: Any) -> dict[str, Pathway]:
    """The pathways of ``syn``, by name, in the order they run: one per entry of
    ``paths`` (see :mod:`eqsnn.lowering.pathway_texts`), then a pathway without code
    for ``pre`` / ``post`` when ``on_pre`` / ``on_post`` is not a dictionary, so that
    ``S.delay`` and ``S.post.delay`` exist as before any code is given."""
    names = [path.name for path in paths]
    defaults = [side for side, given in (("pre", on_pre), ("post", on_post))
                if not isinstance(given, Mapping) and side not in names]
    delays = delays_by_pathway(delay, names + defaults)
    events = _events_by_pathway(on_event, names)
    pathways = {path.name: Pathway(syn, path.name, delays[path.name], side=path.side,
                                   event=events[path.name]) for path in paths}
    pathways.update({side: Pathway(syn, side, delays[side]) for side in defaults})
    for name in pathways:
        if name not in ("pre", "post") and (hasattr(type(syn), name) or name in syn._dims):
            raise InvalidValueError(
                f"the pathway name {name!r} of {syn.name!r} is taken by "
                f"{'a synaptic variable' if name in syn._dims else 'Synapses itself'}",
                hint="choose another name for the pathway")
    return pathways


def _events_by_pathway(on_event: Any, names) -> dict[str, str]:
    """``on_event=``: one event name for every pathway, or ``{pathway: event}`` (the
    others are triggered by spikes), as in Brian2."""
    if on_event is None or isinstance(on_event, str):
        return dict.fromkeys(names, on_event or "spike")
    if not isinstance(on_event, Mapping):
        raise InvalidValueError(f"on_event must be an event name or a dictionary of pathway "
                                f"names to event names, not {type(on_event).__name__}")
    unknown = sorted(set(on_event) - set(names))
    if unknown:
        raise InvalidValueError(f"on_event={{...}} names the pathways {unknown}, but the "
                                f"pathways are {list(names)}")
    for name, event in on_event.items():
        if not isinstance(event, str):
            raise InvalidValueError(f"on_event[{name!r}] must be an event name such as "
                                    f"'spike', not {type(event).__name__}")
    return {name: on_event.get(name, "spike") for name in names}


def check_senders(syn) -> None:
    """Each pathway's sender must have its event. A Synapses object may be the source
    or target of synapses (their strings read and write its variables, one "neuron" per
    synapse), but it has no spikes or events to trigger a pathway."""
    for pathway in syn._pathways.values():
        sender = syn.pre_group if pathway.side == "pre" else syn.post_group
        if not pathway.has_code:
            continue
        if not hasattr(sender, "_pathways"):  # not a Synapses object
            check_event(sender, pathway.event,
                        "source" if pathway.side == "pre" else "target")
            continue
        raise InvalidValueError(
            f"the pathway {pathway.name!r} of {syn.name!r} would be triggered by events of "
            f"{sender.name!r}, a Synapses object, which has none",
            hint=f"trigger it from a neuron group: on_pre with a NeuronGroup or "
                 f"SpikeGeneratorGroup as the source, {sender.name!r} as the target")
