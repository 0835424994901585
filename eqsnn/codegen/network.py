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

import numpy as np

from eqsnn import __version__
from eqsnn.codegen.barriers import UNKNOWN, Access, Unit, plan
from eqsnn.resources import template_digest
from eqsnn.targets import COMPILED

__all__ = ["SLOTS", "THREADS_SCALAR", "ArraySlot", "CapacityCheck", "Contribution",
           "ModuleBuilder", "ModuleSource", "Operation", "TimedFunction", "block_names",
           "thread_inputs"]

#: The schedule of one time step, in order (Brian2's default schedule). Summed synaptic
#: variables are computed in "start" (before the state monitors record them), the
#: clock-driven synaptic equations in "synapse_state", just before the neurons' state
#: updates; spikes reach synapses in "synapses", after the thresholds.
SLOTS = ("start", "synapse_state", "groups", "thresholds", "synapses", "resets", "end")

#: the int scalar that holds the number of threads (see ModuleBuilder.threads)
THREADS_SCALAR = "_n_threads_wanted"

_CTYPES = {np.dtype(np.float64): "double", np.dtype(np.int32): "int32_t",
           np.dtype(np.int64): "int64_t"}


@dataclass
class ArraySlot:
    """An array the compiled loop reads or writes; ``get`` returns the current array."""

    cname: str
    ctype: str
    get: Callable[[], np.ndarray]


@dataclass
class ModuleSource:
    """The rendered source and what to hand it at run time, in order."""

    backend: str
    source: str
    arrays: list[ArraySlot]
    scalars: list[tuple[str, Callable[[], float]]]
    int_scalars: list[tuple[str, Callable[[], int]]]


@dataclass
class Operation:
    """One operation: a template (``"stateupdate"`` → ``stateupdate.c.j2`` /
    ``numpy/stateupdate.py.j2``) with its inputs, in a schedule slot. ``numbered``: it
    draws random numbers from a stream of its own, so the module builder gives it a
    number ``op`` (the stream of operation k is ``k << 32``). ``unit``: what it touches
    and how threads split it (see :mod:`eqsnn.codegen.barriers`); by default one thread
    runs it, between barriers."""

    slot: str
    template: str
    context: dict
    numbered: bool = False
    unit: Unit = UNKNOWN


@dataclass
class CapacityCheck:
    """A recording buffer must have room for ``needed`` more entries before a step:
    ``capacity - count < needed`` stops the loop (Python grows it and calls again)."""

    capacity: str
    count: str
    needed: str

    @property
    def unit(self) -> Unit:
        """What the check reads, for the threads' barriers (the writer of ``count``
        says it writes that array)."""
        return Unit((Access(self.count, False),))


@dataclass
class TimedFunction:
    """A function of time sampled every ``dt`` (a TimedArray), declared once per module."""

    name: str
    values: str
    n: str
    dt: str


@dataclass
class Contribution:
    """What one object needs in the network module: arrays, scalars, operations in
    schedule slots, capacity checks. An object builds it from its own state and the
    network's :class:`~eqsnn.runtime.layout.Layout` only; the network puts the
    contributions together, so none depends on another having contributed first."""

    arrays: list[ArraySlot] = field(default_factory=list)
    scalars: list[tuple[str, Callable[[], float]]] = field(default_factory=list)
    int_scalars: list[tuple[str, Callable[[], int]]] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    capacity_checks: list[CapacityCheck] = field(default_factory=list)
    functions: list[TimedFunction] = field(default_factory=list)
    #: (prefix, size name, collects spikes per thread) of each group the threads split
    partitions: list[tuple[str, str, bool]] = field(default_factory=list)

    def array(self, cname: str, get: Callable[[], np.ndarray], dtype=np.float64) -> str:
        self.arrays.append(ArraySlot(cname, _CTYPES[np.dtype(dtype)], get))
        return cname

    def scalar(self, cname: str, get: Callable[[], float]) -> str:
        self.scalars.append((cname, get))
        return cname

    def int_scalar(self, cname: str, get: Callable[[], int]) -> str:
        self.int_scalars.append((cname, get))
        return cname

    def counter(self, cname: str, get: Callable[[], np.ndarray]) -> str:
        """A persistent int64 counter: a one-element array owned by an object (templates
        read and write it as ``name[0]``)."""
        return self.array(cname, get, np.int64)

    def add(self, slot: str, template: str, *, numbered: bool = False, unit: Unit = UNKNOWN,
            **context) -> None:
        if slot not in SLOTS:
            raise ValueError(f"unknown schedule slot {slot!r}")
        self.operations.append(Operation(slot, template, context, numbered, unit))

    def partition(self, prefix: str, n: str, *, thresholded: bool = False) -> None:
        """Threads split the ``n`` elements of group ``prefix`` into blocks
        ``[{prefix}_lo, {prefix}_hi)``; ``thresholded``: it collects spikes per thread."""
        self.partitions.append((prefix, n, thresholded))

    def add_capacity_check(self, capacity: str, count: str, needed: str) -> None:
        self.capacity_checks.append(CapacityCheck(capacity, count, needed))

    def add_function(self, function: TimedFunction) -> None:
        self.functions.append(function)


def thread_inputs(backend: str, unit: Unit | None = None, **inputs) -> dict:
    """The template inputs about threads, which only the C templates read: ``serial``
    (from ``unit``: one thread runs the operation) and ``inputs``; none for numpy."""
    if backend != COMPILED:
        return {}
    return dict(inputs, serial=unit.serial) if unit is not None else inputs


def block_names(prefix: str) -> SimpleNamespace:
    """The C names of this thread's block of group ``prefix``'s neurons and of the spike
    counts of the group's threads (declared by network.c.j2)."""
    return SimpleNamespace(lo=f"{prefix}_lo", hi=f"{prefix}_hi", tcount=f"{prefix}_tcount")


@dataclass
class ModuleBuilder:
    """Puts the contributions of a network's objects together and renders the module."""

    backend: str  # one of eqsnn.targets.BACKENDS
    arrays: list[ArraySlot] = field(default_factory=list)
    scalars: list[tuple[str, Callable[[], float]]] = field(default_factory=list)
    int_scalars: list[tuple[str, Callable[[], int]]] = field(default_factory=list)
    functions: list[TimedFunction] = field(default_factory=list)
    capacity_checks: list[CapacityCheck] = field(default_factory=list)
    blocks: dict[str, list] = field(default_factory=lambda: {slot: [] for slot in SLOTS})
    partitions: list[tuple[str, str, bool]] = field(default_factory=list)
    #: how many threads the loop starts, asked at every call (the Network sets it)
    threads: Callable[[], int] = lambda: 1
    _units: dict[str, list] = field(default_factory=lambda: {slot: [] for slot in SLOTS})
    _n_ops: int = 0
    _names: set = field(default_factory=set)

    def __post_init__(self):
        self._claim(THREADS_SCALAR)
        self.int_scalars.append((THREADS_SCALAR, lambda: self.threads()))

    def include(self, contribution: Contribution) -> None:
        """Add one object's contribution; operations keep their order within a slot."""
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
        for operation in contribution.operations:
            context = dict(operation.context)
            if operation.numbered:
                self._n_ops += 1
                context["op"] = self._n_ops
            name = f"{operation.template}.c.j2" if self.is_c else \
                f"numpy/{operation.template}.py.j2"
            self.blocks[operation.slot].append((name, context))
            self._units[operation.slot].append(operation.unit)

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
            context.update(partitions=self.partitions,
                           threads_scalar=context["int_scalars"].index(THREADS_SCALAR))
        return context

    def _operations(self) -> list[tuple[str, dict]]:
        return [operation for slot in SLOTS for operation in self.blocks[slot]]

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
            slots = [render(name, **context).rstrip("\n")
                     for name, context in self._operations()]
            template = "network.c.j2" if self.is_c else "numpy/network.py.j2"
            threads = {"blocks": self._blocks(slots)} if self.is_c else {}
            source = render(template, **self._module_context(), slots=slots, **threads)
        return ModuleSource(self.backend, source, list(self.arrays), list(self.scalars),
                            list(self.int_scalars))

    def _all_units(self) -> list[Unit]:
        return [unit for slot in SLOTS for unit in self._units[slot]]

    def _blocks(self, texts: list[str]) -> list[dict]:
        """The rendered operations grouped into the threads' blocks, with barriers: the
        capacity checks first (they open every step), then the operations."""
        checks = Unit(tuple(a for check in self.capacity_checks for a in check.unit.accesses))
        result = plan([checks] + self._all_units())
        blocks = [{"barrier_before": block.barrier_before, "serial": block.serial,
                   "texts": [texts[i - 1] for i in block.operations if i > 0]}
                  for block in result.blocks]
        blocks = [b for b in blocks if b["texts"] or b["barrier_before"]]
        if result.barrier_at_end:
            blocks.append({"barrier_before": True, "serial": False, "texts": []})
        return blocks


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
