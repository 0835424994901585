"""A pathway whose sender runs on a slower clock (k loop steps per step of its own): its
spikes come at the sender's steps and every delay is a whole number of them (Brian2's
rounding), so nothing can arrive in between. The pathway walks its rows only at the
sender's steps, and keeps one row per delay of the sender's clock, not per loop step
(closing note of session 6: it ran every loop step over k times the rows). What it
delivers is unchanged: the same as numpy at 1, 2 and 3 threads, with Brian2's timing
(test_delays_on_clocks.py, test_pathway_slots.py) and Brian2's t and dt in its code.

Brian2 2.9.0 (numpy target) for the last test:

    G = SpikeGeneratorGroup(1, [0, 0], [1*ms, 2*ms], dt=0.5*ms)
    H = NeuronGroup(1, "x : 1\\ntl : second")
    S = Synapses(G, H, on_pre="x_post += dt/ms; tl_post = t", delay=1*ms); S.connect()
    run(5*ms)   # defaultclock.dt = 0.1 ms
    print(H.x[:], H.tl[:])   # [0.2] [3.] ms: the code sees the synapses' dt, not G's

and for the sender's clock changing between runs with spikes in flight:

    G = SpikeGeneratorGroup(1, [0, 0], [2*ms, 2.5*ms], dt=0.5*ms)
    H = NeuronGroup(1, "x : 1")
    S = Synapses(G, H, on_pre="x_post += 1", delay=1.5*ms); S.connect()
    M = StateMonitor(H, "x", record=True, when="end")
    run(3*ms); G.clock.dt = 0.3*ms; run(3*ms)
    # x rises at steps 36 and 39 (3.6 and 3.9 ms): at steps of the new clock
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn import models
from eqsnn.runtime.propagation import pathway_structure
from eqsnn.units import ms


def _network(threads=1, backend="c", when="synapses"):
    sender = es.NeuronGroup(40, "dv/dt = (1.5 - v)/(3*ms) : 1 (unless refractory)",
                            threshold="v > 1 + 0.5*rand()", reset="v = 0",
                            refractory=1 * ms, method="exact", dt=0.5 * ms, name="sender")
    sender.v = "0.025*i"
    target = es.NeuronGroup(70, "dv/dt = -v/(10*ms) : 1\nge : 1", threshold="v > 0.6",
                            reset="v = 0", method="exact", name="target")
    stdp = es.Synapses(sender, target, models.get("PairAdditive"), on_pre="v_post += w",
                       name="stdp")
    stdp.connect("(3*i + 7*j) % 10 < 3")
    stdp.w = "0.01 + 0.001*((i + j) % 40)"
    stdp.delay = "((5*i + 3*j) % 41)*0.1*ms"   # 0 to 4 ms: 0 to 8 steps of the sender's clock
    stdp.post.delay = "((i + j) % 8)*0.1*ms"   # the target's own clock: every loop step
    stdp.pre.when = when
    spikes = es.SpikeMonitor(target)
    return es.Network(sender, target, stdp, spikes, dt=0.1 * ms, seed=3, threads=threads,
                      backend=backend), stdp, target, spikes


def _run(**options):
    net, stdp, target, spikes = _network(**options)
    net.run(20 * ms)
    net.run(10 * ms)  # (continued: spikes in flight stay in flight)
    return stdp.w_.copy(), target.v_.copy(), spikes.i.copy(), spikes.t_.copy()


@pytest.mark.parametrize("when", ["synapses", "before_thresholds"])
def test_a_slower_senders_pathway_gives_the_same_on_any_thread_count_and_backend(when):
    numpy = _run(backend="numpy", when=when)
    assert numpy[2].size > 20  # (the target spikes: arrivals matter)
    one = _run(threads=1, when=when)
    for threads in (2, 3):  # bit for bit
        for got, want in zip(_run(threads=threads, when=when), one):
            np.testing.assert_array_equal(got, want)
    # numpy: the same spikes (its exp may differ from the C loop's in the last bit)
    np.testing.assert_array_equal(one[2], numpy[2])
    np.testing.assert_array_equal(one[3], numpy[3])
    np.testing.assert_allclose(one[0], numpy[0], rtol=1e-12)
    np.testing.assert_allclose(one[1], numpy[1], rtol=1e-12)


def test_its_rows_are_one_per_step_of_the_senders_clock():
    net, stdp, _, _ = _network()
    net.run(0.1 * ms)
    dt = float(net._loop_dt())
    pre = pathway_structure(stdp, "pre", dt)
    steps = np.floor(stdp.pre.delay_ / 0.5e-3 + 0.5).astype(int)   # of the sender's clock
    assert pre.stride == 5 and pre.first_age == 5 * steps.min()
    assert pre.n_ages == steps.max() - steps.min() + 1          # (was 5 times as many)
    assert pre.ptr.size == pre.senders * pre.n_ages + 1
    post = pathway_structure(stdp, "post", dt)                  # (the target's: the loop's)
    assert post.stride == 1 and post.n_ages == 8


def _one_synapse(times, delay, on_pre, target="x : 1"):
    """A generator on a 0.5 ms clock spiking at ``times`` onto one neuron."""
    G = es.SpikeGeneratorGroup(1, [0] * len(times), times, dt=0.5 * ms)
    H = es.NeuronGroup(1, target)
    S = es.Synapses(G, H, on_pre=on_pre, delay=delay)
    S.connect()
    return G, H, S


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_its_code_sees_the_loops_t_and_dt_as_brian2s_does(backend):
    G, H, S = _one_synapse([1, 2] * ms, 1 * ms, "x_post += dt/ms; tl_post = t",
                           "x : 1\ntl : second")
    es.Network(G, H, S, dt=0.1 * ms, backend=backend).run(5 * ms)
    assert H.x_[0] == pytest.approx(0.2) and H.tl_[0] == pytest.approx(3e-3)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_spikes_in_flight_when_the_senders_clock_changes_arrive_at_its_new_steps(backend):
    G, H, S = _one_synapse([2, 2.5] * ms, 1.5 * ms, "x_post += 1")
    M = es.StateMonitor(H, "x", record=True, when="end")
    net = es.Network(G, H, S, M, dt=0.1 * ms, backend=backend)
    net.run(3 * ms)
    G.clock.dt = 0.3 * ms  # (sent at 2.0 and 2.5 ms: between the new clock's steps)
    net.run(3 * ms)
    rises = np.flatnonzero(np.diff(np.r_[0.0, M.x_[0]]) > 0)
    assert list(rises) == [36, 39]  # Brian2's steps (none lost)
