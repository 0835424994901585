"""Clocks: how often an object acts, as a whole multiple of the network's time step.

Every object runs on the network's clock (``Network(..., dt=)``) unless it is given a
``dt=`` (which makes a :class:`Clock` of its own) or a ``clock=`` (one :class:`Clock`
shared by several objects). A clock's ``dt`` must be a whole multiple ``k`` of the
network's: the object then acts at steps ``0, k, 2k, …`` of the network's clock (the
ticks of its own clock), with its own ``dt`` in its equations. There is no global
``defaultclock``: the network's ``dt`` is the default (eqsnn keeps no global settings).

Brian2 also runs clocks whose steps interleave (0.2 ms beside 0.3 ms); eqsnn refuses
them with a hint: make the network's ``dt`` a common divisor.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from eqsnn import units
from eqsnn.errors import InvalidValueError

__all__ = ["Clock", "NETWORK_CLOCK", "clock_of"]

_SECOND = (1 * units.ureg.second).dimensionality


class Clock:
    """A time step shared by the objects given ``clock=`` it (Brian2's ``Clock``)."""

    def __init__(self, dt: Any, name: str | None = None):
        magnitude, dim = units.to_si(dt)
        if dim != _SECOND or not np.isscalar(magnitude) or not 0 < magnitude < np.inf:
            raise InvalidValueError(f"a clock's dt must be a positive, finite duration such "
                                    f"as 1*ms, not {units.describe(dt)}")
        self.dt_ = float(magnitude)
        self.name = name or f"clock with dt={self.dt_:g} s"

    @property
    def dt(self):
        return units.from_si(self.dt_, _SECOND)

    def every(self, network_dt: float, who: str) -> tuple[int, float]:
        """``(k, dt)``: the object ``who`` acts every k-th step of a network of time
        step ``network_dt``; an eqsnn error if dt is not a whole multiple of it."""
        k = int(round(self.dt_ / network_dt))
        if k < 1 or abs(k * network_dt - self.dt_) > 1e-9 * self.dt_:
            raise InvalidValueError(
                f"{who} has dt = {self.dt_ * 1e3:g} ms, which is not a whole multiple of "
                f"the network's dt = {network_dt * 1e3:g} ms",
                hint="eqsnn steps every object on the network's clock: give Network(dt=) "
                     "the smallest time step (one that divides every object's dt)")
        return k, self.dt_

    def __repr__(self) -> str:
        return f"Clock(dt={self.dt_:g} s, name={self.name!r})"


class _NetworkClock:
    """The clock of objects given neither ``dt`` nor ``clock``: the network's own."""

    name = "the network's clock"
    dt = None

    def every(self, network_dt: float, who: str) -> tuple[int, float]:
        return 1, network_dt

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
