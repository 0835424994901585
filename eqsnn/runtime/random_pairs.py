"""The random pairs of ``Synapses.connect(p=...)`` with a constant probability.

Each of the ``n_pre * n_post`` pairs is chosen independently with probability ``p``.
The gaps between chosen pairs (in row-major order of the pair table) are drawn from a
geometric distribution, so the cost grows with the number of synapses made, not with
the number of possible pairs. The pairs come out sorted by source, then target.
"""
from __future__ import annotations

import numpy as np

__all__ = ["random_pairs"]


def random_pairs(rng, p: float, n_pre: int, n_post: int):
    """Each of the ``n_pre * n_post`` pairs independently with probability ``p``."""
    total = n_pre * n_post
    if p == 0 or total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    expected = p * total
    chosen = []
    position = -1
    while position < total:
        batch = int(expected + 6 * np.sqrt(expected) + 16)
        positions = position + np.cumsum(rng.geometric(p, size=batch))
        chosen.append(positions[positions < total])
        position = int(positions[-1])
    flat = np.concatenate(chosen)
    return flat // n_post, flat % n_post
