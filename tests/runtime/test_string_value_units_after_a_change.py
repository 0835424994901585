"""A name used only in a string value or index (``S.w = "a"``, ``G.v = "a"``,
``G.v["v > a"]``, a connect condition) is unit-checked with its unit *now*: a string
derived once is cached, and the cache key holds the namespace's units, so a unit that
changed between two uses is refused, never evaluated with the first unit's scale (it
gave ``S.w = 1 mV`` for ``a = 1*ms``)."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError
from eqsnn.units import mV, ms


def _pair():
    group = es.NeuronGroup(2, "v : volt")
    syn = es.Synapses(group, group, "w : volt")
    syn.connect()
    return group, syn


def test_a_synaptic_string_value():
    _, syn = _pair()
    syn.namespace["a"] = 1 * mV
    syn.w = "a"
    syn.namespace["a"] = 1 * ms
    with pytest.raises(DimensionMismatchError, match="w has unit volt"):
        syn.w = "a"
    syn.namespace["a"] = 2 * mV                       # back to a voltage: fine again
    syn.w = "a"
    np.testing.assert_allclose(syn.w / mV, [2] * 4)


def test_a_synaptic_condition_and_index():
    _, syn = _pair()
    syn.namespace["a"] = 1 * mV
    syn.w = "a*(i + 1)"
    assert len(syn.w["w > a"]) == 2
    syn.namespace["a"] = 1 * ms
    with pytest.raises(DimensionMismatchError):
        syn.w["w > a"]
    group = es.NeuronGroup(2, "v : volt")
    fresh = es.Synapses(group, group, "w : volt", namespace={"a": 1 * mV})
    fresh.connect("i != j or a > 0*mV")   # (a scalar term in 'or' broadcasts)
    assert fresh.N == 4
    fresh.namespace["a"] = 1 * ms
    with pytest.raises(DimensionMismatchError):
        fresh.connect("i != j or a > 0*mV")


def test_a_group_string_value_and_index():
    group, _ = _pair()
    group.namespace["a"] = 1 * mV
    group.v = "a"
    assert len(group.v["v > a/2"]) == 2
    group.namespace["a"] = 1 * ms
    with pytest.raises(DimensionMismatchError, match="v has unit volt"):
        group.v = "a"
    with pytest.raises(DimensionMismatchError):
        group.v["v > a/2"]
