"""Monitors: what a run records, written by the compiled loop into preallocated buffers.

Each buffer is owned by its monitor. The loop checks at the start of every step that
each buffer has room for the worst case of that step; if one has not, the loop returns
early, the network grows the buffer (doubling) and calls the loop again. So nothing is
lost and nothing is reallocated inside the loop.

This module holds what all monitors share; the monitors themselves are in
``spike_monitors`` (SpikeMonitor, PopulationRateMonitor) and ``state_monitor``
(StateMonitor), and :mod:`eqsnn.runtime.monitors` names them all.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from eqsnn import units
from eqsnn.display import Displayed
from eqsnn.errors import InvalidValueError
from eqsnn.runtime.groups import source_range
from eqsnn.runtime.schedule import Scheduled
from eqsnn.runtime.states import HasStates

SECOND = (1 * units.ureg.second).dimensionality
HERTZ = (1 * units.ureg.hertz).dimensionality


def grow(array: np.ndarray, needed: int, size: int | None = None) -> np.ndarray:
    """``array`` with room for ``needed`` rows (the first ones copied): itself if it has,
    else a new one of ``size`` rows (default: at least twice as many as it had)."""
    if needed <= array.shape[0]:
        return array
    size = max(needed, 2 * array.shape[0], 64) if size is None else max(needed, size)
    grown = np.zeros((size,) + array.shape[1:], dtype=array.dtype)
    grown[: array.shape[0]] = array
    return grown


def is_synapses(obj: Any) -> bool:
    return getattr(obj, "_kind", None) == "synapses"


#: A monitor's attributes that say what it records.
_FIXED = frozenset({"source", "group", "start", "stop", "record", "variables", "event"})


class Monitor(Scheduled, HasStates, Displayed):
    _kind = "monitor"
    _records_synapses = False  # only a StateMonitor records a Synapses object

    def __init__(self, source: Any, name: str | None):
        if not hasattr(source, "N") or not (hasattr(source, "_contribution")
                                             or hasattr(source, "parent")):
            raise InvalidValueError(
                f"{type(self).__name__} needs a group to monitor, not {type(source).__name__}")
        if is_synapses(source) and not self._records_synapses:
            # Synapses have no spikes of their own; without this check the failure
            # would come at run() from inside the code generation.
            raise InvalidValueError(
                f"{type(self).__name__} records the spikes of a group of neurons, but "
                f"{source.name!r} is a Synapses object, which does not spike",
                hint=f"monitor the neurons it connects ({type(self).__name__}(S.source) or "
                     f"{type(self).__name__}(S.target)); to record synaptic variables over "
                     f"time use StateMonitor(S, 'w')")
        self.source = source
        if is_synapses(source):
            # Synapse indices; stop is the count at creation (connect() may add more,
            # which record=True does not follow, as in Brian2).
            self.group, self.start, self.stop = source, 0, source.N
        else:
            self.group, self.start, self.stop = source_range(source)
        self.name = name or f"{type(self).__name__.lower()}_of_{self.group.name}"
        self._dt = float("nan")
        self._active = True

    def __len__(self) -> int:
        """What the monitor has recorded, counted as Brian2's ``len()`` counts it: the
        number of time points of a StateMonitor or PopulationRateMonitor (the length of
        ``mon.t``, not the number of neurons recorded), the number of events of a
        SpikeMonitor or EventMonitor (``mon.num_spikes``, also with ``record=False``)."""
        return int(self._count[0])

    def __bool__(self) -> bool:
        # A monitor is an object, not a container: it stays true before it has recorded
        # anything (Brian2's is false then, a side effect of its __len__), so that
        # "if monitor:" and "monitor or default" mean what they look like.
        return True

    @property
    def active(self) -> bool:
        """``False``: the monitor records nothing in the coming runs (as in Brian2);
        read at the start of each run and between chunks, never recompiled."""
        return self._active

    @active.setter
    def active(self, value: bool) -> None:
        if not isinstance(value, (bool, np.bool_)):
            raise InvalidValueError(f"{self.name}.active is True or False, not {value!r}")
        self._active = bool(value)

    def __setattr__(self, name: str, value: Any) -> None:
        # What a monitor records is fixed once made: the loop reads these (a changed
        # start or source would record other neurons than the buffers were made for).
        if name in _FIXED and name in self.__dict__:
            raise InvalidValueError(
                f"{name} of {type(self).__name__} {self.name!r} is fixed when it is created "
                f"and cannot be changed", hint=f"create a new {type(self).__name__}")
        object.__setattr__(self, name, value)

    def _recorded(self, name: str, recorded: str) -> tuple[str, bool]:
        """``mon.v`` / ``mon.v_``: the recorded variable an attribute names, and whether
        it asks for plain SI numbers (a trailing ``_``); ``recorded`` says, for the
        error, what the monitor does record."""
        if name.startswith("_"):
            raise AttributeError(name)
        raw = name.endswith("_") and name[:-1] in self.variables
        var = name[:-1] if raw else name
        if var not in self.variables:
            raise AttributeError(f"{self.name!r} records {recorded}, not {name!r}")
        return var, raw

    def _dependencies(self):
        return [self.group]

    def _prepare(self, start_step: int, n_steps: int, dt: float) -> None:
        self._dt = dt  # the clock of the coming run: steps → times
        self._make_room_for(start_step, n_steps)
