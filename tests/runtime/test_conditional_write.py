"""Brian2's conditional write: while a neuron is refractory, synaptic statements do not
write its ``(unless refractory)`` variables (``v_post += w`` skips a refractory target,
``y_pre += 1`` in on_post a refractory source), in every pathway (on_pre, on_post,
named, on_event), whatever the refractoriness (a period, a string time, a condition).

The reference numbers are Brian2 2.9.0's (numpy target, dt = 0.1 ms) for the same
scripts, written with ``from brian2 import *`` (es.X -> X, ``G.v_`` -> ``G.v[:]``,
``run()`` instead of the explicit Network) and run with
~/.cache/eqsnn/bench/brian2-2.9.0/bin/python (benchmarks/brian2_env.py makes it).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms, second

BACKENDS = ["numpy", "c"]
FLAGGED = "dv/dt = 0/ms : 1 (unless refractory)\nu : 1"

# Brian2 2.9.0 running _recurrent() (the script as above, run(100*ms)).
BRIAN2_RECURRENT = {
    "counts": [7, 7, 7, 7, 6, 6, 6, 7, 7, 7, 7, 7, 6, 7, 9, 9, 9, 9, 8, 8],
    "v": [0.3110181351819412, 0.035760904406305416, 0.0, 0.0, 1.0794387620364139,
          0.80374129928857, 0.9058198843874496, 0.2197618998919295, 0.0984110766251074,
          0.0, 0.0, 0.0, 0.7939548657684394, 0.7999696753576035, 0.11533221173655517,
          0.0, 0.0, 0.0, 0.8300437233033788, 0.7716472879501177],
    "x": [14, 14, 14, 13, 13, 12, 14, 16, 16, 16, 16, 14, 15, 16, 16, 16, 16, 14, 14, 13],
    "y": [0.966861519588966, 0.9992003199146838, 2.86484729433358, 4.7500211560993115,
          5.719859288983151, 4.709675099749113, 8.636133359019976, 4.753953412823346,
          5.687470622271056, 6.631972150882908, 6.623657644017335, 9.517252480498183,
          7.612543958038659, 10.648235744105865, 6.692013681814877, 6.693048956003287,
          6.668758768384847, 7.630423275562566, 7.607277843528402, 8.675833939271152],
}


def _recurrent(backend, threads=1, n=20):
    """A ring with delays: spikes arrive while targets are refractory (v_post += w is
    then skipped); on_post counts every target spike in x_pre, but adds to the flagged
    y_pre only while the source is not refractory."""
    G = es.NeuronGroup(n, "dv/dt = (I - v)/tau : 1 (unless refractory)\n"
                          "dy/dt = -y/second : 1 (unless refractory)\nI : 1\nx : 1",
                       threshold="v > 1", reset="v = 0", refractory=3 * ms, method="exact",
                       namespace={"tau": 10 * ms, "second": second})
    G.I = f"1.2 + 0.01*(i % 20)"
    G.v = f"0.05*(i % 20)"
    S = es.Synapses(G, G, "w : 1", on_pre="v_post += w", on_post="x_pre += 1\ny_pre += 1",
                    delay=1 * ms)
    S.connect(j=f"(i + 1) % {n}")
    S.connect(j=f"(i + 7) % {n}")
    S.w = "0.2 + 0.01*(j % 20)"
    spikes = es.SpikeMonitor(G)
    es.Network(G, S, spikes, dt=0.1 * ms, backend=backend, threads=threads).run(100 * ms)
    return G, spikes


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_recurrent_network_gives_brian2s_numbers(backend):
    G, spikes = _recurrent(backend)
    np.testing.assert_array_equal(spikes.count, BRIAN2_RECURRENT["counts"])
    np.testing.assert_array_equal(G.x_, BRIAN2_RECURRENT["x"])
    np.testing.assert_allclose(G.v_, BRIAN2_RECURRENT["v"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(G.y_, BRIAN2_RECURRENT["y"], rtol=1e-9)


def test_two_threads_are_bit_identical():
    # 400 neurons: several blocks of 64 on each thread, synapses across the blocks
    (G1, s1), (G2, s2) = [_recurrent("c", threads, n=400) for threads in (1, 2)]
    assert s1.num_spikes > 2000
    for a, b in [(G1.v_, G2.v_), (G1.y_, G2.y_), (G1.x_, G2.x_), (s1.i, s2.i), (s1.t_, s2.t_)]:
        np.testing.assert_array_equal(a, b)


def test_brian2s_own_test_of_the_conditional_write():
    """brian2/tests/test_refractory.py::test_conditional_write_behaviour, run with
    Brian2 2.9.0: x = 0.09999999999999994, y = 0.7000000000000006, v = 0.6878, 6 spikes."""
    for backend in BACKENDS:
        H = es.NeuronGroup(1, "v : 1", threshold="v > -1")
        G = es.NeuronGroup(1, "dv/dt = (2 - v)/tau : 1 (unless refractory)\n"
                              "dx/dt = 0/tau : 1 (unless refractory)\ndy/dt = 0/tau : 1",
                           threshold="v > 1", reset="v = 0\nx -= 0.05\ny -= 0.05",
                           refractory=1 * ms, method="euler", namespace={"tau": 1 * ms})
        Sx = es.Synapses(H, G, on_pre="x += dt*100*Hz")
        Sx.connect(True)
        Sy = es.Synapses(H, G, on_pre="y += dt*100*Hz")
        Sy.connect(True)
        spikes = es.SpikeMonitor(G)
        es.Network(H, G, Sx, Sy, spikes, dt=0.1 * ms, backend=backend).run(10 * ms)
        assert spikes.num_spikes == 6
        np.testing.assert_allclose([G.x_[0], G.y_[0], G.v_[0]],
                                   [0.09999999999999994, 0.7000000000000006, 0.6878],
                                   rtol=1e-12)


def _target(n, refractory=1 * ms, **kwargs):
    G = es.NeuronGroup(n, FLAGGED, threshold=kwargs.pop("threshold", "v > 10"),
                       reset=kwargs.pop("reset", "v = 0"), refractory=refractory, **kwargs)
    return G


def _run(*objects, duration):
    backend = objects[-1]
    es.Network(*objects[:-1], dt=0.1 * ms, backend=backend).run(duration)


@pytest.mark.parametrize("backend", BACKENDS)
def test_on_pre_on_post_on_event_and_subgroups_follow_brian2(backend):
    # Brian2 2.9.0: [0, 5] for each (neuron 0 spikes at t = 0, refractory 1 ms; 5 steps)
    P, Q = _target(2), es.NeuronGroup(2, "v : 1", threshold="t < 0.45*ms")
    P.v = [20, 0]
    S = es.Synapses(P, Q, on_post="v_pre += 1")
    S.connect(j="i")
    _run(P, Q, S, backend, duration=0.5 * ms)
    np.testing.assert_array_equal(P.v_, [0, 5])

    G = _target(2, events={"e": "True"})
    G.v = [20, 0]
    S = es.Synapses(G, G, on_pre={"pre": "v_post += 1"}, on_event={"pre": "e"})
    S.connect(j="i")
    _run(G, S, backend, duration=0.5 * ms)
    np.testing.assert_array_equal(G.v_, [0, 5])

    # a subgroup as the target (Brian2: [0, 0, 0, 5]) and as the source of on_post
    source = es.NeuronGroup(1, "", threshold="True")
    G = _target(4)
    G.v = [0, 0, 20, 0]
    S = es.Synapses(source, G[2:4], on_pre="v_post += 1")
    S.connect()
    _run(source, G, S, backend, duration=0.5 * ms)
    np.testing.assert_array_equal(G.v_, [0, 0, 0, 5])
    G, Q = _target(4), es.NeuronGroup(2, "", threshold="True")
    G.v = [0, 0, 20, 0]
    S = es.Synapses(G[2:4], Q, on_post="v_pre += 1")
    S.connect(j="i")
    _run(G, Q, S, backend, duration=0.5 * ms)
    np.testing.assert_array_equal(G.v_, [0, 0, 0, 5])


@pytest.mark.parametrize("backend", BACKENDS)
def test_assignments_several_synapses_and_delays(backend):
    source = es.NeuronGroup(1, "", threshold="True")
    G = _target(2)
    G.v = [20, 0]
    S = es.Synapses(source, G, on_pre="v_post = v_post*2 + 1")
    S.connect()
    _run(source, G, S, backend, duration=0.3 * ms)
    np.testing.assert_array_equal(G.v_, [0, 7])  # Brian2: [0, 7]
    # three sources, delay 0.1 ms, refractory 0.2 ms (Brian2: [9, 12])
    source = es.NeuronGroup(3, "", threshold="True")
    G = _target(2, refractory=0.2 * ms)
    G.v = [20, 0]
    S = es.Synapses(source, G, on_pre="v_post += 1", delay=0.1 * ms)
    S.connect()
    _run(source, G, S, backend, duration=0.5 * ms)
    np.testing.assert_array_equal(G.v_, [9, 12])


@pytest.mark.parametrize("backend", BACKENDS)
def test_refractoriness_as_a_condition_or_an_expression(backend):
    source = es.NeuronGroup(1, "", threshold="True")
    G = es.NeuronGroup(2, "dv/dt = 0/ms : 1 (unless refractory)\nx : 1", threshold="v > 10",
                       reset="v = 0\nx = 5", refractory="x > 2")
    G.v = [20, 0]
    G.run_regularly("x -= 1", when="end")
    S = es.Synapses(source, G, on_pre="v_post += 1")
    S.connect()
    _run(source, G, S, backend, duration=1 * ms)
    np.testing.assert_array_equal(G.v_, [7, 10])  # Brian2: [7, 10]
    G = es.NeuronGroup(2, "dv/dt = 0/ms : 1 (unless refractory)\nref : second",
                       threshold="v > 10", reset="v = 0", refractory="ref")
    G.v = [20, 20]
    G.ref = [0.3 * ms, 0.6 * ms]
    S = es.Synapses(source, G, on_pre="v_post += 1")
    S.connect()
    _run(source, G, S, backend, duration=1 * ms)
    np.testing.assert_array_equal(G.v_, [7, 4])  # Brian2: [7, 4]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_step_of_the_spike_and_a_pathway_before_the_state_update(backend):
    """Brian2 clears not_refractory when a neuron spikes and computes it in the state
    update: with refractory=0*ms a neuron is refractory in the step it spikes, and a
    pathway moved before the groups slot sees the flag of the step before. Brian2:
    refractory 0 and 1 step: [22, 3]; 2 steps, pathway at before_groups: [22, 4]."""
    for refractory, when, expected in ((0 * ms, "synapses", [22, 3]),
                                       (0.1 * ms, "synapses", [22, 3]),
                                       (0.2 * ms, "before_groups", [22, 4])):
        source = es.NeuronGroup(1, "", threshold="True")
        G = _target(2, refractory=refractory, threshold="v > 10 and t < 0.05*ms",
                    reset="u = 1")
        G.v = [20, 0]
        S = es.Synapses(source, G, on_pre="v_post += 1")
        S.connect()
        S.pre.when = when
        _run(source, G, S, backend, duration=0.3 * ms if when == "synapses" else 0.5 * ms)
        np.testing.assert_array_equal(G.v_, expected)


@pytest.mark.parametrize("backend", BACKENDS)
def test_not_refractory_pre_and_post_are_readable(backend):
    source = es.NeuronGroup(1, "", threshold="True")
    G = _target(2)
    G.v = [20, 0]
    S = es.Synapses(source, G, on_pre="u_post += 1*int(not_refractory_post)\nv_post += 1")
    S.connect()
    _run(source, G, S, backend, duration=0.3 * ms)
    np.testing.assert_array_equal(G.v_, [0, 3])  # Brian2: v = u = [0, 3]
    np.testing.assert_array_equal(G.u_, [0, 3])


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_side_is_guarded_by_its_own_neuron(backend):
    """on_pre writing v_pre and v_post: the source is refractory, the target is not.
    (Brian2 2.9.0 gives Q.v = [0, 20] here: it tests both writes with one neuron's
    flag when a statement block writes both sides; eqsnn tests each side's own.)"""
    P, Q = _target(2, reset="u = 1"), _target(2, reset="u = 1")
    P.v = [20, 0]
    Q.v = [0, 20]
    S = es.Synapses(P, Q, on_pre="v_pre += 1\nv_post += 1")
    S.connect(i=0, j=0)
    _run(P, Q, S, backend, duration=0.1 * ms)
    np.testing.assert_array_equal(P.v_, [20, 0])
    np.testing.assert_array_equal(Q.v_, [1, 20])


def test_variables_without_the_flag_get_no_guard():
    G = es.NeuronGroup(10, "dv/dt = (ge - v)/(10*ms) : 1 (unless refractory)\n"
                           "dge/dt = -ge/(5*ms) : 1", threshold="v > 1", reset="v = 0",
                       refractory=2 * ms)
    plain = es.Synapses(G, G, on_pre="ge += 0.1")
    guarded = es.Synapses(G, G, on_pre="v += 0.1")
    for backend in BACKENDS:
        assert "not_refractory" not in " ".join(plain._record.code[backend].pathway("pre").lines)
        assert "not_refractory_post" in guarded._record.code[backend].pathway("pre").reads
    # an increment is multiplied by the flag (no branch); anything else is selected
    assert guarded._record.code["c"].pathway("pre").lines == (
        "v_post[_j] = 0.1*not_refractory_post + v_post[_j];",)
    doubled = es.Synapses(G, G, on_pre="v *= 2")
    assert doubled._record.code["c"].pathway("pre").lines == (
        "v_post[_j] = ((not_refractory_post != 0.0) ? (2.0*v_post[_j]) : (v_post[_j]));",)


def test_errors():
    G = _target(2)
    with pytest.raises(InvalidValueError, match="may read it, not write it"):
        es.Synapses(G, G, on_pre="not_refractory_post = 0")
    with pytest.raises(InvalidValueError, match=r"\(unless refractory\) on the synaptic"):
        es.Synapses(G, G, "dx/dt = -x/ms : 1 (unless refractory)")
    S = es.Synapses(G, G, "w : 1")
    with pytest.raises(InvalidValueError, match="only on_pre/on_post statements can read"):
        S.run_regularly("w = not_refractory_post")


@pytest.mark.parametrize("backend", BACKENDS)
def test_run_regularly_leaves_a_refractory_neuron_alone(backend):
    """Brian2 2.9.0: 'v += 1' every step (start slot) [0, 5]; with 'x += 1' at the end
    slot v = [0, 5], x = [5, 5] (x is not flagged); refractory 0.3 ms, 1 ms, start or
    end: 27 (20 + 7 steps); a condition: v = [6, 10]; refractory=0*ms at the end slot
    (the step of the spike skipped): 22."""
    G = _target(2)
    G.v = [20, 0]
    G.run_regularly("v += 1")
    _run(G, backend, duration=0.5 * ms)
    np.testing.assert_array_equal(G.v_, [0, 5])
    G = es.NeuronGroup(2, "dv/dt = 0/ms : 1 (unless refractory)\ndx/dt = 0/ms : 1",
                       threshold="v > 10", reset="v = 0", refractory=1 * ms)
    G.v = [20, 0]
    G.run_regularly("v += 1\nx += 1", when="end")
    _run(G, backend, duration=0.5 * ms)
    np.testing.assert_array_equal([G.v_, G.x_], [[0, 5], [5, 5]])
    for when in ("start", "end"):
        G = _target(1, refractory=0.3 * ms, threshold="v > 10 and t < 0.05*ms",
                    reset="u = 1")
        G.v = 20
        G.run_regularly("v += 1", when=when)
        _run(G, backend, duration=1 * ms)
        np.testing.assert_array_equal(G.v_, [27])
    G = es.NeuronGroup(2, "dv/dt = 0/ms : 1 (unless refractory)\nx : 1", threshold="v > 10",
                       reset="v = 0\nx = 5", refractory="x > 2")
    G.v = [20, 0]
    G.run_regularly("x -= 1", when="end")
    G.run_regularly("v += 1")
    _run(G, backend, duration=1 * ms)
    np.testing.assert_array_equal([G.v_, G.x_], [[6, 10], [-5, -10]])
    G = _target(1, refractory=0 * ms, threshold="v > 10 and t < 0.05*ms", reset="u = 1")
    G.v = 20
    G.run_regularly("v += 1", when="end")
    _run(G, backend, duration=0.3 * ms)
    np.testing.assert_array_equal(G.v_, [22])


@pytest.mark.parametrize("backend", BACKENDS)
def test_poisson_input_follows_brian2s_flag(backend):
    """10 sources at 1/dt: 10 events per step. Brian2 2.9.0 (refractory 0*ms, 0.2 ms, a
    condition that holds until 'x = 0' at the end of the spike's step): [60, 50],
    [50, 50], [60, 50] after 5 steps (neuron 0 spikes at t = 0)."""
    for refractory, expected in ((0 * ms, [60, 50]), (0.2 * ms, [50, 50]),
                                 ("x > 0.5", [60, 50])):
        G = es.NeuronGroup(2, "dv/dt = 0/ms : 1 (unless refractory)\nx : 1",
                           threshold="v > 15 and t < 0.05*ms", reset="x = 1",
                           refractory=refractory)
        G.v = [20, 0]
        G.run_regularly("x = 0", when="end", dt=0.2 * ms)
        P = es.PoissonInput(G, "v", 10, 1 / (0.1 * ms), weight=1)
        _run(G, P, backend, duration=0.5 * ms)
        np.testing.assert_array_equal(G.v_, expected)
