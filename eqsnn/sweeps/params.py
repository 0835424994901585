"""Which runs a sweep makes: parameter sets from a grid or a list, and one seed per run.

Seeds come from one root :class:`numpy.random.SeedSequence`, keyed by the run's position
in the sweep (parameter set, repeat), never by the order in which runs happen to
execute — so a table is the same with 1 worker, 4 workers or a cluster.
"""
from __future__ import annotations

import itertools
import keyword
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from eqsnn.errors import InvalidValueError

__all__ = ["RunPlan", "expand_params", "plan_runs", "RESERVED_COLUMNS"]

#: Columns every sweep table has; parameter and collected names must not reuse them.
RESERVED_COLUMNS = ("run", "repeat", "seed", "error", "backend", "note", "compilations",
                    "seconds", "worker")


@dataclass(frozen=True)
class RunPlan:
    """One run of a sweep: where it sits in the table, its parameters and its seed."""

    index: int
    param_index: int
    repeat: int
    params: Mapping[str, Any]
    seed: int


def expand_params(params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[dict]:
    """The parameter sets of a sweep, in table order.

    Parameters
    ----------
    params
        A grid ``{"I": [1, 2, 3], "tau": [5*ms, 10*ms]}`` — the cartesian product, with the
        last name varying fastest, as in nested ``for`` loops; a value that is not a
        sequence (a number, a string, a scalar quantity) is held fixed — or a list of dicts,
        one parameter set each, used as given.

    Returns
    -------
    list of dict
    """
    if isinstance(params, Mapping):
        names = list(params)
        _check_names(names)
        axes = [_axis(name, params[name]) for name in names]
        return [dict(zip(names, values)) for values in itertools.product(*axes)]
    if isinstance(params, (str, bytes)) or not isinstance(params, Sequence):
        raise InvalidValueError(
            f"params must be a dict (a grid) or a list of dicts, not {type(params).__name__}",
            hint='e.g. params={"I": [0.5, 1.0, 1.5]} or params=[{"I": 0.5}, {"I": 1.0}]')
    sets = []
    for k, entry in enumerate(params):
        if not isinstance(entry, Mapping):
            raise InvalidValueError(
                f"params[{k}] is a {type(entry).__name__}; a list of parameter sets must "
                f"hold dicts", hint='e.g. params=[{"I": 0.5}, {"I": 1.0}]')
        _check_names(list(entry))
        sets.append(dict(entry))
    if not sets:
        raise InvalidValueError("params is an empty list: the sweep has no runs")
    return sets


def _axis(name: str, value: Any) -> list:
    """The values one grid axis takes (a single value when it is not a sequence)."""
    if isinstance(value, (str, bytes, Mapping)):
        return [value]
    if not isinstance(value, (list, tuple)):  # ([1*ms, 2*ms]: np.ndim would fail)
        magnitude = getattr(value, "magnitude", value)  # a pint array iterates as quantities
        if np.ndim(magnitude) == 0:
            return [value]
    values = list(value)
    if not values:
        raise InvalidValueError(f"the grid axis {name!r} is empty: the sweep has no runs",
                                hint="give it at least one value")
    return values


def _check_names(names: list) -> None:
    for name in names:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise InvalidValueError(
                f"parameter name {name!r} is not a Python identifier",
                hint="parameters are passed to build() as keyword arguments")
        if name in RESERVED_COLUMNS:
            raise InvalidValueError(
                f"parameter name {name!r} is one of the sweep's own columns "
                f"{RESERVED_COLUMNS}",
                hint="rename it; the per-run seed reaches build() as its 'seed' argument")


def plan_runs(sets: list[dict], seeds: int | Sequence[int],
              root: np.random.SeedSequence) -> list[RunPlan]:
    """Every run: each parameter set repeated once per seed.

    ``seeds`` an int ``n``: ``n`` seeds per parameter set, derived from ``root`` keyed by
    (parameter set, repeat) — adding repeats later keeps the seeds of the earlier ones.
    ``seeds`` a sequence of ints: exactly those seeds for every parameter set (the same
    random numbers at every parameter value: common random numbers).
    """
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        if seeds < 1:
            raise InvalidValueError(f"seeds must be at least 1, not {seeds}",
                                    hint="seeds is the number of runs per parameter set")
        chosen = None
        repeats = int(seeds)
    else:
        chosen = [_check_seed(s) for s in seeds]
        if not chosen:
            raise InvalidValueError("seeds is an empty list: the sweep has no runs")
        repeats = len(chosen)
    runs = []
    for p, params in enumerate(sets):
        for r in range(repeats):
            seed = chosen[r] if chosen is not None else derive_seed(root, p, r)
            runs.append(RunPlan(len(runs), p, r, params, seed))
    return runs


def derive_seed(root: np.random.SeedSequence, param_index: int, repeat: int) -> int:
    """A 63-bit seed for run (``param_index``, ``repeat``), independent of all others."""
    child = np.random.SeedSequence(root.entropy, spawn_key=tuple(root.spawn_key) + (
        param_index, repeat))
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))


def _check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidValueError(f"every seed must be a non-negative int, not {seed!r}")
    return int(seed)


def root_sequence(seed: int | np.random.SeedSequence | None) -> np.random.SeedSequence:
    """The sweep's root: from an int, as given, or fresh entropy for ``None``."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is None:
        return np.random.SeedSequence()
    return np.random.SeedSequence(_check_seed(seed))
