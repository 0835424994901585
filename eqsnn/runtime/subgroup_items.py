"""What ``G[item]`` may be to make a subgroup, as in Brian2: a contiguous slice
(``G[10:20]``), one index (``G[3]``: a subgroup of one neuron) or a list of
consecutive indices (``G[[3, 4, 5]]``)."""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from eqsnn.errors import IndexOutOfRangeError, InvalidValueError

__all__ = ["subgroup_bounds"]


def subgroup_bounds(item: Any, size: int, name: str) -> tuple[int, int]:
    """``(start, stop)`` of the subgroup ``name[item]`` of a group of ``size`` neurons,
    or an eqsnn error that says which forms are accepted."""
    how = "a slice like G[10:20], one index G[3], or consecutive indices G[[3, 4, 5]]"
    if isinstance(item, slice):
        if item.step not in (None, 1):
            raise InvalidValueError(f"subgroups are contiguous: {how}, not {item!r}")
        start, stop, _ = item.indices(size)
    elif isinstance(item, (numbers.Integral, np.integer)) and not isinstance(item, bool):
        start = int(item) + size if item < 0 else int(item)
        stop = start + 1
        if not 0 <= start < size:  # (an IndexError too: list(G) stops at the last neuron)
            raise IndexOutOfRangeError(f"{name}[{item}] is not a neuron of {name!r}: its "
                                       f"indices lie in 0..{size - 1}")
    elif isinstance(item, (list, tuple, np.ndarray)) and np.asarray(item).ndim == 1 \
            and np.asarray(item).dtype.kind in "iu":
        values = np.asarray(item)
        if values.size == 0 or np.any(np.diff(values) != 1):
            raise InvalidValueError(f"subgroups are contiguous: {how}, not {item!r}")
        start, stop = int(values[0]), int(values[-1]) + 1
        if start < 0 or stop > size:
            raise InvalidValueError(f"{name}[{item!r}] reaches outside {name!r}: its "
                                    f"indices lie in 0..{size - 1}")
    else:
        raise InvalidValueError(f"subgroups are made with {how}, not {item!r}")
    if stop <= start:
        raise InvalidValueError(f"the subgroup {name}[{item!r}] is empty")
    return start, stop
