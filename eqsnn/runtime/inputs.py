"""Inputs: Poisson spike sources, spikes given in advance, and values that vary in time.

* :class:`PoissonGroup` is an ordinary :class:`NeuronGroup` whose threshold is
  ``rand() < rates*dt``: the same generated code path, the same counter-based random
  numbers on both backends.
* :class:`SpikeGeneratorGroup` replays given (index, time) pairs, exact to the step.
* :class:`TimedArray` is a function of time usable inside equations, ``I = stim(t)``:
  e.g. a square current pulse.
"""
from __future__ import annotations

import warnings
from types import SimpleNamespace
from typing import Any, Mapping

import numpy as np

from eqsnn import units
from eqsnn.codegen.barriers import Access, Unit
from eqsnn.codegen.network import Contribution, TimedFunction
from eqsnn.errors import DimensionMismatchError, InvalidValueError
from eqsnn.runtime.group_setup import _check_size, _default_name
from eqsnn.runtime.groups import NeuronGroup, Subgroup
from eqsnn.runtime.claims import running
from eqsnn.runtime.clocks import clock_of
from eqsnn.runtime.schedule import Scheduled, Slot
from eqsnn.runtime.states import HasStates
from eqsnn.runtime.subgroup_items import subgroup_bounds
from eqsnn.runtime.timeline import LoopDt, times_of

__all__ = ["PoissonGroup", "SpikeGeneratorGroup", "TimedArray"]

_SECOND = (1 * units.ureg.second).dimensionality
_HERTZ = (1 * units.ureg.hertz).dimensionality


class PoissonGroup(NeuronGroup):
    """``N`` independent Poisson spike sources.

    Parameters
    ----------
    rates
        A rate (``10*Hz``), one rate per neuron, or a string expression of time and
        namespace names (``"stim(t)"``, ``"5*Hz + 5*Hz*sin(2*pi*t/second)"``).
    order
        Position within the ``thresholds`` slot, where the spikes are drawn.
    """

    def __init__(self, N: int, rates: Any, *, namespace: Mapping[str, Any] | None = None,
                 name: str | None = None, seed: int | None = None, order: int = 0,
                 dt: Any = None, clock: Any = None):
        if isinstance(rates, str):
            model = f"rates = {rates} : Hz"
        else:
            model = "rates : Hz"
        super().__init__(N, model, threshold="rand() < rates*dt", namespace=namespace,
                         name=name or _default_name("poissongroup"), seed=seed, order=order,
                         dt=dt, clock=clock)
        if not isinstance(rates, str):
            self.rates = rates

    def __repr__(self) -> str:
        return f"PoissonGroup({self.N}, name={self.name!r})"


class SpikeGeneratorGroup(Scheduled, HasStates):
    """Neurons that spike exactly at given times; ``set_spikes(indices, times,
    period=)`` replaces the spikes between runs.

    Parameters
    ----------
    N
        Number of neurons.
    indices, times
        Spike ``i`` of neuron ``indices[i]`` happens at ``times[i]``, in the step that
        holds it: ``floor((t + dt/1000)/dt)``, as in Brian2; two spikes of one neuron in
        one step are an error.
    period
        Repeat the spikes every ``period`` (a whole multiple of dt, longer than the last
        spike time); ``0*second`` (the default) does not repeat, as in Brian2.
    sorted
        Accepted for Brian2's signature; the spikes are always sorted here.
    when, order
        Where in a step the spikes are emitted (default: the ``thresholds`` slot).
    dt, clock
        A clock of its own (see docs/running.md, several clocks): spike times fall in
        its steps.
    """

    _kind = "group"

    def __init__(self, N: int, indices: Any, times: Any, *, period: Any = 0 * units.ureg.second,
                 sorted: bool = False, name: str | None = None, when: str = "thresholds",
                 order: int = 0, dt: Any = None, clock: Any = None):
        self.N = _check_size(N)
        self.name = name or _default_name("spikegeneratorgroup")
        self._slot = Slot(self, None, when, order)
        self.thresholder = {"spike": self._slot}  # (where a SpikeMonitor of it looks)
        self._order = self._slot.order
        self.clock = clock_of(self, dt, clock)  # its spikes fall on its own steps
        self._dims: dict[str, Any] = {}
        self._lastspike = np.zeros(self.N, dtype=np.int64)
        self._spikes = np.zeros(self.N, dtype=np.int32)
        self._nspikes = np.zeros(1, dtype=np.int64)
        self._position = np.zeros(1, dtype=np.int64)
        self._set(indices, times, period)

    def set_spikes(self, indices: Any, times: Any, period: Any = 0 * units.ureg.second,
                   sorted: bool = False) -> None:
        """Replace the spikes (and the period) for the coming runs, as Brian2's
        ``set_spikes``: spikes before the time the next run starts are ignored (with a
        warning); no recompilation."""
        if running(self) is not None:  # (the loop holds the old arrays and position)
            raise InvalidValueError(
                f"set_spikes() of {self.name!r} was called while a network runs it (from "
                f"a network operation?): the spikes change between runs, as in Brian2",
                hint="call net.stop() there and set the spikes before the next run()")
        self._set(indices, times, period)

    def _set(self, indices: Any, times: Any, period: Any) -> None:
        """Check and keep spikes and period; their steps are computed at the next run."""
        indices = np.asarray(indices)
        if indices.size and (indices.dtype.kind not in "iuf"
                             or np.any(indices != np.round(indices))):
            raise InvalidValueError(f"the spike indices of {self.name!r} must be whole "
                                    f"numbers, not {indices.ravel()[:5]!r}")
        indices = indices.astype(np.int64).ravel()
        times = _seconds(times, "spike times", "give them like [1, 5, 7]*ms").ravel()
        period = _seconds(period, "the period", "period=10*ms")
        if period.ndim or not period >= 0:
            raise InvalidValueError(f"the period of {self.name!r} must be one duration "
                                    f"that is not negative, not {period!r} s",
                                    hint="period=10*ms, or 0*second for no repetition")
        period = float(period) if np.isfinite(period) else 0.0  # (inf: never repeats)
        if indices.shape != times.shape:
            raise InvalidValueError(f"{indices.size} indices but {times.size} times were given")
        if indices.size and (indices.min() < 0 or indices.max() >= self.N):
            raise InvalidValueError(f"spike indices must lie in 0..{self.N - 1}")
        if not np.all(np.isfinite(times) & (times >= 0)):  # (nan too)
            raise InvalidValueError("spike times must be finite and must not be negative")
        if period and times.size and times.max() >= period:
            raise InvalidValueError(
                f"the period of {self.name!r} ({period * 1e3:g} ms) must be longer than "
                f"its last spike time ({times.max() * 1e3:g} ms)",
                hint="a longer period, or spikes within one period")
        self._indices, self._times, self._period = indices, times, period
        self.__dict__.pop("_events_cache", None)
        self._changed = True  # (the next run skips the spikes before its start)

    @property
    def indices(self) -> np.ndarray:
        """The neuron of each spike, in the order given (a copy)."""
        return self._indices.copy()

    @property
    def times(self):
        """The time of each spike, in the order given, with its unit."""
        return units.from_si(self._times.copy(), _SECOND)

    @property
    def times_(self) -> np.ndarray:
        """The spike times in seconds, without units (a copy)."""
        return self._times.copy()

    @property
    def period(self):
        """The period with which the spikes repeat (0 s: no repetition)."""
        return units.from_si(self._period, _SECOND)

    @property
    def period_(self) -> float:
        """The period in seconds, without units."""
        return self._period

    def _events(self, dt: float) -> tuple[np.ndarray, np.ndarray, int]:
        """(steps, indices, period in steps) on a clock of step ``dt``, with Brian2's
        checks."""
        # Brian2's bins: floor((t + dt/1000)/dt), so a time a hair below a multiple of
        # dt (0.3 ms as 2.9999e-4 s) still falls in that step, and 0.37 ms in step 3
        steps = np.floor((self._times + 1e-3 * dt) / dt).astype(np.int64)
        order = np.lexsort((self._indices, steps))
        steps, indices = steps[order], self._indices[order].astype(np.int32)
        same = (np.diff(steps) == 0) & (np.diff(indices) == 0)
        if np.any(same):
            k = int(np.flatnonzero(same)[0])
            raise InvalidValueError(
                f"neuron {indices[k]} of {self.name!r} has two spikes in the step at "
                f"t = {steps[k] * dt} s", hint="use a smaller dt or remove the duplicate")
        return steps, indices, self._period_steps(dt, steps)

    def _period_steps(self, dt: float, steps: np.ndarray) -> int:
        """The period in steps of ``dt`` (0: none), checked as Brian2 checks it."""
        if not self._period:
            return 0
        where = f"the period of {self.name!r} ({self._period * 1e3:g} ms)"
        period = int(round(self._period / dt))
        if self._period < dt:
            raise InvalidValueError(f"{where} is shorter than its dt ({dt * 1e3:g} ms)",
                                    hint="a period of at least one step")
        if abs(period * dt - self._period) > self._period * np.finfo(np.float64).eps:
            below = np.floor(self._period / dt) * dt * 1e3
            raise InvalidValueError(f"{where} is not a whole multiple of its dt "
                                    f"({dt * 1e3:g} ms)", hint=f"period={below:.6g}*ms or "
                                    f"period={below + dt * 1e3:.6g}*ms")
        if steps.size and steps[-1] >= period:
            raise InvalidValueError(
                f"{where} is not longer than the step of its last spike (step {steps[-1]}, "
                f"t = {steps[-1] * dt * 1e3:g} ms, with dt = {dt * 1e3:g} ms)",
                hint="spikes of one period fall in its steps 0 .. period/dt - 1")
        return period

    def _events_for(self, dt: float) -> tuple[np.ndarray, np.ndarray, int, int]:
        """``_events`` on the group's clock, in steps of the network's ``dt``, computed
        once per dt and set of spikes (the loop reads them at every chunk)."""
        cached = self.__dict__.get("_events_cache")
        # (the step of t = 0 moves when dt changes between runs: runtime/timeline.py)
        origin = dt.timeline.current.origin if isinstance(dt, LoopDt) else 0
        key = (float(dt), origin, getattr(self.clock, "dt_", None))  # (its dt may change)
        if cached is None or cached[0] != key:
            k, own = self.clock.every(dt, repr(self.name))
            steps, indices, period = self._events(own)
            cached = self._events_cache = (key, origin + steps * k, indices,
                                           period * k, origin)
        return cached[1:]

    def _prepare(self, start_step: int, n_steps: int, dt: float) -> None:
        steps = self._events_for(dt)[0]  # (errors before the loop runs)
        if not self._changed:
            return
        # New spikes: start after those before this run (Brian2 warns and ignores them)
        past = int(np.searchsorted(steps, start_step, side="left"))
        if past:
            warnings.warn(f"{past} spike(s) of {self.name!r} lie before the start of this "
                          f"run (t = {times_of([start_step], dt)[0]:g} s) and are ignored",
                          stacklevel=4)
        self._position[0] = past
        self._changed = False

    def _contribution(self, layout, backend: str, dt: float) -> Contribution:
        self._events_for(dt)  # errors (two spikes in one step) before the compile
        c = Contribution()
        p = layout.prefix(self)
        n = c.int_scalar(f"{p}_N", lambda: self.N)
        spikes = layout.spikes(self)
        c.array(spikes.array, lambda: self._spikes, np.int32)
        c.counter(spikes.count, lambda: self._nspikes)
        group = SimpleNamespace(
            label=f"SpikeGeneratorGroup {p}", N=n,
            position=c.counter(f"{p}_position", lambda: self._position),
            n_events=c.int_scalar(f"{p}_n_events", lambda: self._events_for(dt)[0].size),
            event_step=c.array(f"{p}_event_step", lambda: self._events_for(dt)[0], np.int64),
            event_index=c.array(f"{p}_event_index", lambda: self._events_for(dt)[1],
                                np.int32),
            period=c.int_scalar(f"{p}_period", lambda: self._events_for(dt)[2]),
            origin=c.int_scalar(f"{p}_origin", lambda: self._events_for(dt)[3]))
        c.partition(p, f"{p}_N")
        self._slot.add_to(c, "spikegenerator", group=group, spikes=spikes,
                          unit=Unit((Access(p, True), Access(spikes.array, True)), serial=True))
        return c

    def _state(self) -> dict[str, np.ndarray]:
        # the spikes themselves too: a restore() undoes a set_spikes(), as in Brian2
        return {"position": self._position, "spikes": self._spikes, "nspikes": self._nspikes,
                "indices": self._indices, "times": self._times,
                "period": np.array([self._period]), "changed": np.array([self._changed])}

    def _set_state(self, state) -> None:
        self._indices, self._times = state["indices"].copy(), state["times"].copy()
        self._period = float(state["period"][0])
        self.__dict__.pop("_events_cache", None)
        self._changed = bool(state["changed"][0])
        self._position[:] = state["position"]
        self._spikes[:] = state["spikes"]
        self._nspikes[:] = state["nspikes"]

    def __len__(self) -> int:
        return self.N

    def __getitem__(self, item: Any):
        return Subgroup(self, *subgroup_bounds(item, self.N, self.name))

    def __repr__(self) -> str:
        return f"SpikeGeneratorGroup({self.N}, {self._times.size} spikes, name={self.name!r})"


def _seconds(value: Any, what: str, example: str) -> np.ndarray:
    """``value`` (a time or times) in SI seconds; an error naming ``what`` otherwise."""
    magnitude, dim = units.to_si(value)
    if dim != _SECOND:
        raise DimensionMismatchError(
            f"{what} must be times, but have unit {units.format_dimension(dim)}",
            hint=example)
    return np.asarray(magnitude, dtype=np.float64)


class TimedArray:
    """Values sampled every ``dt``, usable in equations as a function of time.

    ``stim = TimedArray([0, 1, 1, 0]*nA, dt=10*ms)`` then ``I = stim(t) : amp`` with
    ``namespace={"stim": stim}``. Sample ``k`` holds on ``[k*dt, (k+1)*dt)``; before
    the first and after the last sample the end values hold.

    Two-dimensional values (one row per time step, one column per neuron, as Brian2's)
    are called with a time and a column: ``I = stim(t, i) : amp``; a column outside the
    array reads the nearest one.
    """

    _eqsnn_function = True

    def __init__(self, values: Any, dt: Any, *, name: str | None = None):
        magnitude, self.dim = units.to_si(values)
        array = np.asarray(magnitude, dtype=np.float64)
        if array.size == 0:
            raise InvalidValueError("a TimedArray needs at least one value")
        if array.ndim not in (1, 2):
            raise InvalidValueError(
                f"TimedArray values must be one-dimensional (one value per time step) or "
                f"two-dimensional (time steps x neurons), not of shape {array.shape}")
        #: the number of columns of 2-D values (called f(t, i)), 0 for 1-D (f(t))
        self.columns = array.shape[1] if array.ndim == 2 else 0
        # how the build stage checks its calls (eqsnn.lowering.calls)
        self.nargs = 2 if self.columns else 1
        self.arg_dims = (_SECOND, units.DIMENSIONLESS)[:self.nargs]
        self.call_example = "stim(t, i)" if self.columns else "stim(t)"
        self.values = np.ascontiguousarray(array.ravel())
        self._rows = array.shape[0]
        step, dim = units.to_si(dt)
        if dim != _SECOND or not np.isscalar(step) or step <= 0:
            raise InvalidValueError("the dt of a TimedArray must be a positive duration, "
                                    "e.g. dt=0.1*ms")
        self.dt = float(step)
        self.name = name or _default_name("timedarray")

    def evaluate(self, t, i=None):
        """Values at times ``t`` (SI seconds) and columns ``i`` (2-D), as the generated
        code computes them."""
        k = np.floor((np.asarray(t, dtype=np.float64) + 1e-3 * self.dt) / self.dt)
        k = np.clip(k, 0, self._rows - 1).astype(np.int64)
        if not self.columns:
            return self.values[k]
        column = np.clip(np.trunc(np.asarray(i, dtype=np.float64)), 0, self.columns - 1)
        return self.values[k * self.columns + column.astype(np.int64)]

    def holds_over_step(self, dt: float) -> bool:
        """Whether the values are constant over every simulation step of length ``dt``
        (SI seconds): true when this array's dt is a whole multiple of it."""
        ratio = self.dt / dt
        return ratio >= 1 - 1e-9 and abs(ratio - round(ratio)) < 1e-6

    def __call__(self, t: Any, i: Any = None):
        magnitude, dim = units.to_si(t)
        if dim != _SECOND:
            raise DimensionMismatchError("a TimedArray is called with a time, e.g. stim(5*ms)")
        if (i is None) != (not self.columns):
            raise InvalidValueError("a 2-D TimedArray is called with a time and a column, "
                                    "stim(t, i); a 1-D one with a time" if self.columns else
                                    "a 1-D TimedArray is called with a time only, stim(t)")
        return units.from_si(self.evaluate(magnitude, i), self.dim)

    def _contribution(self, name: str) -> Contribution:
        """Declare this array once per network, as the module's function ``name``."""
        c = Contribution()
        columns = c.int_scalar(f"{name}_columns", lambda: self.columns) if self.columns else ""
        c.add_function(TimedFunction(
            name, values=c.array(f"{name}_values", lambda: self.values),
            n=c.int_scalar(f"{name}_n", lambda: self._rows),
            dt=c.scalar(f"{name}_dt", lambda: self.dt), columns=columns))
        return c

    def __repr__(self) -> str:
        shape = f"{self._rows}x{self.columns}" if self.columns else f"{self._rows}"
        return f"TimedArray({shape} values, dt={self.dt} s)"
