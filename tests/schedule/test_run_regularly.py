"""G.run_regularly(code, dt=, when=, order=): statements for every neuron at regular
intervals, compiled into the loop.

Reference numbers: Brian2 2.9.0 (numpy target, ``~/.cache/eqsnn/bench/brian2-2.9.0/bin/
python``) running

    G = NeuronGroup(3, "dv/dt = -v/(10*ms) : volt", method="exact"); G.v = 5*mV
    G.run_regularly("v += 1*mV*(i+1)", dt=1*ms)
    m = StateMonitor(G, "v", record=True); m2 = StateMonitor(G, "v", record=True, when="end")
    H = NeuronGroup(2, "x : 1"); H.x = 1
    H.run_regularly("x = x*2 + i", dt=0.3*ms, when="end")
    mh = StateMonitor(H, "x", record=True)
    Network(G, m, m2, H, mh).run(3*ms)

In "start" the block runs before the monitor (by name: "neurongroup…_run_regularly"
sorts before "statemonitor…"), so the first sample already holds the kick.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError, UnknownNameError
from eqsnn.units import mV, ms

BACKENDS = ["c", "numpy"]

# m.v[:, ::5] / mV (every 0.5 ms) and m2.v[:, 9::10] / mV (end of each ms), Brian2 2.9.0
BRIAN2_START = [[6.0, 5.707376547, 6.4290245082, 6.1154772831, 6.8172219365, 6.4847420994],
                [7.0, 6.6586059715, 8.3338619263, 7.927414684, 9.5407901076, 9.0754802834],
                [8.0, 7.609835396, 10.2386993443, 9.7393520849, 12.2643582787, 11.6662184673]]
BRIAN2_END = [[5.4290245082, 5.8172219365, 6.1684774952],
              [6.3338619263, 7.5407901076, 8.632863887],
              [7.2386993443, 9.2643582787, 11.0972502788]]
BRIAN2_X = [[1, 2, 2, 2, 4, 4, 4, 8], [1, 3, 3, 3, 7, 7, 7, 15]]


def _network(backend, threads=1):
    group = es.NeuronGroup(3, "dv/dt = -v/(10*ms) : volt", method="exact")
    group.v = 5 * mV
    group.run_regularly("v += 1*mV*(i+1)", dt=1 * ms)
    start = es.StateMonitor(group, "v", record=True)
    end = es.StateMonitor(group, "v", record=True, when="end")
    other = es.NeuronGroup(2, "x : 1")
    other.x = 1
    other.run_regularly("x = x*2 + i", dt=0.3 * ms, when="end")
    trace = es.StateMonitor(other, "x", record=True)
    es.Network(group, start, end, other, trace, backend=backend, threads=threads).run(3 * ms)
    return start, end, trace


@pytest.mark.parametrize("backend", BACKENDS)
def test_run_regularly_gives_brian2s_numbers(backend):
    start, end, trace = _network(backend)
    np.testing.assert_allclose(np.asarray(start.v / mV)[:, ::5], BRIAN2_START, atol=1e-9)
    np.testing.assert_allclose(np.asarray(end.v / mV)[:, 9::10], BRIAN2_END, atol=1e-9)
    np.testing.assert_array_equal(np.asarray(trace.x)[:, :8], BRIAN2_X)


def test_run_regularly_is_the_same_on_two_threads():
    one = [np.asarray(m.v_ if hasattr(m, "v_") else m.x) for m in _network("c", 1)[:2]]
    two = [np.asarray(m.v_ if hasattr(m, "v_") else m.x) for m in _network("c", 2)[:2]]
    for a, b in zip(one, two):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("backend", BACKENDS)
def test_run_regularly_uses_its_own_constants_and_random_numbers(backend):
    # a constant only the block uses, rand() (the same numbers on both backends), a
    # shared variable read; without dt it runs every step
    def run(backend):
        group = es.NeuronGroup(4, """x : 1
                                     total : 1
                                     scale : 1 (shared)""", namespace={"kick": 0.5})
        group.scale = 2
        block = group.run_regularly("x = kick*rand()*scale\ntotal += x", when="end",
                                    order=2)
        assert (block.when, block.order, block.clock.dt) == ("end", 2, None)
        es.Network(group, backend=backend, seed=5).run(1 * ms)
        return group.x[:], group.total[:]

    x, total = run(backend)
    assert np.all((0 <= x) & (x < 1)) and np.unique(x).size == 4
    assert np.all(total > x) and np.all(total < 10)
    other_x, other_total = run("numpy" if backend == "c" else "c")
    np.testing.assert_array_equal(other_x, x)
    np.testing.assert_allclose(other_total, total, rtol=1e-14)


def test_run_regularly_refuses_what_it_cannot_run():
    group = es.NeuronGroup(2, "dv/dt = -v/(10*ms) : volt", method="exact")
    with pytest.raises(UnknownNameError, match="run_regularly assigns to 'w'"):
        group.run_regularly("w = 1")
    block = group.run_regularly("v = 0*mV", dt=0.1001 * ms)
    with pytest.raises(InvalidValueError, match="no common time step"):
        es.Network(group).run(1 * ms)
    block.clock = es.Clock(0.5 * ms)
    with pytest.raises(InvalidValueError, match="both dt= and clock="):
        group.run_regularly("v = 0*mV", dt=1 * ms, clock=block.clock)
    with pytest.raises(InvalidValueError, match="string of statements"):
        group.run_regularly(lambda: None)
    counting = es.NeuronGroup(3, "calls : 1 (shared)\nx : 1")
    with pytest.raises(InvalidValueError, match="from per-neuron ones \\(x\\)"):
        counting.run_regularly("calls += x")
    with pytest.raises(InvalidValueError, match="assigns the \\(shared\\) variable 'calls' "
                                                "after a per-neuron statement"):
        counting.run_regularly("x = 1\ncalls += 1")


@pytest.mark.parametrize("backend", BACKENDS)
def test_run_regularly_on_a_subgroup_counts_its_own_neurons(backend):
    # Brian2 2.9.0: G = NeuronGroup(4, "x : 1");
    # G[1:3].run_regularly("x = i + 10*N + t/ms", dt=0.2*ms, when="end"); run(0.5*ms)
    # -> [0, 20.4, 21.4, 0] (i and N are the subgroup's; the last call at t = 0.4 ms)
    group = es.NeuronGroup(4, "x : 1")
    group[1:3].run_regularly("x = i + 10*N + t/ms", dt=0.2 * ms, when="end")
    es.Network(group, backend=backend, threads=2).run(0.5 * ms)
    np.testing.assert_allclose(group.x, [0, 20.4, 21.4, 0], atol=1e-12)


# Brian2 2.9.0: G = NeuronGroup(3, "v : 1"); G.v = [1, 2, 3]; S = Synapses(G, G, "w : 1");
# S.connect(condition="i != j"); S.w = "i + 10*j";
# S.run_regularly("w = w*0.5 + v_post + t/ms + k", dt=0.2*ms, when="end");
# mon = StateMonitor(S, "w", record=True); run(1*ms, namespace={"k": 0.25})
BRIAN2_W_END = [5.896875, 8.146875, 3.678125, 8.178125, 3.709375, 5.959375]
BRIAN2_W_FIRST_4 = [[10.0, 7.25, 7.25, 6.075], [20.0, 13.25, 13.25, 10.075],
                    [1.0, 1.75, 1.75, 2.325], [21.0, 13.75, 13.75, 10.325],
                    [2.0, 2.25, 2.25, 2.575], [12.0, 8.25, 8.25, 6.575]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_run_regularly_on_synapses_gives_brian2s_numbers(backend):
    group = es.NeuronGroup(3, "v : 1")
    group.v = [1, 2, 3]
    syn = es.Synapses(group, group, "w : 1", namespace={"k": 0.25})
    syn.connect(condition="i != j")
    syn.w = "i + 10*j"
    block = syn.run_regularly("w = w*0.5 + v_post + t/ms + k", dt=0.2 * ms, when="end")
    assert block.name == f"{syn.name}_run_regularly"
    mon = es.StateMonitor(syn, "w", record=True)
    es.Network(group, syn, mon, backend=backend).run(1 * ms)
    np.testing.assert_allclose(syn.w, BRIAN2_W_END, atol=1e-12)
    np.testing.assert_allclose(np.asarray(mon.w)[:, :4], BRIAN2_W_FIRST_4, atol=1e-12)
    with pytest.raises(InvalidValueError, match="writes a neuron variable"):
        syn.run_regularly("v_post += w")


@pytest.mark.parametrize("backend", BACKENDS)
def test_shared_statements_run_once_per_call(backend):
    # Brian2 2.9.0: G = NeuronGroup(4, "calls : 1 (shared)\nscale : 1 (shared)");
    # G.scale = 2; G.run_regularly("calls += scale*N", dt=0.2*ms); run(1*ms) -> calls 40
    # (5 calls of 2*4: scalar code runs once per call, N is the group's size)
    group = es.NeuronGroup(4, """calls : 1 (shared)
                                 scale : 1 (shared)""")
    group.scale = 2
    group.run_regularly("calls += scale*N", dt=0.2 * ms)
    es.Network(group, backend=backend, threads=2).run(1 * ms)
    assert group.calls[0] == 40


# Brian2 2.9.0 (numpy target, defaultclock.dt = 0.1*ms):
#   G = NeuronGroup(4, '''dv/dt = -v/(10*ms) : 1
#                         calls : 1 (shared)
#                         phase : 1 (shared)''', method="exact")
#   G.run_regularly('''calls += 1
#                      phase = calls*0.5 + t/ms
#                      v += phase*(i + 1)''', dt=0.3*ms)
#   M = StateMonitor(G, "v", record=[0, 3]); run(2*ms)
# Brian2 runs the leading shared statements once per call, then the rest per neuron.
BRIAN2_MIXED_V = [18.820816785221275, 37.64163357044255, 56.46245035566382,
                  75.2832671408851]
BRIAN2_MIXED_M3_EVERY_4TH = [2.0, 7.069838013800319, 15.026294555953724,
                             40.494273308115076, 56.72736714806979]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("threads", [1, 2])
def test_shared_statements_first_then_per_neuron_ones_as_in_brian2(backend, threads):
    if backend == "numpy" and threads == 2:
        pytest.skip("threads are the compiled loop's")
    group = es.NeuronGroup(4 * 40, """dv/dt = -v/(10*ms) : 1
                                      calls : 1 (shared)
                                      phase : 1 (shared)""", method="exact")
    block = group.run_regularly("""calls += 1
                                   phase = calls*0.5 + t/ms
                                   v += phase*(i % 4 + 1)""", dt=0.3 * ms)
    assert block.code.startswith("calls += 1")
    monitor = es.StateMonitor(group, "v", record=[0, 3])
    net = es.Network(group, monitor, backend=backend, threads=threads)
    net.run(2 * ms)
    assert net._team_size() == threads
    assert group.calls[0] == 7 and group.phase[0] == pytest.approx(5.3, rel=1e-14)
    np.testing.assert_allclose(group.v[:4], BRIAN2_MIXED_V, rtol=1e-13)
    np.testing.assert_allclose(monitor.v_[1][::4], BRIAN2_MIXED_M3_EVERY_4TH, rtol=1e-13)
