"""Clocks: how often an object acts, on the grid of the network's loop.

Every object runs on the network's clock (``Network(..., dt=)``) unless it is given a
``dt=`` (which makes a :class:`Clock` of its own) or a ``clock=`` (one :class:`Clock`
shared by several objects). There is no global ``defaultclock``: the network's ``dt``
is the default (eqsnn keeps no global settings).

Brian2 runs any clocks side by side: at each iteration, the clocks whose time is the
smallest (within ``Clock.epsilon_dt``) run their objects and advance (``Network.run``,
``_nextclocks``). eqsnn's loop steps through the same times on one grid: its step is
the largest one that divides every clock's ``dt`` (:func:`loop_step`; 0.1 ms for 0.2 ms
beside 0.3 ms), and an object whose clock is ``k`` loop steps long acts at the loop
steps ``0, k, 2k, …`` (its clock's ticks), with its own ``dt`` and ``t`` (its ticks
times its ``dt``, as Brian2 computes it). When every clock is a whole multiple of the
network's ``dt`` - the usual case - the loop's step is the network's ``dt`` and an
object on the network's clock has no test in the loop.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Callable, Iterable

import numpy as np

from eqsnn import units
from eqsnn.errors import InvalidValueError

__all__ = ["Clock", "NETWORK_CLOCK", "clock_of", "clock_dts", "clocks_of", "delay_steps",
           "loop_step"]

_SECOND = (1 * units.ureg.second).dimensionality
#: at most this many loop steps per step of the fastest clock (see loop_step)
MAX_SUBSTEPS = 64


class Clock:
    """A time step shared by the objects given ``clock=`` it (Brian2's ``Clock``)."""

    def __init__(self, dt: Any, name: str | None = None):
        self.dt_ = _checked(dt)
        self.name = name or f"clock with dt={self.dt_:g} s"
        self._changed_from = None  # its dt before a change the networks have not seen

    @property
    def dt(self):
        return units.from_si(self.dt_, _SECOND)

    @dt.setter
    def dt(self, value: Any) -> None:
        """A new dt between runs (Brian2's ``G.clock.dt = ...``): the next run of a
        network with this clock builds again, and refuses to go on unless its time is
        a multiple of the new dt (Brian2's rule for a changed clock)."""
        new = _checked(value)
        if new != self.dt_:
            if self._changed_from is None:
                self._changed_from = self.dt_
            self.dt_ = new
            from eqsnn.runtime.schedule import _changed
            _changed()  # (networks built with the old dt build again)

    def every(self, network_dt: float, who: str) -> tuple[int, float]:
        """``(k, dt)``: the object ``who`` acts every k-th step of a loop of time step
        ``network_dt`` (the network chooses one that divides every clock's dt, see
        :func:`loop_step`); an eqsnn error if dt is not a whole multiple of it."""
        k = int(round(self.dt_ / network_dt))
        if k < 1 or abs(k * network_dt - self.dt_) > 1e-9 * self.dt_:
            raise InvalidValueError(  # (a clock the network did not see when it chose)
                f"{who} has dt = {self.dt_ * 1e3:g} ms, which is not a whole multiple of "
                f"the loop's dt = {network_dt * 1e3:g} ms",
                hint="add the object to the network (its clock is then part of the loop's "
                     "grid)")
        return k, self.dt_

    def __repr__(self) -> str:
        return f"Clock(dt={self.dt_:g} s, name={self.name!r})"


def _checked(dt: Any) -> float:
    magnitude, dim = units.to_si(dt)
    if dim != _SECOND or not np.isscalar(magnitude) or not 0 < magnitude < np.inf:
        raise InvalidValueError(f"a clock's dt must be a positive, finite duration such "
                                f"as 1*ms, not {units.describe(dt)}")
    return float(magnitude)


class _NetworkClock:
    """The clock of objects given neither ``dt`` nor ``clock``: the network's own."""

    name = "the network's clock"
    dt = None

    def every(self, network_dt: float, who: str) -> tuple[int, float]:
        # the loop's dt knows the network's (runtime/timeline.py: LoopDt); a plain
        # float is both
        own = getattr(network_dt, "network", None)
        k = 1 if own is None else int(round(own / network_dt))
        return (1, network_dt) if k == 1 else (k, own)

    def __repr__(self) -> str:
        return "NETWORK_CLOCK"


NETWORK_CLOCK = _NetworkClock()


def clock_of(obj: Any, dt: Any, clock: Any, default: Callable[[], Any] = lambda: NETWORK_CLOCK):
    """The clock of an object created with ``dt=`` and/or ``clock=`` (as in Brian2, not
    both); ``default()`` when neither is given."""
    if dt is not None and clock is not None:
        raise InvalidValueError(f"{obj.name!r} was given both dt= and clock=",
                                hint="give one: dt=1*ms makes a clock of its own")
    if clock is not None:
        if not isinstance(clock, (Clock, _NetworkClock)):
            raise InvalidValueError(f"clock= of {obj.name!r} must be an eqsnn Clock, not "
                                    f"{type(clock).__name__}", hint="es.Clock(dt=1*ms)")
        return clock
    if dt is not None:
        return Clock(dt, name=f"{obj.name}_clock")
    return default()


def clocks_of(objects: Iterable[Any]) -> list[Clock]:
    """The clocks of a network's objects (groups, synapses, their ``run_regularly``
    blocks, network operations), each once."""
    found = []
    for obj in objects:
        for holder in [obj, *getattr(obj, "_regular", ())]:
            clock = getattr(holder, "clock", None)
            if isinstance(clock, Clock) and not any(clock is c for c in found):
                found.append(clock)
    return found


def clock_dts(objects: Iterable[Any]) -> list[float]:
    """The time steps of the clocks of a network's objects and of monitors with a
    recording interval of their own, in seconds."""
    objects = list(objects)
    dts = [clock.dt_ for clock in clocks_of(objects)]
    for obj in objects:
        interval = getattr(obj, "_interval", None)  # (StateMonitor(..., dt=))
        if interval is not None:
            magnitude, dim = units.to_si(interval)
            if dim == _SECOND and np.isscalar(magnitude) and magnitude > 0:
                dts.append(float(magnitude))
    return dts


def loop_step(network_dt: float, dts: Iterable[float]) -> float:
    """The loop's time step for a network of time step ``network_dt`` whose objects
    also run on clocks of steps ``dts``: the largest step that divides all of them, so
    every clock ticks at whole loop steps, at the times Brian2 runs it. The network's
    ``dt`` itself when every clock is a whole multiple of it. An eqsnn error when they
    have no common step of at least 1/MAX_SUBSTEPS of the fastest clock's."""
    steps = sorted({float(network_dt), *(float(d) for d in dts)})
    fastest = steps[0]
    ratios = [Fraction(dt / fastest).limit_denominator(MAX_SUBSTEPS) for dt in steps]
    denominator = math.lcm(*(r.denominator for r in ratios))
    substeps = denominator // math.gcd(*(int(r * denominator) for r in ratios))
    if substeps > MAX_SUBSTEPS or any(abs(float(r) - dt / fastest) > 1e-9 * dt / fastest
                                      for r, dt in zip(ratios, steps)):
        raise InvalidValueError(
            f"the clocks of this network (dt = "
            f"{', '.join(f'{dt * 1e3:g}' for dt in steps)} ms) have no common time step "
            f"of at least 1/{MAX_SUBSTEPS} of the fastest one",
            hint="eqsnn steps every clock on one grid: choose time steps with a simple "
                 "ratio (0.2 ms and 0.3 ms run on a grid of 0.1 ms)")
    if substeps == 1 and fastest == float(network_dt):
        return float(network_dt)  # (every clock a multiple of the network's: exact)
    return fastest / substeps


def delay_steps(delays, sender: Any, dt: float) -> np.ndarray:
    """Synaptic delays (seconds) in loop steps of ``dt``: as Brian2 does
    (``SpikeQueue.prepare``), rounded half up to whole steps of the sender's clock,
    ``int(delay/dt_sender + 0.5)``, each k loop steps long. A sender on a slower clock
    spikes only at its own steps, and its spikes arrive at its own steps."""
    clock = getattr(sender, "clock", NETWORK_CLOCK)
    k, own = clock.every(dt, repr(getattr(sender, "name", "the sender")))
    return k * np.floor(np.asarray(delays, dtype=np.float64) / own + 0.5).astype(np.int64)
