"""Synapses as a user meets them: delays exact to the step, event code, summed and
clock-driven variables, both backends agreeing, store/restore, no needless recompiles."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import Hz, Mohm, ms, mV, nA, pA, second

BACKENDS = ["c", "numpy"]
DT = 0.1e-3


def _arrival_network(backend, delays_pre, delays_post=None):
    """Sources 0..4 spike at known times; every synapse records when spikes reach it."""
    source = es.SpikeGeneratorGroup(5, [0, 1, 2, 3, 4, 0, 2], [1, 2, 3, 4, 5, 9, 11] * ms)
    target = es.SpikeGeneratorGroup(4, [0, 1, 2, 3, 1], [2, 3, 4, 5, 12] * ms)
    syn = es.Synapses(source, target, """
        t_pre_arrival : second
        t_post_arrival : second
        arrivals : 1
        """, on_pre="t_pre_arrival = t; arrivals += 1", on_post="t_post_arrival = t")
    syn.connect()  # 20 synapses, every source to every target
    syn.delay = delays_pre
    if delays_post is not None:
        syn.post.delay = delays_post
    net = es.Network(source, target, syn, backend=backend)
    net.run(40 * ms)
    return syn


@pytest.mark.parametrize("backend", BACKENDS)
def test_heterogeneous_delays_deliver_each_spike_exactly_d_later(backend):
    rng = np.random.default_rng(0)
    d_pre = rng.integers(0, 80, size=20) * DT      # 0 .. 7.9 ms, many distinct values
    d_post = rng.integers(0, 30, size=20) * DT
    syn = _arrival_network(backend, d_pre * second, d_post * second)
    last_pre_spike = np.array([9, 2, 11, 4, 5]) * 1e-3  # the last spike of each source
    last_post_spike = np.array([2, 12, 4, 5]) * 1e-3
    expected_pre = last_pre_spike[syn.i] + d_pre
    expected_post = last_post_spike[syn.j] + d_post
    np.testing.assert_array_equal(np.rint(syn.t_pre_arrival_ / DT), np.rint(expected_pre / DT))
    np.testing.assert_allclose(syn.t_pre_arrival_, expected_pre, rtol=0, atol=1e-12)
    np.testing.assert_allclose(syn.t_post_arrival_, expected_post, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(syn.arrivals_, np.where(np.isin(syn.i, [0, 2]), 2, 1))


@pytest.mark.parametrize("backend", BACKENDS)
def test_one_delay_for_all_synapses_and_zero_delay(backend):
    syn = _arrival_network(backend, 3 * ms)
    last = np.array([9, 2, 11, 4, 5]) * 1e-3
    np.testing.assert_allclose(syn.t_pre_arrival_, last[syn.i] + 3e-3, rtol=0, atol=1e-12)
    syn0 = _arrival_network(backend, 0 * ms)
    np.testing.assert_allclose(syn0.t_pre_arrival_, last[syn0.i], rtol=0, atol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_voltage_jump_reaches_the_target_after_the_delay(backend):
    source = es.SpikeGeneratorGroup(2, [0, 1], [1, 2] * ms)
    target = es.NeuronGroup(3, "v : volt")
    syn = es.Synapses(source, target, "w : volt", on_pre="v_post += w", delay=0.5 * ms)
    syn.connect(i=[0, 0, 1, 1], j=[0, 1, 1, 2])
    syn.w = [1, 2, 3, 4] * mV               # lines up with the pairs as given
    mon = es.StateMonitor(target, "v", record=True)
    net = es.Network(source, target, syn, mon, backend=backend)
    net.run(4 * ms)
    np.testing.assert_allclose(target.v_, [1e-3, 5e-3, 4e-3], rtol=0, atol=1e-15)
    # Recorded at the start of each step, so the jump of step n shows at step n + 1.
    v1 = mon.v_[1]
    assert v1[15] == 0 and v1[16] == 2e-3 and v1[25] == 2e-3 and v1[26] == 5e-3


def _mixed_network(backend):
    """Poisson input with STDP, clock-driven and summed variables, heterogeneous delays
    on both pathways, and recurrent voltage jumps that write pre and post variables."""
    cells = es.NeuronGroup(40, """
        dv/dt = (El - v + R*I_syn)/tau : volt (unless refractory)
        I_syn : amp
        dx/dt = -x/(10*ms) : 1
        """, threshold="v > -55*mV", reset="v = El", refractory=2 * ms, method="exact",
        namespace={"El": -70 * mV, "R": 10 * Mohm, "tau": 10 * ms}, seed=1)
    cells.v = "El + 15*mV*rand()"
    inputs = es.PoissonGroup(30, 80 * Hz, seed=2)
    plastic = es.Synapses(inputs, cells, """
        w : 1
        dg/dt = -g/(5*ms) : amp
        dapre/dt = -apre/(20*ms) : 1 (event-driven)
        dapost/dt = -apost/(20*ms) : 1 (event-driven)
        I_syn_post = g*w : amp (summed)
        """, on_pre="g += 1.5*nA; apre += 0.01; w = clip(w + apost, 0, 1); x_post += 0.1",
        on_post="apost -= 0.012; w = clip(w + apre, 0, 1)", seed=3)
    plastic.connect(p=0.3)
    plastic.w = "rand()"
    plastic.delay = "rand()*3*ms"
    plastic.post.delay = "rand()*2*ms"
    recurrent = es.Synapses(cells, cells, "c : volt", on_pre="v_post += c; x_pre += 0.5",
                            delay=1 * ms, seed=4)
    recurrent.connect(condition="i != j", p=0.2)
    recurrent.c = "0.5*mV + 0.5*mV*rand()"
    spikes = es.SpikeMonitor(cells)
    net = es.Network(cells, inputs, plastic, recurrent, spikes, backend=backend, seed=7)
    return net, cells, plastic, spikes


def test_both_backends_agree_on_a_network_with_every_synapse_feature():
    results = {}
    for backend in BACKENDS:
        net, cells, plastic, spikes = _mixed_network(backend)
        net.run(200 * ms)
        results[backend] = dict(i=spikes.i, t=spikes.t_, v=cells.v_, x=cells.x_,
                                I=cells.I_syn_, w=plastic.w_, g=plastic.g_,
                                apre=plastic.apre_, apost=plastic.apost_)
    compiled, reference = results["c"], results["numpy"]
    assert len(reference["i"]) > 50  # the network is active, plasticity has work to do
    np.testing.assert_array_equal(compiled["i"], reference["i"])
    np.testing.assert_array_equal(compiled["t"], reference["t"])
    for name in ["v", "x", "I", "w", "g", "apre", "apost"]:
        np.testing.assert_allclose(compiled[name], reference[name], rtol=1e-12, atol=1e-300,
                                   err_msg=name)
    assert np.ptp(reference["w"]) > 0.5  # weights moved


@pytest.mark.parametrize("backend", BACKENDS)
def test_summed_variable_is_the_sum_over_each_targets_synapses(backend):
    source = es.NeuronGroup(4, "x : 1")
    source.x = [1, 2, 3, 4]
    target = es.NeuronGroup(3, "I_in : amp\nother : amp")
    target.other = 7 * pA
    syn = es.Synapses(source, target, "w : amp\nI_in_post = w*x_pre : amp (summed)")
    syn.connect(i=[0, 1, 2, 3, 3], j=[0, 0, 1, 1, 2])
    syn.w = [1, 10, 100, 1000, 5] * pA
    net = es.Network(source, target, syn, backend=backend)
    net.run(0.3 * ms)
    np.testing.assert_allclose(target.I_in_, [21e-12, 4300e-12, 20e-12], rtol=1e-15)
    np.testing.assert_allclose(target.other_, 7e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_synapse_objects_sum_into_one_variable(backend):
    source = es.NeuronGroup(2, "x : 1")
    source.x = [1, 2]
    target = es.NeuronGroup(2, "I_in : amp")
    a = es.Synapses(source, target, "w : amp\nI_in_post = w*x_pre : amp (summed)")
    b = es.Synapses(source, target, "w : amp\nI_in_post = w : amp (summed)")
    a.connect(j="i")
    b.connect(i=0, j=[0, 1])
    a.w, b.w = 1 * pA, 10 * pA
    es.Network(source, target, a, b, backend=backend).run(0.2 * ms)
    np.testing.assert_allclose(target.I_in_, [11e-12, 12e-12], rtol=1e-15)


@pytest.mark.parametrize("backend", BACKENDS)
def test_clock_driven_and_event_driven_variables_follow_their_closed_forms(backend):
    source = es.SpikeGeneratorGroup(1, [0, 0], [2, 7] * ms)
    target = es.NeuronGroup(1, "v : volt")
    syn = es.Synapses(source, target, """
        dg/dt = -g/tau : 1
        dtrace/dt = -trace/tau : 1 (event-driven)
        seen : 1
        """, on_pre="seen = trace; g += 1; trace += 1", namespace={"tau": 5 * ms})
    syn.connect()
    net = es.Network(source, target, syn, backend=backend)
    net.run(12 * ms)
    # g jumps at the end of the steps at 2 ms and 7 ms, then decays every step exactly.
    steps_after = (np.array([12.0, 12.0]) - [2.0, 7.0]) / 0.1 - 1
    expected_g = np.sum(np.exp(-steps_after * DT / 5e-3))
    np.testing.assert_allclose(syn.g_, [expected_g], rtol=1e-12)
    # the event-driven trace is advanced exactly from 2 ms to 7 ms at the second spike
    np.testing.assert_allclose(syn.seen_, [np.exp(-1.0)], rtol=1e-13)


@pytest.mark.parametrize("backend", BACKENDS)
def test_parameters_and_new_synapses_between_runs_do_not_recompile(backend):
    source = es.SpikeGeneratorGroup(3, [0, 1, 2], [1, 2, 3] * ms)
    target = es.NeuronGroup(3, "v : volt")
    syn = es.Synapses(source, target, "w : volt", on_pre="v_post += w*k",
                      namespace={"k": 1.0})
    syn.connect(j="i")
    syn.w = 1 * mV
    net = es.Network(source, target, syn, backend=backend)
    net.run(5 * ms)
    program = net._program
    syn.connect(i=0, j=2)          # more synapses, another weight, another delay
    syn.w = 2 * mV
    syn.delay = 1 * ms
    net.run(1 * ms)
    assert net._program is program
    np.testing.assert_allclose(target.v_, [1e-3, 1e-3, 1e-3], atol=1e-15)
    net.store()
    net.restore()
    assert syn.N == 4 and np.all(syn.delay_ == 1e-3)


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_and_restore_bring_back_weights_and_spikes_in_flight(backend):
    def build():
        source = es.SpikeGeneratorGroup(2, [0, 1, 0], [1, 2, 6] * ms)
        target = es.NeuronGroup(2, "v : volt")
        syn = es.Synapses(source, target, "w : volt\ndtr/dt = -tr/(5*ms) : 1 (event-driven)",
                          on_pre="v_post += w; tr += 1; w += 0.1*mV")
        syn.connect()
        syn.w = 1 * mV
        syn.delay = "(1 + i)*3*ms"
        return es.Network(source, target, syn, backend=backend), target, syn

    net, target, syn = build()
    net.run(3 * ms)          # the spikes of 1 and 2 ms are in flight
    net.store()
    net.run(10 * ms)
    first = (target.v_.copy(), syn.w_.copy(), syn.tr_.copy())
    net.restore()
    net.run(10 * ms)
    np.testing.assert_array_equal(target.v_, first[0])
    np.testing.assert_array_equal(syn.w_, first[1])
    np.testing.assert_array_equal(syn.tr_, first[2])
    fresh, fresh_target, fresh_syn = build()
    fresh.run(13 * ms)
    np.testing.assert_array_equal(fresh_target.v_, first[0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_subgroups_connect_with_relative_indices(backend):
    cells = es.NeuronGroup(10, "v : volt")
    source = es.SpikeGeneratorGroup(6, [4, 5], [1, 1] * ms)
    syn = es.Synapses(source[4:6], cells[7:10], "w : volt",
                      on_pre="v_post += w*(1 + i + 10*j)")
    syn.connect()
    syn.w = 1 * mV
    assert set(zip(syn.i, syn.j)) == {(a, b) for a in range(2) for b in range(3)}
    es.Network(source, cells, syn, backend=backend).run(2 * ms)
    expected = np.zeros(10)
    expected[7:] = [(1 + 0) + (1 + 1), (1 + 10) + (2 + 10), (1 + 20) + (2 + 20)]
    np.testing.assert_allclose(cells.v_, expected * 1e-3, rtol=1e-14)
