"""Public read accessors that exporters use instead of private attributes."""
import numpy as np

import eqsnn as es
from eqsnn.units import ms, mV


def test_spike_generator_gives_its_spikes_back_as_given():
    gen = es.SpikeGeneratorGroup(3, [2, 0, 2], [5, 1, 7] * ms)
    np.testing.assert_array_equal(gen.indices, [2, 0, 2])
    np.testing.assert_allclose(gen.times_, [5e-3, 1e-3, 7e-3])
    np.testing.assert_allclose(gen.times / ms, [5, 1, 7])
    gen.indices[0] = 1          # copies: the group is unchanged
    assert gen.indices[0] == 2


def test_synapses_resolved_namespace_names_what_the_strings_use():
    group = es.NeuronGroup(2, "dv/dt = -v/tau : volt", namespace={"tau": 10 * ms})
    stim = es.TimedArray([0, 1] * mV, dt=1 * ms)
    ns = {"w0": 2 * mV, "stim": stim, "unused": 3 * ms}
    syn = es.Synapses(group, group, "w = stim(t) + w0 : volt", on_pre="v_post += w",
                      namespace=ns)
    assert syn.namespace is ns                      # Brian2: the dict given, kept
    assert set(syn.resolved_namespace) == {"w0", "stim"}
    assert syn.resolved_namespace["stim"] is stim
    assert syn.resolved_namespace["w0"].value == 2e-3
    assert set(group.resolved_namespace) == {"tau"}
