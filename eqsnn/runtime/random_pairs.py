"""The random pairs of ``Synapses.connect(p=...)`` with a constant probability.

Each of the ``n_pre * n_post`` pairs is chosen independently with probability ``p``.
The gaps between chosen pairs (in row-major order of the pair table) are drawn from a
geometric distribution, so the cost grows with the number of synapses made, not with
the number of possible pairs. The pairs come out sorted by source, then target.

Large tables are cut into chunks of source rows, each with its own generator seeded
from the synapses' generator, and the chunks are drawn on a pool of threads (numpy's
generators and ufuncs release the GIL on large arrays). The chunks are fixed by the
sizes and ``p`` alone, never by the number of threads, so the pairs stay a function of
the seed. A table expected to hold fewer than ``CHUNK_SYNAPSES`` synapses is one chunk
drawn from the synapses' own generator, as before chunks existed.
"""
from __future__ import annotations

import os

import numpy as np

__all__ = ["CHUNK_SYNAPSES", "random_pairs"]

#: expected synapses per chunk (~25 MB of temporaries each)
CHUNK_SYNAPSES = 1 << 20


def random_pairs(rng, p: float, n_pre: int, n_post: int):
    """Each of the ``n_pre * n_post`` pairs independently with probability ``p``:
    ``(pre, post)`` int64 indices."""
    total = n_pre * n_post
    if p == 0 or total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    rows = max(1, int(CHUNK_SYNAPSES / (p * n_post)))  # source rows per chunk
    if rows >= n_pre:
        return _chunk(rng, p, 0, n_pre, n_post)
    starts = list(range(0, n_pre, rows))
    seeds = rng.integers(0, 2**63, size=len(starts))
    def draw(k):  # int32 while all chunks are alive: half the peak of int64 parts
        pre, post = _chunk(np.random.default_rng(int(seeds[k])), p, starts[k],
                           min(starts[k] + rows, n_pre), n_post)
        return pre.astype(np.int32), post.astype(np.int32)
    from concurrent.futures import ThreadPoolExecutor  # only for large tables
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = min(len(starts), cores or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(draw, range(len(starts))))
    return (np.concatenate([pre for pre, _ in parts], dtype=np.int64),
            np.concatenate([post for _, post in parts], dtype=np.int64))


def _chunk(rng, p: float, first_row: int, stop_row: int, n_post: int):
    """The chosen pairs of source rows ``[first_row, stop_row)``."""
    total = (stop_row - first_row) * n_post
    expected = p * total
    chosen = []
    position = -1
    while position < total:
        batch = int(expected + 6 * np.sqrt(expected) + 16)
        positions = position + np.cumsum(rng.geometric(p, size=batch))
        chosen.append(positions[positions < total])
        position = int(positions[-1])
    flat = chosen[0] if len(chosen) == 1 else np.concatenate(chosen)
    pre, post = np.divmod(flat, n_post)
    if first_row:
        pre += first_row
    return pre, post
