"""Monitors of spikes: SpikeMonitor (index and time of each spike) and
PopulationRateMonitor (the fraction of a group spiking in each step, as a rate)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from eqsnn import units
from eqsnn.codegen.barriers import Access, Unit
from eqsnn.codegen.network import Contribution
from eqsnn.errors import InvalidValueError
from eqsnn.runtime.clocks import NETWORK_CLOCK
from eqsnn.runtime.events import check_event, event_space
from eqsnn.runtime.monitor_base import HERTZ, SECOND, Monitor, grow
from eqsnn.runtime.monitor_values import dimension, expressions, sources_read, variable_names
from eqsnn.runtime.schedule import Slot, spike_monitor_slot
from eqsnn.runtime.timeline import LoopDt, times_of

__all__ = ["SpikeMonitor", "PopulationRateMonitor"]

#: events a SpikeMonitor makes room for in its first call at most, before it knows a
#: rate (192 KiB with record=True; a first call of 100 steps of 1000 neurons at 100 Hz
#: and dt = 0.1 ms has 1000): a larger network's first call may stop once, as before
FIRST_ROOM = 1 << 14


class SpikeMonitor(Monitor):
    """Records the index and time of every spike of a group (or subgroup), and, with
    ``variables=``, the values of some variables at each spike.

    After a run: ``mon.i`` (neuron indices, relative to the monitored group), ``mon.t``
    (times), ``mon.count`` (spikes per neuron), ``mon.num_spikes``, ``mon.spike_trains()``;
    with ``variables=["v"]``: ``mon.v`` (one value per spike, with units; ``mon.v_`` in
    SI), ``mon.values("v")`` (per neuron) and ``mon.all_values()``. As in Brian2, the
    values are taken after the threshold, before the reset. ``when``/``order``: by
    default right after the source's threshold (see docs/running.md).

    ``record=False`` keeps only the counts (``mon.count``, ``mon.num_spikes``), as
    Brian2's: no memory per spike unless ``variables=`` are recorded (their values are
    still kept, in time order, without the neuron and time of each).
    """

    _what = "spike"  # (what the messages call an event)

    def __init__(self, source: Any, variables: str | Sequence[str] | None = None,
                 record: bool = True, name: str | None = None, *, when: str | None = None,
                 order: int | None = None, event: str = "spike"):
        super().__init__(source, name)
        check_event(self.group, event, "monitored group")
        if not isinstance(record, (bool, np.bool_)):
            raise InvalidValueError(
                f"record= of {type(self).__name__} is True (the neuron and time of each "
                f"{self._what}) or False (only the counts), not {record!r}",
                hint="to record some neurons only, monitor a subgroup: "
                     f"{type(self).__name__}(G[10:20])")
        #: the event recorded: the spikes, or a custom event (``events=``) of the group
        self.event = event
        #: whether the neuron and time of each event are kept (``count`` always is)
        self.record = bool(record)
        self._slot = spike_monitor_slot(self, when, order)
        self.variables = variable_names(self, self.group, variables)
        self._counts = np.zeros(0 if record else self.stop - self.start, dtype=np.int64)
        self._i = np.zeros(1024 if record else 0, dtype=np.int32)
        self._step = np.zeros(1024 if record else 0, dtype=np.int64)
        self._values = {var: np.zeros(1024) for var in self.variables}
        self._count = np.zeros(1, dtype=np.int64)
        self._batch = lambda: 1  # (the layout's, once in a network: see _contribution)
        # the step and count this run started at (None before a run), events per step
        # seen (None: no step yet), for the room a call of the loop gets
        # (_make_room_for_call)
        self._run_origin, self._rate = None, None

    def _contribution(self, layout, backend: str, dt: float) -> Contribution:
        c = Contribution()
        p = layout.prefix(self)
        self._batch = lambda: layout.batch()  # (steps the loop may run before recording)
        count = c.counter(f"{p}_count", lambda: self._count)
        if self._kept():
            capacity = c.int_scalar(f"{p}_capacity", self._capacity)
            size = c.int_scalar(f"{p}_size", lambda: self.stop - self.start)
            c.add_capacity_check(capacity, count, size)
        spikes = event_space(layout, self.group, self.event)
        computed = expressions(self.group, backend, self.variables)
        records = [[c.array(f"{p}_val_{var}", lambda var=var: self._values[var]),
                    computed[var]] for var in self.variables]
        reads = sorted({name for _, e in records for name in e.reads})
        sources = sources_read(layout, self.group, reads) if reads else []
        buffers = self._buffers(c, p)
        written = [count] + ([buffers["counts"]] if buffers["counts"] else [])
        self._slot.add_to(
            c, "spikemonitor", spikes=spikes,
            unit=Unit((Access(spikes.array, False),) + tuple(Access(w, True) for w in written)
                      + tuple(Access(s, False) for s in sources), serial=True,
                      recorder=not self.variables),
            start=c.int_scalar(f"{p}_start", lambda: self.start),
            stop=c.int_scalar(f"{p}_stop", lambda: self.stop),
            active=c.int_scalar(f"{p}_active", lambda: int(self._active)),
            record=self.record, count=count, records=records,
            **buffers, **self._reading(layout, backend, reads))
        return c

    def _kept(self) -> bool:
        """Whether the loop keeps something per event (and so needs room for it)."""
        return self.record or bool(self.variables)

    def _capacity(self) -> int:
        """How many events the buffers the loop writes hold (they grow together)."""
        return self._i.shape[0] if self.record else self._values[self.variables[0]].shape[0]

    def _buffers(self, c: Contribution, p: str) -> dict:
        """Where the loop writes the neuron and step of each event (``record=True``) or
        adds one to the event count of the neuron (``record=False``)."""
        if self.record:
            return {"buf_i": c.array(f"{p}_i", lambda: self._i, np.int32),
                    "buf_step": c.array(f"{p}_step", lambda: self._step, np.int64),
                    "counts": None}
        return {"buf_i": None, "buf_step": None,
                "counts": c.array(f"{p}_counts", lambda: self._counts, np.int64)}

    def _reading(self, layout, backend: str, reads) -> dict:
        """The group's names and bindings the recorded values need (none without
        ``variables=``: then any group that spikes, a SpikeGeneratorGroup too)."""
        if not self.variables:
            return {"source": None, "arrays": [], "scalars": [], "functions": [],
                    "linked": [], "reads": []}
        return {"source": self.group._names(layout),
                **self.group._bindings(layout, backend, reads)}

    def _make_room_for(self, start_step: int, n_steps: int) -> None:
        # (room is made before each call of the loop: _make_room_for_call; the events
        # of this run are counted from here, the last run's rate kept)
        self._note_rate(start_step)
        self._run_origin = (start_step, int(self._count[0]))

    def _make_room(self, expected: int = 0) -> None:
        """Room for ``expected`` events more than the worst case the loop checks for:
        every neuron spiking in each of the steps it may run before recording them (the
        slots of a loop in batches: a batch starts while the last RING_SETS - 1 may not
        be recorded yet, eqsnn/codegen/network.py), and one more."""
        if not self._kept():
            return
        worst = (1 + self._batch()) * (self.stop - self.start)
        needed = int(self._count[0]) + worst + expected
        # (a buffer that grows gets twice the room needed for events - those recorded
        # and those expected - but not twice the worst case: Hodgkin-Huxley 1000's is
        # four batches of 65 steps, 261 000 events; every new buffer is one more that
        # the allocator may hand out touched)
        size = worst + 2 * (needed - worst)
        if self.record:
            self._i = grow(self._i, needed, size)
            self._step = grow(self._step, needed, size)
        for var in self.variables:
            self._values[var] = grow(self._values[var], needed, size)

    def _make_room_for_call(self, step: int, steps: int) -> None:
        """Before a call of the loop for ``steps`` steps from ``step``: room for the
        events it is expected to record, so that it seldom stops early: each stop is
        one more call of the loop, with Python's work around it and the threads'
        wake-up.

        Expected: 1.5 times the events per step of this run so far, else of the last
        run, times ``steps``; before any rate is known, the call's worst case (every
        neuron at every step), at most FIRST_ROOM events. A call that records more
        than expected still stops, and finds its room for events doubled, as before
        (not the worst case: see _make_room)."""
        if not self._kept():
            return
        self._note_rate(step)
        if not self._active:  # (it records nothing; the loop still checks the room)
            expected = 0
        elif self._rate is None:
            expected = min(steps * (self.stop - self.start), FIRST_ROOM)
        else:
            expected = int(1.5 * self._rate * steps) + 1
        self._make_room(expected)

    def _note_rate(self, step: int) -> None:
        """The events per step recorded since this run started, at ``step``, if the
        run has a step and the monitor was active (not after a restore() that went
        back: the last rate stays)."""
        if self._run_origin is None:
            return
        first, recorded = self._run_origin
        events = int(self._count[0]) - recorded
        if step > first and events >= 0 and self._active:
            self._rate = events / (step - first)

    def _state(self):
        state = {f"val:{var}": values for var, values in self._values.items()}
        state.update(i=self._i, step=self._step, count=self._count, counts=self._counts)
        return state

    def _set_state(self, state):
        self._i, self._step = state["i"].copy(), state["step"].copy()
        self._counts[:] = state["counts"]
        for var in self.variables:
            self._values[var] = state[f"val:{var}"].copy()
        self._count[:] = state["count"]

    @property
    def num_spikes(self) -> int:
        return int(self._count[0])

    def _recorded_events(self) -> None:
        """An AttributeError (Brian2's) when each event's neuron and time were not kept."""
        if not self.record:
            raise AttributeError(
                f"{self.name!r} was created with record=False: it keeps the number of "
                f"{self._what}s of each neuron (count, num_{self._what}s), not the neuron "
                f"and time of each; create it with record=True for those")

    @property
    def i(self) -> np.ndarray:
        self._recorded_events()
        return self._i[: self.num_spikes].copy()

    @property
    def t_(self) -> np.ndarray:
        self._recorded_events()
        return times_of(self._step[: self.num_spikes], self._dt)

    @property
    def t(self):
        return units.from_si(self.t_, SECOND)

    @property
    def it(self):
        """``(i, t)``, as Brian2's ``mon.it``: ``plt.plot(*mon.it_)``-style unpacking."""
        return self.i, self.t

    @property
    def it_(self):
        return self.i, self.t_

    @property
    def count(self) -> np.ndarray:
        """The number of events of each neuron of the monitored group."""
        if not self.record:
            return self._counts.copy()
        return np.bincount(self.i, minlength=self.stop - self.start)

    @property
    def num_events(self) -> int:
        """``num_spikes`` under the name Brian2's EventMonitor gives it."""
        return self.num_spikes

    def spike_trains(self) -> dict[int, Any]:
        """Spike times of each neuron: ``{index: times}`` (every neuron, as in Brian2)."""
        return self.values("t")

    event_trains = spike_trains

    def values(self, var: str) -> dict[int, Any]:
        """The values of ``var`` at each neuron's spikes: ``{index: values}``, every
        neuron of the group (an empty array for one that did not spike); ``"t"`` gives
        the spike times."""
        self._recorded_events()
        if var != "t" and var not in self.variables:
            raise InvalidValueError(f"{self.name!r} records {['t'] + self.variables} at "
                                    f"each spike, not {var!r}",
                                    hint=f"SpikeMonitor(G, variables=[{var!r}])")
        values = getattr(self, var)
        order = np.argsort(self.i, kind="stable")  # each neuron's values in time order
        bounds = np.searchsorted(self.i[order], np.arange(self.stop - self.start + 1))
        return {k: values[order[bounds[k]:bounds[k + 1]]]
                for k in range(self.stop - self.start)}

    def all_values(self) -> dict[str, dict[int, Any]]:
        """``{"t": spike_trains(), var: values(var), ...}`` for every recorded variable."""
        return {var: self.values(var) for var in ["t"] + self.variables}

    def __getattr__(self, name: str):
        if name in ("i", "t", "t_", "it", "it_"):  # (their property raised)
            self._recorded_events()
        var, raw = self._recorded(name, f"i, t and {self.variables}")
        values = self._values[var][: self.num_spikes].copy()
        return values if raw else units.from_si(values, dimension(self.group, var))


class PopulationRateMonitor(Monitor):
    """The fraction of a group's neurons that spike in each step, as a rate.

    After a run: ``mon.rate`` (Hz, one value per step), ``mon.t``,
    ``mon.smooth_rate(window="gaussian", width=5*ms)``. ``when``/``order``: where in
    a step it counts (default ``"end"``). ``mon.active = False`` pauses it: the steps
    of the runs that follow are missing from ``rate`` and ``t``, as in Brian2.
    """

    def __init__(self, source: Any, name: str | None = None, *, when: str = "end",
                 order: int = 0):
        super().__init__(source, name)
        self._slot = Slot(self, None, when, order)
        self._counts = np.zeros(0, dtype=np.float64)
        self._steps = np.zeros(0, dtype=np.int64)
        self._count = np.zeros(1, dtype=np.int64)

    def _contribution(self, layout, backend: str, dt: float) -> Contribution:
        c = Contribution()
        p = layout.prefix(self)
        count = c.counter(f"{p}_count", lambda: self._count)
        capacity = c.int_scalar(f"{p}_capacity", lambda: self._counts.shape[0])
        c.add_capacity_check(capacity, count, "1")
        spikes = layout.spikes(self.group)
        self._slot.add_to(
            c, "ratemonitor", spikes=spikes, period=self._clock(dt),
            unit=Unit((Access(spikes.array, False), Access(count, True)), serial=True,
                      recorder=True),
            start=c.int_scalar(f"{p}_start", lambda: self.start),
            stop=c.int_scalar(f"{p}_stop", lambda: self.stop),
            active=c.int_scalar(f"{p}_active", lambda: int(self._active)),
            buf=c.array(f"{p}_counts", lambda: self._counts),
            buf_step=c.array(f"{p}_steps", lambda: self._steps, np.int64), count=count)
        return c

    def _make_room_for(self, start_step: int, n_steps: int) -> None:
        k = self._clock(self._dt)[0]  # (it counts at the source's steps only)
        self._make_room(-(-n_steps // k) + 1)

    def _make_room(self, extra: int = 1) -> None:
        needed = int(self._count[0]) + extra
        self._counts = grow(self._counts, needed)
        self._steps = grow(self._steps, needed)

    def _state(self):
        return {"counts": self._counts, "steps": self._steps, "count": self._count}

    def _set_state(self, state):
        self._counts = state["counts"].copy()
        self._steps = state["steps"].copy()
        self._count[:] = state["count"]

    def _clock(self, dt: float) -> tuple[int, float]:
        """(k, dt) of the source's clock: it counts at the source's steps, as in Brian2."""
        return getattr(self.group, "clock", NETWORK_CLOCK).every(dt, repr(self.group.name))

    def _ticks(self) -> tuple[np.ndarray, np.ndarray]:
        """The steps it counted at (the loop records them: a paused monitor skips
        some) and the source's dt at each (dt may have changed between runs)."""
        steps = self._steps[: int(self._count[0])]
        if not isinstance(self._dt, LoopDt):  # (before any run)
            return steps, np.full(steps.size, np.nan)
        timeline = self._dt.timeline
        own = np.array([self._clock(LoopDt(s.dt, s.network, timeline))[1]
                        for s in timeline.segments])
        firsts = np.array([s.first for s in timeline.segments[1:]], dtype=np.int64)
        return steps, own[np.searchsorted(firsts, steps, side="right")]

    @property
    def rate_(self) -> np.ndarray:
        own_dt = self._ticks()[1]
        return self._counts[: int(self._count[0])] / ((self.stop - self.start) * own_dt)

    @property
    def rate(self):
        return units.from_si(self.rate_, HERTZ)

    @property
    def t_(self) -> np.ndarray:
        return times_of(self._ticks()[0], self._dt)

    @property
    def t(self):
        return units.from_si(self.t_, SECOND)

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
            if dim != SECOND or not value > 0:
                raise InvalidValueError(f"smooth_rate(window={window!r}) needs width= a "
                                        f"positive duration such as 5*ms, not "
                                        f"{units.describe(width)}")
            steps = value / self._clock(self._dt)[1]
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
        return units.from_si(np.convolve(self.rate_, kernel, mode="same"), HERTZ)
