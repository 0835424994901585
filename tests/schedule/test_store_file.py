"""net.store(name, filename=) / net.restore(name, filename=): the state in a file, read
back by a new network of the same objects (as Brian2's), in a format that never
unpickles (npz + JSON, see eqsnn/runtime/state_files.py).

Reference numbers: Brian2 2.9.0 (numpy target, ``~/.cache/eqsnn/bench/brian2-2.9.0/bin/
python``) running

    defaultclock.dt = 0.1*ms
    G = NeuronGroup(3, "dv/dt = (1.5 - v)/(5*ms) : 1", threshold="v > 1",
                    reset="v = 0", method="exact", name="G"); G.v = [0, 0.3, 0.6]
    S = Synapses(G, G, "w : 1", on_pre="v += w", delay=2*ms, name="S")
    S.connect(j="(i + 1) % 3"); S.w = 0.05
    M = SpikeMonitor(G, name="M"); net = Network(G, S, M)
    net.run(10*ms); net.store("a", filename=...); net.run(10*ms)   # print M.t, M.i
    net.restore("a", filename=...); net.run(10*ms)                # the same again

The spike at 9.5 ms is in flight (delay 2 ms) when the state is stored.
"""
import pickle

import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

BACKENDS = ["c", "numpy"]
BRIAN2_T = [2.9, 4.3, 5.0, 8.1, 9.5, 10.2, 13.3, 14.7, 15.4, 18.5, 19.9]
BRIAN2_I = [2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1]


def _network(backend, **names):
    G = es.NeuronGroup(3, "dv/dt = (1.5 - v)/(5*ms) : 1", threshold="v > 1",
                       reset="v = 0", method="exact", name=names.get("G", "G"))
    G.v = [0, 0.3, 0.6]
    S = es.Synapses(G, G, "w : 1", on_pre="v += w", delay=2 * ms, name="S")
    S.connect(j="(i + 1) % 3")
    S.w = 0.05
    M = es.SpikeMonitor(G, name="M")
    return es.Network(G, S, M, backend=backend), G, M


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_new_network_continues_from_the_file_as_brian2(backend, tmp_path):
    path = tmp_path / "state.npz"
    net, G, M = _network(backend)
    net.run(10 * ms)
    net.store("a", filename=path)
    net.run(10 * ms)
    np.testing.assert_allclose(M.t / ms, BRIAN2_T, atol=1e-9)
    assert list(M.i) == BRIAN2_I
    net.store("b", filename=path)           # a second name in the same file
    fresh, G2, M2 = _network(backend)
    fresh.restore("a", filename=path)
    assert float(fresh.t / ms) == pytest.approx(10.0)
    fresh.run(10 * ms)                      # (the spike in flight arrives)
    np.testing.assert_array_equal(M2.t_, M.t_)
    np.testing.assert_array_equal(G2.v[:], G.v[:])
    fresh.restore("b", filename=path)
    assert float(fresh.t / ms) == pytest.approx(20.0)
    np.testing.assert_array_equal(G2.v[:], G.v[:])


def test_a_pickle_is_never_unpickled(tmp_path):
    path = tmp_path / "brian2_state.pkl"
    ran = tmp_path / "ran"

    class Payload:                          # what a malicious pickle would run
        def __reduce__(self):
            return (open, (str(ran), "w"))
    path.write_bytes(pickle.dumps({"a": Payload()}))
    net, *_ = _network("numpy")
    with pytest.raises(InvalidValueError, match="not a state file written by eqsnn") as error:
        net.restore("a", filename=path)
    assert "never a pickle" in error.value.hint
    assert not ran.exists()


def test_a_file_that_does_not_fit_is_an_eqsnn_error(tmp_path):
    path = tmp_path / "state.npz"
    net, *_ = _network("numpy")
    net.run(1 * ms)
    net.store("a", filename=path)
    with pytest.raises(InvalidValueError, match="holds no state stored under 'b'") as error:
        net.restore("b", filename=path)
    assert "['a']" in error.value.hint
    other, *_ = _network("numpy", G="H")
    with pytest.raises(InvalidValueError, match=r"nothing stored for \['H'\]; stored objects "
                                                r"not in the network: \['G'\]"):
        other.restore("a", filename=path)
    with pytest.raises(InvalidValueError, match="there is no state file"):
        net.restore("a", filename=tmp_path / "missing.npz")
