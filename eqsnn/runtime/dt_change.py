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
"""
from __future__ import annotations

import numpy as np

__all__ = ["carry_lastspike", "carried_ring"]

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
    step, old_D = timeline.step, ring["n"].size
    old_width = ring["spikes"].size // old_D
    ratio = ring.get("dt", float(dt)) / float(dt)
    for age in range(1, old_D):  # (age 0: the slot this step's spikes overwrite)
        old = (step - age) % old_D
        n = int(ring["n"][old])
        if not n:
            continue
        new_age = max(1, int(age * ratio + 0.5))
        if new_age >= D:  # older than the longest delay: delivered everywhere already
            continue
        slot = (step - new_age) % D
        senders = ring["spikes"][old * old_width: old * old_width + n]
        here = new["spikes"][slot * width: slot * width + int(new["n"][slot])]
        merged = np.union1d(here, senders).astype(np.int32)
        new["spikes"][slot * width: slot * width + merged.size] = merged
        new["n"][slot] = merged.size
    return new
