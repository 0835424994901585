"""Values given as Python lists of quantities, ``[1*ms, 2*ms]``, for every variable
setter (neuron groups, subgroups, synaptic variables and delays) and for the other
places that take several quantities (spike times)."""
import warnings

import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, InvalidValueError
from eqsnn.units import ms, mV, nA, second


def _group():
    return es.NeuronGroup(3, "v : volt\ntau : second\nI : amp\ngain : 1\nk : 1 (shared)")


def test_neuron_variables_take_lists_and_tuples_of_quantities():
    g = _group()
    g.v = [-70 * mV, -65 * mV, -60 * mV]
    np.testing.assert_allclose(g.v_, [-0.070, -0.065, -0.060], rtol=1e-15)
    g.tau = (1 * ms, 0.5 * second, 20 * ms)      # mixed prefixes of one dimension
    np.testing.assert_allclose(g.tau_, [1e-3, 0.5, 20e-3], rtol=1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an object array keeps the quantities: no warning
        g.I = np.array([1 * nA, 2 * nA, 3 * nA], dtype=object)
    np.testing.assert_allclose(g.I_, [1e-9, 2e-9, 3e-9], rtol=1e-15)
    g.gain = [1, 2, 3]                          # plain numbers for a dimensionless one
    g.k = [4]
    assert g.gain_.tolist() == [1, 2, 3] and g.k_.tolist() == [4]


def test_subgroup_and_single_element_lists():
    g = _group()
    g[1:].v = [5 * mV, 6 * mV]
    g[:1].tau = [3 * ms]
    np.testing.assert_allclose(g.v_, [0, 5e-3, 6e-3], rtol=1e-15)
    assert g.tau_[0] == pytest.approx(3e-3, rel=1e-15)
    g.I = [2 * nA]                               # one value broadcasts, as a scalar does
    np.testing.assert_allclose(g.I_, [2e-9] * 3, rtol=1e-15)


def test_synaptic_variables_take_lists_of_quantities():
    g = _group()
    syn = es.Synapses(g, g, "w : volt")
    syn.connect(i=[0, 1, 2], j=[1, 2, 0])
    syn.w = [1 * mV, 2 * mV, 3 * mV]
    np.testing.assert_allclose(syn.w_, [1e-3, 2e-3, 3e-3], rtol=1e-15)
    syn.delay = [1 * ms, 2 * ms, 3 * ms]
    syn.post.delay = (0.5 * ms, 0.5 * ms, 1 * ms)
    np.testing.assert_allclose(syn.delay_, [1e-3, 2e-3, 3e-3], rtol=1e-15)
    np.testing.assert_allclose(syn.post.delay_, [5e-4, 5e-4, 1e-3], rtol=1e-15)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_list_of_delays_delivers_each_spike_that_much_later(backend):
    source = es.SpikeGeneratorGroup(1, [0], [1 * ms])   # a list of quantities too
    target = es.NeuronGroup(3, "arrived : second")
    syn = es.Synapses(source, target, on_pre="arrived_post = t")
    syn.connect()
    syn.delay = [0.5 * ms, 2 * ms, 0.1 * second]
    syn.delay = [0.5 * ms, 2 * ms, 3.3 * ms]    # a second list replaces the first
    es.Network(source, target, syn, backend=backend).run(10 * ms)
    np.testing.assert_allclose(target.arrived_, [1.5e-3, 3e-3, 4.3e-3], rtol=0, atol=1e-12)
    syn.connect(i=0, j=0)                        # lists do not change the default (0)
    assert syn.delay_[-1] == 0


def test_mixed_units_in_a_list_are_an_error_that_says_how_to_fix_it():
    g = _group()
    with pytest.raises(DimensionMismatchError) as info:
        g.v = [1 * mV, 2 * ms, 3 * mV]
    text = str(info.value)
    assert "the values given for v mix units (second and volt)" in text
    assert "e.g. [0*volt, 1*volt], or multiply a list of numbers by one unit: [0, 1]*volt" \
        in text
    with pytest.raises(DimensionMismatchError, match=r"mix units \(plain numbers and volt\)"):
        g.v = [1 * mV, 0, 2 * mV]


def test_wrong_unit_wrong_length_and_plain_numbers_keep_their_messages():
    g = _group()
    with pytest.raises(DimensionMismatchError, match="v has unit volt, but the value given has "
                       "unit second"):
        g.v = [1 * ms, 2 * ms, 3 * ms]
    with pytest.raises(InvalidValueError, match=r"v needs 3 values \(or one\), but an array of "
                       r"shape \(2,\) was given"):
        g.v = [1 * mV, 2 * mV]
    with pytest.raises(DimensionMismatchError, match="v has unit volt, but a plain number was "
                       "given"):
        g.v = [1, 2, 3]
    syn = es.Synapses(g, g, "w : volt")
    syn.connect(j="i")
    with pytest.raises(DimensionMismatchError, match="delay has unit second, but the value "
                       "given has unit volt"):
        syn.delay = [1 * mV, 1 * mV, 1 * mV]
    with pytest.raises(InvalidValueError, match="delays must be finite and not negative"):
        syn.delay = [1 * ms, -1 * ms, 1 * ms]
    np.testing.assert_array_equal(syn.delay_, [0, 0, 0])  # a refused value changes nothing


def test_spike_times_as_a_list_of_quantities_and_mixed_units_refused():
    gen = es.SpikeGeneratorGroup(2, [0, 1], [1 * ms, 0.002 * second])
    mon = es.SpikeMonitor(gen)
    es.Network(gen, mon, backend="numpy").run(5 * ms)
    np.testing.assert_allclose(mon.t_, [1e-3, 2e-3], rtol=0, atol=1e-12)
    with pytest.raises(DimensionMismatchError, match=r"mix units \(second and volt\)"):
        es.SpikeGeneratorGroup(2, [0, 1], [1 * ms, 2 * mV])
