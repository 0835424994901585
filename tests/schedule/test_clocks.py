"""A dt per object: NeuronGroup(..., dt=), es.Clock, monitors on their source's clock.

Reference numbers: Brian2 2.9.0 (numpy target, ``~/.cache/eqsnn/bench/brian2-2.9.0/bin/
python``) running, with ``defaultclock.dt = 0.1*ms``,

    G = NeuronGroup(2, "dv/dt = (1.5 - v)/(5*ms) : 1 (unless refractory)",
                    threshold="v > 1", reset="v = 0", refractory=2*ms, method="exact",
                    dt=0.5*ms); G.v = [0, 0.5]
    H = NeuronGroup(1, "dx/dt = -x/(2*ms) : 1", method="exact")
    S = Synapses(G, H, on_pre="x += 1"); S.connect()
    sp = SpikeMonitor(G); mg = StateMonitor(G, "v", record=True)
    mh = StateMonitor(H, "x", record=True)
    Network(G, H, S, sp, mg, mh).run(20*ms)

G is integrated with its own dt of 0.5 ms, tested and reset only at its own steps
(spikes on the 0.5 ms grid), refractory for 2 ms of its own steps; mg records on G's
clock (40 samples, Brian2's default for a monitor); H, on the network's clock, decays
every 0.1 ms between G's spikes.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

BACKENDS = ["c", "numpy"]
BRIAN2_SPIKES = ([1, 0, 1, 0, 1, 0], [3.0, 5.0, 10.0, 12.0, 17.0, 19.0])
BRIAN2_V_EVERY_2MS = [0.0, 0.49452, 0.826007, 0.0, 0.271904, 0.676783, 0.948181, 0.0,
                      0.49452, 0.826007]
BRIAN2_X_EVERY_1MS = [0.0, 0.0, 0.0, 0.0, 0.637628, 0.386741, 0.872198, 0.529015, 0.320864,
                      0.194614, 0.118039, 0.709223, 0.430165, 0.898537, 0.54499, 0.330553,
                      0.200491, 0.121604, 0.711385, 0.431477]


def _network(backend, threads=1, **clock):
    slow = es.NeuronGroup(2, "dv/dt = (1.5 - v)/(5*ms) : 1 (unless refractory)",
                          threshold="v > 1", reset="v = 0", refractory=2 * ms,
                          method="exact", **clock)
    slow.v = [0, 0.5]
    fast = es.NeuronGroup(1, "dx/dt = -x/(2*ms) : 1", method="exact")
    syn = es.Synapses(slow, fast, on_pre="x += 1")
    syn.connect()
    spikes = es.SpikeMonitor(slow)
    v = es.StateMonitor(slow, "v", record=True)
    x = es.StateMonitor(fast, "x", record=True)
    es.Network(slow, fast, syn, spikes, v, x, dt=0.1 * ms, backend=backend,
               threads=threads).run(20 * ms)
    return spikes, v, x


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_group_on_a_slower_clock_gives_brian2s_numbers(backend):
    spikes, v, x = _network(backend, dt=0.5 * ms)
    np.testing.assert_array_equal(spikes.i, BRIAN2_SPIKES[0])
    np.testing.assert_allclose(spikes.t / ms, BRIAN2_SPIKES[1], atol=1e-9)
    assert len(v.t) == 40
    np.testing.assert_allclose(v.t[:3] / ms, [0, 0.5, 1.0], atol=1e-12)
    np.testing.assert_allclose(v.v[0][:40:4], BRIAN2_V_EVERY_2MS, atol=1e-6)
    np.testing.assert_allclose(x.x[0][::10], BRIAN2_X_EVERY_1MS, atol=1e-6)


def test_a_shared_clock_and_two_threads_give_the_same():
    clock = es.Clock(0.5 * ms)
    one = _network("c", 1, clock=clock)
    two = _network("c", 2, clock=clock)
    numpy = _network("numpy", 1, dt=0.5 * ms)
    for a, b, c in zip(one, two, numpy):
        for name in ("i", "v_", "x_"):
            if hasattr(a, name):
                np.testing.assert_array_equal(np.asarray(getattr(a, name)),
                                              np.asarray(getattr(b, name)))
                np.testing.assert_allclose(np.asarray(getattr(a, name)),
                                           np.asarray(getattr(c, name)), atol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_rate_monitor_counts_on_its_sources_clock(backend):
    # every neuron spikes at each of its 1 ms steps: 1000 Hz at t = 0, 1, 2, ... ms
    # (Brian2 2.9.0: PopulationRateMonitor(PoissonGroup(50, 200*Hz, dt=1*ms)) over 5 ms
    # has 5 samples at t = 0, 1, 2, 3, 4 ms)
    group = es.NeuronGroup(5, "v : 1", threshold="True", dt=1 * ms)
    rate = es.PopulationRateMonitor(group)
    es.Network(group, rate, dt=0.1 * ms, backend=backend).run(5 * ms)
    np.testing.assert_allclose(rate.t / ms, [0, 1, 2, 3, 4], atol=1e-12)
    np.testing.assert_allclose(rate.rate_, 1000.0)


def test_clocks_without_a_common_step_are_refused():
    # (clocks that interleave run: tests/schedule/test_interleaved_clocks.py)
    group = es.NeuronGroup(1, "dv/dt = -v/(10*ms) : 1", dt=0.1001 * ms)
    with pytest.raises(InvalidValueError, match="no common time step") as error:
        es.Network(group, dt=0.1 * ms).run(1 * ms)
    assert "simple ratio" in error.value.hint
    with pytest.raises(InvalidValueError, match="both dt= and clock="):
        es.NeuronGroup(1, "v : 1", dt=1 * ms, clock=es.Clock(1 * ms))
    with pytest.raises(InvalidValueError, match="positive, finite duration"):
        es.Clock(-1 * ms)


@pytest.mark.parametrize("backend", BACKENDS)
def test_synapses_on_their_own_clock(backend):
    # Brian2 2.9.0 (numpy target): G = NeuronGroup(1, "dv/dt = 1/(1*ms) : 1",
    # threshold="v > 1", reset="v = 0", method="euler"); H = NeuronGroup(1, "I : 1");
    # S = Synapses(G, H, "dg/dt = -g/(2*ms) : 1 (clock-driven)\nI_post = g : 1 (summed)",
    # on_pre="g += 1", method="euler", dt=0.5*ms); S.connect(); StateMonitors of H.I and
    # S.g; run(5*ms): g decays in steps of 0.5 ms, the sum follows H's clock (every
    # 0.1 ms), a monitor of S records on S's clock (10 samples)
    expected = [0.0, 0.0, 0.0, 1.0, 0.75, 1.5625, 1.171875, 1.87890625, 1.40917969,
                2.05688477]
    source = es.NeuronGroup(1, "dv/dt = 1/(1*ms) : 1", threshold="v > 1", reset="v = 0",
                            method="euler")
    target = es.NeuronGroup(1, "I : 1")
    syn = es.Synapses(source, target, """dg/dt = -g/(2*ms) : 1 (clock-driven)
                                         I_post = g : 1 (summed)""",
                      on_pre="g += 1", method="euler", dt=0.5 * ms)
    syn.connect()
    summed = es.StateMonitor(target, "I", record=True)
    g = es.StateMonitor(syn, "g", record=True)
    es.Network(source, target, syn, summed, g, backend=backend).run(5 * ms)
    assert (len(summed.t), len(g.t)) == (50, 10)
    np.testing.assert_allclose(summed.I[0][::5], expected, atol=1e-8)
    np.testing.assert_allclose(g.g[0], expected, atol=1e-8)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_spike_generator_on_its_own_clock(backend):
    # Brian2 2.9.0: SG = SpikeGeneratorGroup(2, [0, 1, 0], [0.3, 1.05, 2.2]*ms, dt=0.5*ms)
    # with a SpikeMonitor and a PopulationRateMonitor, run(3*ms): spikes of 0, 1, 0 at
    # 0, 1, 2 ms (the 0.5 ms steps they fall in); 6 rate samples of 1000 or 0 Hz
    generator = es.SpikeGeneratorGroup(2, [0, 1, 0], [0.3, 1.05, 2.2] * ms, dt=0.5 * ms)
    spikes = es.SpikeMonitor(generator)
    rate = es.PopulationRateMonitor(generator)
    es.Network(generator, spikes, rate, dt=0.1 * ms, backend=backend).run(3 * ms)
    np.testing.assert_array_equal(spikes.i, [0, 1, 0])
    np.testing.assert_allclose(spikes.t / ms, [0, 1, 2], atol=1e-12)
    np.testing.assert_allclose(rate.rate_, [1000, 0, 1000, 0, 1000, 0])
