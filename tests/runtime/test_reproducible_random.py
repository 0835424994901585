"""Random numbers are a function of the seed, the operation, the step and the index only
(issue 19 item 3): a run split in pieces, a run repeated after restore() and one
uninterrupted run draw the same numbers, on both backends. (A run stopped by Ctrl-C
stops at a step boundary and continues like a split run: tests/runtime/test_interrupt.py.)
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms

BACKENDS = ["c", "numpy"]
MODEL = "dv/dt = (1.1 - v)/tau + 0.4*xi/sqrt(tau) : 1"


def _network(backend, seed=7):
    group = es.NeuronGroup(40, MODEL, threshold="v > 1 or rand() < 0.002",
                           reset="v = 0.2*rand()", namespace={"tau": 5 * ms},
                           seed=5)  # (the seed of the string initialiser below)
    group.v = "rand()"
    spikes = es.SpikeMonitor(group)
    net = es.Network(group, spikes, seed=seed, backend=backend)
    return net, group, spikes


def _spikes(spikes):
    return np.asarray(spikes.i).tolist(), np.round(np.asarray(spikes.t_) * 1e4).astype(int).tolist()


@pytest.mark.parametrize("backend", BACKENDS)
def test_split_run_draws_what_one_run_draws(backend):
    whole, group_a, spikes_a = _network(backend)
    whole.run(12 * ms)
    split, group_b, spikes_b = _network(backend)
    for piece in (0.3, 4.2, 0.1, 7.4):  # whole steps of 0.1 ms, of different lengths
        split.run(piece * ms)
    assert spikes_a.num_spikes > 20
    assert _spikes(spikes_a) == _spikes(spikes_b)
    np.testing.assert_array_equal(np.asarray(group_a.v), np.asarray(group_b.v))


@pytest.mark.parametrize("backend", BACKENDS)
def test_restored_run_draws_the_same_numbers_again(backend):
    net, group, spikes = _network(backend)
    net.run(2 * ms)
    net.store()
    net.run(6 * ms)
    first_v = np.asarray(group.v).copy()
    first = _spikes(spikes)
    net.restore()
    net.run(6 * ms)
    np.testing.assert_array_equal(np.asarray(group.v), first_v)
    assert _spikes(spikes) == first


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_new_seed_after_restore_draws_fresh_numbers(backend):
    net, group, spikes = _network(backend)
    net.store()
    net.run(6 * ms)
    first = np.asarray(group.v).copy()
    net.restore()
    net.seed = 8
    net.run(6 * ms)
    assert not np.array_equal(np.asarray(group.v), first)


def test_both_backends_draw_the_same_numbers_in_a_split_run():
    results = []
    for backend in BACKENDS:
        net, group, spikes = _network(backend)
        net.run(3 * ms)
        net.run(3 * ms)
        results.append((_spikes(spikes), np.asarray(group.v)))
    assert results[0][0] == results[1][0]
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-12, atol=1e-12)
