"""Network operations: a Python function called every ``dt`` during a run, between the
compiled loop's operations (Brian2's ``network_operation``).

The time loop is compiled, so Python can only run where the loop stops. A network with
network operations gets a *pause point* in its step at each operation's place in the
schedule (its ``when``, ``order`` and name, default ``start``, 0): the loop returns to
Python before the operations after that point, the network calls the functions due
there, and the next call of the loop resumes the step at that point. A network without
network operations has no pause points: nothing is added to its loop.

A function may read and change state variables (``G.v = ...``, ``G.I[:3] = ...``), and
takes no argument or the time ``t`` (a quantity). An exception it raises stops the run
with a :class:`~eqsnn.errors.NetworkOperationError`; everything recorded so far is
kept, and a later ``run()`` continues after the failed call.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable

from eqsnn import units
from eqsnn.errors import InvalidValueError, NetworkOperationError
from eqsnn.runtime.clocks import clock_of
from eqsnn.runtime.schedule import Scheduled, Slot

__all__ = ["NetworkOperation", "network_operation", "Pauses"]

_SECOND = (1 * units.ureg.second).dimensionality
_counter = 0


class NetworkOperation(Scheduled):
    """``function`` called every ``dt`` (default: the network's) in slot ``when`` at
    ``order``; add it to a Network like any object. ``function()`` or ``function(t)``."""

    _kind = "operation"

    def __init__(self, function: Callable, dt: Any = None, *, clock: Any = None,
                 when: str = "start", order: int = 0, name: str | None = None):
        global _counter
        if not callable(function):
            raise InvalidValueError(f"a network operation calls a function, not "
                                    f"{type(function).__name__}",
                                    hint="@es.network_operation(dt=1*ms) above a def")
        _counter += 1
        self.function = function
        self.name = name or f"networkoperation_{_counter}"
        self._slot = Slot(self, None, when, order)
        self.clock = clock_of(self, dt, clock)
        self._takes_t = _takes_time(function, self.name)

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def _call(self, t_seconds: float) -> None:
        try:
            if self._takes_t:
                self.function(units.from_si(t_seconds, _SECOND))
            else:
                self.function()
        except Exception as error:
            raise NetworkOperationError(
                f"the network operation {self.name!r} raised {type(error).__name__}: "
                f"{error} (at t = {t_seconds:.6g} s); the run stopped there",
                hint="everything recorded until then is kept; fix the function and "
                     "run() again to continue after this call") from error

    def __repr__(self) -> str:
        return f"<network_operation {self.name!r}: when={self.when!r}, order={self.order}>"


def network_operation(function: Callable | None = None, *, dt: Any = None, clock: Any = None,
                      when: str = "start", order: int = 0, name: str | None = None):
    """Decorator: ``@network_operation`` or ``@network_operation(dt=1*ms, when="end")``
    above a function makes it a :class:`NetworkOperation` (pass it to the Network)."""
    def wrap(f: Callable) -> NetworkOperation:
        return NetworkOperation(f, dt, clock=clock, when=when, order=order, name=name)
    return wrap if function is None else wrap(function)


def _takes_time(function: Callable, name: str) -> bool:
    try:
        parameters = [p for p in inspect.signature(function).parameters.values()
                      if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY,
                                                              p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):  # a builtin without a signature: call it plainly
        return False
    if len(parameters) > 1:
        raise InvalidValueError(f"the network operation {name!r} takes "
                                f"{len(parameters)} arguments; it is called with none or "
                                f"with the time t", hint="def operation(t): ...")
    return len(parameters) == 1


class Pauses:
    """Where and when a network's run stops for its network operations.

    A position in a run is ``(step, phase)``: ``phase`` pause points of ``step`` are
    done (0: the step has not started). Point n (1, 2, …) is the n-th distinct
    schedule key of the operations.
    """

    def __init__(self, operations: list, dt, schedule: tuple[str, ...]):
        keys = {id(op): op._slot.key(schedule) for op in operations}
        self.keys = sorted(set(keys.values()))
        self._timeline = dt.timeline  # (its origin: the clocks tick at its multiples)
        self._ops = sorted(((self.keys.index(keys[id(op)]) + 1,
                             *op.clock.every(dt, repr(op.name)), op)
                            for op in operations), key=lambda e: (e[0], keys[id(e[3])]))

    def next(self, step: int, phase: int, end: int) -> tuple[int, int] | None:
        """The first ``(step, point)`` after position ``(step, phase)`` before step
        ``end`` at which an operation is due, or None."""
        origin = self._timeline.current.origin
        best = None
        for point, every, _, _ in self._ops:
            first = step if point > phase else step + 1
            first = origin + -(-(first - origin) // every) * every
            if first < end and (best is None or (first, point) < best):
                best = (first, point)
        return best

    def call(self, step: int, point: int) -> None:
        """Call the operations due at point ``point`` of ``step``, in schedule order,
        each with its clock's time (its ticks since t = 0 times its dt, as in Brian2)."""
        ticks = step - self._timeline.current.origin
        for p, every, dt, op in self._ops:
            if p == point and ticks % every == 0:
                op._call(ticks // every * dt)
