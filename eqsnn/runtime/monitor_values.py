"""What monitors read: the variables they may record (a group's own, a synapse's, and a
synapse's ``x_pre``/``x_post``), how the compiled loop computes each, and the indices
given as ``record=``, checked when the monitor is created."""
from __future__ import annotations

import operator
from typing import Any, Sequence

import numpy as np

from eqsnn.errors import InvalidValueError
from eqsnn.lowering.records import Expression
from eqsnn.runtime.monitor_base import is_synapses

__all__ = ["variable_names", "dimension", "expressions", "sources_read", "record_indices",
           "view_indices"]

_SIDES = (("_pre", "pre_group", "_ipre"), ("_post", "post_group", "_j"))


def _side_variable(group, name: str):
    """``(neuron group, variable, index name)`` of ``v_pre``/``v_post`` of synapses."""
    for suffix, attribute, index in _SIDES:
        if name.endswith(suffix) and is_synapses(group):
            side = getattr(group, attribute)
            var = name[:-len(suffix)]
            if var in getattr(side, "_arrays", {}):
                return side, var, index
    return None


def variable_names(monitor, group, variables: str | Sequence[str] | None) -> list[str]:
    """``variables`` as a list of names the monitor can record, or an error listing
    those it can."""
    if variables is None:
        return []
    names = [variables] if isinstance(variables, str) else list(variables)
    for var in names:
        if not isinstance(var, str):
            raise InvalidValueError(f"{type(monitor).__name__} records variables by name, "
                                    f"not {var!r}")
        if var not in group._dims and _side_variable(group, var) is None:
            extra = " (and the source's and target's as x_pre, x_post)" \
                if is_synapses(group) else ""
            raise InvalidValueError(
                f"{group.name!r} has no variable {var!r} to record; its variables are "
                f"{sorted(group._dims)}{extra}")
    return names


def dimension(group, var: str):
    if var in group._dims:
        return group._dims[var]
    side, name, _ = _side_variable(group, var)
    return side._dims[name]


def expressions(group, backend: str, variables: list[str]) -> dict[str, Expression]:
    """How the loop computes each variable, in the model's names (``v[_i]``,
    ``w[_syn]``; ``v_post[_j]`` for the target of a synapse)."""
    if not variables:  # (a SpikeGeneratorGroup has no record)
        return {}
    code = group._record.code[backend]
    result = {}
    for var in variables:
        if var in code.records:
            result[var] = code.records[var]
            continue
        side, name, index = _side_variable(group, var)
        at = "0" if name in side._shared else index
        result[var] = Expression(f"{code.local(var)}[{at}]", (var,))
    return result


def sources_read(layout, group, reads) -> list[str]:
    """The prefixes of the objects whose arrays the names in ``reads`` are (for the
    barriers between threads): the group, its linked sources, a synapse's neurons."""
    found = {layout.prefix(group)}
    for name in reads:
        if name in getattr(group, "_linked", ()):
            found.add(layout.prefix(group._link(name).group._owner))
        side = _side_variable(group, name)
        if side is not None:
            found.add(layout.prefix(side[0]._owner))
    return sorted(found)


def record_indices(monitor, source, record: Any, size: int) -> np.ndarray:
    """``record=`` (True, False/None, an index or indices) as int64 indices in
    ``0..size-1``, or an error that says what was wrong and the valid range."""
    if record is True:
        return np.arange(size, dtype=np.int64)
    if record is False or record is None:
        return np.zeros(0, dtype=np.int64)
    what = "synapses" if is_synapses(source) else "neurons"
    valid = f"0..{size - 1} for {source.name!r} ({size} {what})"
    if isinstance(record, (str, bytes)):
        raise InvalidValueError(
            f"record= of {type(monitor).__name__} takes True, False, an index or a list of "
            f"indices, not the string {record!r}", hint=f"indices lie in {valid}")
    values = np.atleast_1d(np.asarray(record, dtype=object))
    if values.ndim != 1:
        raise InvalidValueError(f"record= takes a flat list of indices, not an array of "
                                f"shape {values.shape}")
    indices = []
    for value in values:
        if isinstance(value, (bool, np.bool_)):
            raise InvalidValueError(f"record= takes indices, not the boolean {value!r}",
                                    hint="record=True records all; or give the indices, "
                                         "e.g. np.flatnonzero(mask)")
        try:
            index = operator.index(value)
        except TypeError:
            whole = isinstance(value, (float, np.floating)) and float(value).is_integer()
            if not whole:
                raise InvalidValueError(
                    f"record indices must be whole numbers, not {value!r}",
                    hint=f"indices lie in {valid}") from None
            index = int(value)
        if not 0 <= index < size:
            raise InvalidValueError(
                f"record indices must lie in {valid}, got {index}",
                hint="connect the synapses before creating the monitor"
                if is_synapses(source) else None)
        indices.append(index)
    return np.array(indices, dtype=np.int64)


def view_indices(monitor, item: Any) -> Any:
    """``mon[item]`` of a StateMonitor: a subgroup of the monitored group (``mon[G[3]]``,
    ``mon[G[2:5]]``, Brian2's form) as indices relative to the monitored (sub)group; any
    other item as given (indices, or the synapse numbers ``S[0, :]`` gives)."""
    if not (hasattr(item, "parent") and hasattr(item, "start") and hasattr(item, "stop")):
        return item
    if item.parent is not monitor.group or item.start < monitor.start \
            or item.stop > monitor.stop:
        raise InvalidValueError(
            f"{monitor.name!r} records {monitor.source.name!r}, which does not hold all of "
            f"{item.name!r}", hint="index the monitor with a part of the group it records")
    return np.arange(item.start, item.stop, dtype=np.int64) - monitor.start
