"""Where the threads of one time step must wait for each other.

The compiled loop runs every step on all threads of one OpenMP team. Most operations
are *partitioned*: thread ``t`` of ``T`` owns a block of every neuron group's neurons
(the same block in every operation) and touches only their elements — state updates,
thresholds, resets, and synaptic propagation split by the neuron a synapse acts on.
The rest are *serial*: one thread does them (collecting the spikes of all threads,
monitors, spike rings).

Two operations may run at the same time on different threads unless a barrier lies
between them. They conflict when both touch one array, at least one writes it, and
they do not split it the same way. Operations that split an array the same way touch
each element from one thread only, in program order: no barrier is needed between a
state update and the threshold of the same group, or between a propagation and the
reset of the group it acts on. Serial operations all run on thread 0, so they never
conflict with each other either.

Two kinds of arrays let a step need fewer barriers (a CUBA step needs one):

- an array with one *slot* per step (a ring of the last D steps' spikes, or a pair of
  buffers used by step parity): an access to this step's slot (``slot=NOW``) does not
  conflict with one to earlier steps' slots (``PAST``) in the same step, and two
  ``NOW`` accesses in consecutive steps touch different slots (there are at least two);
- an array every thread keeps its own copy of (``part=PRIVATE``): a thread writes and
  reads only its own, so its writer conflicts with nothing but a write of another kind.

:func:`plan` walks one step's operations, places a barrier before the first operation
that conflicts with one since the last barrier, and looks across the end of the step
into the next (the loop repeats the same code). Consecutive serial operations share one
``single`` block. No barrier is placed where none is needed, and every conflict is
separated by one: what the numbers computed depend on is then only the program, never
the thread count or timing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ANY", "NOW", "PAST", "PRIVATE", "SERIAL", "UNKNOWN", "Access", "Unit", "Block",
           "Plan", "plan"]


@dataclass(frozen=True)
class Access:
    """An operation reads or writes ``array``; ``part`` names how threads split its
    elements (e.g. ``("neurons", "_g0")``: each thread its own block of group ``_g0``;
    ``PRIVATE``: each thread its own copy of the array), ``None``: any element (reads of
    another thread's neurons). ``slot``: for an array with a slot per step, which slots
    (``NOW``: this step's, ``PAST``: earlier steps'); ``None``: any."""

    array: str
    write: bool
    part: tuple | None = None
    slot: str | None = None

    def conflicts(self, other: "Access", steps_apart: int | None = 0) -> bool:
        """Whether the two may not run at once, ``other`` ``steps_apart`` steps after
        ``self`` (``None``: any number of steps apart)."""
        if not (self.write or other.write):
            return False
        if self.array != other.array and ANY not in (self.array, other.array):
            return False
        if PRIVATE in (self.part, other.part):  # each thread touches its own copy only
            return any(a.write and a.part != PRIVATE for a in (self, other))
        if steps_apart == 0 and {self.slot, other.slot} == {NOW, PAST}:
            return False
        if steps_apart == 1 and self.slot == other.slot == NOW:
            return False
        return self.part is None or self.part != other.part


#: the array of an operation that says nothing about what it touches: every array
ANY = "*"
#: the part of every access of a serial operation: all of them run on thread 0
SERIAL = ("serial",)
#: the part of an array each thread has its own copy of
PRIVATE = ("private",)
#: the slots of an array with one slot per step: this step's, and earlier steps'
NOW, PAST = "now", "past"
#: what an operation that says nothing about itself does: anything, on one thread
UNKNOWN: "Unit"


@dataclass(frozen=True)
class Unit:
    """One operation as the planner sees it: what it touches, and whether one thread
    (thread 0) does all of it. A ``serial`` operation's accesses get ``part=SERIAL``."""

    accesses: tuple[Access, ...]
    serial: bool = False

    def __post_init__(self):
        if self.serial:
            object.__setattr__(self, "accesses", tuple(
                Access(a.array, a.write, SERIAL, a.slot) for a in self.accesses))
            return
        # all threads run a partitioned operation at once: it must not race with itself
        for write in (a for a in self.accesses if a.write):
            if any(write.conflicts(other) for other in self.accesses):
                raise ValueError(f"a partitioned operation writes {write.array!r} in a way "
                                 f"two of its threads could both touch: make it serial")


UNKNOWN = Unit((Access(ANY, True),), serial=True)


@dataclass
class Block:
    """Operations rendered together: one ``single`` block of serial operations, or one
    partitioned operation. ``barrier_before``: all threads wait before it."""

    operations: list[int]
    serial: bool
    barrier_before: bool = False


@dataclass
class Plan:
    blocks: list[Block] = field(default_factory=list)
    barrier_at_end: bool = False   # before the next step's first block

    @property
    def barriers(self) -> int:
        """Barriers per step."""
        return sum(b.barrier_before for b in self.blocks) + self.barrier_at_end


def plan(units: list[Unit]) -> Plan:
    """Blocks and barriers for one step made of ``units``, in order."""
    blocks = _blocks(units)
    accesses = [tuple(a for i in b.operations for a in units[i].accesses) for b in blocks]
    since: list[Access] = []
    for block, touched in zip(blocks, accesses):
        if _conflict(since, touched):
            block.barrier_before = True
            since = []
        since += touched
    # Across the end of the step: the last segment runs on into the next step's first.
    first: list[Access] = []
    for block, touched in zip(blocks, accesses):
        if block.barrier_before:
            break
        first += touched
    result = Plan(blocks)
    barrier_inside = any(b.barrier_before for b in blocks)
    if barrier_inside and _conflict(since, first, steps_apart=1):
        result.barrier_at_end = True
    elif not barrier_inside and _conflict(since, since, steps_apart=None):
        # one segment only, and it conflicts with its own next repetitions
        result.barrier_at_end = True
    return result


def _blocks(units: list[Unit]) -> list[Block]:
    blocks: list[Block] = []
    for index, unit in enumerate(units):
        if unit.serial and blocks and blocks[-1].serial:
            blocks[-1].operations.append(index)
        else:
            blocks.append(Block([index], unit.serial))
    return blocks


def _conflict(earlier, later, steps_apart: int | None = 0) -> bool:
    return any(a.conflicts(b, steps_apart) for a in earlier for b in later)
