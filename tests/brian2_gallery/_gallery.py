"""Shared by the gallery ports: Brian2's recorded numbers and how to compare with them.

``references.json`` holds, per script, what Brian2's own run of the original example
gave (written by ``brian2_reference.py``; its docstring says how to reproduce it). Two
kinds of comparison:

* deterministic scripts (no random numbers, or random numbers that do not change the
  result) run the same arithmetic in both simulators: spike counts must be equal, traces
  equal to a tolerance stated in the test (rounding differs: Brian2 and eqsnn order
  floating-point operations differently, and eqsnn compiles with -ffast-math);
* random scripts: eqsnn's random numbers are not Brian2's, so one eqsnn run is one more
  sample of the same distribution. Brian2 ran n seeds (mean m, sample s.d. s); the
  difference between one eqsnn run and m has s.d. s*sqrt(1 + 1/n) if both simulators
  draw from the same distribution, and :func:`assert_in_spread` allows 4 of those (a
  false alarm has probability ~1e-4 for a normal statistic).
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import numpy as np

REFERENCES = Path(__file__).resolve().parent / "references.json"


@functools.lru_cache(maxsize=None)
def _all() -> dict:
    return json.loads(REFERENCES.read_text())


def reference(script: str) -> dict:
    """The values Brian2's run of ``script`` gave (one seed: a dict; several: a list)."""
    return _all()[script]["values"]


def assert_in_spread(value: float, script: str, key: str, *, k: float = 4.0,
                     floor: float = 0.0) -> None:
    """``value`` (one eqsnn run) lies within ``k`` s.d. of Brian2's mean over seeds.

    ``floor`` is an absolute allowance added for statistics with little spread across
    seeds (a count that is the same in almost every run).
    """
    entry = _all()[script]
    stats = entry["stats"][key]
    n = len(entry["seeds"])
    allowed = k * stats["sd"] * math.sqrt(1 + 1 / n) + floor
    assert abs(value - stats["mean"]) <= allowed, (
        f"{script}: {key} = {value:.6g}, Brian2 {stats['mean']:.6g} ± {stats['sd']:.3g} "
        f"over {n} seeds (allowed ±{allowed:.3g})")


def upward_crossings(trace, level: float) -> np.ndarray:
    """Sample indices where a trace goes from below ``level`` to at or above it."""
    trace = np.asarray(trace)
    return np.flatnonzero((trace[:-1] < level) & (trace[1:] >= level)) + 1
