"""The pairs a generator makes: ``connect(j="k for k in range(i-3, i+4) if k != i")``.

Brian2's semantics (its ``synapses_create_generator`` template), vectorised over blocks
of outer neurons instead of a loop per neuron. For ``j=...`` (``i=...`` is the mirror
image, with the roles of source and target swapped), for every source neuron ``i``:

1. a condition of ``i`` alone is tested first (the range need not be valid where it
   is false);
2. the ``range``/``sample`` arguments are evaluated (whole numbers);
3. the iteration variable runs over the range, or over a random sample of it: each value
   with probability ``p``, or ``size`` values without replacement (in increasing order);
4. the element gives ``j`` for each value (a whole number);
5. the ``if`` condition keeps some of them — if it reads ``j`` or the target's
   variables, every ``j`` must be a valid index first;
6. an index outside the target is an error, or skipped with ``skip_if_invalid=True``
   (which also turns a sample size below 0 or above the population into 0 or all);
7. each pair gets ``n`` synapses.

Pairs come out in that order: by outer neuron, then in the order of the iteration.
"""
from __future__ import annotations

import numpy as np

from eqsnn.errors import InvalidValueError, SourceSpan
from eqsnn.lowering import cache
from eqsnn.lowering.namespace import check_namespace
from eqsnn.lowering.generators import GeneratorRecord

__all__ = ["generator_pairs", "generator_record"]

_BLOCK = 2_000_000  # candidate values evaluated at once
_HINT = ("add an 'if' that keeps the index in range, or pass skip_if_invalid=True to skip "
         "the pairs outside")


def generator_record(syn, text: str, result: str) -> GeneratorRecord:
    """Parsed and checked once per model, then loaded from the build cache."""
    namespace = check_namespace(syn._namespace_seen())

    def derive():
        from eqsnn.lowering.generators import lower_generator
        return lower_generator(syn._symbolic(), text, result=result, namespace=namespace)
    return cache.derived_from_strings("Synapses-generator", syn._build_key, [result, text],
                                      namespace, GeneratorRecord, derive)


def generator_pairs(syn, record: GeneratorRecord, *, skip_if_invalid: bool):
    """``(pre, post)`` relative indices of the pairs, in creation order."""
    n_pre = syn.pre_stop - syn.pre_start
    n_post = syn.post_stop - syn.post_start
    outer_size, result_size = (n_pre, n_post) if record.result == "j" else (n_post, n_pre)
    ctx = _Context(syn, record, result_size, skip_if_invalid)
    outer = np.arange(outer_size, dtype=np.int64)
    if record.condition_first:
        outer = outer[ctx.evaluate("condition", outer) != 0]
    start, stop, step = (ctx.whole(name, ctx.evaluate(name, outer), outer)
                         for name in ("start", "stop", "step"))
    if np.any(step == 0):
        raise ctx.error("step", "the step of range() in a generator cannot be 0")
    counts = np.maximum(0, -((start - stop) // step))  # len(range(start, stop, step))
    sizes = probabilities = None
    if "size" in record.parts:
        sizes = ctx.sample_sizes(ctx.whole("size", ctx.evaluate("size", outer), outer), counts)
    elif "p" in record.parts:
        probabilities = ctx.evaluate("p", outer)
    pre, post = [], []
    for block in _blocks(counts):
        o = np.repeat(outer[block], counts[block])
        first = np.cumsum(counts[block]) - counts[block]
        position = np.arange(o.size, dtype=np.int64) - np.repeat(first, counts[block])
        inner = np.repeat(start[block], counts[block]) + np.repeat(step[block],
                                                                   counts[block]) * position
        if probabilities is not None:
            keep = syn._rng.random(o.size) < np.repeat(probabilities[block], counts[block])
            o, inner = o[keep], inner[keep]
        elif sizes is not None:
            keep = _sample(syn._rng, o, np.repeat(sizes[block], counts[block]))
            o, inner = o[keep], inner[keep]
        made = ctx.whole("element", ctx.evaluate("element", o, inner=inner), o)
        if "condition" in record.parts and not record.condition_first:
            if record.condition_reads_result:
                o, inner, made = ctx.in_range(o, inner, made)
            keep = ctx.evaluate("condition", o, made, inner=inner) != 0
            o, inner, made = o[keep], inner[keep], made[keep]
        o, inner, made = ctx.in_range(o, inner, made)
        pre.append(o if record.result == "j" else made)
        post.append(made if record.result == "j" else o)
    if not pre:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(pre), np.concatenate(post)


def _blocks(counts: np.ndarray):
    """Slices of outer neurons with about ``_BLOCK`` candidates each (at least one)."""
    start, total = 0, np.cumsum(counts)
    while start < counts.size:
        base = total[start - 1] if start else 0
        stop = max(start + 1, int(np.searchsorted(total, base + _BLOCK, side="right")))
        yield slice(start, stop)
        start = stop


def _sample(rng, owner: np.ndarray, size: np.ndarray) -> np.ndarray:
    """For each run of equal ``owner``, ``size`` of its positions chosen uniformly
    without replacement, kept in their order (the smallest random keys win)."""
    if owner.size == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((rng.random(owner.size), owner))
    first = np.searchsorted(owner[order], owner[order], side="left")
    keep = np.zeros(owner.size, dtype=bool)
    keep[order[np.arange(owner.size) - first < size[order]]] = True
    return keep


class _Context:
    """Evaluates the record's parts for one connect() call and reports errors at them."""

    def __init__(self, syn, record: GeneratorRecord, result_size: int, skip: bool):
        self.syn, self.record, self.result_size, self.skip = syn, record, result_size, skip

    def evaluate(self, name: str, outer, made=None, *, inner=None) -> np.ndarray:
        from eqsnn.runtime.pair_values import pair_values
        from eqsnn.runtime.evaluate import LazyValues, evaluate_tree
        part = self.record.parts[name]
        syn = self.syn
        made = np.zeros_like(outer) if made is None else made  # (never read: refused)
        pre, post = (outer, made) if self.record.result == "j" else (made, outer)
        values = {key: constant.value for key, constant in syn._constants.items()}
        values.update(syn._extra(part))
        if inner is not None and self.record.variable:
            values[self.record.variable] = inner.astype(np.float64)
        values = LazyValues(values, pair_values(syn, pre, post, relative=True))
        return evaluate_tree(part.tree, values, size=outer.size, rng=syn._rng)

    def whole(self, name: str, values: np.ndarray, outer) -> np.ndarray:
        bad = ~np.isfinite(values) | (values != np.round(values))
        if np.any(bad):
            where = np.flatnonzero(bad)[0]
            raise self.error(name, f"this part of the generator must give whole numbers, but "
                                   f"gives {values[where]:g} for {self._outer(outer[where])}",
                             hint="round it with int(...), or divide with //")
        return values.astype(np.int64)

    def sample_sizes(self, sizes: np.ndarray, counts: np.ndarray) -> np.ndarray:
        bad = (sizes < 0) | (sizes > counts)
        if np.any(bad) and not self.skip:
            k = np.flatnonzero(bad)[0]
            what = ("a negative number of values" if sizes[k] < 0 else
                    f"more values than the {counts[k]} in its range")
            raise self.error("size", f"sample(size={sizes[k]}) asks for {what}",
                             hint="pass skip_if_invalid=True to take none / all of them")
        return np.clip(sizes, 0, counts)

    def in_range(self, outer, inner, made):
        bad = (made < 0) | (made >= self.result_size)
        if not np.any(bad):
            return outer, inner, made
        if self.skip:
            keep = ~bad
            return outer[keep], inner[keep], made[keep]
        k = np.flatnonzero(bad)[0]
        result = self.record.result
        role = "target" if result == "j" else "source"
        raise self.error("element", f"the generator makes {result} = {made[k]} for "
                                    f"{self._outer(outer[k])}, outside the {role} "
                                    f"(0..{self.result_size - 1})", hint=_HINT)

    def _outer(self, index) -> str:
        return f"{'i' if self.record.result == 'j' else 'j'} = {index}"

    def error(self, part: str, message: str, *, hint: str | None = None) -> InvalidValueError:
        line, column, end = self.record.spans.get(part, [1, 0, None])
        label = f"generator of {self.record.result}"
        return InvalidValueError(message, span=SourceSpan(self.record.text, line, column, end,
                                                          label), hint=hint)
