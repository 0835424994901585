"""What one runtime object hands to the network module: a :class:`Contribution`.

Groups, synapses, monitors and inputs each describe what they need — arrays with
getters, scalars, counters, operations in schedule slots, capacity checks, timed
functions — from their own state and the network's layout only; the
:class:`~eqsnn.codegen.network.ModuleBuilder` puts the contributions together.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable

import numpy as np

from eqsnn.codegen.barriers import UNKNOWN, Access, Unit
from eqsnn.targets import COMPILED

__all__ = ["SLOTS", "slot_rank", "schedule_key", "ArraySlot", "CapacityCheck", "Contribution",
           "Operation", "PerCall", "TimedFunction", "UserFunction", "block_names",
           "thread_inputs"]

#: The schedule of one time step, in order: Brian2's default schedule. Every slot also
#: has a ``before_`` and an ``after_`` twin (``before_thresholds`` runs after
#: ``after_groups``). Within a slot, operations run by ``order``, then by name (Brian2's
#: rule, numbers in names compared as numbers: :func:`schedule_key`; see
#: runtime/schedule.py for the defaults of each object).
SLOTS = ("start", "groups", "thresholds", "synapses", "resets", "end")


def slot_rank(when: str, schedule: tuple[str, ...] = SLOTS) -> int:
    """The position of scheduling slot ``when`` in a step of ``schedule`` (default:
    Brian2's): ``before_X``, ``X`` and ``after_X`` are 3i, 3i + 1 and 3i + 2 for the
    i-th slot X (as Brian2 numbers them). Raises ValueError for a name that is not a
    slot of ``schedule`` (the network says which operation, with a hint)."""
    for prefix, offset in (("", 1), ("before_", 0), ("after_", 2)):
        if when.startswith(prefix) and when[len(prefix):] in schedule:
            return 3 * schedule.index(when[len(prefix):]) + offset
    raise ValueError(f"unknown schedule slot {when!r}")


_DIGITS = re.compile(r"(\d+)")


def schedule_key(when: str, order: int, name: str,
                 schedule: tuple[str, ...] = SLOTS) -> tuple:
    """The sort key of an operation in a step: slot, ``order``, then name — as text,
    except that a run of digits compares as the number it writes (``neurongroup_9``
    before ``neurongroup_10``; Brian2 compares text only). eqsnn numbers default names
    from one counter per process, so with text order two copies of a network made at
    different counts (``synapses_98, synapses_99, synapses_100`` against
    ``synapses_101…103``) would run their synapses in different orders: ``v_post += w``
    would add the same numbers in another order, and the last bits of the results would
    depend on how many objects the process made before."""
    parts = _DIGITS.split(name)
    # text at even positions, numbers at odd ones: tuples of two names always compare
    parts[1::2] = [int(digits) for digits in parts[1::2]]
    return (slot_rank(when, schedule), order, tuple(parts), name)


_CTYPES = {np.dtype(np.float64): "double", np.dtype(np.int32): "int32_t",
           np.dtype(np.int64): "int64_t", np.dtype(np.bool_): "_Bool",
           np.dtype(np.uint8): "uint8_t",
           np.dtype(object): "void"}  # (a Python callable, for the numpy twin only)


@dataclass
class ArraySlot:
    """An array the compiled loop reads or writes; ``get`` returns the current array."""

    cname: str
    ctype: str
    get: Callable[[], np.ndarray]


class PerCall:
    """A value several getters of one object read (a pathway's propagation structure:
    13 arrays and integers), computed once per call of the loop instead of once per
    getter: the program holds it while it gathers a call's arguments
    (runtime/backends.py, ``Program.run``) and lets it go before the call. Outside
    that (a getter read on its own) it is computed afresh, so it is never stale:
    between two calls anything may have changed it (synapses connected again, dt)."""

    __slots__ = ("_compute", "_value", "_held")

    def __init__(self, compute: Callable[[], object]):
        self._compute, self._value, self._held = compute, None, False

    def __call__(self):
        return self._value if self._held else self._compute()

    def hold(self) -> None:
        self._value, self._held = self._compute(), True

    def release(self) -> None:
        self._value, self._held = None, False


@dataclass
class Operation:
    """One operation: a template (``"stateupdate"`` → ``stateupdate.c.j2`` /
    ``numpy/stateupdate.py.j2``) with its inputs, in a schedule slot (``when``), run
    within the slot by ``order`` and then by ``name`` (Brian2's rule). ``numbered``: it
    draws random numbers from a stream of its own, so the module builder gives it a
    number ``op`` (the stream of operation k is ``k << 32``). ``unit``: what it touches
    and how threads split it (see :mod:`eqsnn.codegen.barriers`); by default one thread
    runs it, between barriers."""

    slot: str
    template: str
    context: dict
    numbered: bool = False
    unit: Unit = UNKNOWN
    order: int = 0
    name: str = ""
    #: on a slower clock: ``(k, dt)``, it runs at every k-th step with its own ``dt``
    #: (``None``: every step, no test in the loop); ``idle`` counters are set to zero at
    #: the steps it skips (a threshold's spike count: no spikes between its steps)
    period: tuple[int, float] | None = None
    idle: tuple[str, ...] = ()

    def key(self, schedule: tuple[str, ...] = SLOTS) -> tuple:
        return schedule_key(self.slot, self.order, self.name, schedule)


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
    """A function of time sampled every ``dt`` (a TimedArray), declared once per module;
    ``columns`` names the number of columns of a 2-D one (``f(t, i)``), else ``""``."""

    name: str
    values: str
    n: str
    dt: str
    columns: str = ""


@dataclass
class UserFunction:
    """A user's function (``eqsnn.Function``), declared once per module as ``name``: its
    C code (pasted at file scope, defining ``c_name``; ``""`` if none) and the array
    holding its Python implementation (a 0-d object array, read by the numpy twin).
    ``data``, if given, is an array of the module that ``c_name`` takes as its first
    argument (a table handed over at run time instead of written into the source)."""

    name: str
    code: str
    c_name: str
    python: str
    data: str = ""


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
    functions: list[TimedFunction | UserFunction] = field(default_factory=list)
    #: (prefix, size name, ``collected`` or None) of each group the threads split
    partitions: list[tuple[str, str, SimpleNamespace | None]] = field(default_factory=list)
    #: counters each thread keeps its own copy of (see private_counter)
    private_counters: list[str] = field(default_factory=list)
    #: values computed once per call for several getters (see per_call)
    held: list[PerCall] = field(default_factory=list)

    def array(self, cname: str, get: Callable[[], np.ndarray], dtype=np.float64) -> str:
        self.arrays.append(ArraySlot(cname, _CTYPES[np.dtype(dtype)], get))
        return cname

    def scalar(self, cname: str, get: Callable[[], float]) -> str:
        self.scalars.append((cname, get))
        return cname

    def int_scalar(self, cname: str, get: Callable[[], int]) -> str:
        self.int_scalars.append((cname, get))
        return cname

    def per_call(self, compute: Callable[[], object]) -> PerCall:
        """``compute`` as a getter of getters: computed once per call of the loop (see
        :class:`PerCall`)."""
        value = PerCall(compute)
        self.held.append(value)
        return value

    def counter(self, cname: str, get: Callable[[], np.ndarray]) -> str:
        """A persistent int64 counter: a one-element array owned by an object (templates
        read and write it as ``name[0]``)."""
        return self.array(cname, get, np.int64)

    def private_counter(self, cname: str, get: Callable[[], np.ndarray]) -> str:
        """A counter (see :meth:`counter`) that every thread of the compiled loop keeps
        its own copy of, counting the same way (``Access(cname, True, PRIVATE)``):
        thread 0's is the object's, the others start each call of the loop as copies of
        it (network.c.j2 binds the name to each thread's)."""
        self.private_counters.append(cname)
        return self.counter(cname, get)

    def add(self, slot: str, template: str, *, numbered: bool = False, unit: Unit = UNKNOWN,
            order: int = 0, name: str = "", period: tuple[int, float] | None = None,
            idle: tuple[str, ...] = (), **context) -> None:
        """An operation in scheduling slot ``slot`` (see :data:`SLOTS`), at ``order``
        and ``name`` within it; operations with the same key keep the order in which
        they were added. ``period``, ``idle``: see :class:`Operation`."""
        if not isinstance(slot, str) or not slot.isidentifier():
            raise ValueError(f"schedule slot {slot!r} is not a name")
        if period is not None and period[0] == 1:
            period, idle = None, ()
        self.operations.append(Operation(slot, template, context, numbered, unit, order, name,
                                         period, tuple(idle)))

    def partition(self, prefix: str, n: str, *,
                  collected: SimpleNamespace | None = None) -> None:
        """Threads split the ``n`` elements of group ``prefix`` into blocks
        ``[{prefix}_lo, {prefix}_hi)``. ``collected``: the group's threshold collects
        spikes per thread into ``scratch``, then every thread into its own copy of the
        spike list ``array`` and its count ``count`` (network.c.j2 binds the names)."""
        self.partitions.append((prefix, n, collected))

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
    """The C names of this thread's block of group ``prefix``'s neurons, of the spike
    counts of the group's chunks, of how many chunks each thread's block is cut into
    (one, or more where the threads share out the start of a step) and of the unit the
    blocks are cut at (eqsnn_support.h, eqsnn_block: 64 neurons, or 16 in batches of
    steps that touch only their own neurons); declared by network.c.j2."""
    return SimpleNamespace(lo=f"{prefix}_lo", hi=f"{prefix}_hi", tcount=f"{prefix}_tcount",
                           chunks=f"{prefix}_chunks", unit=f"{prefix}_unit")


