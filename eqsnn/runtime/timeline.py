"""The network's time: the loop's steps and the times they stand for.

The compiled loop counts steps, and everything that remembers a moment remembers its
step: a neuron's last spike, a monitor's samples, the random numbers (a function of the
step). The step only ever grows, also when ``dt`` changes between runs (Brian2's
``defaultclock.dt = ...`` between two ``run()``): a :class:`Timeline` is a list of
segments, each the steps from its ``first`` on, in which ``t = (step - origin) * dt``.
A new ``dt`` opens a segment at the current step, with the ``origin`` that makes its
time a whole number of the new steps (Brian2's rule: the time must be a multiple of the
new ``dt``, within ``Clock.epsilon_dt``; see :func:`steps_for`). So ``t`` is exactly
``n * dt`` in every segment as in Brian2, no step number is used twice (no random number
repeats after a change), and a monitor's samples keep their times.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from eqsnn.errors import InvalidValueError

__all__ = ["LoopDt", "Segment", "Timeline", "EPSILON_DT", "check_new_dt", "last_spike_times",
           "steps_for", "times_of"]

#: Brian2's ``Clock.epsilon_dt``: a time within this fraction of a step of a multiple
#: of dt is that multiple
EPSILON_DT = 1e-4


def steps_for(t: float, dt: float) -> int:
    """The step at time ``t`` on a grid of ``dt``: the nearest one if ``t`` is within
    :data:`EPSILON_DT` of it, else the next one (Brian2's ``Clock._calc_timestep``)."""
    nearest = round(t / dt)
    if abs(nearest * dt - t) <= EPSILON_DT * dt:
        return int(nearest)
    return int(np.ceil(t / dt))


def check_new_dt(t: float, old_dt: float, new_dt: float) -> None:
    """A network at time ``t`` may go on with ``new_dt`` if ``t`` is a multiple of it
    (within :data:`EPSILON_DT`; Brian2's ``check_dt``), else an eqsnn error."""
    old_t = round(t / old_dt) * old_dt
    new_t = round(t / new_dt) * new_dt
    if abs(new_t - old_t) / new_dt > EPSILON_DT:
        raise InvalidValueError(
            f"dt cannot change from {old_dt * 1e3:g} ms to {new_dt * 1e3:g} ms at t = "
            f"{t * 1e3:g} ms: the time is not a multiple of the new dt (Brian2 refuses "
            f"it too)",
            hint=f"run up to a multiple of {new_dt * 1e3:g} ms first, or choose a dt that "
                 f"divides {t * 1e3:g} ms")


class LoopDt(float):
    """The loop's time step in seconds, as every object is handed it (``dt`` of
    ``_contribution`` and ``_prepare``): a float that also knows the network's own
    ``dt`` (the clock of objects given no ``dt=``, a whole number of loop steps) and the
    network's :class:`Timeline` (steps → times, for monitors and ``lastspike``)."""

    network: float
    timeline: "Timeline"

    def __new__(cls, value: float, network: float, timeline: "Timeline"):
        self = super().__new__(cls, value)
        self.network, self.timeline = float(network), timeline
        return self

    def __reduce__(self):  # (a plain float when pickled, e.g. into a sweep's worker)
        return float, (float(self),)


@dataclass(frozen=True)
class Segment:
    """The loop's steps from ``first`` on (until the next segment): ``t = (step -
    origin) * dt``; ``network``: the network's dt then."""

    first: int
    origin: int
    dt: float
    network: float

    def time(self, step):
        return (step - self.origin) * self.dt


@dataclass
class Timeline:
    """The segments of a network's run so far, oldest first (see the module doc)."""

    segments: list[Segment] = field(default_factory=list)
    #: the network's step when its current run started (where the segment continues)
    step: int = 0

    @property
    def current(self) -> Segment:
        return self.segments[-1]

    def time(self, step: int) -> float:
        return float(self._segment_of(step).time(step))

    def _segment_of(self, step: int) -> Segment:
        for segment in reversed(self.segments):
            if step >= segment.first:
                return segment
        return self.segments[0]

    def _index(self, steps: np.ndarray) -> np.ndarray:
        firsts = np.array([s.first for s in self.segments[1:]], dtype=np.int64)
        return np.searchsorted(firsts, steps, side="right")

    def times(self, steps) -> np.ndarray:
        """The time in seconds of each step of ``steps`` (an integer array)."""
        steps = np.asarray(steps)
        if len(self.segments) == 1:  # (the usual case: one dt, one multiplication)
            return self.current.time(steps)
        index = self._index(steps)
        origins = np.array([s.origin for s in self.segments], dtype=np.int64)[index]
        dts = np.array([s.dt for s in self.segments])[index]
        return (steps - origins) * dts

    def start(self, step: int, dt: float, network: float) -> Segment:
        """Continue from ``step`` with loop step ``dt`` (``network``: the network's dt):
        a new segment if either is new (one that began at ``step`` and holds no step
        yet is replaced)."""
        self.step = step
        if self.segments and (self.current.dt, self.current.network) == (dt, network):
            return self.current
        t = self.time(step) if self.segments else 0.0
        segment = Segment(step, step - steps_for(t, dt), dt, network)
        if self.segments and self.current.first == step:
            self.segments.pop()
        self.segments.append(segment)
        return segment

    def now(self, steps) -> np.ndarray:
        """Steps counted in the current segment's units (as a group's last spikes are
        after a change of dt, see runtime/dt_change.py) as times."""
        return self.current.time(np.asarray(steps)) if self.segments else steps * np.nan


def times_of(steps, dt) -> np.ndarray:
    """``steps`` of the loop as times in seconds: through the network's timeline when
    ``dt`` is the :class:`LoopDt` a run handed over (else ``steps * dt``)."""
    if isinstance(dt, LoopDt):
        return dt.timeline.times(steps)
    return np.asarray(steps) * dt


def last_spike_times(steps, dt) -> np.ndarray:
    """A group's last-spike steps as times: in the current segment's steps (they are
    rescaled when dt changes, see runtime/dt_change.py)."""
    if isinstance(dt, LoopDt):
        return dt.timeline.now(steps)
    return np.asarray(steps) * dt
