"""Which pairs ``Synapses.connect`` creates, vectorised.

Random connectivity with a constant probability draws the gaps between chosen pairs
from a geometric distribution, so its cost grows with the number of synapses made, not
with the number of possible pairs (a million synapses out of 100 million pairs take a
fraction of a second). A condition is then evaluated only on the chosen pairs — the
same distribution, since the condition does not depend on the draw. Without ``p``, a
condition is evaluated over all pairs in blocks of sources, so memory stays bounded.
Every form returns pairs sorted by source, then target: the order the propagation
loop prefers, so the common cases need no reordering.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np

from eqsnn.errors import InvalidValueError
from eqsnn.runtime.pair_values import pair_values
from eqsnn.runtime.random_pairs import random_pairs

__all__ = ["pairs", "pair_values"]

_BLOCK_PAIRS = 2_000_000  # candidate pairs evaluated at once for a condition


def pairs(syn, condition: Any, *, i: Any, j: Any, p: Any, fixed_in: Any, n: Any = 1,
          skip_if_invalid: bool = False):
    """``(pre, post)`` int64 indices relative to the source and target groups; a pair
    appears ``n`` times for ``n`` synapses (a number, or a string per pair)."""
    n_pre = syn.pre_stop - syn.pre_start
    n_post = syn.post_stop - syn.post_start
    _check_arguments(condition, i, j, p, fixed_in, skip_if_invalid)
    if isinstance(i, str) or isinstance(j, str):
        pre, post = _generated(syn, condition, i, j, p, fixed_in, skip_if_invalid)
    elif i is not None or j is not None:
        pre, post = _explicit(i, j, n_pre, n_post)
    elif fixed_in is not None:
        pre, post = _fixed_in(syn, fixed_in, condition, n_pre, n_post)
    elif isinstance(p, str) or float(p) >= 1.0:
        pre, post = _all_pairs(syn, condition, p, n_pre, n_post)
    else:
        pre, post = random_pairs(syn._rng, float(p), n_pre, n_post)
        pre, post = _filter(syn, pre, post, condition, 1.0)
    return _repeated(syn, pre, post, n)


def _generated(syn, condition, i, j, p, fixed_in, skip_if_invalid: bool):
    """``connect(j="k for k in ...")`` or ``connect(i=...)``: see runtime/generators.py."""
    from eqsnn.runtime.generators import generator_pairs, generator_record
    result, text, other = ("i", i, j) if isinstance(i, str) else ("j", j, i)
    example = "connect(j='k for k in sample(N_post, p=0.1)')"
    if other is not None:
        raise InvalidValueError(f"connect({result}='...') (a generator) makes the "
                                f"{'sources' if result == 'i' else 'targets'} itself: it "
                                f"cannot be combined with {'j' if result == 'i' else 'i'}=",
                                hint="put a condition on both indices in the generator's "
                                     "'if': connect(j='k for k in range(N_post) if k > i')")
    if condition is not None or fixed_in is not None or not _is_one(p):
        raise InvalidValueError("a generator (connect(j='...') or connect(i='...')) cannot "
                                "be combined with condition, p or fixed_in",
                                hint=f"draw inside the generator: {example}, and put the "
                                     f"condition after 'if'")
    record = generator_record(syn, text, result)
    return generator_pairs(syn, record, skip_if_invalid=skip_if_invalid)


def _repeated(syn, pre, post, n):
    """Each pair ``n`` times (Brian2's multiple synapses per pair); ``n`` may be a string
    of ``i``, ``j`` and the groups' variables, evaluated per pair."""
    if isinstance(n, str):
        counts = _evaluate_on_pairs(syn, n, pre, post, "number of synapses n")
        bad = (counts < 0) | (counts != np.round(counts)) | ~np.isfinite(counts)
        if np.any(bad):
            k = np.flatnonzero(bad)[0]
            raise InvalidValueError(f"connect(n={n!r}) gives {counts[k]:g} synapses for the "
                                    f"pair i = {pre[k]}, j = {post[k]}; n must be a whole "
                                    f"number >= 0", hint="round it with int(...)")
        counts = counts.astype(np.int64)
        return np.repeat(pre, counts), np.repeat(post, counts)
    counts = np.asarray(n)
    if isinstance(n, (bool, np.bool_)) or not np.issubdtype(counts.dtype, np.integer) \
            or counts.ndim > 1 or np.any(counts < 0):
        raise InvalidValueError(f"connect(n=...) is the number of synapses per pair: a whole "
                                f"number >= 0 (or one per pair, or a string), not {n!r}")
    if counts.ndim == 1 and counts.size != pre.size:
        raise InvalidValueError(f"connect(n=...) gives {counts.size} numbers for {pre.size} "
                                f"pairs")
    if counts.ndim == 0 and int(counts) == 1:
        return pre, post
    return np.repeat(pre, counts), np.repeat(post, counts)


def _check_arguments(condition, i, j, p, fixed_in, skip_if_invalid=False) -> None:
    if condition is not None and not isinstance(condition, (str, bool, np.bool_)):
        raise InvalidValueError(
            f"the condition of connect() must be a string such as 'i != j' or a bool, not "
            f"{type(condition).__name__}",
            hint="for explicit pairs write connect(i=[...], j=[...])")
    if isinstance(condition, str) and re.search(r"\bfor\b", condition):
        raise InvalidValueError(f"connect({condition!r}): a generator goes to j= (or i=), "
                                f"not to the condition",
                                hint=f"write connect(j={condition!r})")
    generator = isinstance(i, str) or isinstance(j, str)
    explicit = not generator and (i is not None or j is not None)
    if explicit and (condition is not None or fixed_in is not None or not _is_one(p)):
        raise InvalidValueError("connect(i=..., j=...) makes exactly the pairs given; it "
                                "cannot be combined with condition, p or fixed_in")
    if skip_if_invalid and not generator:
        raise InvalidValueError("skip_if_invalid=True only applies to a generator "
                                "(connect(j='...') or connect(i='...'))",
                                hint="explicit indices must all be valid; a condition makes "
                                     "valid pairs only")
    if fixed_in is not None:
        if not _is_one(p):
            raise InvalidValueError("connect(fixed_in=K) cannot be combined with p")
        if isinstance(fixed_in, (bool, np.bool_)) or not isinstance(fixed_in, (int, np.integer)) \
                or fixed_in < 0:
            raise InvalidValueError(f"fixed_in must be a non-negative integer (sources per "
                                    f"target), not {fixed_in!r}")
    if not isinstance(p, str):
        try:
            value = float(p)
        except (TypeError, ValueError):
            raise InvalidValueError(f"the connection probability p must be a number in [0, 1] "
                                    f"or a string expression, not {p!r}") from None
        if not 0 <= value <= 1:
            raise InvalidValueError(f"the connection probability p must lie in [0, 1], got {p}")


def _is_one(p: Any) -> bool:
    return not isinstance(p, str) and float(p) == 1.0


def _explicit(i, j, n_pre: int, n_post: int):
    if i is None or j is None:
        raise InvalidValueError("connect: give both i= and j= for explicit pairs",
                                hint="connect(i=[0, 1], j=[2, 3]) connects 0→2 and 1→3")
    arrays = []
    for name, values in (("i", i), ("j", j)):
        array = np.atleast_1d(np.asarray(values))
        if array.ndim != 1:
            raise InvalidValueError(f"connect: {name} must be one index or a 1-d array of "
                                    f"indices, got shape {array.shape}")
        if array.size and not np.issubdtype(array.dtype, np.integer):
            raise InvalidValueError(f"connect: {name} must hold integer neuron indices, got "
                                    f"values of type {array.dtype}")
        arrays.append(array.astype(np.int64))
    pre, post = arrays
    if pre.size != post.size and 1 not in (pre.size, post.size):
        raise InvalidValueError(f"connect: i and j must have the same length (or one of them "
                                f"be a single index), got {pre.size} and {post.size}")
    pre, post = np.broadcast_arrays(pre, post)
    for name, values, size, role in (("i", pre, n_pre, "source"), ("j", post, n_post, "target")):
        if values.size and (values.min() < 0 or values.max() >= size):
            raise InvalidValueError(f"connect: {name} indices must lie in 0..{size - 1} (the "
                                    f"{role} has {size} neurons), got {values.min()}..{values.max()}")
    return pre.copy(), post.copy()


def _all_pairs(syn, condition, p, n_pre: int, n_post: int):
    """Every pair (meeting ``condition``, kept with probability ``p``), by blocks of sources."""
    rows = max(1, _BLOCK_PAIRS // max(n_post, 1))
    chosen_pre, chosen_post = [], []
    for start in range(0, n_pre, rows):
        stop = min(start + rows, n_pre)
        pre = np.repeat(np.arange(start, stop, dtype=np.int64), n_post)
        post = np.tile(np.arange(n_post, dtype=np.int64), stop - start)
        pre, post = _filter(syn, pre, post, condition, p)
        chosen_pre.append(pre)
        chosen_post.append(post)
    if not chosen_pre:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if len(chosen_pre) == 1:  # (one block, Izhikevich 1000's: no copy of it)
        return chosen_pre[0], chosen_post[0]
    return np.concatenate(chosen_pre), np.concatenate(chosen_post)


def _filter(syn, pre, post, condition, p):
    """Keep the pairs meeting ``condition``, each with probability ``p``."""
    if condition is False:
        return pre[:0], post[:0]
    if isinstance(condition, str):
        keep = _evaluate_on_pairs(syn, condition, pre, post, "condition", boolean=True) != 0
        pre, post = pre[keep], post[keep]
    if isinstance(p, str):
        probability = _evaluate_on_pairs(syn, p, pre, post, "connection probability")
        keep = syn._rng.random(pre.size) < probability
        pre, post = pre[keep], post[keep]
    elif float(p) < 1.0:
        keep = syn._rng.random(pre.size) < float(p)
        pre, post = pre[keep], post[keep]
    return pre, post


def _fixed_in(syn, k: int, condition, n_pre: int, n_post: int):
    """``k`` distinct sources for every target, uniformly among those allowed."""
    k = int(k)
    if condition is None or condition is True:
        if k > n_pre:
            raise InvalidValueError(f"fixed_in={k} asks for more sources per target than the "
                                    f"source has neurons ({n_pre})")
        if k == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        if 4 * k <= n_pre:
            return _sorted(*_fixed_in_sparse(syn._rng, k, n_pre, n_post))
        pre, post = _all_pairs(syn, None, 1.0, n_pre, n_post)
    else:
        pre, post = _all_pairs(syn, condition, 1.0, n_pre, n_post)
    # The k candidates with the smallest random keys of each target (all if fewer).
    order = np.lexsort((syn._rng.random(pre.size), post))
    post_sorted = post[order]
    first = np.searchsorted(post_sorted, post_sorted, side="left")
    keep = order[np.arange(order.size) - first < k]
    return _sorted(pre[keep], post[keep])


def _fixed_in_sparse(rng, k: int, n_pre: int, n_post: int):
    """Draw with replacement, then redraw the duplicates until none is left (fast when
    k is small against the number of sources)."""
    draws = rng.integers(0, n_pre, size=(n_post, k))
    while True:
        ordered = np.sort(draws, axis=1)
        duplicate = np.zeros_like(draws, dtype=bool)
        duplicate[:, 1:] = ordered[:, 1:] == ordered[:, :-1]
        if not duplicate.any():
            draws = ordered
            break
        ordered[duplicate] = rng.integers(0, n_pre, size=int(duplicate.sum()))
        draws = ordered
    post = np.repeat(np.arange(n_post, dtype=np.int64), k)
    return draws.ravel().astype(np.int64), post


def _sorted(pre, post):
    order = np.lexsort((post, pre))
    return pre[order], post[order]


def _evaluate_on_pairs(syn, text: str, pre: np.ndarray, post: np.ndarray, label: str, *,
                       boolean: bool = False):
    """Evaluate a string over candidate pairs (``i``, ``j``, ``x_pre``, ``x_post``);
    parsed and checked with SymPy once, then its tree comes from the build cache."""
    from eqsnn.runtime.evaluate import LazyValues, evaluate_tree
    derived = syn._derived_string(text, label, boolean=boolean, pairs=True)
    values = {name: constant.value for name, constant in syn._constants.items()}
    extra = syn._extra(derived)
    values.update(extra)
    values = LazyValues(values, pair_values(syn, pre, post, relative=True))
    return evaluate_tree(derived.tree, values, size=pre.size, rng=syn._rng,
                         functions=syn._string_functions(extra))
