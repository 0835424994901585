"""One run of a sweep, as a worker executes it: build, run, collect, report.

:func:`execute` never raises for the run's own failures: an exception from ``build``,
``run`` (e.g. :class:`~eqsnn.errors.NumericalInstabilityError`) or ``collect`` becomes the
run's ``error`` text, so one bad parameter value does not stop the sweep.
"""
from __future__ import annotations

import inspect
import os
import socket
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from eqsnn.targets import COMPILED, NUMPY
from eqsnn.sweeps.params import RESERVED_COLUMNS
from eqsnn.sweeps.transport import decode, encode

__all__ = ["Job", "execute", "warm_cache", "default_collect", "find"]


@dataclass(frozen=True)
class Job:
    """Everything a worker needs for one run (picklable; quantities encoded)."""

    index: int
    params: Mapping[str, Any]
    seed: int
    duration: Any
    build: Callable
    collect: Callable | None
    backend: str | None
    pass_seed: bool


def execute(job: Job) -> dict:
    """Run ``job`` in this process and report what happened.

    Returns
    -------
    dict
        ``index``, ``outputs`` (encoded), ``error`` (text or ``None``), ``backend``,
        ``note``, ``compilations`` (modules this process compiled during the run),
        ``seconds`` and ``worker`` (host:pid).
    """
    from eqsnn.compiler import stats

    started = time.perf_counter()
    before = stats.compilations
    report = {"index": job.index, "outputs": {}, "error": None, "backend": None,
              "note": None, "worker": f"{socket.gethostname()}:{os.getpid()}"}
    try:
        net, report["backend"], report["note"] = _network(job)
        duration = decode(job.duration)
        net.run(duration, progress=False)
        collect = job.collect or default_collect
        outputs = collect(net) if job.collect else collect(net, duration)
        report["outputs"] = encode(_check_outputs(outputs, job.params))
    except Exception as exc:  # a failed run is data for the table, not the end of the sweep
        report["error"] = f"{type(exc).__name__}: {exc}"
    report["compilations"] = stats.compilations - before
    report["seconds"] = time.perf_counter() - started
    return report


def warm_cache(job: Job) -> tuple[int, str | None]:
    """Build the network of ``job`` and compile its module, without running it.

    Called once in the parent before workers start, so that they find the module in the
    cache instead of compiling it each. Returns the number of compilations (0 or 1) and
    the error that stopped the warm-up, if any: the sweep goes on, and the same run
    fails again in its worker and records why.
    """
    from eqsnn.compiler import stats

    before = stats.compilations
    error = None
    try:
        net, backend, _ = _network(job)
        if backend == COMPILED:
            net._build()  # renders and compiles (or loads) the module; no step is run
    except Exception as exc:  # noqa: BLE001 — reported in the table's attrs
        error = f"{type(exc).__name__}: {exc}"
    return stats.compilations - before, error


def _network(job: Job):
    """The job's network, seeded, on the backend this worker can run."""
    from eqsnn.runtime import Network

    params = decode(dict(job.params))
    if job.pass_seed:
        params["seed"] = job.seed
    net = job.build(**params)
    if not isinstance(net, Network):
        raise TypeError(f"build() must return an eqsnn Network, not "
                        f"{type(net).__name__}")
    net.seed = job.seed
    backend, note = _backend(job.backend or net.backend, job.backend, net.compiler)
    net.backend = backend
    return net, backend, note


def _backend(wanted: str, requested: str | None, compiler) -> tuple[str, str | None]:
    """``wanted``, or numpy with a note when this machine cannot compile with the
    network's ``compiler`` options (``None``: from this worker's environment)."""
    if requested == NUMPY:
        return NUMPY, None
    from eqsnn.compiler import availability
    status = availability.compiler_status(compiler)
    if status == availability.OK:
        return wanted, None
    why = ("the C compiler's test build timed out" if status == availability.TIMED_OUT
           else "no working C compiler")
    return NUMPY, f"{why} on {socket.gethostname()}: ran on the numpy backend"


def _check_outputs(outputs: Any, params: Mapping[str, Any]) -> dict:
    if not isinstance(outputs, Mapping):
        raise TypeError(f"collect() must return a dict of column name -> value, not "
                        f"{type(outputs).__name__}")
    for name in outputs:
        if not isinstance(name, str):
            raise TypeError(f"collect() returned the column name {name!r}; names must be "
                            f"strings")
        if name in RESERVED_COLUMNS or name in params:
            raise ValueError(f"collect() returned a column {name!r}, which is already a "
                             f"column of the sweep; rename it")
    return dict(outputs)


def default_collect(net: Any, duration: Any) -> dict:
    """Spikes of every :class:`~eqsnn.SpikeMonitor` in ``net``: their number and the
    mean rate per monitored neuron."""
    from eqsnn import units
    from eqsnn.runtime import SpikeMonitor

    monitors = [o for o in net.objects if isinstance(o, SpikeMonitor)]
    if not monitors:
        return {}
    spikes = sum(m.num_spikes for m in monitors)
    neurons = sum(m.stop - m.start for m in monitors)
    seconds = units.to_si(duration)[0]
    return {"num_spikes": spikes,
            "mean_rate": spikes / (neurons * seconds) * units.ureg.hertz}


def find(net: Any, name: str) -> Any:
    """The object called ``name`` in ``net`` (a group, synapses or monitor).

    For ``collect`` functions: give the monitors you need a ``name=`` in ``build``, then
    ``find(net, "spikes")`` in ``collect``.
    """
    for obj in net.objects:
        if getattr(obj, "name", None) == name:
            return obj
    from eqsnn.errors import InvalidValueError
    names = sorted(getattr(o, "name", "?") for o in net.objects)
    raise InvalidValueError(f"the network has no object named {name!r}",
                            hint=f"its objects are {names}; pass name=... when you create "
                                 f"the monitor in build()")


def accepts_seed(build: Callable) -> bool:
    """Whether ``build`` has a parameter called ``seed`` (it then gets each run's seed)."""
    try:
        return "seed" in inspect.signature(build).parameters
    except (TypeError, ValueError):
        return False
