"""STDP rules and synaptic kernels, checked against independent computations.

The references here never use traces: they sum exponentials over the whole spike
history at each event, in the order the simulator processes events (presynaptic
arrivals before postsynaptic spikes of the same step). So a wrong trace update, a wrong
exact advance of an event-driven variable or a wrong order would show.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.models import stdp, synapses
from eqsnn.units import mV, ms, pA, second

BACKENDS = ["c", "numpy"]
DT = 1e-4


def run_pairs(model, pre_times, post_times, backend, duration=0.4, **extra):
    """One synapse per row k, from a source spiking at pre_times[k] to a target
    spiking at post_times[k] (lists of times in seconds)."""
    n = len(pre_times)
    pre = es.SpikeGeneratorGroup(n, *_flatten(pre_times))
    post = es.SpikeGeneratorGroup(n, *_flatten(post_times))
    syn = es.Synapses(pre, post, model, **extra)
    syn.connect(j="i")
    w0 = syn.w_.copy()
    es.Network(pre, post, syn, backend=backend).run(duration * second)
    return syn, w0


def _flatten(times):
    indices = [k for k, row in enumerate(times) for _ in row]
    values = [t for row in times for t in row]
    return indices, np.array(values) * second


def replay(pre, post, on_pre, on_post, w):
    """Apply ``on_pre(w, t, pre_before, post_before)`` / ``on_post(...)`` event by event
    (times in steps; a presynaptic event of a step comes before a postsynaptic one)."""
    events = sorted([(round(t / DT), 0) for t in pre] + [(round(t / DT), 1) for t in post])
    seen_pre, seen_post = [], []
    for step, kind in events:
        t = step * DT
        if kind == 0:
            w = on_pre(w, t, np.array(seen_pre), np.array(seen_post))
            seen_pre.append(t)
        else:
            w = on_post(w, t, np.array(seen_pre), np.array(seen_post))
            seen_post.append(t)
    return w


def decay(t, times, tau):
    """sum_k exp(-(t - t_k)/tau) over earlier times t_k."""
    return float(np.sum(np.exp(-(t - times) / tau))) if len(times) else 0.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_pair_stdp_window_from_minus_50_to_50_ms(backend):
    offsets = np.arange(-50, 51) * 1e-3          # t_post - t_pre, 101 synapses
    rule = stdp.PairAdditive(target=None, w=0.005)
    syn, w0 = run_pairs(rule, [[0.1]] * offsets.size, [[0.1 + d] for d in offsets], backend)
    change = syn.w_ - w0
    expected = stdp.pair_window(offsets)
    np.testing.assert_allclose(change, expected, rtol=1e-12, atol=1e-19)
    # the curve itself: potentiation for pre-before-post, depression after, both
    # decaying with 20 ms; depression slightly stronger (Song et al.)
    assert change[offsets > 0].min() > 0 and change[offsets < 0].max() < 0
    assert change[60] == pytest.approx(1e-4 * np.exp(-0.5), rel=1e-12)     # +10 ms
    assert change[40] == pytest.approx(-1.05e-4 * np.exp(-0.5), rel=1e-12)  # -10 ms


@pytest.mark.parametrize("backend", BACKENDS)
def test_pair_rule_sums_over_all_pairs_and_nearest_spike_only_the_nearest(backend):
    pre, post = [0.010, 0.020, 0.052], [0.025, 0.030, 0.050]
    a_pre, a_post, tau = 1e-4, -1.05e-4, 0.02

    def all_pre(w, t, pres, posts):
        return w + a_post * decay(t, posts, tau)

    def all_post(w, t, pres, posts):
        return w + a_pre * decay(t, pres, tau)

    def near_pre(w, t, pres, posts):
        return w + (a_post * np.exp(-(t - posts[-1]) / tau) if len(posts) else 0)

    def near_post(w, t, pres, posts):
        return w + (a_pre * np.exp(-(t - pres[-1]) / tau) if len(pres) else 0)

    for rule, on_pre, on_post in ((stdp.PairAdditive, all_pre, all_post),
                                  (stdp.NearestSpike, near_pre, near_post)):
        syn, w0 = run_pairs(rule(target=None, w=0.005), [pre], [post], backend)
        expected = replay(pre, post, on_pre, on_post, w0[0])
        assert syn.w_[0] == pytest.approx(expected, rel=1e-13), rule.__name__


def _random_trains(seed, n, rate, duration=0.4):
    rng = np.random.default_rng(seed)
    trains = []
    for _ in range(n):
        steps = np.flatnonzero(rng.random(int(duration / DT)) < rate * DT)
        trains.append(list(steps * DT))
    return trains


@pytest.mark.parametrize("backend", BACKENDS)
def test_triplet_rule_against_sums_over_spike_history(backend):
    model = stdp.Triplet("hippocampal", target=None, w=0.5, wmax=1.0)
    ns = model.namespace
    tau = {k: ns[k].to("second").magnitude for k in ("tau_plus", "tau_minus", "tau_x", "tau_y")}
    pres, posts = _random_trains(1, 4, 30), _random_trains(2, 4, 30)
    syn, w0 = run_pairs(model, pres, posts, backend)

    def on_pre(w, t, before_pre, before_post):
        o1 = decay(t, before_post, tau["tau_minus"])
        r2 = decay(t, before_pre, tau["tau_x"])      # just before this spike's increment
        return w - o1 * (ns["A2m"] + ns["A3m"] * r2)

    def on_post(w, t, before_pre, before_post):
        r1 = decay(t, before_pre, tau["tau_plus"])
        o2 = decay(t, before_post, tau["tau_y"])
        return w + r1 * (ns["A2p"] + ns["A3p"] * o2)

    for k in range(4):
        expected = replay(pres[k], posts[k], on_pre, on_post, w0[k])
        assert syn.w_[k] == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert np.any(np.abs(syn.w_ - w0) > 1e-3)       # the rule did something


@pytest.mark.parametrize("backend", BACKENDS)
def test_multiplicative_rule_depresses_in_proportion_to_the_weight(backend):
    model = stdp.PairMultiplicative(target=None, wmax=1.0, Ap=0.01, Am=0.2)
    pres, posts = _random_trains(3, 3, 40), _random_trains(4, 3, 40)
    syn, w0 = run_pairs(model, pres, posts, backend)

    def on_pre(w, t, before_pre, before_post):
        return max(w - 0.2 * w * decay(t, before_post, 0.02), 0.0)

    def on_post(w, t, before_pre, before_post):
        return min(w + 0.01 * decay(t, before_pre, 0.02), 1.0)

    for k in range(3):
        assert syn.w_[k] == pytest.approx(replay(pres[k], posts[k], on_pre, on_post, w0[k]),
                                          rel=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_multiplicative_rules_follow_their_windows_and_bounds(backend):
    pres, posts = _random_trains(5, 3, 40), _random_trains(6, 3, 40)
    tau, tau_s, tau_l = 0.015, 0.00375, 0.02

    def window(t, times):
        return decay(t, times, tau) - decay(t, times, tau_s)

    def a_pre(w, t, before_pre, before_post):
        return float(np.clip(w - 0.5 * w * window(t, before_post), 1, 500))

    def a_post(w, t, before_pre, before_post):
        return float(np.clip(w + 0.5 * w * window(t, before_pre), 1, 500))

    def b_pre(w, t, before_pre, before_post):
        return float(np.clip(w - 0.02 * w * decay(t, before_post, tau_l), 1, 500))

    def b_post(w, t, before_pre, before_post):
        return float(np.clip(w + 0.01 * w * decay(t, before_pre, tau_l), 1, 500))

    # Rule A reads its presynaptic window from the clock-driven states of its own
    # current kernel (exact per step, so equal to the sum up to rounding).
    for which, on_pre, on_post, rtol in (("A", a_pre, a_post, 1e-9),
                                         ("B", b_pre, b_post, 1e-12)):
        syn, w0 = run_pairs(_multiplicative_without_current(which), pres, posts, backend)
        for k in range(3):
            expected = replay(pres[k], posts[k], on_pre, on_post, w0[k])
            assert syn.w_[k] == pytest.approx(expected, rel=rtol), (which, k)
        assert np.any(np.abs(syn.w_ - w0) > 1), which


def _multiplicative_without_current(which):
    """The rule with its current sent nowhere (the targets here only spike)."""
    model = (stdp.MultiplicativeDoubleExponential(gamma=0.5, w=100.0) if which == "A"
             else stdp.MultiplicativeExponential(w=100.0))
    lines = [line for line in model.equations.splitlines() if "(summed)" not in line]
    namespace = {k: v for k, v in model.namespace.items() if k != "I0"}
    return es.models.SynapseModel(name=model.name, equations="\n".join(lines),
                                  on_pre=model.on_pre, on_post=model.on_post,
                                  namespace=namespace, initial=model.initial,
                                  method=model.method)
