# cython: language_level=3, boundscheck=False, wraparound=False
"""The Cython side of every compiled network: enter a network's C loop without the GIL.

Each network's time loop is generated C, compiled into its own small shared library
(see :mod:`eqsnn.compiler.cache`); its one entry point ``eqsnn_run`` takes the raw
addresses of the network's arrays. This module is the same for every network, so it is
compiled once — by ``pip install`` (setup.py builds it as an extension), or, in a source
checkout, once per compile cache (:func:`eqsnn.compiler.runner`) — and not once per
network: Cython's translation and its boilerplate C cost ~2 s, the network's own C ~0.3 s.

:class:`NetworkLoop` takes the address of a network's ``eqsnn_run``, copies the array
addresses into a C table, and calls the loop with the GIL released, so other Python
threads (a progress bar, a Dask worker's heartbeat) run while it does.
"""
from libc.stdint cimport int64_t, uint64_t, uintptr_t
from libc.stdlib cimport free, malloc

ctypedef int64_t (*eqsnn_run_t)(int64_t, int64_t, double, uint64_t, void**,
                                const double*, const int64_t*) noexcept nogil


cdef class NetworkLoop:
    """``run(start_step, n_steps, dt, seed, addresses, scalars, iscalars)`` of one network.

    Parameters
    ----------
    function_address
        Address of the network library's ``eqsnn_run``.
    n_arrays
        How many array addresses each call hands over.
    """

    cdef eqsnn_run_t _run
    cdef void** _table
    cdef Py_ssize_t _n_arrays

    def __cinit__(self, uintptr_t function_address, Py_ssize_t n_arrays):
        if function_address == 0:
            raise ValueError("the network library has no eqsnn_run")
        self._run = <eqsnn_run_t>function_address
        self._n_arrays = n_arrays
        self._table = <void**>malloc(max(1, n_arrays) * sizeof(void*))
        if self._table == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self._table)

    def run(self, int64_t start_step, int64_t n_steps, double dt, uint64_t seed,
            addresses, uintptr_t scalars, uintptr_t iscalars):
        """Advance up to ``n_steps`` steps; return how many were done (fewer when a
        recording buffer is full)."""
        cdef Py_ssize_t k
        if len(addresses) != self._n_arrays:
            raise ValueError(f"the network loop takes {self._n_arrays} arrays, "
                             f"not {len(addresses)}")
        for k in range(self._n_arrays):
            self._table[k] = <void*><uintptr_t>addresses[k]
        cdef int64_t done
        with nogil:
            done = self._run(start_step, n_steps, dt, seed, self._table,
                             <const double*>scalars, <const int64_t*>iscalars)
        return done
