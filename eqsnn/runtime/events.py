"""Custom events of a neuron group (Brian2's ``events=``, ``run_on_event``).

``NeuronGroup(..., events={"burst": "n > 3 and v > 1*mV"})`` gives the group an event
besides its spike: every step, in ``after_thresholds`` (Brian2's default; the slot is
``G.thresholder["burst"]``), the neurons meeting the condition are written to the
event's own space (neuron indices, as the spikes are; refractoriness is not applied, as
in Brian2 — write ``not_refractory`` into the condition to use it).
``G.run_on_event("burst", code)`` runs statements for those neurons in
``after_resets`` (``G.resetter["burst"]``); ``SpikeMonitor(G, event="burst")`` records
them and ``Synapses(..., on_event="burst")`` propagates them. A group without events
pays nothing for them.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from eqsnn.codegen.barriers import Access, Unit
from eqsnn.codegen.network import Contribution, block_names, thread_inputs
from eqsnn.errors import InvalidValueError
from eqsnn.lowering import cache
from eqsnn.lowering.namespace import Constant, resolve_names
from eqsnn.runtime.group_code import refractory_inputs
from eqsnn.runtime.layout import constant_cname, variable_cname
from eqsnn.runtime.schedule import Slot, _changed
from eqsnn.runtime.variables import array_binding

if TYPE_CHECKING:  # pragma: no cover
    from eqsnn.lowering.event_records import EventRecord

__all__ = ["GroupEvents", "event_space", "check_event"]

SPIKE = "spike"


class GroupEvents:
    """The custom events of one group: conditions, the code run on them, their spaces."""

    def __init__(self, group, events: Mapping[str, str] | None):
        self._group = group
        if events is not None and not isinstance(events, Mapping):
            raise InvalidValueError(f"events must be a dictionary of event names to "
                                    f"conditions, not {type(events).__name__}",
                                    hint="events={'burst': 'v > 10*mV'}")
        self.conditions: dict[str, str] = {}
        for name, text in sorted((events or {}).items()):
            if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
                raise InvalidValueError(f"events={{...}}: {name!r} cannot name an event",
                                        hint="event names are identifiers that do not "
                                             "start with '_'")
            if name == SPIKE:
                raise InvalidValueError(
                    "events={'spike': ...}: the spike event is the group's threshold",
                    hint="give it as threshold='...'")
            if not isinstance(text, str):
                raise InvalidValueError(f"the condition of the event {name!r} must be a "
                                        f"string such as 'v > 1*mV', not "
                                        f"{type(text).__name__}")
            self.conditions[name] = text
        #: event → statements run on it (run_on_event)
        self.codes: dict[str, str] = {}
        self._records = {name: self._record("condition", name, text)
                         for name, text in self.conditions.items()}
        self._spaces = {name: (np.zeros(group.N, dtype=np.int32), np.zeros(1, dtype=np.int64))
                        for name in self.conditions}
        # Brian2's slots: conditions after the thresholds, code after the resets, at
        # the group's order; named like Brian2's code objects for the ties
        for name in self.conditions:
            group.thresholder[name] = Slot(group, f"{name}_thresholder", "after_thresholds",
                                           group._order)

    @property
    def names(self) -> tuple[str, ...]:
        """Every event of the group, the spike included when it has a threshold."""
        spike = (SPIKE,) if _has(self._group, "threshold") else ()
        return spike + tuple(self.conditions)

    def run_on_event(self, event: str, code: str, when: str = "after_resets",
                     order: Any = None) -> None:
        group = self._group
        if event not in self.conditions and not (
                event == SPIKE and _has(group, "threshold")):
            raise InvalidValueError(
                f"{group.name!r} has no event {event!r} ({_listed(self.names)})",
                hint=f"define it: NeuronGroup(..., events={{{event!r}: 'condition'}})"
                if event != SPIKE else "give the group a threshold")
        if event == SPIKE and _has(group, "reset") or event in self.codes:
            raise InvalidValueError(
                f"{group.name!r} already has code for the event {event!r}",
                hint="put all statements into one string" + (
                    " (the reset is the spike's code)" if event == SPIKE else ""))
        if not isinstance(code, str):
            raise InvalidValueError(f"run_on_event takes a string of statements, not "
                                    f"{type(code).__name__}")
        record = self._record("code", event, code)
        slot = Slot(group, f"{event}_resetter", when,
                    group._order if order is None else order)
        self._records[f"code:{event}"] = record
        self.codes[event] = code
        group.resetter[event] = slot
        _changed()  # a network built before runs the new code from its next run()

    def set_event_schedule(self, event: str, when: str = "after_thresholds",
                           order: Any = None) -> None:
        if event not in self.conditions:
            raise InvalidValueError(
                f"{self._group.name!r} has no custom event {event!r} (its custom events "
                f"are {list(self.conditions)})",
                hint="the spike's threshold is moved with group.thresholder['spike']")
        slot = self._group.thresholder[event]
        slot.when = when
        slot.order = self._group._order if order is None else order

    def _record(self, kind: str, event: str, text: str) -> EventRecord:
        """Lowered once per model and string, then loaded from the build cache."""
        group = self._group
        label = f"events[{event!r}]" if kind == "condition" else f"run_on_event({event!r})"
        # (the record's module only for a group that has custom events: a group without
        # them, the common case, pays nothing for them)
        from eqsnn.lowering.event_records import EventRecord
        key = cache.key("NeuronGroup-event", [group._build_key, kind, text]) \
            if group._build_key else None
        record = cache.load_record(key, EventRecord)
        if record is None:
            from eqsnn.lowering.events import lower_event_string
            record = lower_event_string(group._symbolic(), kind, text, label,
                                        group._sources[4])
            cache.store_record(key, record)
        return record

    def _constants(self, record: EventRecord) -> dict[str, Constant]:
        resolved = resolve_names(record.constants, self._group._sources[4], source="",
                                 label="event")
        return {k: v for k, v in resolved.items() if isinstance(v, Constant)}

    # --- the network module -------------------------------------------------------------
    def contribute(self, c: Contribution, layout, backend: str, info, period) -> None:
        """The event conditions and the code run on them, at their slots and the
        group's steps (``period``)."""
        group = self._group
        p = layout.prefix(group)
        refractory = group.refractory is not None
        for event in self.conditions:
            space = event_space(layout, group, event)
            array, count = self._spaces[event]
            c.array(space.array, lambda array=array: array, np.int32)
            c.counter(space.count, lambda count=count: count)
            code = self._records[event].code[backend]
            group.thresholder[event].add_to(
                c, "event", numbered=True, group=info, event=event, condition=code.printed,
                refractory=refractory, events=space,
                period=period, idle=(space.count,),  # (no events between its steps)
                unit=Unit((Access(p, False), Access(space.array, True)), serial=True),
                **self._bindings(c, layout, self._records[event], backend, f"{p}_ev_{event}"))
        for event in self.codes:
            space = event_space(layout, group, event)
            record = self._records[f"code:{event}"]
            code = record.code[backend]
            unit = Unit((Access(p, True), Access(space.array, False)), serial=True)
            group.resetter[event].add_to(
                c, "reset", numbered=True, group=info, code=code.printed, spikes=space,
                unit=unit, period=period, **refractory_inputs(group, backend),
                **self._bindings(c, layout, record, backend, f"{p}_do_{event}"),
                **thread_inputs(backend, unit, block=block_names(p)))

    def _bindings(self, c: Contribution, layout, record: EventRecord, backend: str,
                  prefix: str) -> dict:
        """Local names → the group's arrays and functions; the constants the model does
        not use get scalars of their own, read at every run."""
        group = self._group
        code = record.code[backend]
        p = layout.prefix(group)
        reads = code.reads
        scalars = []
        constants = self._constants(record)
        for name in reads:
            if name in group._constants:
                scalars.append([code.local(name), constant_cname(p, name)])
            elif name in constants:
                cname = c.scalar(f"{prefix}_c_{name}",
                                 lambda name=name: self._constants(record)[name].value)
                scalars.append([code.local(name), cname])
        return {"arrays": [array_binding(code.local(n), variable_cname(p, n),
                                         group._arrays[n].dtype)
                           for n in reads if n in group._arrays],
                "scalars": scalars, "linked": [],
                "functions": [[code.local(n), layout.function(group._functions[n])]
                              for n in reads if n in group._functions],
                "reads": list(reads)}


def event_space(layout, group, event: str) -> SimpleNamespace:
    """The neurons of ``group`` that had ``event`` this step: ``array[:count[0]]``."""
    if event == SPIKE:
        return layout.spikes(group)
    p = layout.prefix(group)
    return SimpleNamespace(array=f"{p}_ev_{event}", count=f"{p}_nev_{event}")


def check_event(group, event: str, role: str) -> None:
    """``group`` (a neuron group, a subgroup's parent) must define ``event``."""
    if event == SPIKE:
        return
    events = getattr(group, "_events", None)
    names = list(events.names) if events is not None else [SPIKE]
    if events is None or event not in events.conditions:
        raise InvalidValueError(
            f"the {role} {group.name!r} does not define an event {event!r} "
            f"({_listed(names)})",
            hint=f"define it: NeuronGroup(..., events={{{event!r}: 'condition'}})")


def _has(group, operation: str) -> bool:
    """Whether the group's record has a threshold / a reset."""
    return getattr(next(iter(group._record.code.values())), operation) is not None


def _listed(names) -> str:
    names = list(names)
    return f"its events are {names}" if names else "it has neither a threshold nor events"
