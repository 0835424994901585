"""The threads' barrier (templates/eqsnn_support.h): how a thread's spin budget adapts.

A thread spins up to its budget, then sleeps on a futex; a wait the spin covered
restores the full budget, one it slept through halves it, down to a floor. A sleeping
thread is late by its wake-up at the next barrier, so its partner's spin fails too:
before session 5 two threads that once reached the floor (after a stall of a vCPU)
slept at every barrier for the rest of the call (CUBA 4000 on 2 threads 4x slower;
benchmarks/waits.py). Now a thread at the floor probes: after EQSNN_PROBE_FIRST sleeps
there it spins the full budget once more, and each probe that fails doubles the sleeps
before the next, up to EQSNN_PROBE_LAST (a busy machine burns a spin ever more rarely).

The C below runs barriers where thread 1 arrives only once it sees thread 0 asleep
(every spin of thread 0 fails, whatever the machine's timing), or as soon as thread 0
has arrived with a spin budget no machine exhausts (every spin is covered), and
returns thread 0's budget after each barrier.
"""
from __future__ import annotations

import ctypes
import textwrap

import numpy as np
import pytest

from eqsnn.compiler import CompilerOptions, compile_library
from eqsnn.compiler.options import DEFAULT_CFLAGS

SOURCE = textwrap.dedent("""
    #include <stdint.h>
    #include <string.h>
    #include "eqsnn_support.h"
    #include <omp.h>

    /* n barriers; thread 1 arrives late (once thread 0 sleeps) or, if `prompt`, right
     * after thread 0. Thread 0 starts with `budget` and writes its budget after each
     * barrier to out[k]. Returns 0, or -1 if the team did not have two threads. */
    __attribute__((visibility("default")))
    int64_t budgets(int64_t n, int64_t budget, int64_t prompt, int64_t* out)
    {
        eqsnn_barrier_t b;
        memset(&b, 0, sizeof b);
        int64_t result = -1;
    #pragma omp parallel num_threads(2)
        {
            eqsnn_spin_t spin = EQSNN_SPIN_INIT;
            spin.budget = budget;
            if (omp_get_num_threads() == 2) {
                for (int64_t k = 0; k < n; ++k) {
                    if (omp_get_thread_num() == 1) {
                        /* thread 0 has arrived at this barrier (and, unless prompt,
                         * sleeps in it) */
                        while (atomic_load(&b.arrived) != 1
                               || (!prompt && atomic_load(&b.sleeping) != 1))
                            eqsnn_pause();
                    }
                    eqsnn_barrier(&b, 2, &spin);
                    if (omp_get_thread_num() == 0) out[k] = spin.budget;
                }
                if (omp_get_thread_num() == 0) result = 0;
            }
        }
        return result;
    }
""")
DEFINES = ("-DEQSNN_SPIN_MAX=64", "-DEQSNN_SPIN_MIN=8", "-DEQSNN_PROBE_FIRST=2",
           "-DEQSNN_PROBE_LAST=4")


def _budgets(n: int, budget: int, prompt: bool) -> list[int]:
    options = CompilerOptions(cflags=DEFAULT_CFLAGS + DEFINES)
    library = compile_library(SOURCE, name_hint="barrier_wait", options=options)
    function = library.budgets
    function.restype = ctypes.c_int64
    function.argtypes = [ctypes.c_int64] * 3 + [ctypes.c_void_p]
    out = np.zeros(n, dtype=np.int64)
    if function(n, budget, int(prompt), out.ctypes.data) < 0:
        pytest.skip("no OpenMP team of two threads here")
    return out.tolist()


def test_each_wait_slept_through_halves_the_budget_then_the_floor_probes():
    # 64 -> floor 8; 2 sleeps at the floor, then a probe (64) that fails and halves
    # down again; the next probe comes after 4 sleeps (doubled, EQSNN_PROBE_LAST)
    assert _budgets(17, 64, prompt=False) == [
        32, 16, 8, 8, 64, 32, 16, 8, 8, 8, 8, 64, 32, 16, 8, 8, 8]


def test_a_covered_wait_restores_the_full_budget():
    # (one barrier: the budget it restores, 64 pauses, may not cover the next one on a
    # busy machine)
    assert _budgets(1, 1 << 40, prompt=True) == [64]
