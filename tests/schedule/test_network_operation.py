"""network_operation: a Python function called every dt during a run, at its place in
the step (the compiled loop pauses there and resumes after the call).

Reference: Brian2 2.9.0 (numpy target, ``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python``)
running the model of ``_network`` below with Brian2's names
(``@network_operation(dt=0.2*ms, when="after_groups")``, the same monitors):
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError, NetworkOperationError
from eqsnn.units import ms

BACKENDS = ["c", "numpy"]
# (t in ms, v[0] the operation saw) and the two monitors' v[0], Brian2 2.9.0
BRIAN2_SEEN = [[0.0, 0.4], [0.2, 1.21], [0.4, 0.8], [0.6, 0.4], [0.8, 1.21]]
BRIAN2_START = [0.0, 0.41, 0.81, 0.0, 0.4, 0.81, 0.0, 0.41, 0.81, 0.0]
BRIAN2_END = [0.41, 0.81, 0.0, 0.4, 0.81, 0.0, 0.41, 0.81, 0.0, 0.4]


def _network(backend, threads=1):
    group = es.NeuronGroup(2, "dv/dt = 1/(0.25*ms) : 1", threshold="v > 1", reset="v = 0",
                           method="euler")
    seen = []

    @es.network_operation(dt=0.2 * ms, when="after_groups")
    def kick(t):
        seen.append((float(t / ms), group.v[0]))
        group.v = group.v[:] + 0.01

    start = es.StateMonitor(group, "v", record=[0])
    end = es.StateMonitor(group, "v", record=[0], when="end")
    net = es.Network(group, start, end, kick, backend=backend, threads=threads)
    net.run(1 * ms)
    return seen, start.v[0], end.v[0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_network_operation_runs_in_its_slot_as_in_brian2(backend):
    # it sees v after the state update (1.21 before the threshold), and its change is
    # what the threshold, the reset and the monitors see
    seen, start, end = _network(backend)
    np.testing.assert_allclose(seen, BRIAN2_SEEN, atol=1e-12)
    np.testing.assert_allclose(start, BRIAN2_START, atol=1e-12)
    np.testing.assert_allclose(end, BRIAN2_END, atol=1e-12)


def test_a_network_operation_gives_the_same_on_two_threads():
    one, two = _network("c", 1), _network("c", 2)
    for a, b in zip(one, two):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


@pytest.mark.parametrize("backend", BACKENDS)
def test_by_default_it_runs_every_step_at_the_start(backend):
    group = es.NeuronGroup(1, "n : 1")
    times = []

    @es.network_operation
    def count():
        times.append(net.t_)
        group.n = group.n[:] + 1

    trace = es.StateMonitor(group, "n", record=True)  # start, order 0: after count()
    net = es.Network(group, count, trace, backend=backend)
    net.run(0.5 * ms)
    net.run(0.3 * ms)
    np.testing.assert_allclose(times, np.arange(8) * 1e-4, atol=1e-15)
    np.testing.assert_array_equal(trace.n[0], np.arange(1, 9))  # (the name sorts first)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_error_inside_stops_the_run_and_keeps_the_recording(backend):
    group = es.NeuronGroup(1, "dv/dt = 1/ms : 1", method="euler")
    trace = es.StateMonitor(group, "v", record=True)
    calls = []

    @es.network_operation(dt=0.5 * ms, when="end")
    def fail_once(t):
        calls.append(float(t / ms))
        if len(calls) == 2:
            raise RuntimeError("bad input file")

    net = es.Network(group, trace, fail_once, backend=backend)
    with pytest.raises(NetworkOperationError, match="raised RuntimeError: bad input file") \
            as info:
        net.run(2 * ms)
    assert isinstance(info.value.__cause__, RuntimeError)
    assert calls == [0.0, 0.5]
    # steps 0..5 were recorded (the failure came at the end of step 5)
    np.testing.assert_allclose(trace.v[0], np.arange(6) * 0.1, atol=1e-12)
    assert net.t == 0.5 * ms
    net.run(0.5 * ms)  # continues after the failed call: the rest of step 5, then 6..9
    assert calls == [0.0, 0.5]
    np.testing.assert_allclose(trace.v[0], np.arange(10) * 0.1, atol=1e-12)
    net.run(0.1 * ms)
    assert calls == [0.0, 0.5, 1.0]


def test_it_cannot_run_its_own_network_and_is_checked():
    group = es.NeuronGroup(1, "v : 1")

    @es.network_operation
    def again():
        net.run(1 * ms)

    net = es.Network(group, again)
    with pytest.raises(NetworkOperationError, match="already running"):
        net.run(1 * ms)
    with pytest.raises(InvalidValueError, match="takes 2 arguments"):
        es.NetworkOperation(lambda a, b: None)
    with pytest.raises(InvalidValueError, match="calls a function"):
        es.NetworkOperation(3)
    with pytest.raises(InvalidValueError, match="not a scheduling slot"):
        es.network_operation(when="the end")(lambda: None)
    slow = es.NetworkOperation(lambda: None, dt=0.1001 * ms)
    with pytest.raises(InvalidValueError, match="no common time step"):
        es.Network(group, slow).run(1 * ms)


def test_it_cannot_move_the_networks_time():
    group = es.NeuronGroup(1, "v : 1")

    @es.network_operation
    def rewind():
        net.restore()

    net = es.Network(group, rewind)
    net.store()
    with pytest.raises(NetworkOperationError, match="restore\\(\\) of a running network"):
        net.run(1 * ms)
    net.restore()


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_operation_can_stop_the_run(backend):
    # Brian2's examples/network_operation_stop.py with G.v = 'i/N' instead of rand():
    # Brian2 2.9.0 (numpy target) stops at t = 22.1 ms with 20 spikes (the step of the
    # call at 22 ms is finished); run(5*ms) again stops at the next call: 23.1 ms
    group = es.NeuronGroup(10, "dv/dt = (1.5 - v)/(10*ms) : 1", threshold="v > 1",
                           reset="v = 0", method="exact")
    group.v = "i/N"
    spikes = es.SpikeMonitor(group)

    @es.network_operation(dt=1 * ms)
    def check_spikes():
        if spikes.num_spikes >= 20:
            net.stop()

    net = es.Network(group, spikes, check_spikes, backend=backend)
    net.run(100 * ms)
    assert abs(net.t / ms - 22.1) < 1e-9 and spikes.num_spikes == 20
    net.run(5 * ms)
    assert abs(net.t / ms - 23.1) < 1e-9
    net.stop()  # outside a run: nothing
    net.run(0.5 * ms)
    assert abs(net.t / ms - 23.6) < 1e-9
