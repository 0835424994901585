"""``eqsnn.sweep``: many runs of one model, one compile, on all cores or a Dask cluster."""
from __future__ import annotations

import inspect
import time
import warnings
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from eqsnn import units
from eqsnn.targets import backend_name
from eqsnn.errors import InvalidValueError
from eqsnn.sweeps import executors
from eqsnn.sweeps.params import expand_params, plan_runs, root_sequence
from eqsnn.sweeps.run import Job, accepts_seed, execute, warm_cache
from eqsnn.sweeps.table import make_table
from eqsnn.sweeps.transport import SweepError, check_picklable, encode

__all__ = ["sweep"]

_SECOND = (1 * units.ureg.second).dimensionality
#: With workers=None, start worker processes only for more serial work than this (s).
_WORKERS_PAY_OFF_SECONDS = 5.0


def sweep(build: Callable[..., Any],
          params: Mapping[str, Any] | Sequence[Mapping[str, Any]], *,
          duration: Any,
          seeds: int | Sequence[int] = 1,
          seed: int | np.random.SeedSequence | None = 0,
          collect: Callable[[Any], Mapping[str, Any]] | None = None,
          workers: int | None = None,
          client: Any = None,
          backend: str | None = None,
          progress: bool = True,
          as_frame: bool | None = None) -> Any:
    """Run a network once per parameter set (and seed) and tabulate the results.

    Parameters
    ----------
    build
        ``build(**params)`` returns an :class:`eqsnn.Network` for one parameter set. If it
        has a parameter called ``seed``, it also receives the run's seed (use it for
        random initial values and connectivity: ``NeuronGroup(..., seed=seed)``). With
        more than one worker, ``build`` must be defined at the top level of a module.
    params
        A grid ``{"I": currents, "w": weights}`` (all combinations, last name fastest; a
        single value is held fixed) or a list of dicts, one parameter set each.
    duration
        How long each run simulates, e.g. ``200*ms``.
    seeds
        Runs per parameter set (an ensemble): an int, each run getting its own seed
        derived from ``seed``; or a list of seeds used for every parameter set.
    seed
        The root seed. Each run's seed is derived from it by the run's position in the
        sweep, so results do not depend on workers or order. ``None``: fresh entropy
        (recorded in ``table.attrs["root_seed"]``).
    collect
        ``collect(net)`` after the run returns a dict of results (numbers, arrays,
        quantities). Default: ``num_spikes`` and ``mean_rate`` (per neuron) over all spike monitors.
        Use :func:`eqsnn.sweeps.find` to get a monitor by its name.
    workers
        Local worker processes. Default: the cores of this machine — after two runs in
        this process, and only if they estimate the rest at more than a few seconds
        (starting a worker costs about a second). ``1`` runs in this process (and then
        ``build`` may be any callable).
    client
        A ``dask.distributed.Client``: run on its cluster instead (``workers`` ignored).
    backend
        Force ``"c"`` or ``"numpy"`` for every run; default: what ``build`` chose.
        A worker that cannot compile runs on numpy and says so in the ``note`` column.
    progress
        Show a progress bar over runs.
    as_frame
        Return a pandas DataFrame (default when pandas is installed) or, with ``False``,
        a list of dict rows (:class:`eqsnn.sweeps.Records`).

    Returns
    -------
    pandas.DataFrame or Records
        One row per run, in run order: ``run``, the parameters, ``repeat``, ``seed``, the
        collected values, then ``error`` (``None``, or the exception of a failed run),
        ``backend``, ``note``, ``compilations`` (modules compiled by that run's process
        during the run), ``seconds`` and ``worker``. ``attrs`` holds ``units`` (of the
        columns holding quantities), ``root_seed``, ``compilations`` (for the whole
        sweep, including the parent's warm-up), ``warm_up_error``, ``failed``, ``seconds``,
        ``runs_per_second`` and ``executor``.

    Raises
    ------
    SweepError
        Before any run: ``build`` cannot be sent to workers, or does not accept the
        parameters.
    """
    started = time.perf_counter()
    sets = expand_params(params)
    root = root_sequence(seed)
    plans = plan_runs(sets, seeds, root)
    n_workers = _check_workers(workers, len(plans))
    parallel = client is not None or n_workers > 1
    pass_seed = _check_build(build, sets)
    backend = _check_backend(backend)
    if collect is not None and not callable(collect):
        raise InvalidValueError(f"collect must be a function of the network, not "
                                f"{type(collect).__name__}")
    if parallel:
        check_picklable(build, "build")
        if collect is not None:
            check_picklable(collect, "collect")
    jobs = [Job(plan.index, encode(dict(plan.params)), plan.seed, encode(_duration(duration)),
                build, collect, backend, pass_seed) for plan in plans]

    # one compile for the whole sweep: the parent fills the cache, workers load from it
    compiled, warm_error, info = 0, None, {}
    if client is not None:
        compiled, warm_error = warm_cache(jobs[0])
        results, info["executor"] = executors.run_dask(jobs, client), "dask"
    elif workers is None and n_workers > 1:
        results = _run_auto(jobs, n_workers, info)  # its first run compiles, here
    elif n_workers > 1:
        compiled, warm_error = warm_cache(jobs[0])
        results = executors.run_processes(jobs, n_workers)
        info["executor"] = f"{n_workers} processes"
    else:
        results, info["executor"] = executors.run_here(jobs), "this process"
    reports = _gather(results, len(jobs), progress)
    executor = info["executor"]

    seconds = time.perf_counter() - started
    failed = sum(1 for r in reports.values() if r["error"] is not None)
    if failed:
        warnings.warn(f"{failed} of {len(jobs)} sweep runs failed; their errors are in the "
                      f"table's 'error' column", RuntimeWarning, stacklevel=2)
    attrs = {"root_seed": root.entropy, "executor": executor, "failed": failed,
             "warm_up_error": warm_error,
             "compilations": compiled + sum(r["compilations"] for r in reports.values()),
             "seconds": seconds, "runs_per_second": len(jobs) / seconds}
    return make_table(plans, reports, attrs, as_frame)


def _run_auto(jobs: list[Job], n_workers: int, info: dict):
    """``workers=None``: two runs here, then worker processes only if they pay off.

    A worker process costs an interpreter start and eqsnn's imports (one to a few
    seconds); a sweep of small runs finishes sooner without them. The second run (warm:
    the first one compiled) estimates the rest.
    """
    report = None
    for job in jobs[:2]:
        report = execute(job)
        yield report
    rest = jobs[2:]
    estimate = report["seconds"] * len(rest)
    if estimate > _WORKERS_PAY_OFF_SECONDS:
        workers = min(n_workers, len(rest))
        info["executor"] = f"{workers} processes (after 2 runs here)"
        yield from executors.run_processes(rest, workers)
    else:
        info["executor"] = (f"this process (the runs were estimated at {estimate:.2g} s: "
                            f"too short to start workers)")
        yield from executors.run_here(rest)


def _gather(results, total: int, progress: bool) -> dict[int, dict]:
    from tqdm.auto import tqdm

    reports = {}
    with tqdm(total=total, unit="run", desc="eqsnn sweep", disable=not progress) as bar:
        for report in results:
            reports[report["index"]] = report
            bar.update(1)
    return reports


def _check_workers(workers: int | None, runs: int) -> int:
    if workers is None:
        return max(1, min(executors.default_workers(), runs))
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise InvalidValueError(f"workers must be a positive int, not {workers!r}",
                                hint="workers=1 runs in this process; None uses every core")
    return int(min(workers, runs))


def _check_backend(backend: str | None) -> str | None:
    """``None`` (what build() chose) or a backend's name (an old name warns)."""
    return None if backend is None else backend_name(backend, stacklevel=3)


def _duration(duration: Any) -> Any:
    magnitude, dim = units.to_si(duration)
    if dim != _SECOND or not np.isscalar(magnitude) or magnitude <= 0:
        raise InvalidValueError(f"duration must be a positive time such as 200*ms, "
                                f"not {duration!r}")
    return duration


def _check_build(build: Callable, sets: list[dict]) -> bool:
    """Whether build takes ``seed``; a SweepError if it cannot take the parameters."""
    if not callable(build):
        raise SweepError(f"build must be a function returning a Network, not "
                         f"{type(build).__name__}")
    pass_seed = accepts_seed(build)
    try:
        signature = inspect.signature(build)
    except (TypeError, ValueError):
        return pass_seed
    for params in sets:
        extra = {"seed": 0} if pass_seed else {}
        try:
            signature.bind(**params, **extra)
        except TypeError as exc:
            raise SweepError(
                f"build{signature} cannot take the parameter set {sorted(params)}: {exc}",
                hint="the names in params must match build's arguments") from None
    return pass_seed
