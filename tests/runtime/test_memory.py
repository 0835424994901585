"""The arrays the loop's threads write in blocks start on a cache line (runtime/memory.py):
with numpy's 16-byte alignment the boundary between two threads' blocks fell inside a line
that both wrote every step."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.runtime.memory import LINE, aligned_full, aligned_zeros
from eqsnn.units import ms, mV


@pytest.mark.parametrize("n, dtype", [(0, np.float64), (1, np.int32), (1000, np.float64),
                                      (999, np.int64), (77, np.bool_)])
def test_aligned_arrays_start_a_line_and_hold_what_numpy_would(n, dtype):
    zeros, full = aligned_zeros(n, dtype), aligned_full(n, 3, dtype)
    for array in (zeros, full):
        assert array.shape == (n,) and array.dtype == np.dtype(dtype)
        assert n == 0 or array.ctypes.data % LINE == 0
        assert array.flags.c_contiguous and array.flags.writeable
    assert not zeros.any()
    np.testing.assert_array_equal(full, np.full(n, 3, dtype))


def test_a_groups_state_starts_on_cache_lines():
    group = es.NeuronGroup(1000, "dv/dt = -v/(10*ms) : volt\nk : integer",
                           threshold="v > 1*mV", reset="v = 0*mV", refractory=2 * ms)
    group.v = "i*0.002*mV"
    es.Network(group, threads=2).run(1 * ms)
    for name, array in group._arrays.items():
        assert array.ctypes.data % LINE == 0, name
    assert group._lastspike.ctypes.data % LINE == 0
    # values read and set as before: the view is the array the loop runs on
    group.v[:3] = [1, 2, 3] * mV
    assert group.v[:3] / mV == pytest.approx([1, 2, 3])
    assert np.shares_memory(group.v_, group._arrays["v"])
