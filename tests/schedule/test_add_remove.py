"""net.add() / net.remove() between runs, and looking objects up by name (Brian2's
Network.add, remove, __getitem__, __delitem__, __contains__).

Reference numbers: Brian2 2.9.0 (numpy target, ``~/.cache/eqsnn/bench/brian2-2.9.0/bin/
python``) running

    defaultclock.dt = 0.1*ms
    G = NeuronGroup(3, "dv/dt = (1.5 - v)/(5*ms) : 1", threshold="v > 1",
                    reset="v = 0", method="exact"); G.v = [0, 0.3, 0.6]
    R = NeuronGroup(1, "dx/dt = 1/ms : 1", method="euler")
    S = Synapses(G, G, on_pre="v += 0.05"); S.connect(j="(i + 1) % 3")
    M1 = SpikeMonitor(G); net = Network(G, R, S, M1)
    net.run(10*ms); net.remove(M1, R); net.run(10*ms)
    M2 = SpikeMonitor(G); net.add(M2); net.run(10*ms)      # print M1, M2, R.x, G.v
    net.remove(S); net.run(5*ms)                           # print G.v, M2.num_spikes

A removed object does nothing and keeps its state (R.x stays at 10 ms of growth).
Brian2 refuses to add an object back once it was simulated ("set its active flag to
False instead"); eqsnn allows it: the object continues from the state it kept.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

BACKENDS = ["c", "numpy"]
BRIAN2_M1 = [2.9, 4.3, 5.1, 8.2, 9.6]
BRIAN2_M2_FIRST = [20.3, 20.7, 24.1, 25.7, 25.9]
BRIAN2_M2_COUNT, BRIAN2_M2_COUNT_LATER = 6, 9
BRIAN2_V_30MS = [0.8712484247259685, 0.8749006630622443, 0.14274387294606122]
BRIAN2_V_35MS = [0.798500359485139, 0.798500359485139, 0.0]


def _objects():
    G = es.NeuronGroup(3, "dv/dt = (1.5 - v)/(5*ms) : 1", threshold="v > 1",
                       reset="v = 0", method="exact", name="G")
    G.v = [0, 0.3, 0.6]
    R = es.NeuronGroup(1, "dx/dt = 1/ms : 1", method="euler", name="R")
    S = es.Synapses(G, G, on_pre="v += 0.05", name="S")
    S.connect(j="(i + 1) % 3")
    return G, R, S


@pytest.mark.parametrize("backend", BACKENDS)
def test_objects_added_and_removed_between_runs_as_in_brian2(backend):
    G, R, S = _objects()
    M1 = es.SpikeMonitor(G)
    net = es.Network(G, R, S, M1, backend=backend)
    net.run(10 * ms)
    net.remove(M1, R)
    assert M1 not in net and "R" not in net and len(net) == 2
    net.run(10 * ms)
    M2 = es.SpikeMonitor(G)
    net.add([M2])
    net.run(10 * ms)
    np.testing.assert_allclose(M1.t / ms, BRIAN2_M1, atol=1e-9)
    assert M2.num_spikes == BRIAN2_M2_COUNT
    np.testing.assert_allclose((M2.t / ms)[:5], BRIAN2_M2_FIRST, atol=1e-9)
    assert R.x[0] == pytest.approx(10.0, rel=1e-12)  # frozen while out of the network
    np.testing.assert_allclose(G.v[:], BRIAN2_V_30MS, rtol=1e-12)
    del net["S"]
    net.run(5 * ms)
    np.testing.assert_allclose(G.v[:], BRIAN2_V_35MS, rtol=1e-12, atol=1e-15)
    assert M2.num_spikes == BRIAN2_M2_COUNT_LATER


def test_an_object_added_back_continues_from_the_state_it_kept():
    G, R, S = _objects()
    net = es.Network(R, backend="numpy")
    net.run(2 * ms)
    net.remove(R)
    net.run(3 * ms)
    net.add({"again": R})        # (a dict adds its values, as in Brian2)
    net.run(1 * ms)
    assert R.x[0] == pytest.approx(3.0, rel=1e-12)
    assert net["R"] is R and list(net) == [R]


def test_what_is_not_in_the_network_is_an_eqsnn_error():
    G, R, S = _objects()
    net = es.Network(G, S)
    with pytest.raises(InvalidValueError, match="'R' is not in this network") as error:
        net.remove(R)
    assert "it holds 'G', 'S'" in error.value.hint
    with pytest.raises(InvalidValueError, match="no object named 'H'"):
        net["H"]
    with pytest.raises(InvalidValueError, match="not int"):
        net.add([G, 3])
    net.remove(G)   # S still uses G: refused at the next run, with a hint
    with pytest.raises(InvalidValueError, match="'S' uses 'G', which is not in this network"):
        net.run(1 * ms)
