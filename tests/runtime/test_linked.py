"""Linked variables (Brian2's ``x : unit (linked)`` and ``linked_var``): a parameter
that reads another group's variable at the moment the code runs, on both backends."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, InvalidValueError, UnknownNameError
from eqsnn.units import ms, mV

TAU = 10 * ms
FOLLOWER = """
dv/dt = (I - v)/tau : volt
I : volt (linked)
"""


def _source(n, values_mv):
    source = es.NeuronGroup(n, "x : volt")
    source.x = np.asarray(values_mv) * mV
    return source


def _relaxed(target_mv, t_ms=20.0):
    """v(t) of dv/dt = (I - v)/tau from v = 0 with I constant: I*(1 - exp(-t/tau))."""
    return 1e-3 * np.asarray(target_mv) * (1 - np.exp(-t_ms / 10.0))


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_same_size_link_reads_each_neurons_partner(backend):
    source = _source(3, [1.0, 2.0, 4.0])
    follower = es.NeuronGroup(3, FOLLOWER, method="exact", namespace={"tau": TAU})
    follower.I = es.linked_var(source, "x")
    es.Network(source, follower, backend=backend).run(20 * ms)
    np.testing.assert_allclose(follower.v_, _relaxed([1.0, 2.0, 4.0]), rtol=1e-9)
    np.testing.assert_allclose(follower.I_, [1e-3, 2e-3, 4e-3])  # read through the link


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_one_neuron_and_index_and_subgroup_links(backend):
    single = _source(1, [3.0])
    many = _source(4, [1.0, 2.0, 4.0, 8.0])
    scalar = es.NeuronGroup(2, FOLLOWER, method="exact", namespace={"tau": TAU})
    scalar.I = es.linked_var(single, "x")                     # one value for all
    indexed = es.NeuronGroup(3, FOLLOWER, method="exact", namespace={"tau": TAU})
    indexed.I = es.linked_var(many, "x", index=[3, 0, 3])     # neuron k reads index[k]
    part = es.NeuronGroup(2, FOLLOWER, method="exact", namespace={"tau": TAU})
    part.I = es.linked_var(many[2:], "x")                     # neurons 2, 3 of many
    trace = es.StateMonitor(indexed, ["I", "v"], record=[0, 1])
    es.Network(single, many, scalar, indexed, part, trace, backend=backend).run(20 * ms)
    np.testing.assert_allclose(scalar.v_, _relaxed([3.0, 3.0]), rtol=1e-9)
    np.testing.assert_allclose(indexed.v_, _relaxed([8.0, 1.0, 8.0]), rtol=1e-9)
    np.testing.assert_allclose(part.v_, _relaxed([4.0, 8.0]), rtol=1e-9)
    np.testing.assert_allclose(trace.I_[:, -1], [8e-3, 1e-3])


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_the_link_follows_the_source_as_it_changes(backend):
    """The threshold reads the source's variable of the same step: the follower spikes
    exactly when the driver crosses, step by step."""
    driver = es.NeuronGroup(1, "dx/dt = 1*mV/ms : volt", method="euler")
    follower = es.NeuronGroup(1, "I : volt (linked)", threshold="I > 5*mV",
                              reset="", refractory=100 * ms)
    follower.I = es.linked_var(driver, "x")
    spikes = es.SpikeMonitor(follower)
    es.Network(driver, follower, spikes, backend=backend, dt=0.1 * ms).run(10 * ms)
    # x after the update of step k is (k+1)*0.1 mV: > 5 mV first at step 50
    np.testing.assert_allclose(spikes.t_, [5.0e-3], atol=1e-12)


def test_errors_say_what_to_do():
    source = _source(3, [1.0, 2.0, 3.0])
    follower = es.NeuronGroup(2, FOLLOWER, namespace={"tau": TAU})
    with pytest.raises(InvalidValueError, match="cannot be given values"):
        follower.I = 2 * mV
    with pytest.raises(InvalidValueError, match="which neuron should each one read") as info:
        follower.I = es.linked_var(source, "x")
    assert "index=" in info.value.hint
    with pytest.raises(DimensionMismatchError, match="unit"):
        es.NeuronGroup(3, "I : 1 (linked)").I = es.linked_var(source, "x")
    with pytest.raises(InvalidValueError, match="never linked"):
        es.Network(follower, backend="numpy").run(1 * ms)
    follower.I = es.linked_var(source, "x", index=[0, 2])
    with pytest.raises(InvalidValueError, match="not in this network"):
        es.Network(follower, backend="numpy").run(1 * ms)
    with pytest.raises(UnknownNameError, match="is linked to another group"):
        es.NeuronGroup(2, "dv/dt = -v/tau : volt\nI : volt (linked)", reset="I = 0*mV",
                       threshold="v > 1*mV", namespace={"tau": TAU})


def test_synapses_do_not_read_through_a_link():
    source = _source(2, [1.0, 2.0])
    follower = es.NeuronGroup(2, FOLLOWER, threshold="v > 1*mV", namespace={"tau": TAU})
    with pytest.raises(InvalidValueError, match="cannot read a variable through its link"):
        es.Synapses(follower, source, on_pre="x_post += I_pre")
    with pytest.raises(InvalidValueError, match=r"flag \(linked\)"):
        es.Synapses(follower, source, "w : 1 (linked)")
