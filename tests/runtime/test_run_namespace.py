"""``net.run(duration, namespace={...})``: Brian2's run namespace
(docs_sphinx/advanced/namespaces.rst) - a name an object's own ``namespace=`` lacks is
looked up there; the object's own entry wins.

Expected numbers: Brian2 2.9.0 running the same statements
(``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python``, ``prefs.codegen.target = 'numpy'``,
``defaultclock.dt = 0.1*ms``, ``Network(...)``, the same ``run(..., namespace=)``
calls; Brian2 is given the namespace again at each run, eqsnn keeps the last one).
"""
import warnings

import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, InvalidValueError, UnknownNameError
from eqsnn.units import mV, ms

RELAX = "dv/dt = (1 - v) / tau : 1"


def test_names_from_the_run_and_the_objects_own_first():
    group = es.NeuronGroup(1, RELAX)
    net = es.Network(group, backend="numpy")
    net.run(10 * ms, namespace={"tau": 10 * ms})
    np.testing.assert_allclose(group.v, [0.63212056], rtol=1e-7)       # Brian2
    own = es.NeuronGroup(1, RELAX, namespace={"tau": 5 * ms})
    with pytest.warns(UserWarning, match="uses its own"):            # (Brian2 warns too)
        es.Network(own, backend="numpy").run(10 * ms, namespace={"tau": 10 * ms})
    np.testing.assert_allclose(own.v, [0.86466472], rtol=1e-7)         # own tau = 5 ms
    net.run(10 * ms)                                                    # the last one kept
    np.testing.assert_allclose(group.v, [0.86466472], rtol=1e-7)
    net.run(10 * ms, namespace={"tau": 1 * ms})                         # a new value
    np.testing.assert_allclose(group.v, [0.99999386], rtol=1e-7)


@pytest.mark.parametrize("backend, threads", [("numpy", None), ("c", 1), ("c", 2)])
def test_values_and_connect_before_the_run_wait_for_its_names(backend, threads):
    # every name of the model comes from run(): the objects are built there, and what
    # was set before (values, connect) is done then, in order
    G = es.NeuronGroup(4, "dv/dt = (v0 - v) / tau : volt", threshold="v > vt",
                       reset="v = 0*mV", method="exact")
    G.v = "i*5*mV"
    S = es.Synapses(G, G, "w : volt", on_pre="v += w + J")
    S.connect("i != j")
    S.w = "0.5*mV*(i+1)"
    spikes = es.SpikeMonitor(G)
    net = es.Network(G, S, spikes, backend=backend, threads=threads)
    net.run(20 * ms, namespace={"tau": 10 * ms, "v0": 25 * mV, "vt": 20 * mV, "J": 0.5 * mV})
    # Brian2: count [1 1 1 1], t [6.9 7. 7.7 9.2] ms, v [16.42478706 17.96225434
    # 18.90408419 19.52310051] mV
    np.testing.assert_array_equal(spikes.count, [1, 1, 1, 1])
    np.testing.assert_allclose(spikes.t / ms, [6.9, 7.0, 7.7, 9.2])
    np.testing.assert_allclose(G.v / mV, [16.42478706, 17.96225434, 18.90408419,
                                          19.52310051], rtol=1e-8)
    assert S.N == 12
    G.v = "v0"                                  # string values between runs see it too
    np.testing.assert_allclose(G.v / mV, [25] * 4)


def test_errors():
    group = es.NeuronGroup(1, RELAX)
    net = es.Network(group, backend="numpy")
    with pytest.raises(UnknownNameError, match="unknown name 'tau'"):
        net.run(1 * ms)
    with pytest.raises(UnknownNameError, match="unknown name 'tau'"):
        net.run(1 * ms, namespace={"tua": 1 * ms})
    with pytest.raises(InvalidValueError, match="namespace must be a dict"):
        net.run(1 * ms, namespace=[("tau", 1 * ms)])
    net.run(1 * ms, namespace={"tau": 1 * ms})
    with pytest.raises(DimensionMismatchError, match="had unit second"):
        net.run(1 * ms, namespace={"tau": 1 * mV})
    with pytest.raises(UnknownNameError, match="unknown name 'tau'"):
        net.run(1 * ms, namespace={})                # {} takes the run's names away


def test_a_name_in_both_namespaces_warns_as_brian2_and_uses_the_objects():
    group = es.NeuronGroup(1, RELAX, namespace={"tau": 5 * ms})
    net = es.Network(group, backend="numpy")
    with pytest.warns(UserWarning, match="'tau' is .* in the namespace of .* uses its own"):
        net.run(10 * ms, namespace={"tau": 10 * ms})
    np.testing.assert_allclose(group.v, [0.86466472], rtol=1e-7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.run(1 * ms, namespace={"tau": 5 * ms})          # the same value: no warning
