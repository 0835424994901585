"""The barrier planner: every conflict separated, no barrier without one."""
from __future__ import annotations

import itertools

from eqsnn.codegen.barriers import Access, Unit, plan

G = ("neurons", "_g0")
H = ("neurons", "_g1")


def own(*names, write=True, part=G):
    return tuple(Access(n, write, part) for n in names)


def reads(*names):
    return tuple(Access(n, False, None) for n in names)


def writes(*names):
    return tuple(Access(n, True, None) for n in names)


def cuba_step():
    """capacity check, update, threshold, collect spikes + monitor + rings, two
    pathways onto the same group, reset."""
    return [
        Unit(reads("m_count")),
        Unit(own("v", "ge", "gi") + own("lastspike", write=False)),
        Unit(own("v", "lastspike", write=False) + own("lastspike", "scratch", "tcount")),
        Unit(reads("scratch", "tcount") + writes("spikes", "nspikes"), serial=True),
        Unit(reads("spikes", "nspikes") + writes("m_i", "m_step", "m_count"), serial=True),
        Unit(reads("spikes", "nspikes") + writes("ring0", "ring0_n"), serial=True),
        Unit(reads("ring0", "ring0_n") + own("ge")),
        Unit(reads("spikes", "nspikes") + own("v")),
    ]


def test_cuba_needs_two_barriers_a_step():
    result = plan(cuba_step())
    # before collecting the spikes (the threads' scratch) and after it (the spike list)
    assert [b.barrier_before for b in result.blocks] == [False, False, False, True, True, False]
    assert result.blocks[3].operations == [3, 4, 5] and result.blocks[3].serial
    assert not result.barrier_at_end
    assert result.barriers == 2


def test_a_serial_block_alone_waits_for_its_next_repetition():
    result = plan([Unit(writes("count"), serial=True)])
    assert result.barrier_at_end and result.barriers == 1


def test_partitioned_operations_on_one_split_need_no_barrier():
    result = plan([Unit(own("v")), Unit(own("v", "w"))])
    assert result.barriers == 0


def test_reading_another_threads_neurons_waits_for_their_writes():
    # propagation reads v_pre of any neuron while the update writes each block's v
    result = plan([Unit(own("v")), Unit(reads("v") + own("ge"))])
    assert result.blocks[1].barrier_before
    # and the next step's update must not overwrite v while it is read
    assert result.barrier_at_end


def test_different_splits_of_one_array_conflict():
    result = plan([Unit(own("w", part=G)), Unit(own("w", part=H))])
    assert result.blocks[1].barrier_before and result.barrier_at_end


def test_reads_alone_never_conflict():
    result = plan([Unit(reads("v")), Unit(reads("v"), serial=True), Unit(reads("v"))])
    assert result.barriers == 0


def _segments_are_safe(units, result):
    """Brute force: no two operations of one segment (cyclically, over two steps)
    conflict, except a partitioned operation with itself."""
    order = [i for b in result.blocks for i in b.operations]
    barrier_before = {b.operations[0]: b.barrier_before for b in result.blocks}
    blocks_of = {i: k for k, b in enumerate(result.blocks) for i in b.operations}
    sequence, cuts = [], []
    for step in range(2):
        for i in order:
            if barrier_before.get(i):
                cuts.append(len(sequence))
            sequence.append(i)
        if result.barrier_at_end:
            cuts.append(len(sequence))
    for a, b in itertools.combinations(range(len(sequence)), 2):
        if any(a < c <= b for c in cuts):
            continue
        i, j = sequence[a], sequence[b]
        if blocks_of[i] == blocks_of[j] and result.blocks[blocks_of[i]].serial and b - a < len(order):
            continue  # the same single block: one thread, in order
        if any(x.conflicts(y) for x in units[i].accesses for y in units[j].accesses):
            return False
    return True


def test_random_schedules_are_always_separated():
    import random
    rng = random.Random(3)
    arrays, parts = ["a", "b", "c", "d"], [G, H, None]
    for _ in range(300):
        units = []
        for _ in range(rng.randint(1, 6)):
            serial = rng.random() < 0.3
            accesses = tuple(Access(rng.choice(arrays), rng.random() < 0.5, rng.choice(parts))
                             for _ in range(rng.randint(1, 3)))
            try:
                units.append(Unit(accesses, serial=serial))
            except ValueError:   # a partitioned operation racing with itself
                units.append(Unit(accesses, serial=True))
        result = plan(units)
        assert _segments_are_safe(units, result), units


def test_a_partitioned_operation_that_races_with_itself_is_refused():
    import pytest
    with pytest.raises(ValueError, match="make it serial"):
        Unit(own("v") + writes("v"))
    with pytest.raises(ValueError, match="make it serial"):
        Unit(writes("count"))
