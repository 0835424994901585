"""The values a synapse string reads for each pair of neurons (``i``, ``j``, ``x_pre``,
``x_post``, ``N_pre``, ...): shared by connect's conditions, the generator syntax and
the synapses' string values, so none of them imports another."""
from __future__ import annotations

import numpy as np


def pair_values(syn, pre: np.ndarray, post: np.ndarray, *, relative: bool) -> dict:
    """How to compute, for each pair (``pre[k]``, ``post[k]``), the symbols a synapse
    string may use: ``i``, ``j``, ``N_pre``, ``N_post``, every neuron variable as
    ``x_pre`` / ``x_post``, and for existing synapses ``N_incoming`` / ``N_outgoing``. Functions, not arrays, for :class:`LazyValues`: a string
    reads only a few of them, and each would be a full-length gather.

    ``relative``: ``pre`` and ``post`` count from the start of the source and target
    (sub)groups, as ``i`` and ``j`` do (connect's candidate pairs); otherwise they
    index the whole groups' arrays (the synapses' own ``_pre`` and ``_post``)."""
    lazy = {"N_pre": lambda: float(syn.pre_stop - syn.pre_start),
            "N_post": lambda: float(syn.post_stop - syn.post_start)}
    if not relative:  # the synapses exist: how many share each one's target / source
        lazy["N_incoming"], lazy["N_outgoing"] = _counts(post), _counts(pre)
    for index_name, suffix, group, index, start in (
            ("i", "_pre", syn.pre_group, pre, syn.pre_start),
            ("j", "_post", syn.post_group, post, syn.post_start)):
        offset = start if relative else 0   # relative index + offset = array index
        lazy[index_name] = _shifted(index, offset - start)
        shared = getattr(group, "_shared", ())
        for name, array in getattr(group, "_arrays", {}).items():  # none: spikes only
            lazy[name + suffix] = (lambda a=array: a[0]) if name in shared \
                else _gather(array, index, offset)
    return lazy


def _counts(index: np.ndarray):
    return lambda: np.bincount(index)[index].astype(np.float64)


def _shifted(index: np.ndarray, shift: int):
    return lambda: (index + shift).astype(np.float64)


def _gather(array: np.ndarray, index: np.ndarray, shift: int):
    return lambda: array[index + shift] if shift else array[index]
