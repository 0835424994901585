"""``(shared)`` on synaptic parameters and subexpressions, with Brian2's checks: one value
for all synapses, never written by a pathway (its code runs for some synapses only), set
from shared values only; a shared subexpression uses only shared values."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

MODEL = "w : 1 (shared)\nscale : 1\ngain = 2*w : 1 (shared)"


def _network(backend, threads=1):
    source = es.SpikeGeneratorGroup(3, [0, 1, 2, 0], [1, 1, 2, 3] * ms)
    target = es.NeuronGroup(2, "v : 1")
    synapses = es.Synapses(source, target, MODEL, on_pre="v_post += gain*scale")
    synapses.connect()
    synapses.w = 0.25
    synapses.scale = "i + 1"
    trace = es.StateMonitor(synapses, "w", record=[0, 5])
    options = {"threads": threads} if threads > 1 else {}
    es.Network(source, target, synapses, trace, backend=backend, dt=0.1 * ms,
               **options).run(5 * ms)
    return synapses, target, trace


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_one_value_reaches_every_synapse(backend):
    synapses, target, trace = _network(backend)
    assert synapses.w.tolist() == [0.25] and synapses.gain.tolist() == [0.5]
    assert synapses.scale.tolist() == [1, 1, 2, 2, 3, 3]
    # spikes of sources 0, 1, 2, 0 reach both targets with gain*(i + 1)
    np.testing.assert_allclose(target.v, [0.5 * (1 + 2 + 3 + 1)] * 2)
    assert np.all(trace.w == 0.25)


def test_two_threads_give_the_same_sums():
    assert _network("c", threads=2)[1].v.tolist() == _network("c")[1].v.tolist()


def test_a_pathway_may_not_write_it():
    group = es.NeuronGroup(2, "v : 1")
    with pytest.raises(InvalidValueError, match="a shared variable") as info:
        es.Synapses(group, group, "w : 1 (shared)", on_pre="w += 1")
    assert "drop (shared)" in info.value.hint


def test_it_is_set_from_shared_values_only():
    group = es.NeuronGroup(3, "v : 1")
    synapses = es.Synapses(group, group, "w : 1 (shared)")
    synapses.connect()
    synapses.w = "2.0*N_pre"
    assert synapses.w.tolist() == [6.0]
    with pytest.raises(InvalidValueError, match="has a value per synapse"):
        synapses.w = "i*1.0"


def test_a_shared_subexpression_of_per_synapse_values_is_refused():
    group = es.NeuronGroup(2, "v : 1")
    with pytest.raises(InvalidValueError, match="uses w, which has a value per synapse"):
        es.Synapses(group, group, "w : 1\nm = 2*w : 1 (shared)")


def test_a_shared_differential_equation_is_refused():
    group = es.NeuronGroup(2, "v : 1")
    with pytest.raises(InvalidValueError, match="a synaptic parameter can be shared"):
        es.Synapses(group, group, "dw/dt = -w/ms : 1 (shared)")
