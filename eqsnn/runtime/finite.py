"""The NaN check between chunks of steps: what it reads, derived once per run.

After every chunk of compiled (or numpy) steps the run looks for NaN and inf in the
arrays the loop may have made so: every differential variable, and every parameter
that was finite when the run started and that a statement of the loop assigns — a
reset, ``run_on_event`` code, ``run_regularly``, a constant-over-dt subexpression, a
pathway's ``w += ...`` or ``x_post += w``, a summed variable, a PoissonInput's target.
A parameter the loop only reads cannot become NaN there, and is not read again after
every chunk (Izhikevich's 10^6 constant weights were a tenth of a short run's loop). A
NaN that a network operation (Python) writes into such a parameter shows where it
reaches a differential variable.

A NeuronGroup or Synapses says what its own statements assign (``_loop_writes``: the
names, or ``None`` when that is not known, as for a record from an older build cache:
then every finite parameter of that object is watched, as before); an object that
writes into another one's arrays says what (``_writes_into``: pairs of the object and
the names, or ``None``).
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from eqsnn.errors import NumericalInstabilityError
from eqsnn.runtime.timeline import times_of

__all__ = ["watched", "check_finite", "finite_names"]


def watched(objects: Iterable[Any]) -> list[tuple[Any, tuple[str, ...]]]:
    """For each object of a run with arrays to check, the names of those it watches,
    in the order of its arrays (the first NaN found is the one reported)."""
    objects = list(objects)
    into: dict[int, set[str] | None] = {}
    for obj in objects:
        for target, names in getattr(obj, "_writes_into", tuple)():
            known = into.get(id(target), set())
            into[id(target)] = None if names is None or known is None else known | names
    result = []
    for obj in objects:
        if not hasattr(obj, "_loop_writes"):
            continue
        own, other = obj._loop_writes(), into.get(id(obj), set())
        assigned = obj._arrays if own is None or other is None else own | other
        # (only what may be watched is read now: not 10^6 constant weights)
        finite = finite_names({name: obj._arrays[name] for name in obj._arrays
                               if name in assigned})
        names = set(obj._record.differential) | finite
        result.append((obj, tuple(name for name in obj._arrays if name in names)))
    return result


def check_finite(watch: list[tuple[Any, tuple[str, ...]]], chunk_start: int, step: int,
                 dt: float) -> None:
    """Raise NumericalInstabilityError if an array of ``watch`` (see :func:`watched`)
    holds NaN or inf after the chunk of steps ``chunk_start`` to ``step``."""
    for obj, names in watch:
        for name in names:
            array = obj._arrays[name]
            if np.isfinite(array).all():
                continue
            _raise(obj, name, array, chunk_start, step, dt)


def _raise(obj, name: str, array: np.ndarray, chunk_start: int, step: int, dt: float):
    index = int(np.flatnonzero(~np.isfinite(array))[0])
    value = array[index]
    start, end = times_of([chunk_start, step], dt)
    where = f"{name} of {obj.name!r} became {value} at {_element(obj)} {index}, " \
            f"between t = {start:.6g} s and t = {end:.6g} s"
    if name not in obj._record.differential:  # a parameter: code wrote it
        raise NumericalInstabilityError(
            f"{where}: {name} is a parameter, so a statement that writes it (a "
            f"reset, on_pre or on_post) computed {value}",
            hint=f"check the statements assigning {name} for log or sqrt of a "
                 f"negative number, 0/0, or an overflowing exp")
    raise NumericalInstabilityError(
        f"{where} (method {getattr(obj, 'method', None)!r}, dt = {dt:g} s)",
        hint="use a smaller dt or a more stable method (exact or "
             "exponential_euler where they apply, else rk4); also check "
             "parameters and initial values")


def _element(obj) -> str:
    return "synapse" if hasattr(obj, "pre_group") else "neuron"


def finite_names(arrays: dict[str, np.ndarray]) -> set[str]:
    """The names of the floating-point arrays without nan or inf (at the start of a
    run: one that becomes non-finite was written so by the loop)."""
    return {name for name, array in arrays.items()
            if array.dtype.kind == "f" and np.isfinite(array).all()}
