"""When in a time step each operation runs: Brian2's ``when=`` and ``order=``.

A step runs the scheduling slots ``start, groups, thresholds, synapses, resets, end``
in this order; each slot ``X`` has a ``before_X`` and an ``after_X`` twin around it.
Within a slot, operations run by ``order`` (an integer, default 0), and operations with
the same ``when`` and ``order`` by name, as Brian2 sorts them (``sorted_objects`` in
brian2/core/network.py), except that numbers in names compare as numbers
(:func:`~eqsnn.codegen.contribution.schedule_key`). eqsnn's default names start with the same words as Brian2's
(``neurongroup…``, ``statemonitor…``, ``synapses…``), so the usual ties fall the same way.

Brian2's defaults, which eqsnn follows:

============================  ==============  ==========================================
operation                     ``when``        ``order``
============================  ==============  ==========================================
NeuronGroup state update      groups          the group's ``order``
threshold (spikes found)      thresholds      the group's ``order``
reset                         resets          the group's ``order``
Synapses equations            groups          the synapses' ``order``
summed variable               groups          the target group's ``order`` - 1
pathway ``pre`` / ``post``    synapses        -1 / +1
SpikeGeneratorGroup           thresholds      its ``order``
StateMonitor                  start           0
SpikeMonitor                  its source's threshold slot, the threshold's order + 1
PopulationRateMonitor         end             0
``run_regularly``             start           0
``network_operation``         start           0
============================  ==============  ==========================================

Each object keeps its operations' slots as :class:`Slot` objects
(``G.state_updater``, ``G.thresholder["spike"]``, ``G.resetter["spike"]``,
``S.pre``, ``mon``); changing one after a run rebuilds the network module at the next
``run()``.
"""
from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from eqsnn.codegen.contribution import schedule_key
from eqsnn.codegen.network import SLOTS
from eqsnn.errors import InvalidValueError

__all__ = ["SLOTS", "Slot", "check_when", "check_order", "schedule_version"]

_SLOT_NAMES = tuple(f"{prefix}{slot}" for slot in SLOTS
                    for prefix in ("before_", "", "after_"))
_versions = itertools.count(1)
_version = 0


def schedule_version() -> int:
    """A number that changes whenever any operation's ``when`` or ``order`` changes
    (a network built before rebuilds)."""
    return _version


def _changed() -> None:
    global _version
    _version = next(_versions)


def check_when(when: Any, where: str) -> str:
    """``when`` if it names a scheduling slot, else an eqsnn error naming them. A name
    that is none of Brian2's default slots but not a near miss of one either (a typo
    such as ``'after_reset'`` is refused here) is taken as a slot of a custom
    ``Network.schedule``; the network checks it is in its schedule when it builds."""
    if isinstance(when, str) and when in _SLOT_NAMES:
        return when
    from difflib import get_close_matches
    close = get_close_matches(str(when), _SLOT_NAMES, n=1, cutoff=0.8)
    if isinstance(when, str) and when.isidentifier() and not close:
        return when  # (a custom slot)
    guess = f"did you mean {close[0]!r}? " if close else ""
    raise InvalidValueError(
        f"when={when!r} of {where} is not a scheduling slot",
        hint=f"{guess}the slots of a step, in order: {', '.join(SLOTS)}; each also "
             f"with a before_ or after_ prefix (e.g. 'after_resets'); a slot of your "
             f"own goes into net.schedule")


def check_order(order: Any, where: str) -> int:
    """``order`` as an int, else an eqsnn error."""
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)):
        raise InvalidValueError(
            f"order={order!r} of {where} must be a whole number",
            hint="operations in one slot run by ascending order (default 0)")
    return int(order)


class Slot:
    """Where one operation of an object runs in a step: ``when`` (a slot name) and
    ``order``; ties are broken by ``name`` (``<object>_<part>``, as Brian2 names its
    code objects: ``neurongroup_1_thresholder``)."""

    def __init__(self, owner: Any, part: str | None, when: str, order: int):
        self._owner = owner
        self._part = part
        self._when = check_when(when, self._where())
        self._order = check_order(order, self._where())

    def _where(self) -> str:
        return f"{self._part} of {self._owner.name!r}" if self._part else repr(self._owner.name)

    @property
    def name(self) -> str:
        return f"{self._owner.name}_{self._part}" if self._part else self._owner.name

    @property
    def when(self) -> str:
        """The scheduling slot (``"start"``, ``"after_resets"``, …)."""
        return self._when

    @when.setter
    def when(self, value: str) -> None:
        self._when = check_when(value, self._where())
        _changed()

    @property
    def order(self) -> int:
        """Position within the slot (ascending; ties by name)."""
        return self._order

    @order.setter
    def order(self, value: int) -> None:
        self._order = check_order(value, self._where())
        _changed()

    def key(self, schedule: tuple[str, ...] = SLOTS) -> tuple:
        """The sort key of this operation in a step of ``schedule``."""
        return schedule_key(self.when, self.order, self.name, schedule)

    def add_to(self, contribution, template: str, **inputs) -> None:
        """Add an operation at this slot to ``contribution``."""
        contribution.add(self.when, template, order=self.order, name=self.name, **inputs)

    def __repr__(self) -> str:
        return f"<{self.name}: when={self.when!r}, order={self.order}>"


class Scheduled:
    """``when`` and ``order`` of an object that is one operation (a monitor, a
    pathway): they read and set its :class:`Slot` ``_slot``."""

    _slot: Slot

    @property
    def when(self) -> str:
        """The scheduling slot this runs in (see :mod:`eqsnn.runtime.schedule`)."""
        return self._slot.when

    @when.setter
    def when(self, value: str) -> None:
        self._slot.when = value

    @property
    def order(self) -> int:
        """Position within the slot (ascending; ties by name)."""
        return self._slot.order

    @order.setter
    def order(self, value: int) -> None:
        self._slot.order = value


def group_slots(group, order: int) -> None:
    """The slots of a group's state update, threshold and reset, as Brian2 names
    them: ``group.state_updater``, ``group.thresholder["spike"]``,
    ``group.resetter["spike"]`` (each with ``when`` and ``order``)."""
    order = check_order(order, repr(group.name))
    object.__setattr__(group, "_order", order)
    object.__setattr__(group, "state_updater", Slot(group, "stateupdater", "groups", order))
    object.__setattr__(group, "thresholder",
                       {"spike": Slot(group, "thresholder", "thresholds", order)})
    object.__setattr__(group, "resetter", {"spike": Slot(group, "resetter", "resets", order)})
    object.__setattr__(group, "_regular", [])  # its run_regularly blocks


def synapse_slots(syn, order: int) -> None:
    """The slots of a Synapses' clock-driven equations (``syn.state_updater``) and of
    each summed variable (``syn.summed_updaters["I_post"]``): Brian2 sums just
    before the target group's state update (its order - 1), so a StateMonitor in
    ``start`` shows the previous step's sum, as in Brian2."""
    order = check_order(order, repr(syn.name))
    object.__setattr__(syn, "_order", order)
    object.__setattr__(syn, "state_updater", Slot(syn, "stateupdater", "groups", order))
    object.__setattr__(syn, "_regular", [])  # its run_regularly blocks
    target_order = getattr(syn.post_group, "_order", 0)
    object.__setattr__(syn, "summed_updaters", {
        f"{target}_post": Slot(syn, f"summed_variable_{target}_post", "groups",
                               target_order - 1)
        for target in syn._record.summed_targets})


def spike_monitor_slot(monitor, when: str | None, order: int | None) -> Slot:
    """A SpikeMonitor's slot: Brian2's default is its source's threshold slot, at
    the threshold's order + 1 (read when the network is built, so a threshold moved
    later takes its monitor along); ``order`` without ``when`` is refused, as in
    Brian2."""
    if when is None:
        if order is not None:
            raise InvalidValueError(
                f"order={order!r} of {monitor.name!r} was given without when=",
                hint="give both (when='thresholds', order=1), or neither: the monitor "
                     "then records right after its source's threshold")
        return _FollowingSlot(monitor, monitor.group.thresholder[
            getattr(monitor, "event", "spike")])  # (a custom event's, see events.py)
    return Slot(monitor, None, when, 0 if order is None else order)


class _FollowingSlot(Slot):
    """The slot of an operation that runs right after another one (until its own
    ``when`` or ``order`` is set)."""

    def __init__(self, owner: Any, leader: Slot):
        self._leader = leader
        super().__init__(owner, None, leader.when, leader.order + 1)

    @property
    def when(self) -> str:
        return self._when if self._leader is None else self._leader.when

    @when.setter
    def when(self, value: str) -> None:
        self._order, self._leader = self.order, None
        Slot.when.fset(self, value)

    @property
    def order(self) -> int:
        return self._order if self._leader is None else self._leader.order + 1

    @order.setter
    def order(self, value: int) -> None:
        self._when, self._leader = self.when, None
        Slot.order.fset(self, value)


def check_schedule(schedule: Any) -> tuple[str, ...]:
    """``net.schedule = [...]`` as Brian2 takes it: ``None`` (the default schedule) or
    a list of slot names in the order a step runs them, Brian2's reordered or with
    slots of one's own; ``before_``/``after_`` names are made from each, so a name
    cannot start with them. Returns the schedule as a tuple."""
    if schedule is None:
        return SLOTS
    if isinstance(schedule, (str, set, frozenset, dict)) or not isinstance(
            schedule, (list, tuple)) or not all(isinstance(s, str) for s in schedule):
        raise InvalidValueError(
            f"net.schedule = {schedule!r}: a schedule is a list of slot names (or None "
            f"for Brian2's default)", hint=f"e.g. net.schedule = {list(SLOTS)}")
    for slot in schedule:
        if slot.startswith(("before_", "after_")) or not slot.isidentifier():
            raise InvalidValueError(
                f"net.schedule: {slot!r} cannot be a slot name",
                hint="names are identifiers; before_X and after_X exist for every slot X "
                     "without being listed")
    twice = sorted({s for s in schedule if list(schedule).count(s) > 1})
    if twice:
        raise InvalidValueError(f"net.schedule lists {twice[0]!r} twice")
    return tuple(schedule)
