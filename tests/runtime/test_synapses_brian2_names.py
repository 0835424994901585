"""Two Brian2 names of Synapses: the old ``pre=``/``post=`` arguments and ``S.lastupdate``.

Reference: Brian2 2.9.0 (numpy target, dt = 0.1 ms) running the same scripts with
``from brian2 import *`` (es.X -> X, run() instead of the explicit Network), with
~/.cache/eqsnn/bench/brian2-2.9.0/bin/python: it takes ``pre=``/``post=`` with a
deprecation warning and refuses ``pre=`` together with ``on_pre=`` (TypeError "Cannot
specify both 'pre' and 'on_pre'"); ``S.lastupdate`` exists with event-driven equations,
starts at 0 s and is [0, 200, 200] us here, [0, 0, 0] s for the delayed synapses.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError, UnknownNameError
from eqsnn.units import ms, second

BACKENDS = ["numpy", "c"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_pre_and_post_are_taken_for_on_pre_and_on_post(backend):
    G = es.NeuronGroup(2, "v : 1\nu : 1", threshold="True")
    with pytest.warns(DeprecationWarning, match="write on_pre="):
        S = es.Synapses(G, G, pre="v_post += 1")
    with pytest.warns(DeprecationWarning, match="write on_post="):
        T = es.Synapses(G, G, post="u_pre += 2")
    S.connect(j="i")
    T.connect(j="i")
    es.Network(G, S, T, dt=0.1 * ms, backend=backend).run(0.3 * ms)
    np.testing.assert_array_equal(G.v_, [3, 3])
    np.testing.assert_array_equal(G.u_, [6, 6])


def test_both_names_for_one_pathway_are_refused():
    G = es.NeuronGroup(2, "v : 1", threshold="True")
    with pytest.raises(InvalidValueError, match="both pre= and on_pre="):
        es.Synapses(G, G, pre="v += 1", on_pre="v += 2")
    with pytest.raises(InvalidValueError, match="both post= and on_post="):
        es.Synapses(G, G, on_post="v += 1", post="v += 2")


@pytest.mark.parametrize("backend", BACKENDS)
def test_lastupdate_is_readable_and_settable(backend):
    G = es.NeuronGroup(3, "v : 1", threshold="t > 0.15*ms and i > 0")
    model = "dx/dt = -x/ms : 1 (event-driven)"
    S = es.Synapses(G, G, model, on_pre="x += 1", on_post="x += 0")
    S.connect(j="i")
    delayed = es.Synapses(G, G, model, on_pre="x += 1", delay=0.1 * ms)
    delayed.connect(j="i")
    np.testing.assert_array_equal(S.lastupdate_, [0, 0, 0])
    es.Network(G, S, delayed, dt=0.1 * ms, backend=backend).run(0.3 * ms)
    np.testing.assert_allclose(S.lastupdate / second, [0, 2e-4, 2e-4], rtol=1e-12)
    np.testing.assert_array_equal(delayed.lastupdate_, [0, 0, 0])
    S.lastupdate = 5 * ms
    np.testing.assert_allclose(S.lastupdate_, [5e-3] * 3)
    S.lastupdate = "i*ms"
    np.testing.assert_allclose(S.lastupdate_, [0, 1e-3, 2e-3])
    values = S.lastupdate_
    values[:] = 7  # a copy: the synapses keep theirs
    np.testing.assert_allclose(S.lastupdate_, [0, 1e-3, 2e-3])


def test_lastupdate_of_synapses_without_event_driven_equations():
    G = es.NeuronGroup(2, "v : 1", threshold="True")
    S = es.Synapses(G, G, "w : 1", on_pre="v += w")
    with pytest.raises(UnknownNameError, match="keeps no lastupdate"):
        S.lastupdate
    reads = es.Synapses(G, G, "w : 1", on_pre="w = (t - lastupdate)/ms")
    reads.connect(j="i")
    es.Network(G, reads, dt=0.1 * ms, backend="numpy").run(0.3 * ms)
    np.testing.assert_allclose(reads.lastupdate_, [2e-4, 2e-4])
    np.testing.assert_allclose(reads.w_, [0.1, 0.1])
