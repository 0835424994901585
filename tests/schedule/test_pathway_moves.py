"""A pathway moved to the other side of its sender's threshold between runs (closing
note of session 6: spikes in flight took the new timing). Brian2 2.9.0's numbers for the
same script are in brian2_pathway_moves.json (brian2_pathway_moves.py wrote them): with
no spikes in flight, the arrivals follow the new slot, and eqsnn gives the same steps;
with spikes in flight, Brian2 delivers the first run's last spike twice (moved before
the threshold) or never (moved after it), so eqsnn refuses the move, says why and what
to do instead, and the network runs on unchanged when the pathway is moved back."""
import json
import pathlib

import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

import _pathway_moves as moves  # (beside this file: pytest puts its folder on sys.path)

BRIAN2 = json.loads((pathlib.Path(__file__).parent / "brian2_pathway_moves.json").read_text())
#: moved before the threshold after a run whose spikes all had no delay: every spike has
#: arrived, nothing is in flight (Brian2 delivers the last one again)
DELIVERED = ("synapses", "before_thresholds", 0.0, moves.BUSY)
ALLOWED = [case for case in moves.CASES if case[0] == case[1] or case[3] == moves.QUIET]
REFUSED = [case for case in moves.CASES if case not in ALLOWED and case != DELIVERED]


def _network(case, backend):
    first, _, delay, times = case
    objects = moves.build(es, ms, first, delay, times)
    return objects, es.Network(*objects, backend=backend)


@pytest.mark.parametrize("backend", ["numpy", "c"])
@pytest.mark.parametrize("case", ALLOWED, ids=[moves.key(*c) for c in ALLOWED])
def test_a_pathway_moved_with_no_spikes_in_flight_arrives_as_in_brian2(case, backend):
    objects, net = _network(case, backend)
    moves.move_and_run(net, objects, ms, case[1])
    assert moves.arrivals(objects) == BRIAN2["cases"][moves.key(*case)]


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_a_pathway_moved_after_every_spike_arrived_delivers_each_once(backend):
    objects, net = _network(DELIVERED, backend)
    moves.move_and_run(net, objects, ms, DELIVERED[1])
    stayed = BRIAN2["cases"][moves.key("synapses", "synapses", 0.0, moves.BUSY)]
    assert moves.arrivals(objects) == stayed == [5, 17, 18, 19]
    assert BRIAN2["cases"][moves.key(*DELIVERED)] == stayed + [20]  # (Brian2's second one)


@pytest.mark.parametrize("backend", ["numpy", "c"])
@pytest.mark.parametrize("case", REFUSED, ids=[moves.key(*c) for c in REFUSED])
def test_a_pathway_moved_across_the_threshold_with_spikes_in_flight_is_refused(case, backend):
    first, second, delay, times = case
    objects, net = _network(case, backend)
    with pytest.raises(InvalidValueError) as info:
        moves.move_and_run(net, objects, ms, second)
    side = "before" if second == "before_thresholds" else "after"
    assert str(info.value).startswith(
        f"the 'pre' pathway of 's' now runs {side} the threshold of 'gen' (when={second!r}")
    assert "spikes of 'gen' are still in flight" in info.value.message
    assert "choose s.pre.when before the first run" in info.value.hint
    # (Brian2 delivers the last spike of the first run twice, or loses it)
    expected = BRIAN2["cases"][moves.key(first, first, delay, times)]
    assert len(BRIAN2["cases"][moves.key(*case)]) == len(expected) + (
        1 if second == "before_thresholds" else -1)
    assert objects[2].memory_bytes() > 0  # (reported from the side it last ran on)
    # moved back, nothing has happened: the run goes on as if it had stayed
    objects[2].pre.when = first
    net.run(moves.SECOND_RUN * ms)
    assert moves.arrivals(objects) == expected


def test_a_restored_state_remembers_the_side_its_spikes_were_sent_from():
    objects, net = _network(("synapses", None, 0.3, moves.BUSY), "numpy")
    net.run(moves.FIRST_RUN * ms)
    net.store()
    net.run(0.1 * ms)
    net.restore()
    objects[2].pre.when = "before_thresholds"
    with pytest.raises(InvalidValueError, match="still in flight"):
        net.run(moves.SECOND_RUN * ms)
