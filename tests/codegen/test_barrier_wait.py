"""The threads' barrier (templates/eqsnn_support.h): how a thread's spin budget adapts.

A thread spins up to its budget, then sleeps on a futex. Before session 5 every sleep
halved the budget; but a sleeping thread is late by its wake-up at the next barrier,
so its partner's next spin failed too, and a pair of threads that once slept (a vCPU
stalled for 50 us) slept at every barrier from then on: CUBA 4000 on 2 threads ran 4x
slower (benchmarks/waits.py: 89-99 % of the barriers reached with the budget at its
floor). Now a sleep shorter than EQSNN_SHORT_SLEEP (a late partner, not a busy core)
restores the full budget; a longer one halves it.

The C below makes one thread sleep for sure (its partner arrives only once it sees it
asleep) and returns the sleeper's budget afterwards; the policy's two branches are
told apart by compiling with EQSNN_SHORT_SLEEP set far above or at zero, so the test
does not depend on how long a wake-up takes on the machine that runs it.
"""
from __future__ import annotations

import ctypes
import textwrap

import pytest

from eqsnn.compiler import CompilerOptions, compile_library
from eqsnn.compiler.options import DEFAULT_CFLAGS

SOURCE = textwrap.dedent("""
    #include <stdint.h>
    #include <string.h>
    #include "eqsnn_support.h"

    /* thread 0 arrives first with `budget`; thread 1 arrives `late` seconds after it
     * saw thread 0 asleep. Returns thread 0's budget after the barrier, -1 if the team
     * did not have two threads. */
    __attribute__((visibility("default"))) int64_t budget_after(int64_t budget, double late)
    {
        eqsnn_barrier_t b;
        memset(&b, 0, sizeof b);
        int64_t result = -1;
    #pragma omp parallel num_threads(2)
        {
            int64_t spin = budget;
            if (omp_get_num_threads() == 2) {
                if (omp_get_thread_num() == 1) {
                    while (atomic_load(&b.sleeping) == 0) eqsnn_pause();
                    const double from = omp_get_wtime();
                    while (omp_get_wtime() - from < late) eqsnn_pause();
                }
                eqsnn_barrier(&b, 2, &spin);
                if (omp_get_thread_num() == 0) result = spin;
            }
        }
        return result;
    }
""")


def _budget_after(budget: int, late: float, *defines: str) -> int:
    options = CompilerOptions(cflags=DEFAULT_CFLAGS + defines)
    library = compile_library(SOURCE, name_hint="barrier_wait", options=options)
    function = library.budget_after
    function.restype = ctypes.c_int64
    function.argtypes = [ctypes.c_int64, ctypes.c_double]
    result = function(budget, late)
    if result < 0:
        pytest.skip("no OpenMP team of two threads here")
    return result


def test_a_short_sleep_restores_the_full_budget():
    # (every sleep counts as short): the partner was only late
    assert _budget_after(8, 0.001, "-DEQSNN_SPIN_MAX=64", "-DEQSNN_SHORT_SLEEP=1e3") == 64


def test_a_long_sleep_halves_the_budget():
    # (every sleep counts as long): the partner's core was busy with something else
    assert _budget_after(64, 0.0, "-DEQSNN_SPIN_MAX=64", "-DEQSNN_SHORT_SLEEP=0.0") == 32
    assert _budget_after(8, 0.0, "-DEQSNN_SPIN_MAX=64", "-DEQSNN_SHORT_SLEEP=0.0") == 8


def test_the_default_counts_a_sleep_of_milliseconds_as_long():
    assert _budget_after(64, 0.005, "-DEQSNN_SPIN_MAX=64") == 32
