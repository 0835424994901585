"""Several synapses between one pair of neurons, told apart as Brian2 does:
``Synapses(..., multisynaptic_index="k")`` adds the variable ``k : integer``, which
numbers the synapses of each (source, target) pair 0, 1, 2, ... in creation order
(recomputed for all synapses after each ``connect()``), and makes the third index of
``S.w[i, j, k]`` select by it.
"""
from __future__ import annotations

import numpy as np

from eqsnn.errors import InvalidValueError

__all__ = ["with_multisynaptic_index", "multisynaptic_numbers", "third_index"]


def with_multisynaptic_index(model, name):
    """``model`` (a string or an Equations object) with ``name : integer`` added."""
    if name is None:
        return model
    if not isinstance(name, str) or not name.isidentifier():
        raise InvalidValueError(
            f"multisynaptic_index must be the name of a variable to create, not {name!r}",
            hint="e.g. multisynaptic_index='k', then S.delay = 'k*ms'")
    line = f"{name} : integer"
    if model is None or isinstance(model, str):
        return f"{model}\n{line}" if model and model.strip() else line
    from eqsnn.equations import Equations
    return model + Equations(line)


def multisynaptic_numbers(pre: np.ndarray, post: np.ndarray) -> np.ndarray:
    """For each synapse, how many synapses of the same pair come before it."""
    if pre.size == 0:
        return np.zeros(0, dtype=np.int32)
    keys = pre.astype(np.int64) * (int(post.max()) + 1) + post
    order = np.argsort(keys, kind="stable")  # a pair's synapses in creation order
    sorted_keys = keys[order]
    first = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    position = np.arange(keys.size)
    numbers = np.empty(keys.size, dtype=np.int32)
    numbers[order] = position - np.maximum.accumulate(np.where(first, position, 0))
    return numbers


def third_index(syn, index, where: str) -> np.ndarray:
    """Which synapses the third index of ``S.w[i, j, k]`` keeps (a mask over all
    synapses): an integer or a slice of the multisynaptic numbers, as in Brian2."""
    name = getattr(syn, "multisynaptic_index", None)
    if name is None:
        raise InvalidValueError(
            f"{where}: a third index numbers the synapses of a pair, which needs "
            f"Synapses(..., multisynaptic_index='k')",
            hint="create the Synapses with multisynaptic_index='k' (or take S.w[i, j][k])")
    numbers = syn._arrays[name]
    if isinstance(index, slice):
        start, stop, step = index.start, index.stop, index.step
        if any(v is not None and (isinstance(v, bool) or not isinstance(v, (int, np.integer)))
               for v in (start, stop, step)) or (step is not None and step < 1):
            raise InvalidValueError(f"{where}: the third index takes a slice of whole "
                                    f"numbers with a positive step, not {index!r}")
        start = 0 if start is None else start
        keep = numbers >= start
        if stop is not None:
            keep &= numbers < stop
        return keep & ((numbers - start) % (step or 1) == 0)
    if isinstance(index, (int, np.integer)) and not isinstance(index, (bool, np.bool_)):
        return numbers == index
    raise InvalidValueError(
        f"{where}: the third index is a whole number or a slice (as in Brian2), not "
        f"{type(index).__name__}",
        hint="select several with a slice (S.w[i, j, 1:3]) or a condition string "
             "(S.w['k == 1 or k == 3'])")
