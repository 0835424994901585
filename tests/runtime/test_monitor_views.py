"""A StateMonitor indexed by subgroups and synapses, Brian2's ``M[G[0]].v``,
``M[G[1:3]].v``, ``M[S[0]].w``, ``M[S[1, :]].w``: the rows of those neurons or synapses,
with Brian2's shapes (a subgroup or S[i, j] gives one row each, S[k] one trace); and
G[3] / G[[3, 4]] as subgroups, as in Brian2."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

# Brian2 2.9.0, numpy target, dt = 0.1 ms, in the venv of benchmarks/brian2_env.py:
# G = NeuronGroup(5, "dv/dt = (i - v)/(10*ms) : 1", method="exact"); S = Synapses(G, G,
# "dw/dt = -w/(5*ms) : 1 (clock-driven)"); S.connect(condition="i != j and j < 3");
# S.w = "i + j/10"; M = StateMonitor(G, "v", record=True); Mp = StateMonitor(G, "v",
# record=[1, 3, 4]); Ms = StateMonitor(S, "w", record=True); Msub = StateMonitor(G[2:5],
# "v", record=True); run(1*ms). (expression, shape, last column rounded to 1e-6)
B2 = [
    ("M[G[0]].v", lambda n: n["M"][n["G"][0]].v, (1, 10), [0.0]),
    ("M[G[1:3]].v", lambda n: n["M"][n["G"][1:3]].v, (2, 10), [0.086069, 0.172138]),
    ("M[0].v", lambda n: n["M"][0].v, (10,), 0.0),
    ("Mp[G[3]].v", lambda n: n["Mp"][n["G"][3]].v, (1, 10), [0.258206]),
    ("Mp[G[3:5]].v", lambda n: n["Mp"][n["G"][3:5]].v, (2, 10), [0.258206, 0.344275]),
    ("Ms[S[0]].w", lambda n: n["Ms"][n["S"][0]].w, (10,), 0.083527),
    ("Ms[S[1, :]].w", lambda n: n["Ms"][n["S"][1, :]].w, (2, 10), [0.83527, 1.002324]),
    ("Ms[S[1, 0]].w", lambda n: n["Ms"][n["S"][1, 0]].w, (1, 10), [0.83527]),
    ("Ms[S[0:2]].w", lambda n: n["Ms"][n["S"][0:2]].w, (2, 10), [0.083527, 0.167054]),
    ("Msub[G[3]].v", lambda n: n["Msub"][n["G"][3]].v, (1, 10), [0.258206]),
    ("Mp[np.array([1, 3])].v", lambda n: n["Mp"][np.array([1, 3])].v, (2, 10),
     [0.086069, 0.258206]),
]


def _network(backend):
    G = es.NeuronGroup(5, "dv/dt = (i - v)/(10*ms) : 1", method="exact")
    S = es.Synapses(G, G, "dw/dt = -w/(5*ms) : 1 (clock-driven)", method="exact")
    S.connect(condition="i != j and j < 3")
    S.w = "i + j/10"
    monitors = {"M": es.StateMonitor(G, "v", record=True),
                "Mp": es.StateMonitor(G, "v", record=[1, 3, 4]),
                "Ms": es.StateMonitor(S, "w", record=True),
                "Msub": es.StateMonitor(G[2:5], "v", record=True)}
    es.Network(G, S, *monitors.values(), backend=backend).run(1 * ms)
    return dict(monitors, G=G, S=S)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_views_by_subgroup_and_synapses_match_brian2(backend):
    names = _network(backend)
    for text, view, shape, last in B2:
        values = view(names)
        assert np.shape(values) == shape, text
        np.testing.assert_allclose(np.asarray(values)[..., -1], last, atol=1e-6,
                                   err_msg=text)
    M, G = names["M"], names["G"]
    assert M[G[1:3]].t.shape == (10,)
    np.testing.assert_array_equal(M[G[1:3]].v_, M.v_[1:3])


def test_a_view_of_neurons_not_recorded_is_refused():
    names = _network("numpy")
    G, Mp, Msub = names["G"], names["Mp"], names["Msub"]
    with pytest.raises(IndexError, match="did not record index 0; it records 1, 3, 4"):
        Mp[G[0]]
    # Brian2 wraps G[0] - 2 = -2 around to neuron 3; eqsnn says it is not recorded
    with pytest.raises(InvalidValueError, match=r"records 'neurongroup_\d+\[2:5\]', which "
                                                r"does not hold all of"):
        Msub[G[0]]
    other = es.NeuronGroup(5, "v : 1")
    with pytest.raises(InvalidValueError, match="does not hold all of"):
        names["M"][other[0:2]]


def test_subgroups_from_one_index_or_consecutive_indices():
    G = es.NeuronGroup(5, "v : 1", name="cells")
    assert (G[3].start, G[3].stop) == (3, 4)
    assert (G[-1].start, G[-1].stop) == (4, 5)
    assert (G[[1, 2, 3]].start, G[[1, 2, 3]].stop) == (1, 4)
    for item, message in [(5, r"cells\[5\] is not a neuron of 'cells'"),
                          ([1, 3], "subgroups are contiguous"),
                          (slice(0, 4, 2), "subgroups are contiguous"),
                          ([3, 4, 5], "reaches outside 'cells'"),
                          (slice(3, 3), "is empty"),
                          ("i > 2", "subgroups are made with")]:
        with pytest.raises(InvalidValueError, match=message):
            G[item]
