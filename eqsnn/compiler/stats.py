"""Counters of what the compiler did in this process, for tests and timing reports."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

__all__ = ["CompileStats", "stats"]


@dataclass
class CompileStats:
    """What :func:`eqsnn.compiler.compile_module` did since the process started.

    Attributes
    ----------
    compilations
        Network modules (and other generated modules) built.
    runner_compilations
        Builds of the Cython loop runner into the cache: none for an installed eqsnn
        (pip install compiled it), at most one per cache in a source checkout.
    memory_hits
        Calls answered from the in-process table of loaded modules.
    disk_hits
        Calls answered by loading a module found in the cache directory.
    corrupt_rebuilds
        Cache entries that failed to load and were deleted and rebuilt.
    cython_seconds, cc_seconds, load_seconds
        Wall time spent in Cython (zero for network libraries, which are plain C), in the
        C compiler (compile + link) and loading.
    """

    compilations: int = 0
    runner_compilations: int = 0
    memory_hits: int = 0
    disk_hits: int = 0
    corrupt_rebuilds: int = 0
    cython_seconds: float = 0.0
    cc_seconds: float = 0.0
    load_seconds: float = 0.0

    def snapshot(self) -> "CompileStats":
        """A copy, to compare against later (``after.compilations - before.compilations``)."""
        return dataclasses.replace(self)


#: The process-wide counters (observations, not settings: nothing reads them to decide).
stats = CompileStats()
