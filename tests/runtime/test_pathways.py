"""Several named pathways (Brian2's "Multiple pathways"): ``on_pre={...}`` /
``on_post={...}``, ``delay={...}``, ``S.<name>.delay``, and the order they run in."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms

BACKENDS = ["numpy", "c"]


def _rectangular(backend, threads=1):
    """Brian2's example of two pathways: a current that is on for the delay of
    ``down`` after each spike (per synapse: 5 ms and 3 ms)."""
    src = es.SpikeGeneratorGroup(1, [0, 0], [1 * ms, 20 * ms])
    G = es.NeuronGroup(2, "I : 1")
    S = es.Synapses(src, G, "w : 1", on_pre={"up": "I_post += w", "down": "I_post -= w"},
                    delay={"up": 0 * ms, "down": 5 * ms})
    S.connect()
    S.w = [1, 2]
    S.down.delay = [5 * ms, 3 * ms]
    M = es.StateMonitor(G, "I", record=True)
    es.Network(src, G, S, M, dt=0.1 * ms, backend=backend, threads=threads).run(30 * ms)
    return S, np.asarray(M.I)


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_pathways_make_a_rectangular_current(backend):
    S, I = _rectangular(backend)
    t = np.arange(300) * 0.1  # ms; a sample at t is the value before that step
    for neuron, (w, width) in enumerate([(1, 5.0), (2, 3.0)]):
        on = np.zeros(300)
        for spike in (1.0, 20.0):
            on[(t > spike + 1e-9) & (t < spike + width + 1e-9)] = w
        np.testing.assert_array_equal(I[neuron], on)
    np.testing.assert_allclose(S.up.delay_, [0, 0])
    np.testing.assert_allclose(S.down.delay_, [5e-3, 3e-3])
    assert list(S._pathways) == ["down", "up", "post"]  # on_pre ones by name


def test_two_pathways_on_two_threads_are_bit_identical():
    np.testing.assert_array_equal(_rectangular("c", threads=2)[1], _rectangular("c")[1])


def _ordered(backend, order=None):
    """x = 1, then a source spike runs b (+1) and a (*2) and a target spike c (-0.5)
    in the same step."""
    src = es.SpikeGeneratorGroup(1, [0], [1 * ms])
    G = es.NeuronGroup(1, "x : 1", threshold="t > 0.95*ms and t < 1.05*ms")
    S = es.Synapses(src, G, on_pre={"b": "x_post += 1", "a": "x_post *= 2"},
                    on_post={"c": "x_post -= 0.5"})
    S.connect()
    if order is not None:
        S.a.order = order
    G.x = 1
    es.Network(src, G, S, backend=backend).run(2 * ms)
    return float(G.x[0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_pathways_run_in_brian2s_order(backend):
    # Brian2 2.9.0 (numpy target), the same script: 2.5 (a, b, then c) and, with
    # S.a.order = 5, 3.0 (b, c, then a).
    assert _ordered(backend) == 2.5
    assert _ordered(backend, order=5) == 3.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_on_post_pathway_dictionary_with_its_own_delay(backend):
    """Target spikes at 1 ms reach ``late`` 2 ms later; ``S.post`` (plain) is gone."""
    src = es.NeuronGroup(1, "y : 1")
    G = es.NeuronGroup(1, "x : 1", threshold="t > 0.95*ms and t < 1.05*ms")
    S = es.Synapses(src, G, on_post={"late": "y_pre += 1"}, delay={"late": 2 * ms})
    S.connect()
    M = es.StateMonitor(src, "y", record=True)
    es.Network(src, G, S, M, dt=0.1 * ms, backend=backend).run(5 * ms)
    y = np.asarray(M.y)[0]
    assert y[30] == 0 and y[31] == 1  # the step of 1 ms + 2 ms runs it: seen after it
    assert not hasattr(S, "post") or "post" not in S._pathways
    assert "pre" in S._pathways  # a plain, codeless pre pathway keeps S.delay
    S.delay = 1 * ms


def test_delay_without_a_pre_pathway_names_the_pathways():
    G = es.NeuronGroup(1, "x : 1")
    S = es.Synapses(G, G, on_pre={"up": "x_post += 1"})
    with pytest.raises(es.errors.InvalidValueError, match="has no pathway 'pre'") as info:
        S.delay = 1 * ms
    assert "S.up.delay" in str(info.value)


def test_named_pathways_are_cached_and_restored():
    """A second object of the same strings loads its record; store/restore keeps
    each pathway's delays."""
    def make():
        G = es.NeuronGroup(2, "x : 1")
        S = es.Synapses(G, G, on_pre={"up": "x_post += 1", "down": "x_post -= 1"},
                        delay={"down": 1 * ms})
        S.connect()
        return G, S
    make()
    G, S = make()
    assert S._derivation is None  # from the build cache, no SymPy
    assert [a.lhs.name for a in S.down.statements] == ["x_post"]  # derived on demand
    net = es.Network(G, S)
    net.store()
    S.down.delay = [2 * ms, 3 * ms, 4 * ms, 5 * ms]
    net.restore()
    np.testing.assert_allclose(S.down.delay_, [1e-3] * 4)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_order_set_after_a_run_applies_from_the_next_run(backend):
    G = es.NeuronGroup(1, "x : 1", threshold="True")
    S = es.Synapses(G, G, on_pre={"a": "x_post += 1", "b": "x_post *= 2"})
    S.connect()
    net = es.Network(G, S, backend=backend)
    net.run(0.1 * ms)                 # a then b: (0 + 1)*2
    assert G.x_[0] == 2
    S.a.order = 2
    net.run(0.1 * ms)                 # b then a: 2*2 + 1
    assert G.x_[0] == 5
