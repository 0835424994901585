"""The barrier planner: every conflict separated, no barrier without one."""
from __future__ import annotations

import dataclasses
import itertools

from eqsnn.codegen.barriers import (ANY, NOW, PAST, PRIVATE, Access, ChunkedRun, Unit, batch,
                                    chunked_run, plan)

G = ("neurons", "_g0")
H = ("neurons", "_g1")


def own(*names, write=True, part=G, slot=None):
    return tuple(Access(n, write, part, slot) for n in names)


def reads(*names, slot=None):
    return tuple(Access(n, False, None, slot) for n in names)


def writes(*names):
    return tuple(Access(n, True, None) for n in names)


def cuba_step():
    """capacity check (thread 0, a step ahead), update, threshold (into this step's half
    of the scratch), every thread collecting the spikes into its own list, monitor and
    rings, two pathways onto the same group (this step's spikes from the list, earlier
    ones from the ring), reset."""
    return [
        Unit(reads("m_count"), serial=True),
        Unit(own("v", "ge", "gi") + own("lastspike", write=False)),
        Unit(own("v", "lastspike", write=False) + own("lastspike")
             + own("scratch", slot=NOW)),
        Unit(reads("scratch", slot=NOW) + own("spikes", part=PRIVATE)),
        Unit(reads("spikes") + writes("m_i", "m_step", "m_count"), serial=True),
        Unit(reads("spikes") + own("ring0", part=None, slot=NOW), serial=True),
        Unit(reads("spikes") + reads("ring0", slot=PAST) + own("ge")),
        Unit(reads("spikes") + own("v")),
    ]


def test_cuba_needs_one_barrier_a_step():
    result = plan(cuba_step())
    # only before collecting the spikes (the threads' scratch)
    assert [b.barrier_before for b in result.blocks] == [False, False, False, True, False,
                                                          False, False]
    assert result.blocks[4].operations == [4, 5] and result.blocks[4].serial
    assert not result.barrier_at_end
    assert result.barriers == 1


def test_one_scratch_for_both_parities_would_need_a_second_barrier():
    step = cuba_step()
    step[2] = Unit(own("v", "lastspike", write=False) + own("lastspike", "scratch"))
    step[3] = Unit(reads("scratch") + own("spikes", part=PRIVATE))
    assert plan(step).barrier_at_end   # the next threshold would overwrite it


def test_a_shared_spike_list_needs_a_second_barrier():
    step = cuba_step()
    step[3] = Unit(reads("scratch", slot=NOW) + writes("spikes"), serial=True)
    result = plan(step)
    assert result.barriers == 2 and result.blocks[4].barrier_before


def test_reading_this_steps_slot_of_the_ring_waits_for_its_writer():
    step = cuba_step()
    step[6] = Unit(reads("spikes") + reads("ring0", slot=NOW) + own("ge"))
    assert plan(step).barriers == 2


def test_serial_operations_never_wait_for_each_other():
    # all run on thread 0, in order
    result = plan([Unit(writes("count"), serial=True)])
    assert not result.barrier_at_end and result.barriers == 0
    result = plan([Unit(writes("a"), serial=True), Unit(own("v")),
                   Unit(reads("a") + writes("a"), serial=True)])
    assert result.barriers == 0


def test_a_serial_writer_and_the_threads_reading_it_wait():
    result = plan([Unit(writes("count"), serial=True), Unit(own("v") + reads("count"))])
    assert result.blocks[1].barrier_before and result.barrier_at_end


def test_private_copies_conflict_only_with_a_shared_write():
    mine = Access("spikes", True, PRIVATE)
    assert not mine.conflicts(Access("spikes", False, None))
    assert not mine.conflicts(Access("spikes", True, PRIVATE))
    assert mine.conflicts(Access("spikes", True, None))


def test_slots_of_this_step_and_earlier_steps():
    now, past = Access("ring", True, None, NOW), Access("ring", False, G, PAST)
    assert not now.conflicts(past) and not past.conflicts(now)
    assert now.conflicts(past, steps_apart=1) and past.conflicts(now, steps_apart=1)
    assert not now.conflicts(Access("ring", False, None, NOW), steps_apart=1)
    assert now.conflicts(Access("ring", False, None, NOW), steps_apart=2)
    assert now.conflicts(Access("ring", False, None, NOW), steps_apart=None)


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
    """Brute force: no two operations of one segment (cyclically, over three steps)
    conflict."""
    order = [i for b in result.blocks for i in b.operations]
    barrier_before = {b.operations[0]: b.barrier_before for b in result.blocks}
    sequence, cuts = [], []
    for step in range(3):
        for i in order:
            if barrier_before.get(i):
                cuts.append(len(sequence))
            sequence.append((step, i))
        if result.barrier_at_end:
            cuts.append(len(sequence))
    for a, b in itertools.combinations(range(len(sequence)), 2):
        if any(a < c <= b for c in cuts):
            continue
        (step_a, i), (step_b, j) = sequence[a], sequence[b]
        if any(x.conflicts(y, step_b - step_a) for x in units[i].accesses
               for y in units[j].accesses):
            return False
    return True


def test_random_schedules_are_always_separated():
    import random
    rng = random.Random(3)
    arrays, parts, slots = ["a", "b", "c", "d"], [G, H, None, PRIVATE], [None, NOW, PAST]
    for _ in range(1000):
        units = []
        for _ in range(rng.randint(1, 6)):
            serial = rng.random() < 0.3
            accesses = tuple(Access(rng.choice(arrays), rng.random() < 0.5, rng.choice(parts),
                                    rng.choice(slots))
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


def hh_step():
    """update, threshold (into this step's slot of the scratch), collecting the spikes
    (each thread its own part when batched), a reset of the own block's spikes, a spike
    monitor and a rate monitor (recorders of the whole list)."""
    return [
        Unit(own("v", "m", "n", "h") + own("lastspike", write=False)),
        Unit(own("v", "lastspike", write=False) + own("lastspike") + own("scratch", slot=NOW)),
        Unit(reads("scratch", slot=NOW) + own("spikes", part=PRIVATE),
             local=own("scratch", write=False, slot=NOW) + own("spikes")),
        Unit(own("spikes", write=False) + own("v")),
        Unit(reads("spikes") + writes("m_i", "m_step", "m_count"), serial=True, recorder=True),
        Unit(reads("spikes") + writes("r_count"), serial=True, recorder=True),
    ]


def test_a_step_whose_threads_exchange_only_recorded_spikes_runs_in_batches():
    assert plan(hh_step()).barriers == 1   # step by step: one, before collecting
    result = batch(hh_step())
    assert result.staged == [2] and result.recorders == [4, 5]
    assert result.plan.barriers == 0
    assert [b.operations for b in result.plan.blocks] == [[0], [1], [2], [3]]


def test_no_batches_when_the_step_has_no_barrier_to_save():
    assert batch([Unit(own("v"))]) is None
    assert batch([Unit(writes("count"), serial=True)]) is None


def test_anything_else_reading_the_whole_list_keeps_the_barrier():
    step = hh_step()
    step.insert(5, Unit(reads("spikes") + own("ge")))      # a synaptic pathway
    assert batch(step) is None
    step = hh_step()
    step[3] = Unit(reads("spikes") + writes("v"), serial=True)   # a serial reset
    assert batch(step) is None
    step = hh_step()
    step[4] = Unit(step[4].accesses + reads("v"), serial=True)    # values at the spike
    assert batch(step) is None


def test_a_recorder_before_the_spikes_are_collected_is_not_deferred():
    step = hh_step()
    step.insert(0, step.pop(4))   # it would record the last step's list
    assert batch(step) is None


def test_what_a_recorder_writes_is_read_by_no_operation_of_the_step():
    step = hh_step()
    step.append(Unit(reads("r_count") + writes("x"), serial=True))
    assert batch(step) is None
    step = hh_step()
    step.append(Unit((Access(ANY, True, ("pause",)),)))   # a network operation
    assert batch(step) is None


def test_the_operations_just_before_the_first_barrier_are_shared_out_in_chunks():
    """CUBA's update and threshold (chunkable: they touch only [lo, hi) of their group)
    come before the step's barrier: those two, of group _g0, in step order. The run
    ends, going back from the barrier, at what is not chunkable or writes another
    group's neurons; the capacity check (before ``first``) is never part of it."""
    step = cuba_step()
    step[1:3] = [dataclasses.replace(unit, chunkable=True) for unit in step[1:3]]
    assert chunked_run(plan(step), step, first=1) == ChunkedRun((1, 2), "_g0")
    update = step[1]
    step[1] = dataclasses.replace(update, chunkable=False)
    assert chunked_run(plan(step), step, first=1) == ChunkedRun((2,), "_g0")
    step[1] = Unit(own("u", part=H), chunkable=True)
    assert chunked_run(plan(step), step, first=1) == ChunkedRun((2,), "_g0")
    step[1:3] = [dataclasses.replace(unit, chunkable=False) for unit in (update, step[2])]
    assert chunked_run(plan(step), step, first=1) is None
    assert chunked_run(plan(step[3:]), step[3:]) is None  # (no barrier in the step)
