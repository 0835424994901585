"""A group's state update and threshold in one pass over its neurons (compiled loop).

Run one after the other, the state update sweeps the thread's block of the group's
arrays (``v``, ``ge``, ``gi``, ``lastspike`` …) and the threshold sweeps ``v`` and
``lastspike`` again; at CUBA 10^5 a thread's block is 1.6 MB, more than a core's L2,
so the threshold reads it all from memory a second time. :func:`fuse` makes the two one
operation (``update_threshold.c.j2``): for each tile of 256 neurons (``EQSNN_FUSED_TILE``)
the update, then the threshold's test of the same neurons, block by block of 64, while
they are in L1.

When that is the same program. Per neuron nothing changes: the update of neuron ``n``
reads and writes only ``n``'s elements, and the threshold's test of ``n`` reads only
those (both partitioned by the group's neurons, neither serial: an operation that
writes a shared variable or reads its own group's other neurons through a link is
made serial, runtime/group_code.py). So no update of another neuron reads what the test
of ``n`` writes (``lastspike``, ``not_refractory``, the spike list), and the test of
``n`` reads nothing another neuron's update writes: interleaving them block by block is
what the threads' chunks already do (barriers.chunked_run runs both on one range, then
on the next). Random numbers are a function of (seed, step, stream, neuron) and each
operation keeps its own stream (``op``), so they draw the same numbers. And a tile's
update is the thread's loop cut at a multiple of 64 neurons from its start: gcc
vectorises it alike, with the same neurons in the vector body and the remainder, so
the same arithmetic gives the same bits. (A single loop that updates and tests each
neuron did not: gcc split it otherwise, and a few neurons of a noisy model differed in
the last bit.)

Between the two in a step there may be other operations: Brian2's schedule runs every
group's update before any threshold. The threshold moves up to its update only past
operations it has no data dependence with — neither writes an array the other reads or
writes (:class:`~eqsnn.codegen.barriers.Access`, by array, whatever the threads' parts:
a group's neurons count as one array) — so every operation still sees the values it
saw. A monitor, ``run_regularly`` or input of the group between them, another group's
operation that reads the group through a link or writes what the threshold reads, a
pause point, or an operation that says nothing about itself (``ANY``) keeps them apart.
Not fused either: an update or threshold on a slower clock (each has its own ``every``
wrapper) or made serial, and the numpy backend (whole arrays at once: nothing to gain).
"""
from __future__ import annotations

from eqsnn.codegen.barriers import ANY, Unit

__all__ = ["FUSED", "fuse"]

UPDATE, THRESHOLD = "stateupdate.c.j2", "threshold.c.j2"
#: the template of a fused state update and threshold
FUSED = "update_threshold.c.j2"


def fuse(scheduled: list[tuple]) -> list[tuple]:
    """``scheduled`` (``(key, template, context, unit)`` of every operation, in step
    order) with each state update that may be fused with its group's threshold
    replaced by the fused operation (at the update's place), and that threshold
    removed."""
    result = list(scheduled)
    k = 0
    while k < len(result):
        m = _its_threshold(result, k)
        context = None if m is None else _context(result[k][2], result[m][2])
        if context is not None:
            unit = Unit(result[k][3].accesses + result[m][3].accesses, chunkable=True)
            result[k] = (result[k][0], FUSED, context, unit)
            del result[m]  # (behind position k)
        k += 1
    return result


def _its_threshold(ops: list[tuple], k: int) -> int | None:
    """The position of the threshold that operation ``k`` (a state update) may be fused
    with, or ``None``."""
    _, template, update, unit = ops[k]
    if template != UPDATE or not _may_fuse(update, unit):
        return None
    for m in range(k + 1, len(ops)):
        _, other, context, other_unit = ops[m]
        if other == THRESHOLD and context["group"] == update["group"]:
            if not _may_fuse(context, other_unit):
                return None
            between = ops[k + 1:m]
            if all(_independent(op[3], other_unit) for op in between):
                return m
            return None
    return None


def _may_fuse(context: dict, unit: Unit) -> bool:
    """Partitioned by the group's neurons (each thread its block, in ranges it is
    given: ``chunkable``), on the network's clock."""
    return not unit.serial and unit.chunkable and "_clock" not in context


def _independent(one: Unit, other: Unit) -> bool:
    """Whether the two may run in either order with the same results: neither writes an
    array the other touches."""
    for a in one.accesses:
        for b in other.accesses:
            same = a.array == b.array or ANY in (a.array, b.array)
            if same and (a.write or b.write):
                return False
    return True


def _context(update: dict, threshold: dict) -> dict | None:
    """The fused template's inputs: both operations' own, and the bindings of both
    (one name, one array: the group's record names each variable once)."""
    bound = {}
    for key in ("arrays", "scalars", "functions"):
        merged = {}
        for entry in list(update[key]) + list(threshold[key]):
            local = entry[0]
            if merged.setdefault(local, list(entry)) != list(entry):
                return None  # (never for one group's record; kept apart if it were)
        bound[key] = list(merged.values())
    return dict(bound, update=update, threshold=threshold)
