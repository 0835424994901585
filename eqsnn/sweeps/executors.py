"""Where the runs of a sweep execute: this process, local worker processes, or Dask.

Each executor yields one report per job as runs finish, in whatever order they finish;
the table is put back in run order afterwards. A worker that dies (a crash in native
code, a killed Dask worker) becomes an error report for the runs it took with it.
"""
from __future__ import annotations

import multiprocessing
import os
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Iterator

from eqsnn.sweeps.run import Job, execute

__all__ = ["run_here", "run_processes", "run_dask", "default_workers"]


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_here(jobs: list[Job]) -> Iterator[dict]:
    """One after the other, in this process."""
    for job in jobs:
        yield execute(job)


def run_processes(jobs: list[Job], workers: int) -> Iterator[dict]:
    """On ``workers`` fresh processes.

    Processes are *spawned*, not forked: the parent may hold threads (tqdm's monitor, a
    Dask client, BLAS), and a fork copies their locks in whatever state they are, which
    can deadlock the child. Spawning costs one interpreter start and import per worker.
    Each worker's networks get its share of the cores as their default thread count
    (``EQSNN_THREADS``), so that workers × threads does not exceed the cores.
    """
    context = multiprocessing.get_context("spawn")
    share = max(1, default_workers() // max(1, workers))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=_set_default_threads, initargs=(share,)) as pool:
        futures = {pool.submit(execute, job): job for job in jobs}
        for future in as_completed(futures):
            yield _result(future, futures[future], "worker process")


def _set_default_threads(threads: int) -> None:
    os.environ["EQSNN_THREADS"] = str(threads)


def run_dask(jobs: list[Job], client: Any) -> Iterator[dict]:
    """On the workers of a ``dask.distributed.Client``."""
    try:
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - a client implies distributed
        from eqsnn.sweeps.transport import SweepError
        raise SweepError("client= needs the 'distributed' package",
                         hint="pip install 'eqsnn[dask]'") from exc
    tag = uuid.uuid4().hex[:12]  # keys unique per sweep: Dask would reuse a known key's result
    futures = {client.submit(execute, job, pure=False, key=f"eqsnn-sweep-{tag}-{job.index}"): job
               for job in jobs}
    for future in dask_completed(list(futures)):
        yield _result(future, futures[future], "Dask worker")


def _result(future: Any, job: Job, what: str) -> dict:
    try:
        return future.result()
    except Exception as exc:  # the worker died; execute() itself never raises
        return {"index": job.index, "outputs": {}, "backend": None, "note": None,
                "error": f"{what} failed: {type(exc).__name__}: {exc}",
                "compilations": 0, "seconds": float("nan"), "worker": None}
