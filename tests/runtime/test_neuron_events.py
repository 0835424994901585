"""Custom events (Brian2's ``NeuronGroup(events=)``, ``run_on_event``, ``EventMonitor`` /
``SpikeMonitor(event=)``, ``Synapses(on_event=)``): each event has its own space of
neurons, found after the thresholds (after_thresholds); its code runs after the resets."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError, UnknownNameError
from eqsnn.units import ms

# Brian2 2.9.0 (numpy target) running the same network (the script is _brian2_network's
# body with `from brian2 import *`, defaultclock.dt = 0.1*ms, run(50*ms), and
# EventMonitor(G, "half") for the event monitor).
BRIAN2 = {
    "half_i": [2, 3, 1, 0, 3, 2, 1, 0, 3, 2, 1, 0, 3],
    "half_t": [0.0, 0.0, 0.003, 0.0053, 0.0135, 0.0179, 0.0209, 0.0233, 0.0315, 0.0359,
               0.0389, 0.0413, 0.0495],
    "spike_i": [3, 2, 1, 0, 3, 2, 1, 0, 3, 2],
    "spike_t": [0.0081, 0.0125, 0.0155, 0.0179, 0.0261, 0.0305, 0.0335, 0.0359, 0.0441,
                0.0485],
    "x": [2, 2, 3, 3], "y": [6, 6, 6, 6], "n": [1, 1, 0, 1],
}


def _network(backend, threads=1, n=4):
    """An event 'half' (v above 0.5, armed) disarms itself; 'rearm' (v low, disarmed)
    arms it again; a synapse's second pathway is triggered by 'half' with a delay and
    reads what the spike pathway wrote."""
    G = es.NeuronGroup(n, "dv/dt = (1.2 - v)/(10*ms) : 1\nn : 1", threshold="v > 1",
                       reset="v = 0", refractory=2 * ms, method="exact",
                       events={"half": "v > 0.5 and n < 0.5",
                               "rearm": "v < 0.2 and n > 0.5"})
    G.run_on_event("half", "n = 1")
    G.run_on_event("rearm", "n = 0")
    G.v = "0.25*(i % 4)"
    H = es.NeuronGroup(n, "x : 1\ny : 1")
    S = es.Synapses(G, H, on_pre={"pre": "x_post += 1", "h": "y_post += 1 + x_post"},
                    on_event={"h": "half"}, delay={"h": 1 * ms})
    S.connect(j="i")
    half = es.EventMonitor(G, "half")
    spikes = es.SpikeMonitor(G)
    es.Network(G, H, S, half, spikes, dt=0.1 * ms, backend=backend,
               threads=threads).run(50 * ms)
    return G, H, half, spikes


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_events_their_code_and_pathways_are_brian2s(backend):
    G, H, half, spikes = _network(backend)
    np.testing.assert_array_equal(half.i, BRIAN2["half_i"])
    np.testing.assert_allclose(half.t_, BRIAN2["half_t"], atol=1e-12)
    assert half.num_events == 13
    np.testing.assert_array_equal(spikes.i, BRIAN2["spike_i"])
    np.testing.assert_allclose(spikes.t_, BRIAN2["spike_t"], atol=1e-12)
    for var in ("x", "y"):
        np.testing.assert_array_equal(getattr(H, f"{var}_"), BRIAN2[var])
    np.testing.assert_array_equal(G.n_, BRIAN2["n"])


def test_events_on_two_threads_are_bit_identical():
    # 300 neurons: 5 blocks of 64, so the loop really starts two threads
    (G1, H1, half1, spikes1), (G2, H2, half2, spikes2) = [
        _network("c", threads, n=300) for threads in (1, 2)]
    assert half1.num_events == 75 * 13
    for a, b in [(G1.v_, G2.v_), (G1.n_, G2.n_), (H1.x_, H2.x_), (H1.y_, H2.y_),
                 (half1.i, half2.i), (half1.t_, half2.t_), (spikes1.t_, spikes2.t_)]:
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_an_event_ignores_refractoriness_unless_its_condition_reads_it(backend):
    """Refractory for the whole run after the first spike: 'high' stays true and fires
    every step; 'ready' (with not_refractory) only before the spike: not in the step of
    the spike either, whose threshold comes first. Brian2 2.9.0 (the same network,
    'and not_refractory'): high at steps 4..9, ready at 2 and 3."""
    G = es.NeuronGroup(1, "dv/dt = 1/ms : 1", threshold="v > 0.45", reset="v = 0.5",
                       refractory=100 * ms,
                       events={"high": "v > 0.45",
                               "ready": "v > 0.25 and not_refractory > 0.5"})
    high = es.SpikeMonitor(G, event="high")
    ready = es.SpikeMonitor(G, event="ready")
    es.Network(G, high, ready, dt=0.1 * ms, backend=backend).run(1 * ms)
    # v = 0.1*(n + 1) after the update of step n: above 0.45 from step 4 (spike), above
    # 0.25 from step 2
    np.testing.assert_array_equal(np.rint(high.t_ / 1e-4), np.arange(4, 10))
    np.testing.assert_array_equal(np.rint(ready.t_ / 1e-4), [2, 3])


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_event_strings_use_the_namespace_and_are_cached(backend):
    """Names the model does not use come from the namespace; a second group of the same
    strings loads the group's and the events' records without SymPy."""
    def make():
        G = es.NeuronGroup(2, "v : 1", events={"up": "v > level*scale"},
                           namespace={"level": 0.5, "scale": 2.0, "drop": 0.7})
        G.run_on_event("up", "v -= drop")
        return G
    make()
    G = make()
    assert G._derivation is None
    G.v = [2.0, 0.5]
    es.Network(G, backend=backend).run(0.5 * ms)
    assert G._derivation is None
    np.testing.assert_allclose(G.v_, [2.0 - 2 * 0.7, 0.5])  # 2 -> 1.3 -> 0.6


@pytest.mark.parametrize("make, kind, fragments", [
    (lambda: es.NeuronGroup(1, "v : 1", events={"spike": "v > 1"}), InvalidValueError,
     ["the spike event is the group's threshold"]),
    (lambda: es.NeuronGroup(1, "v : 1", events={"2b": "v > 1"}), InvalidValueError,
     ["'2b' cannot name an event"]),
    (lambda: es.NeuronGroup(1, "v : 1", events={"b": "v + 1"}), InvalidValueError,
     ["the events['b'] must be a condition"]),
    (lambda: es.NeuronGroup(1, "v : 1", events={"b": "v > w"}).v,  # (built on use)
         UnknownNameError,
     ["unknown name 'w' in the events['b']", "^"]),
    (lambda: es.NeuronGroup(1, "v : 1").run_on_event("b", "v = 0"), InvalidValueError,
     ["has no event 'b'", "events={'b': 'condition'}"]),
    (lambda: es.NeuronGroup(1, "v : 1", events={"b": "v > 1"}).run_on_event("b", "u = 0"),
     UnknownNameError, ["run_on_event('b') assigns to 'u'"]),
    (lambda: es.NeuronGroup(1, "v : 1", threshold="v > 1", reset="v = 0").run_on_event(
        "spike", "v = 0"), InvalidValueError, ["already has code for the event 'spike'"]),
    (lambda: es.NeuronGroup(1, "v : 1", events={"b": "v > 1"}).run_on_event(
        "b", "v = 0", when="after_reset"), InvalidValueError,
     ["is not a scheduling slot", "did you mean 'after_resets'?"]),
    (lambda: es.NeuronGroup(1, "v : 1", threshold="v > 1").set_event_schedule("spike"),
     InvalidValueError, ["has no custom event 'spike'"]),
    (lambda: es.NeuronGroup(1, "v : 1", events={"b": "v > 1"}).run_on_event("b", "# no"),
     InvalidValueError, ["the run_on_event('b') has no statements"]),
    (lambda: es.SpikeMonitor(es.NeuronGroup(1, "v : 1"), event="b"), InvalidValueError,
     ["does not define an event 'b'"]),
    (lambda: es.Synapses(es.NeuronGroup(1, "v : 1", events={"b": "v > 1"}),
                         on_pre="v_post += 1", on_event="c"), InvalidValueError,
     ["the source", "does not define an event 'c'", "its events are ['b']"]),
    (lambda: es.EventMonitor(es.NeuronGroup(1, "v : 1", events={"b": "v > 1"}), "b", "u"),
     InvalidValueError, ["has no variable 'u' to record"]),
])
def test_mistakes_with_events_are_explained(make, kind, fragments):
    with pytest.raises(kind) as caught:
        make()
    for fragment in fragments:
        assert fragment in str(caught.value)


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_run_on_spike_is_a_second_reset_when_there_is_none(backend):
    G = es.NeuronGroup(1, "dv/dt = 1/ms : 1\nk : 1", threshold="v > 1")
    G.run_on_event("spike", "v = 0; k += 1")
    es.Network(G, dt=0.1 * ms, backend=backend).run(5 * ms)
    assert G.k_[0] == 4  # v crosses 1 after 11 steps, then every 11 steps: 10, 21, 32, 43


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_event_code_added_after_a_run_runs_from_the_next_run(backend):
    G = es.NeuronGroup(1, "v : 1\nk : 1", events={"b": "v > 1"})
    G.v = 2
    net = es.Network(G, backend=backend)
    net.run(0.2 * ms)
    G.run_on_event("b", "k += 1")
    net.run(0.3 * ms)
    assert G.k_[0] == 3


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_event_slots_can_be_moved(backend):
    """'b' (v > 1) moved before the groups' update, which makes v cross 1 at step 10:
    tested before the update, the event is first seen at step 11 instead of 10."""
    def first_event(move):
        G = es.NeuronGroup(1, "dv/dt = 1/ms : 1", events={"b": "v > 0.95"})
        if move:
            G.set_event_schedule("b", when="before_groups")
        mon = es.EventMonitor(G, "b")
        es.Network(G, mon, dt=0.1 * ms, backend=backend).run(2 * ms)
        return int(np.rint(mon.t_[0] / 1e-4))
    assert (first_event(False), first_event(True)) == (9, 10)
