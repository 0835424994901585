"""The network: the objects to simulate, one compiled module for all of them, and run().

``run()`` enters Python only between chunks of steps (runtime/chunks.py): to grow a
full recording buffer, to update the progress bar, to look for NaN, and to let Ctrl-C
stop the run at a step boundary with every array consistent (a later ``run()``
continues from there).
"""
from __future__ import annotations

import threading
import time
from typing import Any, Mapping

import numpy as np

from eqsnn import units
from eqsnn.codegen.network import ModuleBuilder
from eqsnn.display import Displayed
from eqsnn.errors import InvalidValueError
from eqsnn.runtime.backends import load_backend, choose_backend
from eqsnn.runtime.chunks import run_chunks
from eqsnn.runtime.finite import watched
from eqsnn.runtime.claims import claimed
from eqsnn.runtime.clocks import clock_dts, clocks_of, loop_step
from eqsnn.runtime.dt_change import carry_lastspike
from eqsnn.runtime.layout import Layout
from eqsnn.runtime.membership import members, named, position
from eqsnn.runtime.namespaces import give_run_namespace
from eqsnn.runtime.program import _build_source, _compiler_options, default_threads
from eqsnn.runtime.schedule import SLOTS, check_schedule, schedule_version
from eqsnn.runtime.states import NetworkStates
from eqsnn.runtime.timeline import LoopDt, Timeline, check_new_dt
from eqsnn.targets import COMPILED

__all__ = ["Network"]

_SECOND = (1 * units.ureg.second).dimensionality
_MAX_STEPS = 2**53      # beyond, t = step*dt is no longer exact in a double


class Network(NetworkStates, Displayed):
    """A set of groups, synapses and monitors simulated together.

    Parameters
    ----------
    *objects
        Groups, synapses, monitors, network operations; more with :meth:`add`.
    dt
        Time step (default ``0.1*ms``). Can be changed between runs (``net.dt =
        0.05*ms``, Brian2's ``defaultclock.dt = ...``): ``t`` continues, and must be a
        multiple of the new ``dt``, as in Brian2.
    seed
        Seed of every random number drawn during runs (``rand()``, noise, Poisson
        inputs). Same seed, same results, on both backends. ``None``: a fresh seed,
        readable afterwards as ``net.seed``. A random number is a function of the seed,
        the operation, the time step and the neuron or synapse index only: ``run(100*ms);
        run(100*ms)``, a run stopped with Ctrl-C and continued, and a run repeated after
        :meth:`restore` draw the same numbers as one ``run(200*ms)``. To draw fresh
        numbers after a restore, set ``net.seed`` to another value.
    backend
        ``"c"`` (compiled; the default when a C compiler works) or ``"numpy"``.
        ``"cython"`` is the old name of ``"c"`` (deprecated).
    compiler
        A :class:`~eqsnn.compiler.CompilerOptions`: the C compiler and flags for this
        network. Default: ``CompilerOptions()``, from ``CC`` and ``EQSNN_CFLAGS`` where
        set, else eqsnn's defaults.
    threads
        Threads of the compiled loop (default: the environment variable
        ``EQSNN_THREADS`` if set, else every core this process may use,
        ``len(os.sched_getaffinity(0))``; a sweep's worker processes share the cores).
        Results do not depend on it: the same seed gives the same spikes and state, bit
        for bit, on any number of threads. The numpy backend always uses one. Can be
        changed between runs (``net.threads = 1``) without recompiling.
    """

    def __init__(self, *objects: Any, dt: Any = 0.1 * units.ureg.ms, seed: int | None = None,
                 backend: str | None = None, compiler: Any = None, threads: int | None = None):
        self.objects: list[Any] = []
        self._timeline = Timeline()  # the steps run so far and their times
        self._schedule = SLOTS
        self.dt = dt
        self.seed = int(np.random.SeedSequence().entropy % 2**63) if seed is None else int(seed)
        self.compiler = _compiler_options(compiler)
        self._backend = choose_backend(backend, self.compiler, stacklevel=2)
        self.threads = threads
        self._step = 0
        # network operations: the pause points of the step passed so far (0: the step
        # has not started), where the loop pauses next, and where a call resumes
        self._phase = 0
        self._pause_step, self._pause_at, self._resume_at = -1, 0, 0
        self._paused = np.zeros(1, dtype=np.int64)
        self._pauses = None
        self._budget_ns = -1  # the wall time of the next call of the loop (run_chunks sets it)
        self._t_wanted = 0.0  # total time asked for by run(), in seconds
        self._runs = 0
        self._last_chunk = None  # (chunk, done, seconds) of the last call: the next run's first
        self._program = None
        self._schedule_built = 0
        self._stored: dict[str, dict] = {}
        self._running = threading.Lock()  # one run() at a time: buffers grow between chunks
        self.timing: dict[str, float] = {}
        self.add(*objects)

    # --- objects ----------------------------------------------------------------------
    def add(self, *objects: Any) -> None:
        """Add groups, synapses, monitors, network operations, or lists and dicts of
        them (Brian2's ``Network.add``); between runs, an object added later starts
        at the network's current time (see :mod:`eqsnn.runtime.membership`)."""
        _refuse_while_running(self, "the objects")
        for obj in members(objects):
            if not any(obj is known for known in self.objects):
                self.objects.append(obj)
        self._program = None

    def remove(self, *objects: Any) -> None:
        """Take objects (or lists and dicts of them) out, as Brian2's
        ``Network.remove``: they keep their state and do nothing until added again."""
        _refuse_while_running(self, "the objects")
        for obj in members(objects):
            del self.objects[position(self.objects, obj)]
        self._program = None

    def __getitem__(self, name: str) -> Any:
        return named(self.objects, name)

    def __delitem__(self, name: str) -> None:
        self.remove(named(self.objects, name))

    def __contains__(self, item: Any) -> bool:
        """An object, or an object's name (Brian2 looks names up)."""
        return any(obj is item or (isinstance(item, str) and obj.name == item)
                   for obj in self.objects)

    def __len__(self) -> int:
        return len(self.objects)

    def __iter__(self):
        return iter(list(self.objects))

    def _groups(self) -> list:
        """The neuron groups among the objects (unchecked: see _ordered)."""
        return [o for o in self.objects if getattr(o, "_kind", "group") == "group"]

    def _ordered(self) -> tuple[list, list, list]:
        groups = self._groups()
        synapses = [o for o in self.objects if getattr(o, "_kind", None) == "synapses"]
        monitors = [o for o in self.objects if getattr(o, "_kind", None) == "monitor"]
        for obj in groups + synapses + monitors:
            # a monitor may record synapses; a group may link to another group's variable
            for dependency in getattr(obj, "_dependencies", list)():
                if not any(dependency is g for g in groups + synapses):
                    raise InvalidValueError(
                        f"{obj.name!r} uses {dependency.name!r}, which is not in this network",
                        hint=f"add it: Network({dependency.name}, {obj.name}, ...)")
        return groups, synapses, monitors

    @property
    def schedule(self) -> list[str]:
        """The slots of a step, in order (Brian2's ``Network.schedule``): by default
        ``['start', 'groups', 'thresholds', 'synapses', 'resets', 'end']``. Set a
        list to reorder them or add slots of your own (``when="mine"``), ``None`` for
        the default; each slot X also has ``before_X`` and ``after_X``."""
        return list(self._schedule)

    @schedule.setter
    def schedule(self, value: Any) -> None:
        _refuse_while_running(self, "the schedule")
        self._schedule = check_schedule(value)
        self._program = None

    @property
    def backend(self) -> str:
        """``"c"`` or ``"numpy"``; set it to switch (the next run builds again)."""
        return self._backend

    @backend.setter
    def backend(self, value: str) -> None:
        self._backend = choose_backend(value, self.compiler, stacklevel=2)
        self._program = None

    # --- time -------------------------------------------------------------------------
    @property
    def dt(self):
        return units.from_si(self._dt, _SECOND)

    @dt.setter
    def dt(self, value: Any) -> None:
        magnitude, dim = units.to_si(value)
        if dim != _SECOND or not np.isscalar(magnitude) or not 0 < magnitude < np.inf:
            raise InvalidValueError(f"dt must be a positive, finite duration such as 0.1*ms, "
                                    f"not {units.describe(value)}")
        _refuse_while_running(self, "dt")
        if getattr(self, "_step", 0):  # (the next run continues from t with it)
            check_new_dt(self.t_, self._dt, float(magnitude))
        self._dt = float(magnitude)
        self._program = None

    def _loop_dt(self) -> LoopDt:
        """The loop's time step, as the objects are handed it; the timeline continues
        from the current step with it (a new segment if dt changed)."""
        before = self._timeline.current if self._timeline.segments else None
        for clock in clocks_of(self.objects):  # (a clock's dt changed between runs)
            if clock._changed_from is not None and self._step:
                check_new_dt(self.t_, clock._changed_from, clock.dt_)
            clock._changed_from = None
        step = loop_step(self._dt, clock_dts(self.objects))  # (a grid for all clocks)
        segment = self._timeline.start(self._step, step, self._dt)
        if before is not None and segment is not before:  # refractory periods go on
            carry_lastspike(self.objects, self._step, before.dt, segment.dt)
        return LoopDt(segment.dt, self._dt, self._timeline)

    @property
    def threads(self) -> int:
        """Threads of the compiled loop (see the class docstring)."""
        return self._threads

    @threads.setter
    def threads(self, value: int | None) -> None:
        if value is None:
            value = default_threads()
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise InvalidValueError(f"threads must be a whole number of at least 1, "
                                    f"not {value!r}",
                                    hint="threads=1 runs on one core; None (the default) "
                                         "on every core this process may use")
        self._threads = int(value)

    def _team_size(self) -> int:
        """Threads the loop starts: one with the numpy backend or a library built
        without OpenMP, else at most one per block of 64 neurons of the largest group
        (a thread without neurons would only wait at every barrier)."""
        if self.backend != COMPILED or not getattr(self._program, "threaded", True):
            return 1
        # (the groups without _ordered()'s checks: this is read ~100 times a run, by
        # every structure and scalar that depends on the team's size)
        blocks = max([-(-int(getattr(g, "N", 0)) // 64) for g in self._groups()] + [1])
        return min(self._threads, blocks)

    @property
    def t_(self) -> float:
        return self._timeline.time(self._step) if self._timeline.segments else 0.0

    @property
    def t(self):
        return units.from_si(self.t_, _SECOND)

    # --- the compiled program -----------------------------------------------------------
    def _build(self):
        """Render and load the network module (cached by its source); again when an
        operation's ``when`` or ``order`` changed since."""
        if self._program is not None and self._schedule_built == schedule_version():
            return self._program
        self._schedule_built = schedule_version()
        started = time.perf_counter()
        source = _build_source(self._builder())
        generated = time.perf_counter()
        self._program = load_backend(source, self.compiler)
        self.timing["codegen_seconds"] = generated - started
        self.timing["compile_seconds"] = time.perf_counter() - generated
        return self._program

    def _builder(self) -> ModuleBuilder:
        """Every object's contribution, put together in one module builder. The layout
        (every object's prefix, numbered per kind: groups, synapses, monitors) is fixed
        first, so no contribution depends on another."""
        groups, synapses, monitors = self._ordered()
        layout = Layout(groups, synapses, monitors, threads=self._team_size,
                        schedule=self._schedule)
        builder = ModuleBuilder(self.backend, schedule=self._schedule)
        builder.threads = self._team_size  # read at every call: no recompile
        builder.origin = lambda: self._timeline.current.origin  # (the same)
        builder.budget = lambda: self._budget_ns  # (the same)
        dt = self._loop_dt()
        for name, function in layout.functions:
            builder.include(function._contribution(name))
        for obj in groups + synapses + monitors:
            builder.include(obj._contribution(layout, self.backend, dt))
        layout.batch = builder.batch_steps
        operations = [o for o in self.objects if getattr(o, "_kind", None) == "operation"]
        self._pauses = None
        if operations:
            from eqsnn.runtime.operations import Pauses  # (only for networks that have any)
            self._pauses = Pauses(operations, dt, self._schedule)
            builder.add_pauses(self._pauses.keys, resume_at=lambda: self._resume_at,
                               pause_step=lambda: self._pause_step,
                               pause_at=lambda: self._pause_at, paused=lambda: self._paused)
        return builder

    # --- running ----------------------------------------------------------------------
    def run(self, duration: Any, *, report_timing: bool = False, progress: bool | None = None,
            namespace: Mapping[str, Any] | None = None):
        """Simulate for ``duration``; call again to continue (see :meth:`_run`).
        ``namespace``: values for the names an object's own ``namespace=`` lacks, for
        every object of the network (Brian2's run namespace; kept for later runs and
        string values until another ``run(namespace=)``, see docs/units.md)."""
        if not self._running.acquire(blocking=False):
            raise InvalidValueError(
                "this network is already running (run() was called from another thread or "
                "from code the running network calls): one run at a time",
                hint="wait for the run to finish; distinct networks may run in parallel "
                     "threads")
        self._stop_requested = False
        try:
            with claimed(self, self.objects):  # (not run by another network meanwhile)
                if namespace is not None:
                    give_run_namespace(self.objects, namespace)
                return self._run(duration, report_timing=report_timing, progress=progress)
        finally:
            self._running.release()

    def stop(self) -> None:
        """End the current run() at the end of the step in which a network operation
        calls this (Brian2's ``Network.stop``); ``net.t`` says where, and a later run()
        continues from there. Outside a run it does nothing."""
        self._stop_requested = self._running.locked()

    def _run(self, duration: Any, *, report_timing: bool = False, progress: bool | None = None):
        """Simulate for ``duration``; call again to continue.

        Parameters
        ----------
        duration
            How long, e.g. ``1*second``; rounded to a whole number of steps.
        report_timing
            Print how long each stage took (also kept in ``net.timing``).
        progress
            Show a progress bar: ``None`` does when the run takes more than a few seconds.
        """
        magnitude, dim = units.to_si(duration)
        if dim != _SECOND or not np.isscalar(magnitude) or not 0 <= magnitude < np.inf:
            raise InvalidValueError(f"duration must be a non-negative time such as 1*second, "
                                    f"not {units.describe(duration)}",
                                    hint="a finite one: nan and inf cannot be simulated")
        # Steps follow the time asked for in total, so that ten run(0.04*ms) at
        # dt = 0.1*ms advance 4 steps, as one run(0.4*ms) does (each alone rounds to 0).
        wanted = self._t_wanted + float(magnitude)
        dt = self._loop_dt()
        total = dt.timeline.current.origin + round(wanted / dt)
        if total > _MAX_STEPS:
            raise InvalidValueError(
                f"this run would take the network to step {total:.3g}; time is counted in "
                f"steps of dt = {dt:g} s, at most {_MAX_STEPS:.3g} of them",
                hint="check dt and the duration for a unit mistake")
        n_steps = int(total) - self._step
        started = time.perf_counter()
        self.timing = {"build_seconds": sum(getattr(o, "timing", {}).get("build_seconds", 0.0)
                                            for o in self.objects)}
        for obj in self.objects:  # the namespaces are read now, as in Brian2
            if hasattr(obj, "_read_namespace"):
                obj._read_namespace()
        program = self._build()
        for obj in self.objects:
            if hasattr(obj, "_prepare"):
                obj._prepare(self._step, n_steps, dt)
        watch = watched(self.objects)  # (what the NaN check reads, once per run)
        loop_started = time.perf_counter()
        self._runs += 1
        try:
            run_chunks(self, program, n_steps, dt, progress, watch)
        finally:  # (a run stopped early continues from where it stopped)
            self._t_wanted = wanted if self._step == total else self.t_
            self._tell_time()
        self.timing["loop_seconds"] = time.perf_counter() - loop_started
        self.timing["run_seconds"] = time.perf_counter() - started
        if report_timing:
            print(self.timing_report())

    def timing_report(self) -> str:
        """How long each stage of the last run took, as a small table."""
        rows = [("parse, units, SymPy (object creation)", "build_seconds"),
                ("code generation", "codegen_seconds"),
                ("compile or load from cache", "compile_seconds"),
                ("simulation loop", "loop_seconds"), ("whole run()", "run_seconds")]
        lines = [f"eqsnn timing ({self.backend} backend)"]
        for label, key in rows:
            if key in self.timing:
                lines.append(f"  {label:<40} {self.timing[key]:9.4f} s")
        return "\n".join(lines)

    # --- store / restore ----------------------------------------------------------------
    def store(self, name: str = "default", filename: Any = None) -> None:
        """Remember the state of every object, the time and dt, to :meth:`restore`
        later; with ``filename``, in that file (beside other names stored there; a
        safe format, never a pickle: see :mod:`eqsnn.runtime.state_files`)."""
        from eqsnn.runtime import snapshots  # (only for networks that store)
        snapshots.store(self, name, filename)

    def restore(self, name: str = "default", filename: Any = None) -> None:
        """Go back to the state saved by :meth:`store` (monitors included); from a
        file, into objects of the same names. The run that follows draws the same
        random numbers as the first time (they depend on the seed, the step and the
        index only); set ``net.seed`` to draw fresh ones."""
        _refuse_while_running(self, "restore()")
        from eqsnn.runtime import snapshots
        snapshots.restore(self, name, filename)

    def _tell_time(self) -> None:
        """Objects read ``t`` in subexpressions (``x = t/ms``) and string values at the
        network's current time, as Brian2 does (it was 0 after any run); get_states()
        gives it as ``t``."""
        t = self.t_
        for obj in self.objects:
            # (asked of the class: a monitor's own __getattr__ raises for a name it lacks)
            kind = type(obj)
            if hasattr(kind, "_evaluate") or hasattr(kind, "get_states"):
                obj._t = t


def _refuse_while_running(net: Network, what: str) -> None:
    """Time and dt move only between runs (a network operation runs inside one)."""
    running = getattr(net, "_running", None)
    if running is not None and running.locked():
        raise InvalidValueError(f"{what} of a running network cannot change (called from "
                                f"a network operation or another thread)",
                                hint="change it between runs")
