"""Assembling one network module from the operations of a network's objects.

Runtime objects (groups, monitors, inputs, synapses) each describe what they need —
arrays, scalars, counters and operations in a schedule slot — as a
:class:`Contribution`; the :class:`ModuleBuilder` puts them together and renders the
source for one backend: a plain C library, or its numpy twin. Everything is named by
position (``_g0_v_v``, ``_m1_buf``) rather than by the user's names, so two networks with
the same structure produce the same source and share one compiled module; inside an
operation, its template binds those names to the model's own (``v``, ``tau``).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable

from eqsnn import __version__
from eqsnn.codegen.barriers import ANY, Access, Batch, Unit, batch, chunked_run, plan
# (what a contribution is lives in codegen/contribution.py; re-exported here)
from eqsnn.codegen.contribution import (SLOTS, ArraySlot, CapacityCheck, Contribution,
                                        Operation, PerCall, TimedFunction, UserFunction,
                                        block_names, slot_rank, thread_inputs)
from eqsnn.codegen.fusion import fuse
from eqsnn.errors import InvalidValueError
from eqsnn.resources import template_digest
from eqsnn.targets import COMPILED

__all__ = ["SLOTS", "STEP_ORIGIN", "THREADS_SCALAR", "BUDGET_SCALAR", "slot_rank", "ArraySlot",
           "CapacityCheck", "Contribution", "ModuleBuilder", "ModuleSource", "Operation",
           "PerCall", "TimedFunction", "block_names", "thread_inputs"]

#: the int scalar that holds the number of threads (see ModuleBuilder.threads)
THREADS_SCALAR = "_n_threads_wanted"
#: the int scalar that holds the step at which t = 0 (see ModuleBuilder.origin)
STEP_ORIGIN = "_step_origin"
#: the int scalar that holds the slots of a batch loop (see ModuleBuilder.batch_steps)
BATCH_STEPS = "_batch_steps"
#: the int scalar that holds a call's time budget in ns (see ModuleBuilder.budget)
BUDGET_SCALAR = "_budget_ns"
#: a loop in batches keeps each group's spikes of every step of the last RING_SETS
#: batches (int32 each, a slot per step: a ring of RING_SETS sets of slots, so that a
#: thread may run up to RING_SETS - 1 batches ahead of the slowest; network.c.j2): at
#: most STAGED_NEURONS neurons' worth for all groups together (1 MB), and batches of 1
#: to MAX_BATCH_STEPS steps (groups of more than STAGED_NEURONS / RING_SETS neurons
#: together get RING_SETS slots of one step)
STAGED_NEURONS = 1 << 18
RING_SETS = 4
MAX_BATCH_STEPS = 128

#: a pause point (see ModuleBuilder.add_pauses) as the threads see it: every thread
#: passes it (it may leave the loop), and it is fenced by barriers on both sides
_PAUSE_UNIT = Unit((Access(ANY, True, ("pause",)),))

@dataclass
class ModuleSource:
    """The rendered source and what to hand it at run time, in order."""

    backend: str
    source: str
    arrays: list[ArraySlot]
    scalars: list[tuple[str, Callable[[], float]]]
    int_scalars: list[tuple[str, Callable[[], int]]]
    #: values the getters share, held while a call's arguments are gathered (PerCall)
    held: list[PerCall] = field(default_factory=list)


@dataclass
class ModuleBuilder:
    """Puts the contributions of a network's objects together and renders the module."""

    backend: str  # one of eqsnn.targets.BACKENDS
    arrays: list[ArraySlot] = field(default_factory=list)
    scalars: list[tuple[str, Callable[[], float]]] = field(default_factory=list)
    int_scalars: list[tuple[str, Callable[[], int]]] = field(default_factory=list)
    functions: list[TimedFunction | UserFunction] = field(default_factory=list)
    capacity_checks: list[CapacityCheck] = field(default_factory=list)
    partitions: list[tuple[str, str, bool]] = field(default_factory=list)
    private_counters: list[str] = field(default_factory=list)
    held: list[PerCall] = field(default_factory=list)
    #: the slots of a step, in order (a network's custom schedule, Brian2's by default)
    schedule: tuple[str, ...] = SLOTS
    #: how many threads the loop starts, asked at every call (the Network sets it)
    threads: Callable[[], int] = lambda: 1
    #: the step whose time is 0, asked at every call: the loop's time is ``t = (_step -
    #: _step_origin) * dt``; steps only grow, a new dt between runs moves the origin
    #: (runtime/timeline.py)
    origin: Callable[[], int] = lambda: 0
    #: the call's budget of wall time in ns, asked at every call (< 0: none): a loop that
    #: keeps to it (``timed``) ends the call at the first step or batch boundary after
    #: it, having done at least one step (runtime/chunks.py asks for the rest of a run)
    budget: Callable[[], int] = lambda: -1
    #: (schedule key, template file, inputs, unit) of every operation, in the order added
    _scheduled: list[tuple] = field(default_factory=list)
    _n_ops: int = 0
    _names: set = field(default_factory=set)
    #: how many pause points the step has (see add_pauses)
    pauses: int = 0
    #: (operations when computed, the batch plan): see _batch
    _batch_memo: tuple | None = None

    def __post_init__(self):
        self._claim(THREADS_SCALAR)
        self.int_scalars.append((THREADS_SCALAR, lambda: self.threads()))
        self._claim(STEP_ORIGIN)
        self.int_scalars.append((STEP_ORIGIN, lambda: self.origin()))
        self._claim(BATCH_STEPS)
        self.int_scalars.append((BATCH_STEPS, lambda: self.batch_steps()))
        self._claim(BUDGET_SCALAR)
        self.int_scalars.append((BUDGET_SCALAR, lambda: self.budget()))

    def include(self, contribution: Contribution) -> None:
        """Add one object's contribution; operations with the same schedule key keep
        the order in which they were added."""
        for slot in contribution.arrays:
            self._claim(slot.cname)
            self.arrays.append(slot)
        for name, get in contribution.scalars:
            self._claim(name)
            self.scalars.append((name, get))
        for name, get in contribution.int_scalars:
            self._claim(name)
            self.int_scalars.append((name, get))
        self.capacity_checks.extend(contribution.capacity_checks)
        self.functions.extend(contribution.functions)
        self.partitions.extend(contribution.partitions)
        self.private_counters.extend(contribution.private_counters)
        self.held.extend(contribution.held)
        for operation in contribution.operations:
            context = dict(operation.context)
            if operation.numbered:
                self._n_ops += 1
                context["op"] = self._n_ops
            if operation.period is not None:
                context["_clock"] = self._clock(operation)
            name = f"{operation.template}.c.j2" if self.is_c else \
                f"numpy/{operation.template}.py.j2"
            self._scheduled.append((self._key(operation), name, context, operation.unit))

    def add_pauses(self, keys: list[tuple], *, resume_at: Callable[[], int],
                   pause_step: Callable[[], int], pause_at: Callable[[], int],
                   paused: Callable) -> None:
        """Points in a step where the loop can stop and return to Python (to call
        network operations), at the schedule keys ``keys`` (ascending): at step
        ``pause_step()`` the loop stops before the operations after point
        ``pause_at()`` (1 for ``keys[0]``) and sets ``paused()[0]``; a call with
        ``resume_at()`` = n > 0 starts its first step after point n. Nothing is added
        to a step without pause points."""
        self.pauses = len(keys)
        for name, get in (("_resume_at", resume_at), ("_pause_step", pause_step),
                          ("_pause_at", pause_at)):
            self._claim(name)
            self.int_scalars.append((name, get))
        self._claim("_paused")
        self.arrays.append(ArraySlot("_paused", "int64_t", paused))
        template = "pause.c.j2" if self.is_c else "numpy/pause.py.j2"
        for n, key in enumerate(keys, 1):
            self._scheduled.append((key, template, {"point": n}, _PAUSE_UNIT))

    def _key(self, operation: Operation) -> tuple:
        """The operation's place in a step of this module's schedule."""
        try:
            return operation.key(self.schedule)
        except ValueError:
            raise InvalidValueError(
                f"when={operation.slot!r} of {operation.name!r} is not a slot of this "
                f"network's schedule {list(self.schedule)}",
                hint="add the slot to net.schedule, or move the operation with when= "
                     "(each slot X also has before_X and after_X)") from None

    def _clock(self, operation: Operation) -> dict:
        """The wrapper's inputs of an operation on a slower clock: the int scalar k
        and the double scalar dt it runs with (values handed in at run time)."""
        k, dt = operation.period
        n = sum(1 for name, _ in self.int_scalars if name.startswith("_every"))
        every, step = f"_every{n}", f"_dt{n}"
        self._claim(every)
        self._claim(step)
        self.int_scalars.append((every, lambda: k))
        self.scalars.append((step, lambda: dt))
        return {"every": every, "dt": step, "idle": list(operation.idle)}

    def _claim(self, cname: str) -> None:
        """Two objects (or a user variable and an internal array) must never share a
        name in the module: the C compiler would refuse it, numpy would silently alias."""
        if cname in self._names:
            raise RuntimeError(f"eqsnn internal error: the name {cname!r} was declared "
                               f"twice in one network module")
        self._names.add(cname)

    @property
    def is_c(self) -> bool:
        return self.backend == COMPILED

    # --- result ---------------------------------------------------------------------
    def _module_context(self) -> dict:
        context = dict(version=__version__, arrays=self.arrays,
                       scalars=[name for name, _ in self.scalars],
                       int_scalars=[name for name, _ in self.int_scalars],
                       functions=self.functions, capacity_checks=self.capacity_checks)
        if self.is_c:
            # the arrays each thread has its own copy of (network.c.j2 binds them), by
            # their index in ``arrays``
            index = {slot.cname: k for k, slot in enumerate(self.arrays)}
            private = {name: index[name] for _, _, collected in self.partitions if collected
                       for name in (collected.array, collected.count)}
            private.update((name, index[name]) for name in self.private_counters)
            context.update(partitions=self.partitions, private=private,
                           private_counters=self.private_counters,
                           threads_scalar=context["int_scalars"].index(THREADS_SCALAR),
                           batch_scalar=context["int_scalars"].index(BATCH_STEPS),
                           budget_scalar=context["int_scalars"].index(BUDGET_SCALAR),
                           # (a loop in batches renders its ring of this many sets)
                           ring_sets=RING_SETS)
        context["pauses"] = self.pauses
        return context

    def _in_order(self) -> list[tuple]:
        """Every operation in the order a step runs them (a stable sort: ties keep the
        order they were added in); in the compiled loop, a group's state update and
        threshold in one pass over its neurons where that is the same program
        (codegen/fusion.py)."""
        ordered = sorted(self._scheduled, key=lambda scheduled: scheduled[0])
        return fuse(ordered) if self.is_c else ordered

    def _operations(self) -> list[tuple[str, dict]]:
        return [(name, context) for _, name, context, _ in self._in_order()]

    def signature(self) -> list | None:
        """Everything the rendered source depends on, as plain JSON data: the backend,
        the templates' digest and every template's inputs (an array by its C name and
        type; the getter that hands it over at run time is not part of the source).
        ``None`` if an input is something this cannot describe faithfully: then the
        source must be rendered, never looked up."""
        try:
            return [self.backend, template_digest(),
                    _describe(self._module_context()),
                    [[name, _describe(context)] for name, context in self._operations()],
                    _describe(self._all_units())]
        except _Indescribable:
            return None

    def build(self, source: str | None = None) -> ModuleSource:
        """Render the network module, or take ``source`` rendered earlier from the same
        :meth:`signature` (a warm run then never imports Jinja2)."""
        if source is None:
            from eqsnn.codegen.templates import render
            slots = [_render_operation(render, name, context, self.is_c)
                     for name, context in self._operations()]
            if self.pauses and not self.is_c:
                slots = self._segments(render, slots)
            template = "network.c.j2" if self.is_c else "numpy/network.py.j2"
            threads = self._threads(render, slots) if self.is_c else {}
            source = render(template, **self._module_context(), slots=slots, **threads)
        return ModuleSource(self.backend, source, list(self.arrays), list(self.scalars),
                            list(self.int_scalars), list(self.held))

    def _segments(self, render, slots: list[str]) -> list[str]:
        """numpy: each operation runs unless the call resumes after a later pause
        point (C jumps there instead)."""
        result, segment = [], 0
        for (name, _), text in zip(self._operations(), slots):
            result.append(render("numpy/segment.py.j2", text=text, segment=segment))
            segment += name == "numpy/pause.py.j2"
        return result

    def _all_units(self) -> list[Unit]:
        return [unit for _, _, _, unit in self._in_order()]

    def _batch(self) -> Batch | None:
        """How the compiled loop runs steps in batches, if it does (barriers.batch)."""
        if not self.is_c:
            return None
        if self._batch_memo is None or self._batch_memo[0] != len(self._scheduled):
            self._batch_memo = (len(self._scheduled), batch(self._all_units()))
        return self._batch_memo[1]

    def batch_steps(self) -> int:
        """The slots for steps when the compiled loop runs its steps in batches, asked
        at every call (1 if it does not): RING_SETS sets of as many steps each as keep
        the spikes staged in them within STAGED_NEURONS entries for all groups together,
        at least 1 and at most MAX_BATCH_STEPS (the steps of a batch: network.c.j2 runs
        a batch in each set in turn; the slots of RING_SETS - 1 batches may hold spikes
        not recorded yet when the next starts). Spike monitors make room for this many
        steps' worst case (and one more)."""
        if self._batch() is None:
            return 1
        getters = dict(self.int_scalars)
        neurons = sum(getters[n]() for _, n, collected in self.partitions if collected)
        steps = STAGED_NEURONS // (RING_SETS * max(1, neurons))
        return RING_SETS * max(1, min(MAX_BATCH_STEPS, steps))

    def _threads(self, render, texts: list[str]) -> dict:
        """The rendered operations grouped into the threads' blocks, with barriers, and
        how the loop checks its recording buffers and its time budget (``lookahead``,
        see network.c.j2): thread 0 checks, one step ahead, when the step waits for the
        threads at least once anyway; else every thread checks the buffers at the start
        of each step, and no thread the time (``timed`` false: the threads never wait
        for each other, so none can tell the others where to stop). A loop that runs
        its steps in batches (``batch``) checks both before each batch instead."""
        batched = self._batch()
        if batched is not None:
            return {"blocks": [], "lookahead": False, "chunked": None, "timed": True,
                    "batch": self._batch_context(batched, render, texts)}
        checks = tuple(a for check in self.capacity_checks for a in check.unit.accesses)
        units = [Unit(checks, serial=True)] + self._all_units()
        result, lookahead = plan(units), True
        if not (checks and any(block.barrier_before for block in result.blocks)):
            units[0] = Unit(checks)
            result = plan(units)
            # (without buffers to check, thread 0 still says where the time is up)
            lookahead = not checks and result.barriers > 0
        blocks = self._blocks(result, texts)
        return {"blocks": blocks, "lookahead": lookahead, "batch": None,
                "timed": lookahead, "chunked": self._chunked(result, units, blocks)}

    def _chunked(self, result, units: list[Unit], blocks: list[dict]) -> dict | None:
        """Whether the threads share out the operations before a step's first barrier
        in chunks claimed at run time (barriers.chunked_run), and those operations'
        group: its prefix and its size's C name; the rendered blocks they are get
        ``chunked``. Not with pause points (a call may resume inside a step) nor for an
        operation on a slower clock."""
        run = chunked_run(result, units, first=1)
        if run is None or self.pauses:
            return None
        operations = self._in_order()
        if any("_clock" in operations[i - 1][2] for i in run.operations):
            return None
        for block in blocks:
            if set(block["operations"]) & set(run.operations):
                block["chunked"] = True
        n = next(n for p, n, _ in self.partitions if p == run.group)
        return {"prefix": run.group, "n": n}

    def _batch_context(self, batched: Batch, render, texts: list[str]) -> dict:
        """What network.c.j2 renders for steps in batches: the step's blocks (the
        staged operations keeping their own thread's part: ``local``), what thread 0
        runs to record a batch, for each of its steps: the staged operations as written
        (every thread's part gathered into the list), then the recorders; the staged
        operations' own parts again (``restores``: thread 0 puts its own spikes of its
        last step back after recording an older batch); and which recording buffers are
        counted when a batch is recorded (the recorders': ``recorded_checks``) or within
        its steps (a state monitor's rows: ``step_checks``)."""
        operations = self._operations()
        local = list(texts)
        for k in batched.staged:
            name, context = operations[k]
            local[k] = _render_operation(render, name, dict(context, local=True), True)
        units = self._all_units()
        recorded = {a.array for k in batched.recorders for a in units[k].accesses if a.write}
        checks = self.capacity_checks
        return {"blocks": self._blocks(batched.plan, local, first=0),
                "fine": batched.fine,
                "gathers": [texts[k] for k in batched.staged],
                "recorders": [texts[k] for k in batched.recorders],
                "restores": [local[k] for k in batched.staged],
                "recorded_checks": [c for c in checks if c.count in recorded],
                "step_checks": [c for c in checks if c.count not in recorded]}

    @staticmethod
    def _blocks(result, texts: list[str], first: int = 1) -> list[dict]:
        """The plan's blocks as the template renders them (operation ``first`` is
        ``texts[0]``; the capacity checks, unit 0, are rendered at the start of the
        step instead)."""
        blocks = [{"barrier_before": block.barrier_before, "serial": block.serial,
                   "texts": [texts[i - first] for i in block.operations if i >= first],
                   "operations": block.operations, "chunked": False}
                  for block in result.blocks]
        blocks = [b for b in blocks if b["texts"] or b["barrier_before"]]
        if result.barrier_at_end:
            blocks.append({"barrier_before": True, "serial": False, "texts": [],
                           "operations": [], "chunked": False})
        return blocks


def _render_operation(render, name: str, context: dict, is_c: bool) -> str:
    """One operation's text; on a slower clock, inside the "every k steps" wrapper."""
    context = dict(context)
    clock = context.pop("_clock", None)
    text = render(name, **context).rstrip("\n")
    if clock is None:
        return text
    wrapper = "every.c.j2" if is_c else "numpy/every.py.j2"
    return render(wrapper, text=text, **clock).rstrip("\n")


class _Indescribable(Exception):
    pass


def _describe(value):
    """A template input as JSON data that determines what the template renders."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_describe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _describe(item) for key, item in value.items()}
    if isinstance(value, SimpleNamespace):
        return {"__namespace__": _describe(vars(value))}
    if isinstance(value, ArraySlot):
        return {"__array__": [value.cname, value.ctype]}
    if hasattr(value, "to_json"):  # a record of the build stage (frozen, plain data)
        return {f"__{type(value).__name__}__": value.to_json()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f"__{type(value).__name__}__": _describe(
            {f.name: getattr(value, f.name) for f in dataclasses.fields(value)})}
    raise _Indescribable(type(value).__name__)
