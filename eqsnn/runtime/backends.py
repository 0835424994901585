"""The two backends behind ``Network.run``: a compiled C library, or its numpy twin.

Both receive the same arrays in the same order; only how they are handed over differs
(raw addresses for the compiled loop, the arrays themselves for numpy).

The compiled backend (``"c"``): each network's loop is a plain C library of its own,
and one Cython module, the same for every network (:mod:`eqsnn.compiler.runner`),
calls it with the GIL released. Wrapping each network in its own Cython module instead
added ~1 s of Cython translation and ~1 s of compiling Cython's boilerplate to every
cold build, for one function call per chunk of steps.
"""
from __future__ import annotations

import os
import types
import weakref
from dataclasses import dataclass, field

import numpy as np

from eqsnn.codegen.network import ModuleSource
from eqsnn.targets import COMPILED, NUMPY, backend_name

__all__ = ["choose_backend", "load_backend", "Program"]


def choose_backend(requested: str | None, compiler=None, *, stacklevel: int = 2) -> str:
    """``None`` → the compiled backend when a C compiler works (with the
    :class:`~eqsnn.compiler.CompilerOptions` ``compiler``, default from the environment),
    else numpy: with one warning per process when there is none, and with a warning of
    its own each time the compiler's probe times out (it is asked again for the next
    network). A deprecated name warns ``stacklevel`` frames up."""
    if requested is not None:
        return backend_name(requested, stacklevel=stacklevel + 1)
    from eqsnn.compiler import availability
    status = availability.compiler_status(compiler)
    if status == availability.OK:
        return COMPILED
    if status == availability.TIMED_OUT:  # (the compiler exists: it was slow)
        availability.warn_probe_timed_out(compiler)
    else:
        availability.warn_no_compiler()
    return NUMPY


@dataclass
class Program:
    """A loaded network module plus the getters of everything it is handed."""

    source: ModuleSource
    module: types.ModuleType
    #: each array's last data address, with a weak reference to the array (_addresses)
    _known: list = field(default_factory=list, repr=False)

    @property
    def threaded(self) -> bool:
        """Whether the module runs a step on several threads."""
        return getattr(self.module, "threaded", False)

    @property
    def timed(self) -> bool:
        """Whether a call of the loop ends by itself once its time budget (the network's
        ``_budget_ns``) is spent, so that it may be asked for the rest of a run."""
        return bool(getattr(self.module, "timed", False))

    def run(self, start_step: int, n_steps: int, dt: float, seed: int) -> int:
        try:
            for value in self.source.held:  # (each computed once for its getters)
                value.hold()
            arrays = [slot.get() for slot in self.source.arrays]
            scalars = np.array([get() for _, get in self.source.scalars] or [0.0],
                               dtype=np.float64)
            iscalars = np.array([get() for _, get in self.source.int_scalars] or [0],
                                dtype=np.int64)
        finally:
            for value in self.source.held:
                value.release()
        if self.source.backend == COMPILED:
            return self.module.run(start_step, n_steps, dt, seed, self._addresses(arrays),
                                   scalars.ctypes.data, iscalars.ctypes.data)
        return self.module.run(start_step, n_steps, dt, seed, arrays, scalars, iscalars)

    def _addresses(self, arrays: list[np.ndarray]) -> list[int]:
        """The data address of each array: the last call's for an array that is still
        the same object (``ctypes.data`` costs ~1 us an array, and Izhikevich 1000
        hands over 30 at each call; an array's data does not move while it lives:
        eqsnn grows a buffer by making a new array, never resizes one in place). The
        references are weak: an array the network replaced is not kept alive."""
        if len(self._known) != len(arrays):
            self._known = [(None, 0)] * len(arrays)
        addresses = []
        for k, array in enumerate(arrays):
            ref, address = self._known[k]
            if ref is None or ref() is not array:
                address = array.ctypes.data
                self._known[k] = (weakref.ref(array), address)
            addresses.append(address)
        return addresses


def _passive_openmp_threads() -> None:
    """libgomp's threads sleep between calls of the loop instead of spinning, unless the
    user chose (``OMP_WAIT_POLICY``, ``GOMP_SPINCOUNT``); libgomp reads these when it is
    loaded, with the first network library. Within a call, the threads wait for each
    other at eqsnn's own barrier (``eqsnn_support.h``), which spins while that pays and
    sleeps when the machine is busy; libgomp's own waits remain only at the start and
    end of each call, where a spinning thread would burn a core while Python runs."""
    if "OMP_WAIT_POLICY" not in os.environ and "GOMP_SPINCOUNT" not in os.environ:
        os.environ["OMP_WAIT_POLICY"] = "passive"


class CompiledLoop:
    """``eqsnn_run`` of a network's C library, called like the numpy twin's ``run``
    through the Cython runner."""

    def __init__(self, library, source: ModuleSource, compiler=None):
        import ctypes
        from eqsnn.compiler.runner import runner
        self._n_arrays = len(source.arrays)
        expected = (len(source.arrays), len(source.scalars), len(source.int_scalars))
        found = tuple(ctypes.c_int64.in_dll(library, name).value for name in
                      ("eqsnn_n_arrays", "eqsnn_n_scalars", "eqsnn_n_iscalars"))
        if found != expected:  # a stale or foreign library under this name
            raise RuntimeError(f"eqsnn internal error: the network library expects "
                               f"{found} arrays/doubles/integers, not {expected}")
        #: whether the library runs a step on several threads (built with OpenMP)
        self.threaded = bool(ctypes.c_int64.in_dll(library, "eqsnn_openmp").value)
        #: whether a call ends by itself once its time budget is spent (network.c.j2)
        self.timed = bool(ctypes.c_int64.in_dll(library, "eqsnn_timed").value)
        # ctypes only finds the symbol; the Cython runner makes the call (GIL released)
        address = ctypes.cast(library.eqsnn_run, ctypes.c_void_p).value
        self._loop = runner(compiler).NetworkLoop(address, self._n_arrays)

    def run(self, start_step: int, n_steps: int, dt: float, seed: int, addresses,
            scalars: int, iscalars: int) -> int:
        done = self._loop.run(start_step, n_steps, dt, seed, addresses, scalars, iscalars)
        if done < 0:
            raise RuntimeError("OpenMP started fewer threads than the network asked for "
                               "(is OMP_THREAD_LIMIT set?); set Network(threads=) to at "
                               "most that many")
        return done


def load_backend(source: ModuleSource, compiler=None) -> Program:
    """Compile (with ``compiler``, default from the environment) or import ``source``."""
    if source.backend == COMPILED:
        from eqsnn.compiler import compile_library
        _passive_openmp_threads()
        library = compile_library(source.source, name_hint="network", options=compiler)
        module = CompiledLoop(library, source, compiler)
    else:
        from eqsnn.compiler.python_modules import load_python_module
        module = load_python_module(source.source, name_hint="network")
    return Program(source, module)
