"""The rows of a pathway are cut by thread in Python (runtime/propagation.py, before the
library is loaded) and walked by thread in C (eqsnn_block in eqsnn_support.h): both
must give every target neuron the same thread, or a thread would add into another's
neurons (a data race) and skip some of its own. Compiles the C cut and compares, for
many sizes and thread counts (a change of EQSNN_BLOCK or of either formula fails here
before any network runs wrong)."""
import ctypes
import textwrap

import numpy as np
import pytest

from eqsnn.compiler import compile_library
from eqsnn.runtime.propagation import BLOCK, _owner, block_first

OWNERS = textwrap.dedent("""
    #include <stdint.h>
    #include "eqsnn_support.h"
    /* owner[k]: the thread whose part [eqsnn_block(t), eqsnn_block(t + 1)) holds k */
    __attribute__((visibility("default")))
    void owners(int64_t n, int64_t nt, int64_t* owner, int64_t* firsts, int64_t* block)
    {
        *block = EQSNN_BLOCK;
        for (int64_t t = 0; t <= nt; ++t) firsts[t] = eqsnn_block(n, t, nt, EQSNN_BLOCK);
        for (int64_t t = 0; t < nt; ++t)
            for (int64_t k = firsts[t]; k < firsts[t + 1]; ++k) owner[k] = t;
    }
""")

_SIZES = [1, 2, 63, 64, 65, 127, 128, 129, 1000, 1023, 4000, 16000, 100000, 100003]
_SIZES += [int(n) for n in np.random.default_rng(17).integers(1, 300000, 12)]


@pytest.fixture(scope="module")
def owners():
    function = compile_library(OWNERS, name_hint="propagation_owner").owners
    function.restype = None
    function.argtypes = [ctypes.c_int64, ctypes.c_int64] + [ctypes.c_void_p] * 3

    def run(n, nt):
        owner, firsts = np.full(n, -1, np.int64), np.zeros(nt + 1, np.int64)
        block = np.zeros(1, np.int64)
        function(n, nt, owner.ctypes.data, firsts.ctypes.data, block.ctypes.data)
        return owner, firsts, int(block[0])
    return run


@pytest.mark.parametrize("nt", [1, 2, 3, 4, 5, 7, 8, 16, 64, 200])
def test_python_cuts_the_rows_where_the_c_loop_cuts_the_neurons(owners, nt):
    for n in _SIZES:
        owner, firsts, block = owners(n, nt)
        assert block == BLOCK
        assert np.all(owner >= 0)                      # (every neuron has a thread)
        np.testing.assert_array_equal(block_first(n, np.arange(nt + 1), nt), firsts)
        np.testing.assert_array_equal(_owner(np.arange(n), n, nt), owner,
                                      err_msg=f"n={n}, threads={nt}")
        # synapses come in any order of their targets: each is looked up on its own
        targets = np.random.default_rng(n).integers(0, n, 50)
        np.testing.assert_array_equal(_owner(targets, n, nt), owner[targets])
