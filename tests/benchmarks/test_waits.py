"""benchmarks/waits.py's summary of a barrier trace, on a trace written by hand: what
each thread worked and waited, the gap between the first and the last arrival, and the
crossing (the last arrival until a thread that waited leaves: the barrier's own cost).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import waits  # noqa: E402


def _call(*threads):
    """A call of the loop with only barriers: per thread its (arrive, leave) pairs."""
    times = np.array(threads, dtype=np.float64)
    shape = times.shape[:2]
    return {"times": times, "budget": np.full(shape, 2048), "block": np.full(shape, -1),
            "taken": np.zeros(shape[0], dtype=np.int64),
            "ring": [np.zeros(0) for _ in range(shape[0])]}  # (no progress-word waits)


def test_two_threads_gap_and_crossing_per_barrier():
    # the first barrier starts the call; then thread 1 last (0.4 us after thread 0,
    # which leaves 0.1 us after it), thread 0 last (1 us late; thread 1 leaves 0.25 us
    # later), and both at once (thread 0 counts as the last: thread 1 leaves 0.06 us on)
    call = _call([[0, 1], [3, 3.5], [6, 6.2], [9, 9.05]],
                 [[0.5, 1.02], [3.4, 3.52], [5, 6.25], [9, 9.06]])
    s = waits.summarise([call])
    assert s["barriers"] == 3
    assert s["gap"]["max"] == pytest.approx(1.0)
    assert s["crossing"]["median"] == pytest.approx(0.1)
    assert s["crossing"]["max"] == pytest.approx(0.25)
    assert s["crossing"]["mean"] == pytest.approx((0.1 + 0.25 + 0.06) / 3)
    assert s["last_arriver"] == [pytest.approx(2 / 3), pytest.approx(1 / 3)]
    # work: from leaving one barrier to arriving at the next
    assert s["work"][0]["max"] == pytest.approx(2.8)


def test_one_thread_has_no_crossing():
    s = waits.summarise([_call([[0, 0], [2, 2.01], [4, 4.01], [6, 6.01]])])
    assert s["crossing"] is None and s["ring"] is None
    assert s["gap"]["max"] == 0
