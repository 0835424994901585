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

:func:`chunked_run` says which operations before a step's first barrier may be shared
out in chunks claimed at run time instead of each thread doing its whole block.

:func:`batch` says when a step's barriers can go altogether: when the threads exchange
nothing but the spikes that monitors of spike indices and times read (a network of
groups without synapses), each thread runs a whole batch of steps on its own neurons,
keeping its spikes of each step, and the monitors record the batch afterwards, step by
step, as they would have (one barrier per batch instead of one per step: thread 0
records a batch while the others run the next).
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ANY", "NOW", "PAST", "PRIVATE", "SERIAL", "UNKNOWN", "Access", "Unit", "Block",
           "Plan", "Batch", "ChunkedRun", "plan", "batch", "chunked_run"]


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
    (thread 0) does all of it. A ``serial`` operation's accesses get ``part=SERIAL``.

    For steps run in batches (:func:`batch`): ``local`` is what an operation that
    gathers every thread's part of an array touches when it takes its own thread's part
    only (each thread's spikes into its own list: ``Access(list, True, part)``); a
    ``recorder`` reads only such lists and writes only arrays no other operation
    touches (a monitor of spike indices and times), so it can record a batch's steps
    after the batch, one step after the other.

    ``chunkable``: a partitioned operation that touches its part's elements only in the
    range its template is given (``[lo, hi)``, the thread's block), so the threads may
    share its elements out in smaller chunks (:func:`chunked_run`)."""

    accesses: tuple[Access, ...]
    serial: bool = False
    local: tuple[Access, ...] | None = None
    recorder: bool = False
    chunkable: bool = False

    def __post_init__(self):
        if self.serial:
            object.__setattr__(self, "accesses", tuple(
                Access(a.array, a.write, SERIAL, a.slot) for a in self.accesses))
            return
        if self.local is not None:
            Unit(self.local)  # (its own check)
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


@dataclass
class Batch:
    """Steps run in batches (see :func:`batch`): ``plan``, the blocks of one step
    (without a barrier); ``staged``, the operations that take their own thread's part
    only (their ``local`` accesses); ``recorders``, the operations run after the batch
    for each of its steps, in order, on thread 0."""

    plan: Plan
    staged: list[int]
    recorders: list[int]
    #: the threads' blocks may be cut at any multiple of 16 neurons (see _fine)
    fine: bool = False


def batch(units: list[Unit]) -> Batch | None:
    """Whether steps of ``units`` can run in batches with no barrier between steps, and
    how; ``None`` if a step needs a barrier anyway (or has none to save).

    Steps of a batch need no barrier when the only thing the threads exchange is lists
    that gather every thread's part (a group's spikes), and only recorders read them
    whole: each thread then keeps its own part of the list (the operation's ``local``
    accesses: operations that read only their own thread's part, as a reset does, still
    find it there), stages it for each step of the batch, and after the batch one thread
    gathers each step's list in turn and runs the recorders on it — exactly what they
    record step by step. Every operation left in the step must then be free of
    conflicts, within the step and with the steps after it."""
    staged = [k for k, unit in enumerate(units) if unit.local is not None]
    if not staged or not plan(units).barriers:
        return None
    lists: set[str] = set()
    recorders = []
    for k, unit in enumerate(units):
        if unit.local is not None:
            lists |= {a.array for a in unit.local if a.write}
        elif unit.recorder and all(a.write or a.array in lists for a in unit.accesses):
            recorders.append(k)  # (after the staged operations whose lists it reads)
    in_step = [k for k in range(len(units)) if k not in recorders]
    step = [Unit(units[k].local, units[k].serial) if units[k].local is not None
            else units[k] for k in in_step]
    # The recorders run later than the step's operations: none of these may touch what
    # a recorder writes, nor write a staged list other than through its staged operation.
    written = {a.array for k in recorders for a in units[k].accesses if a.write}
    for k, unit in zip(in_step, step):
        for a in unit.accesses:
            if a.array == ANY or a.array in written or (
                    a.write and a.array in lists and k not in staged):
                return None
    result = plan(step)
    if result.barriers:
        return None
    for block in result.blocks:  # (numbered as in ``units``)
        block.operations = [in_step[i] for i in block.operations]
    return Batch(result, staged, recorders, _fine(step))


def _fine(step: list[Unit]) -> bool:
    """Whether the threads' shares of a batch's groups may be cut at multiples of 16
    neurons (a cache line of 32-bit values) rather than of 64: every partitioned
    operation touches only its thread's own neurons of each group, arrays of its own or
    arrays thread 0 writes for all (a StateMonitor's count and times), nothing cut by the
    blocks of 64 elsewhere (such as the synapses a summed variable takes per thread, cut
    when they are built)."""
    return all(a.part in (PRIVATE, SERIAL)
               or (a.part is not None and a.part[0] == "neurons")
               for unit in step if not unit.serial for a in unit.accesses)


@dataclass(frozen=True)
class ChunkedRun:
    """The operations the threads share out in chunks (see :func:`chunked_run`), in
    step order, numbered as in ``units``, and the group whose neurons they are
    partitioned by (its prefix)."""

    operations: tuple[int, ...]
    group: str


def chunked_run(result: Plan, units: list[Unit], first: int = 0) -> ChunkedRun | None:
    """The operations just before a step's first barrier that the threads may share
    out in chunks claimed at run time, instead of each doing its whole block; ``None``
    if there are none. (Operations before ``first`` are left out: the capacity checks,
    which the loop runs apart.)

    A thread that is done with its own chunks then takes chunks of another thread's
    neurons, so a thread slowed down (a stalled vCPU, thread 0's serial work) holds the
    others up less at the barrier. Every chunk is a range of one thread's block, and the
    operations run on it in program order whichever thread takes it, so each element's
    arithmetic is the same. The run is the blocks before the barrier that are
    partitioned and ``chunkable``, all writing one group's neurons
    (``("neurons", prefix)``): a chunk of thread t's neurons then depends only on what t
    did since the last barrier, before the run (t says when it is done with that:
    network.c.j2), and nothing depends on it until the barrier."""
    barriers = [k for k, block in enumerate(result.blocks) if block.barrier_before]
    if not barriers:
        return None
    run: list[int] = []
    parts: set = set()
    for block in reversed(result.blocks[:barriers[0]]):
        operations = [i for i in block.operations if i >= first]
        if block.serial or not operations or not all(units[i].chunkable for i in operations):
            break
        written = {a.part for i in operations for a in units[i].accesses if a.write}
        if len(parts | written) != 1:
            break
        run[:0], parts = operations, parts | written
    if not run:
        return None
    (part,) = parts
    if part is None or part[0] != "neurons":
        return None
    return ChunkedRun(tuple(run), part[1])


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
