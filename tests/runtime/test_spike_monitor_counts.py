"""SpikeMonitor(record=False) (counts only) and EventMonitor(G, event, variables=,
record=), as Brian2's: counts always kept, values at each event taken where the event is
detected (before its run_on_event code), the neuron and time of each event refused by
name when not recorded."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

CASES = [("c", 1), ("c", 2), ("numpy", 1)]
MODEL = "dv/dt = (1.2 - v)/(10*ms) + 0.1*i/ms : 1\nw : 1"

# Brian2 2.9.0, numpy target, dt = 0.1 ms, in the venv of benchmarks/brian2_env.py:
# G = NeuronGroup(3, MODEL, threshold="v > 1", reset="v = 0", method="exact",
#                 events={"half": "v > 0.5 and w < 0.5"}); G.run_on_event("half", "w = 1")
# M = SpikeMonitor(G, record=False); Mv = SpikeMonitor(G, variables=["v"], record=False)
# E = EventMonitor(G, "half", variables=["v", "w"]); E2 = EventMonitor(G, "half",
# record=False); run(20*ms)
B2_COUNT = [1, 3, 5]
B2_MV_V = [1.0116434905204537, 1.0046280880361014, 1.0116434905204537, 1.0116434905204537,
           1.0046280880361014, 1.0116434905204537, 1.0016413341341017, 1.0046280880361014,
           1.0116434905204537]
B2_E_I = [2, 1, 0]
B2_E_T_MS = [1.6, 2.5, 5.3]
B2_E_V = [0.5002725868915687, 0.5036865112321556, 0.5007020971512162]
B2_E_W = [0.0, 0.0, 0.0]     # before run_on_event's "w = 1"


def _network(backend, threads):
    G = es.NeuronGroup(3, MODEL, threshold="v > 1", reset="v = 0", method="exact",
                       events={"half": "v > 0.5 and w < 0.5"})
    G.run_on_event("half", "w = 1")
    monitors = (es.SpikeMonitor(G, record=False),
                es.SpikeMonitor(G, variables=["v"], record=False),
                es.EventMonitor(G, "half", variables=["v", "w"]),
                es.EventMonitor(G, "half", record=False))
    return es.Network(G, *monitors, backend=backend, threads=threads), monitors


@pytest.mark.parametrize("backend,threads", CASES)
def test_counts_and_values_at_events_match_brian2(backend, threads):
    net, (M, Mv, E, E2) = _network(backend, threads)
    net.run(20 * ms)
    assert M.count.tolist() == B2_COUNT and M.num_spikes == 9
    assert Mv.count.tolist() == B2_COUNT
    np.testing.assert_allclose(Mv.v, B2_MV_V, rtol=1e-12)
    assert E.i.tolist() == B2_E_I and E.num_events == 3
    np.testing.assert_allclose(E.t / ms, B2_E_T_MS, rtol=1e-12)
    np.testing.assert_allclose(E.v, B2_E_V, rtol=1e-12)
    assert E.w.tolist() == B2_E_W
    assert E.count.tolist() == [1, 1, 1]
    trains = E.event_trains()
    assert sorted(trains) == [0, 1, 2] and float(trains[0][0] / ms) == pytest.approx(5.3)
    np.testing.assert_allclose(E.values("v")[1], [B2_E_V[1]], rtol=1e-12)
    assert set(E.all_values()) == {"t", "v", "w"}
    assert E2.count.tolist() == [1, 1, 1] and E2.num_events == 3
    assert sorted(M.get_states()) == ["N", "count"]      # Brian2 2.9.0 gives these keys
    assert sorted(Mv.get_states()) == ["N", "count", "v"]
    assert sorted(E.get_states()) == ["N", "count", "i", "t", "v", "w"]


@pytest.mark.parametrize("attribute", ["i", "t", "t_", "it", "it_"])
def test_what_record_false_does_not_keep_is_refused_by_name(attribute):
    net, (M, *_) = _network("numpy", 1)
    net.run(2 * ms)
    with pytest.raises(AttributeError, match="created with record=False: it keeps the "
                                             r"number of spikes of each neuron \(count"):
        getattr(M, attribute)
    for method in (M.spike_trains, M.all_values, lambda: M.values("t")):
        with pytest.raises(AttributeError, match="record=False"):
            method()


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_counts_follow_pauses_and_restore(backend):
    net, (M, _, _, E2) = _network(backend, 1)
    net.run(10 * ms)
    first = M.count.tolist()
    net.store()
    M.active = False
    net.run(10 * ms)
    assert M.count.tolist() == first                 # paused: nothing counted
    M.active = True
    net.restore()
    net.run(10 * ms)
    assert M.count.tolist() == B2_COUNT              # as one run of 20 ms
    assert E2.count.tolist() == [1, 1, 1]


def test_a_subgroup_counts_its_own_neurons():
    G = es.NeuronGroup(3, MODEL, threshold="v > 1", reset="v = 0", method="exact")
    M = es.SpikeMonitor(G[1:3], record=False)
    es.Network(G, M, backend="numpy").run(20 * ms)
    assert M.count.tolist() == B2_COUNT[1:]


@pytest.mark.parametrize("record", [None, 1, "yes", [0, 1]])
def test_record_is_true_or_false(record):
    G = es.NeuronGroup(3, MODEL, threshold="v > 1", reset="v = 0", method="exact")
    with pytest.raises(InvalidValueError, match=r"record= of SpikeMonitor is True .* or "
                                                r"False \(only the counts\)"):
        es.SpikeMonitor(G, record=record)
