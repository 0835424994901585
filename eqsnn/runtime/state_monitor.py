"""StateMonitor: variables of neurons or synapses recorded over time, and the view
``mon[i]`` of some recorded indices."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from eqsnn import units
from eqsnn.codegen.barriers import PRIVATE, SERIAL, Access, Unit
from eqsnn.codegen.network import Contribution, block_names, thread_inputs
from eqsnn.errors import IndexOutOfRangeError, InvalidValueError
from eqsnn.runtime.groups import NeuronGroup
from eqsnn.runtime.monitor_base import SECOND, Monitor, grow, is_synapses
from eqsnn.runtime.monitor_values import (dimension, expressions, record_indices,
                                          sources_read, variable_names, view_indices)
from eqsnn.runtime.schedule import Slot
from eqsnn.runtime.timeline import times_of

__all__ = ["StateMonitor", "StateMonitorView"]


class StateMonitor(Monitor):
    """Records variables (or subexpressions) of some neurons or synapses at every
    ``every``-th step.

    Parameters
    ----------
    source
        Group, subgroup or :class:`~eqsnn.Synapses`.
    variables
        A name or a list of names.
    record
        ``True`` for every neuron (every synapse that exists when the monitor is
        created), or indices relative to ``source`` (synapse indices: positions in
        ``S.i`` / ``S.j``).
    dt
        Recording interval (a multiple of the simulation dt); default: the source's
        clock (every step unless the group has a ``dt`` of its own).
    when, order
        Where in a step the values are read: by default ``"start"``, before the state
        update (Brian2's default); ``"after_resets"`` shows values after the reset.

    Notes
    -----
    After a run, ``mon.v`` has shape ``(len(record), n_times)`` with units, ``mon.v_``
    the same in SI floats, ``mon.t`` the times. Recording happens at the start of a
    step, inside the compiled loop, for synapses as for neurons. An ``(event-driven)``
    synaptic variable is recorded as stored, i.e. as it was at the synapse's last event
    (it is advanced only at events).
    """

    _records_synapses = True

    def __init__(self, source: Any, variables: str | Sequence[str], record: Any = True,
                 dt: Any = None, name: str | None = None, *, when: str = "start",
                 order: int = 0):
        super().__init__(source, name)
        self._slot = Slot(self, None, when, order)
        self.variables = variable_names(self, self.group, variables)
        size = self.stop - self.start
        if is_synapses(source) and record is True and size == 0:
            raise InvalidValueError(
                f"StateMonitor({source.name}, record=True) records the synapses that exist "
                f"when it is created, but {source.name!r} has none yet",
                hint="call S.connect(...) before creating the monitor")
        indices = record_indices(self, source, record, size)
        self.record = indices
        self._indices = indices + self.start
        self._interval = dt
        # an integer or boolean variable is recorded in its own dtype, as in Brian2
        self._dtypes = {var: getattr(self.group, "_dtypes", {}).get(var, np.dtype(np.float64))
                        for var in self.variables}
        self._records = {var: np.zeros((0, indices.size), self._dtypes[var])
                         for var in self.variables}
        self._steps = np.zeros(0, dtype=np.int64)
        self._count = np.zeros(1, dtype=np.int64)

    def _every(self, dt: float) -> int:
        if self._interval is None:  # the source's clock (a group's own dt), as in Brian2
            clock = getattr(self.group, "clock", None)
            return 1 if clock is None else clock.every(dt, repr(self.group.name))[0]
        value, dim = units.to_si(self._interval)
        every = int(round(value / dt))
        if dim != SECOND or every < 1 or abs(every * dt - value) > 1e-9 * value:
            raise InvalidValueError(
                f"the recording interval of {self.name!r} must be a positive multiple of "
                f"dt ({dt} s), got {self._interval}")
        return every

    def _contribution(self, layout, backend: str, dt: float) -> Contribution:
        c = Contribution()
        p = layout.prefix(self)
        every = self._every(dt)
        # How each variable is computed, in the model's names (synaptic ones for
        # synapse _syn, its source _ipre and target _j).
        computed = expressions(self.group, backend, self.variables)
        reads = sorted({name for var in self.variables for name in computed[var].reads})
        # it reads any neuron's or synapse's values (and those of linked sources)
        sources = sources_read(layout, self.group, reads)
        g = layout.prefix(self.group)
        # Of a group's own variables, each thread records its own neurons' columns and
        # counts the rows itself; thread 0 writes the steps. Else one thread records all
        # (also a link into the group itself: it reads other neurons, maybe another
        # thread's).
        linked = getattr(self.group, "_linked", {})
        own = sources == [g] and isinstance(self.group, NeuronGroup) \
            and not any(name in linked for name in reads)
        if own:
            count = c.private_counter(f"{p}_count", lambda: self._count)
            unit = Unit((Access(g, False, ("neurons", g)), Access(p, True, ("neurons", g)),
                         Access(count, True, PRIVATE), Access(f"{p}_steps", True, SERIAL)))
        else:
            count = c.counter(f"{p}_count", lambda: self._count)
            unit = Unit(tuple(Access(s, False) for s in sources) + (Access(count, True),),
                        serial=True)
        capacity = c.int_scalar(f"{p}_capacity", lambda: self._steps.shape[0])
        c.add_capacity_check(capacity, count, "1")
        records = [[c.array(f"{p}_v_{var}", lambda var=var: self._records[var],
                            self._dtypes[var]), computed[var]] for var in self.variables]
        self._slot.add_to(
            c, "statemonitor", synapses=is_synapses(self.group), unit=unit,
            **thread_inputs(backend, unit, block=block_names(g)),
            source=self.group._names(layout),
            every=c.int_scalar(f"{p}_every", lambda: every),
            active=c.int_scalar(f"{p}_active", lambda: int(self._active)),
            indices=c.array(f"{p}_indices", lambda: self._indices, np.int64),
            n_indices=c.int_scalar(f"{p}_n", lambda: self._indices.size),
            buf_step=c.array(f"{p}_steps", lambda: self._steps, np.int64),
            records=records, count=count,
            **self.group._bindings(layout, backend, reads))
        return c

    def _make_room_for(self, start_step: int, n_steps: int) -> None:
        if is_synapses(self.group) and self._indices.size \
                and self._indices.max() >= self.group.N:
            raise InvalidValueError(
                f"{self.name!r} records synapse {int(self._indices.max())} of "
                f"{self.group.name!r}, which now has only {self.group.N} synapses",
                hint="a restore() to a state with fewer synapses removed it; create the "
                     "monitor again")
        every = self._every(self._dt)
        first = -(-start_step // every) * every
        expected = max(0, -(-(start_step + n_steps - first) // every))
        self._make_room(expected)

    def _make_room(self, extra: int = 1) -> None:
        needed = int(self._count[0]) + extra
        self._steps = grow(self._steps, needed)
        for var in self.variables:
            self._records[var] = grow(self._records[var], needed)

    def _state(self):
        state = {f"rec:{var}": array for var, array in self._records.items()}
        state.update(steps=self._steps, count=self._count)
        return state

    def _set_state(self, state):
        for var in self.variables:
            self._records[var] = state[f"rec:{var}"].copy()
        self._steps = state["steps"].copy()
        self._count[:] = state["count"]

    @property
    def t_(self) -> np.ndarray:
        return times_of(self._steps[: int(self._count[0])], self._dt)

    @property
    def t(self):
        return units.from_si(self.t_, SECOND)

    def __getitem__(self, item: Any) -> "StateMonitorView":
        """``mon[3].v``: the recording of neuron 3 (an index into the monitored group, as
        in Brian2), ``mon[[1, 3]].v`` of several; ``mon[G[3]].v``, ``mon[G[2:5]].v`` of a
        subgroup and ``mon[S[0, :]].w`` of synapses, one row each, as in Brian2."""
        return StateMonitorView(self, item)

    def __iter__(self):
        """``for trace in mon``: the view of each recorded index, in the order of
        ``mon.record`` (indexing would stop at the first index not recorded)."""
        return (StateMonitorView(self, int(index)) for index in self.record)

    def __getattr__(self, name: str):
        var, raw = self._recorded(name, f"{self.variables}")
        values = self._records[var][: int(self._count[0])].T.copy()
        return values if raw else units.from_si(values, dimension(self.group, var))


class StateMonitorView:
    """The recordings of some recorded neurons (or synapses): ``mon[3].v`` is ``v`` of
    neuron 3 over time (1-D), ``mon[[1, 3]].v`` has one row per index given."""

    def __init__(self, monitor: StateMonitor, item: Any):
        self.monitor, self.item = monitor, item
        wanted = np.asarray(view_indices(monitor, item))
        if wanted.dtype.kind not in "iu" or wanted.ndim > 1:
            raise InvalidValueError(f"index a StateMonitor with a neuron index or a list of "
                                    f"them, not {item!r}")
        rows = {int(index): row for row, index in enumerate(monitor.record)}
        missing = [int(k) for k in np.atleast_1d(wanted) if int(k) not in rows]
        if missing:
            recorded = ", ".join(str(k) for k in monitor.record[:10])
            raise IndexOutOfRangeError(
                f"{monitor.name!r} did not record index {missing[0]}; it records "
                f"{recorded}{' ...' if monitor.record.size > 10 else ''}",
                hint="index it with a recorded index (mon.record), or record that one "
                     "too (record=[...] or record=True)")
        self._rows = rows[int(wanted)] if wanted.ndim == 0 else \
            np.array([rows[int(k)] for k in wanted], dtype=np.int64)

    @property
    def t(self):
        return self.monitor.t

    @property
    def t_(self):
        return self.monitor.t_

    def __getattr__(self, name: str):
        if name.startswith("_") or name in ("monitor", "item"):
            raise AttributeError(name)
        return getattr(self.monitor, name)[self._rows]

    def __repr__(self) -> str:
        return f"<view of {self.item!r} recorded by {self.monitor.name!r}>"
