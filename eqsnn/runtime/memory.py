"""Arrays that start on a cache line, for the state the compiled loop's threads share.

The loop gives each thread blocks of 64 neurons (``eqsnn_block``, eqsnn_support.h) so that
no two threads write into one 64-byte cache line - which holds only if element 0 starts
a line. numpy aligns its data to 16 bytes, so a double array's thread boundary (element
512 of 1000, byte 4096 from the start) usually falls inside a line, and two threads that
write their neighbouring neurons every step pass that line back and forth between their
cores (false sharing): a fixed cost per step and per array, which is much of a step when a
thread's share is small (HH 1000: 500 neurons, ~2.5 us a step).
"""
from __future__ import annotations

import numpy as np

__all__ = ["LINE", "aligned_zeros", "aligned_full"]

#: bytes in a cache line on the machines eqsnn targets (x86-64, most AArch64)
LINE = 64


def aligned_zeros(n: int, dtype=np.float64) -> np.ndarray:
    """A zero-filled 1-D array of ``n`` elements whose first element starts a cache line
    (a view into a slightly larger buffer, which it keeps alive)."""
    dtype = np.dtype(dtype)
    if n == 0:
        return np.zeros(0, dtype)  # (no element to align)
    raw = np.zeros(n * dtype.itemsize + LINE, dtype=np.uint8)
    start = -raw.ctypes.data % LINE
    return raw[start:start + n * dtype.itemsize].view(dtype)


def aligned_full(n: int, value, dtype=np.float64) -> np.ndarray:
    """:func:`aligned_zeros` filled with ``value``."""
    array = aligned_zeros(n, dtype)
    array[:] = value
    return array
