"""A TimedArray of time (``I = stim(t) : amp``) as LEMS: a DerivedVariable of the
object that uses it, piecewise constant in time.

LEMS has no table look-up, so the array's values are written out, one window per
run of equal values the simulation steps see: ``stim_of_t = stim_unit * (v0*H(b1 - n)
+ v1*H(n - a1)*H(b2 - n) + ...)`` with ``n = t/stim_step`` the step number and window
edges half a step away from any step (so no edge is ever met exactly). Only one window
holds at a time, so each value reaches the equations as written, bit for bit; the
importer reads ``H(x)`` back as ``(x > 0)``.
"""
from __future__ import annotations

import numpy as np

from eqsnn.neuroml.writer import number, timed_variable

__all__ = ["timed_arrays"]


def timed_arrays(writer, etree, dynamics, arrays: dict, *, early: int = 0) -> None:
    """Write each TimedArray of ``arrays`` (name -> TimedArray) into ``dynamics`` (and
    its constants before it). ``early``: how many steps ahead of eqsnn's the ``t``
    that jNeuroML gives this object is (1 for a cell without regimes: it reads ``t``
    at the end of the step)."""
    for name, array in sorted(arrays.items()):
        unit, step = f"{name}_unit", f"{name}_step"
        dynamics.addprevious(etree.Element("Constant", name=unit,
                                           dimension=writer.dimension(array.dim),
                                           value=writer.value(1.0, array.dim)))
        dynamics.addprevious(etree.Element("Constant", name=step, dimension="time",
                                           value=f"{number(writer.dt)} s"))
        terms = [_window(value, start, stop, f"t / {step}", early)
                 for value, start, stop in _runs(array, writer.dt)]
        etree.SubElement(dynamics, "DerivedVariable", name=timed_variable(name),
                         dimension=writer.dimension(array.dim),
                         value=f"{unit} * ({' + '.join(terms)})")


def _runs(array, dt: float) -> list[tuple[float, int | None, int | None]]:
    """``(value, first step, last step + 1)`` of each run of equal values over the
    simulation steps (None: unbounded), as eqsnn's generated code looks them up."""
    last = int(np.ceil(array.values.size * array.dt / dt)) + 2
    values = array.evaluate(np.arange(last) * dt)
    changes = np.flatnonzero(np.diff(values) != 0) + 1
    edges = [None, *changes.tolist(), None]
    starts = [0, *changes.tolist()]
    return [(float(values[s]), edges[k], edges[k + 1]) for k, s in enumerate(starts)]


def _window(value: float, start, stop, step: str, early: int) -> str:
    factors = [number(value)]
    if start is not None:
        factors.append(f"H({step} - {number(start + early - 0.5)})")
    if stop is not None:
        factors.append(f"H({number(stop + early - 0.5)} - {step})")
    return " * ".join(factors)
