"""What is in progress when ``dt`` changes between runs, carried over as Brian2 does.

Two things a network remembers count steps of the old ``dt``: each neuron's last spike
(its refractory period is ``step - lastspike`` steps long so far) and the spikes in
flight in each pathway's ring (a spike ``a`` steps old is delivered to the synapses of
delay ``a``). When the loop continues with another ``dt`` both are rescaled to the new
steps, so that a refractory period and a delay in progress end when their *time* is up:

* ``lastspike``: the steps since the spike become Brian2's ``timestep(t - lastspike,
  dt)`` in the new ``dt`` (Brian2 keeps ``lastspike`` as a time and tests
  ``timestep(t - lastspike, dt) >= timestep(refractory, dt)``). ``G.lastspike`` reads
  the time on the new grid (at most one new step early after a coarser ``dt``).
* a ring: a spike ``a`` old steps old becomes ``round(a * old_dt / new_dt)`` new steps
  old (at least 1) and is delivered when its delay in new steps is up. Brian2's
  ``SpikeQueue.prepare`` rounds the steps left to wait instead (it queues spikes by
  arrival): the two differ by at most one new step. Two old steps that land on one new
  step are merged; Brian2 keeps only the later one, so it loses spikes in flight when
  dt becomes coarser.
* a ring of a pathway whose sender is on a slower clock, read only at that clock's
  steps (:func:`align_to_ticks`): when the sender's dt changes, a spike in flight sent
  between the new clock's steps moves to the nearest of them.
"""
from __future__ import annotations

import numpy as np

from eqsnn.runtime.timeline import steps_for

__all__ = ["carry_lastspike", "carried_ring", "align_to_ticks"]

_NEVER_BELOW = -(2**61)  # (groups store -(2**62) for "never spiked")


def carry_lastspike(objects, step: int, old_dt: float, new_dt: float) -> None:
    """Rescale every group's last-spike steps before ``step``, counted in steps of
    ``old_dt`` (the current segment's), to steps of ``new_dt``."""
    for obj in objects:
        lastspike = getattr(obj, "_lastspike", None)
        if not isinstance(lastspike, np.ndarray) or lastspike.dtype != np.int64:
            continue
        spiked = (lastspike > _NEVER_BELOW) & (lastspike < step)
        elapsed = (step - lastspike[spiked]) * old_dt
        lastspike[spiked] = step - np.floor(elapsed / new_dt + 1e-3).astype(np.int64)


def carried_ring(ring: dict | None, D: int, width: int, dt) -> dict:
    """A ring of ``D`` slots of ``width`` senders for loop step ``dt`` (a
    :class:`~eqsnn.runtime.timeline.LoopDt`), holding the spikes in flight of ``ring``
    (another shape, or filled with another dt) at the network's current step."""
    new = {"spikes": np.zeros(D * width, dtype=np.int32), "n": np.zeros(D, dtype=np.int64),
           "dt": float(dt)}
    timeline = getattr(dt, "timeline", None)
    if ring is None or timeline is None or not ring["n"].any():
        return new
    ratio = ring.get("dt", float(dt)) / float(dt)
    for age, _, senders in _in_flight(ring, timeline.step):
        new_age = max(1, int(age * ratio + 0.5))
        if new_age < D:  # (else older than the longest delay: delivered everywhere already)
            _merge(new, (timeline.step - new_age) % D, width, senders)
    return new


def align_to_ticks(ring: dict, stride: int, dt) -> None:
    """Move the spikes in flight to the nearest step of the sender's clock, now
    ``stride`` loop steps long (its dt changed between runs): the pathway reads the
    ring only at those steps, and would never find a spike sent at a step of the old
    clock between them. Brian2 too rounds what remains of their delays to the new dt."""
    timeline = getattr(dt, "timeline", None)
    if stride == 1 or timeline is None or not timeline.segments or not ring["n"].any():
        return
    step = timeline.step
    origin = step - steps_for(timeline.time(step), float(dt))  # (as the coming run's)
    D = ring["n"].size
    width = ring["spikes"].size // D
    moved: dict[int, np.ndarray] = {}
    for age, slot, senders in list(_in_flight(ring, step)):
        phase = (step - age - origin) % stride
        if not phase:
            continue
        later = stride - phase
        new_age = age - later if 2 * phase >= stride and age - later >= 1 else age + phase
        ring["n"][slot] = 0
        if new_age < D:  # (older than the ring: past every delay)
            moved[new_age] = np.union1d(moved.get(new_age, senders), senders)
    for new_age, senders in moved.items():
        _merge(ring, (step - new_age) % D, width, senders)


def _in_flight(ring: dict, step: int):
    """``(age, slot, senders)`` of every slot of ``ring`` holding spikes, from age 1 on
    (age 0 is the slot this step's spikes overwrite); ``senders`` a copy."""
    D = ring["n"].size
    width = ring["spikes"].size // D
    for age in range(1, D):
        slot = (step - age) % D
        n = int(ring["n"][slot])
        if n:
            yield age, slot, ring["spikes"][slot * width: slot * width + n].copy()


def _merge(ring: dict, slot: int, width: int, senders: np.ndarray) -> None:
    """Add ``senders`` to what ``slot`` of ``ring`` holds (each sender once, in order)."""
    here = ring["spikes"][slot * width: slot * width + int(ring["n"][slot])]
    merged = np.union1d(here, senders).astype(np.int32)
    ring["spikes"][slot * width: slot * width + merged.size] = merged
    ring["n"][slot] = merged.size
