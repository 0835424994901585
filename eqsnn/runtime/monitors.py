"""Monitors: what a run records, written by the compiled loop into preallocated buffers.

Each buffer is owned by its monitor. The loop checks at the start of every step that
each buffer has room for the worst case of that step; if one has not, the loop returns
early, the network grows the buffer (doubling) and calls the loop again. So nothing is
lost and nothing is reallocated inside the loop.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from eqsnn import units
from eqsnn.codegen.barriers import Access, Unit
from eqsnn.codegen.network import Contribution
from eqsnn.display import Displayed
from eqsnn.errors import InvalidValueError
from eqsnn.runtime.groups import source_range

__all__ = ["SpikeMonitor", "StateMonitor", "PopulationRateMonitor"]

_SECOND = (1 * units.ureg.second).dimensionality
_HERTZ = (1 * units.ureg.hertz).dimensionality


def _grow(array: np.ndarray, needed: int) -> np.ndarray:
    if needed <= array.shape[0]:
        return array
    size = max(needed, 2 * array.shape[0], 64)
    grown = np.zeros((size,) + array.shape[1:], dtype=array.dtype)
    grown[: array.shape[0]] = array
    return grown


def _is_synapses(obj: Any) -> bool:
    return getattr(obj, "_kind", None) == "synapses"


class _Monitor(Displayed):
    _kind = "monitor"

    def __init__(self, source: Any, name: str | None):
        if not hasattr(source, "N") or not (hasattr(source, "_contribution")
                                             or hasattr(source, "parent")):
            raise InvalidValueError(
                f"{type(self).__name__} needs a group to monitor, not {type(source).__name__}")
        if _is_synapses(source) and not isinstance(self, StateMonitor):
            # Synapses have no spikes of their own; without this check the failure
            # would come at run() from inside the code generation.
            raise InvalidValueError(
                f"{type(self).__name__} records the spikes of a group of neurons, but "
                f"{source.name!r} is a Synapses object, which does not spike",
                hint=f"monitor the neurons it connects ({type(self).__name__}(S.source) or "
                     f"{type(self).__name__}(S.target)); to record synaptic variables over "
                     f"time use StateMonitor(S, 'w')")
        self.source = source
        if _is_synapses(source):
            # Synapse indices; stop is the count at creation (connect() may add more,
            # which record=True does not follow, as in Brian2).
            self.group, self.start, self.stop = source, 0, source.N
        else:
            self.group, self.start, self.stop = source_range(source)
        self.name = name or f"{type(self).__name__.lower()}_of_{self.group.name}"
        self._dt = float("nan")

    def _dependencies(self):
        return [self.group]

    def _prepare(self, start_step: int, n_steps: int, dt: float) -> None:
        self._dt = dt  # the clock of the coming run: steps → times
        self._make_room_for(start_step, n_steps)


class SpikeMonitor(_Monitor):
    """Records the index and time of every spike of a group (or subgroup).

    After a run: ``mon.i`` (neuron indices, relative to the monitored group), ``mon.t``
    (times), ``mon.count`` (spikes per neuron), ``mon.num_spikes``, ``mon.spike_trains()``.
    """

    def __init__(self, source: Any, name: str | None = None):
        super().__init__(source, name)
        self._i = np.zeros(1024, dtype=np.int32)
        self._step = np.zeros(1024, dtype=np.int64)
        self._count = np.zeros(1, dtype=np.int64)

    def _contribution(self, layout, backend: str, dt: float) -> Contribution:
        c = Contribution()
        p = layout.prefix(self)
        count = c.counter(f"{p}_count", lambda: self._count)
        capacity = c.int_scalar(f"{p}_capacity", lambda: self._i.shape[0])
        size = c.int_scalar(f"{p}_size", lambda: self.stop - self.start)
        c.add_capacity_check(capacity, count, size)
        spikes = layout.spikes(self.group)
        c.add("thresholds", "spikemonitor", spikes=spikes,
              unit=Unit((Access(spikes.array, False), Access(count, True)), serial=True),
              start=c.int_scalar(f"{p}_start", lambda: self.start),
              stop=c.int_scalar(f"{p}_stop", lambda: self.stop),
              buf_i=c.array(f"{p}_i", lambda: self._i, np.int32),
              buf_step=c.array(f"{p}_step", lambda: self._step, np.int64), count=count)
        return c

    def _make_room_for(self, start_step: int, n_steps: int) -> None:
        self._make_room()

    def _make_room(self) -> None:
        needed = int(self._count[0]) + 2 * (self.stop - self.start)
        self._i = _grow(self._i, needed)
        self._step = _grow(self._step, needed)

    def _state(self):
        return {"i": self._i, "step": self._step, "count": self._count}

    def _set_state(self, state):
        self._i, self._step = state["i"].copy(), state["step"].copy()
        self._count[:] = state["count"]

    @property
    def num_spikes(self) -> int:
        return int(self._count[0])

    @property
    def i(self) -> np.ndarray:
        return self._i[: self.num_spikes].copy()

    @property
    def t_(self) -> np.ndarray:
        return self._step[: self.num_spikes] * self._dt

    @property
    def t(self):
        return units.from_si(self.t_, _SECOND)

    @property
    def it(self):
        """``(i, t)``, as Brian2's ``mon.it``: ``plt.plot(*mon.it_)``-style unpacking."""
        return self.i, self.t

    @property
    def it_(self):
        return self.i, self.t_

    @property
    def count(self) -> np.ndarray:
        return np.bincount(self.i, minlength=self.stop - self.start)

    def spike_trains(self) -> dict[int, Any]:
        """Spike times of each neuron: ``{index: times}``."""
        i, t = self.i, self.t_
        return {k: units.from_si(t[i == k], _SECOND) for k in range(self.stop - self.start)}


class StateMonitor(_Monitor):
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
        Recording interval (a multiple of the simulation dt); default every step.

    Notes
    -----
    After a run, ``mon.v`` has shape ``(len(record), n_times)`` with units, ``mon.v_``
    the same in SI floats, ``mon.t`` the times. Recording happens at the start of a
    step, inside the compiled loop, for synapses as for neurons. An ``(event-driven)``
    synaptic variable is recorded as stored, i.e. as it was at the synapse's last event
    (it is advanced only at events).
    """

    def __init__(self, source: Any, variables: str | Sequence[str], record: Any = True,
                 dt: Any = None, name: str | None = None):
        super().__init__(source, name)
        self.variables = [variables] if isinstance(variables, str) else list(variables)
        for var in self.variables:
            if var not in self.group._dims:
                raise InvalidValueError(
                    f"{self.group.name!r} has no variable {var!r} to record; its variables "
                    f"are {sorted(self.group._dims)}")
        size = self.stop - self.start
        if _is_synapses(source) and record is True and size == 0:
            raise InvalidValueError(
                f"StateMonitor({source.name}, record=True) records the synapses that exist "
                f"when it is created, but {source.name!r} has none yet",
                hint="call S.connect(...) before creating the monitor")
        if record is True:
            indices = np.arange(size)
        elif record is False or record is None:
            indices = np.zeros(0, dtype=np.int64)
        else:
            indices = np.atleast_1d(np.asarray(record, dtype=np.int64))
        if indices.size and (indices.min() < 0 or indices.max() >= size):
            what = "synapses" if _is_synapses(source) else "neurons"
            raise InvalidValueError(
                f"record indices must lie in 0..{size - 1} for {source.name!r} ({size} "
                f"{what}), got {indices.min()}..{indices.max()}",
                hint="connect the synapses before creating the monitor"
                if _is_synapses(source) else None)
        self.record = indices
        self._indices = indices + self.start
        self._interval = dt
        self._records = {var: np.zeros((0, indices.size)) for var in self.variables}
        self._steps = np.zeros(0, dtype=np.int64)
        self._count = np.zeros(1, dtype=np.int64)

    def _every(self, dt: float) -> int:
        if self._interval is None:
            return 1
        value, dim = units.to_si(self._interval)
        every = int(round(value / dt))
        if dim != _SECOND or every < 1 or abs(every * dt - value) > 1e-9 * value:
            raise InvalidValueError(
                f"the recording interval of {self.name!r} must be a positive multiple of "
                f"dt ({dt} s), got {self._interval}")
        return every

    def _contribution(self, layout, backend: str, dt: float) -> Contribution:
        c = Contribution()
        p = layout.prefix(self)
        every = self._every(dt)
        count = c.counter(f"{p}_count", lambda: self._count)
        capacity = c.int_scalar(f"{p}_capacity", lambda: self._steps.shape[0])
        c.add_capacity_check(capacity, count, "1")
        # The source's record says how each variable is computed, in the model's names
        # (synaptic ones for synapse _syn, its source _ipre and target _j).
        expressions = self.group._record.code[backend].records
        records = [[c.array(f"{p}_v_{var}", lambda var=var: self._records[var]),
                    expressions[var]] for var in self.variables]
        reads = sorted({name for _, e in records for name in e.reads})
        # it reads any neuron's or synapse's values (and those of linked sources)
        sources = {layout.prefix(self.group)} | {
            layout.prefix(self.group._link(name).group._owner) for name in reads
            if name in getattr(self.group, "_linked", ())}
        c.add("start", "statemonitor", synapses=_is_synapses(self.group),
              unit=Unit(tuple(Access(s, False) for s in sorted(sources))
                        + (Access(count, True),), serial=True),
              source=self.group._names(layout),
              every=c.int_scalar(f"{p}_every", lambda: every),
              indices=c.array(f"{p}_indices", lambda: self._indices, np.int64),
              n_indices=c.int_scalar(f"{p}_n", lambda: self._indices.size),
              buf_step=c.array(f"{p}_steps", lambda: self._steps, np.int64),
              records=records, count=count,
              **self.group._bindings(layout, backend, reads))
        return c

    def _make_room_for(self, start_step: int, n_steps: int) -> None:
        if _is_synapses(self.group) and self._indices.size \
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
        self._steps = _grow(self._steps, needed)
        for var in self.variables:
            self._records[var] = _grow(self._records[var], needed)

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
        return self._steps[: int(self._count[0])] * self._dt

    @property
    def t(self):
        return units.from_si(self.t_, _SECOND)

    def __getitem__(self, item: Any) -> "StateMonitorView":
        """``mon[3].v``: the recording of neuron 3 (an index into the monitored group, as
        in Brian2), or ``mon[[1, 3]].v`` of several."""
        return StateMonitorView(self, item)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        raw = name.endswith("_") and name[:-1] in self.variables
        var = name[:-1] if raw else name
        if var not in self.variables:
            raise AttributeError(f"{self.name!r} records {self.variables}, not {name!r}")
        values = self._records[var][: int(self._count[0])].T.copy()
        return values if raw else units.from_si(values, self.group._dims[var])


class StateMonitorView:
    """The recordings of some recorded neurons (or synapses): ``mon[3].v`` is ``v`` of
    neuron 3 over time (1-D), ``mon[[1, 3]].v`` has one row per index given."""

    def __init__(self, monitor: StateMonitor, item: Any):
        self.monitor, self.item = monitor, item
        wanted = np.asarray(item)
        if wanted.dtype.kind not in "iu" or wanted.ndim > 1:
            raise InvalidValueError(f"index a StateMonitor with a neuron index or a list of "
                                    f"them, not {item!r}")
        rows = {int(index): row for row, index in enumerate(monitor.record)}
        missing = [int(k) for k in np.atleast_1d(wanted) if int(k) not in rows]
        if missing:
            recorded = ", ".join(str(k) for k in monitor.record[:10])
            raise IndexError(f"{monitor.name!r} did not record index {missing[0]}; it "
                             f"records {recorded}{' ...' if monitor.record.size > 10 else ''}")
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


class PopulationRateMonitor(_Monitor):
    """The fraction of a group's neurons that spike in each step, as a rate.

    After a run: ``mon.rate`` (Hz, one value per step), ``mon.t``,
    ``mon.smooth_rate(window="gaussian", width=5*ms)``.
    """

    def __init__(self, source: Any, name: str | None = None):
        super().__init__(source, name)
        self._counts = np.zeros(0, dtype=np.float64)
        self._steps_start = 0
        self._count = np.zeros(1, dtype=np.int64)

    def _contribution(self, layout, backend: str, dt: float) -> Contribution:
        c = Contribution()
        p = layout.prefix(self)
        count = c.counter(f"{p}_count", lambda: self._count)
        capacity = c.int_scalar(f"{p}_capacity", lambda: self._counts.shape[0])
        c.add_capacity_check(capacity, count, "1")
        spikes = layout.spikes(self.group)
        c.add("end", "ratemonitor", spikes=spikes,
              unit=Unit((Access(spikes.array, False), Access(count, True)), serial=True),
              start=c.int_scalar(f"{p}_start", lambda: self.start),
              stop=c.int_scalar(f"{p}_stop", lambda: self.stop),
              buf=c.array(f"{p}_counts", lambda: self._counts), count=count)
        return c

    def _make_room_for(self, start_step: int, n_steps: int) -> None:
        if int(self._count[0]) == 0:
            self._steps_start = start_step
        self._counts = _grow(self._counts, int(self._count[0]) + n_steps)

    def _make_room(self) -> None:
        self._counts = _grow(self._counts, int(self._count[0]) + 1)

    def _state(self):
        return {"counts": self._counts, "count": self._count,
                "steps_start": np.array([self._steps_start])}

    def _set_state(self, state):
        self._counts = state["counts"].copy()
        self._count[:] = state["count"]
        self._steps_start = int(state["steps_start"][0])

    @property
    def rate_(self) -> np.ndarray:
        return self._counts[: int(self._count[0])] / ((self.stop - self.start) * self._dt)

    @property
    def rate(self):
        return units.from_si(self.rate_, _HERTZ)

    @property
    def t_(self) -> np.ndarray:
        return (self._steps_start + np.arange(int(self._count[0]))) * self._dt

    @property
    def t(self):
        return units.from_si(self.t_, _SECOND)

    def smooth_rate(self, window: Any = "gaussian", width: Any = None):
        """The rate smoothed as Brian2 smooths it, same length as ``rate``.

        ``window="gaussian"``: a Gaussian of standard deviation ``width``, cut at 2
        ``width``; ``"flat"``: a flat window of ``width`` rounded to an odd number of
        steps (so the rate is not shifted in time); or a 1-D array of an odd number of
        weights (then no ``width``). ``smooth_rate(5*ms)`` (eqsnn's earlier form) is the
        flat window."""
        if width is None and units.is_quantity(window):
            window, width = "flat", window
        if isinstance(window, str):
            if window not in ("gaussian", "flat"):
                raise InvalidValueError(f"unknown window {window!r}",
                                        hint="window='gaussian', 'flat', or an array")
            value, dim = units.to_si(width) if width is not None else (None, None)
            if dim != _SECOND or not value > 0:
                raise InvalidValueError(f"smooth_rate(window={window!r}) needs width= a "
                                        f"positive duration such as 5*ms, not "
                                        f"{units.describe(width)}")
            steps = value / self._dt
            if window == "gaussian":
                half = int(np.round(2 * steps))
                kernel = np.exp(-np.arange(-half, half + 1) ** 2 / (2 * steps ** 2))
            else:
                kernel = np.ones(int(steps / 2) * 2 + 1)
        else:
            if width is not None:
                raise InvalidValueError("width= goes with a named window ('gaussian' or "
                                        "'flat'), not with an array of weights")
            kernel = np.asarray(window, dtype=float)
            if kernel.ndim != 1 or kernel.size % 2 != 1:
                raise InvalidValueError("a window of weights must be a 1-D array of an odd "
                                        f"number of values, not shape {kernel.shape}")
        kernel = kernel / kernel.sum()
        return units.from_si(np.convolve(self.rate_, kernel, mode="same"), _HERTZ)
