"""Values checked at the call that takes them, and the wrong meanings fixed (issue 19
items 1 and 5, first part): dt and durations, sizes, structural attributes, short runs."""
import re

import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.runtime.group_setup import MAX_NEURONS
from eqsnn.units import ms, second


@pytest.mark.parametrize("dt", [float("nan") * ms, float("inf") * ms, -1 * ms, 0 * ms])
def test_dt_must_be_positive_and_finite(dt):
    with pytest.raises(InvalidValueError, match="positive, finite duration"):
        es.Network(dt=dt)


@pytest.mark.parametrize("duration", [float("nan") * ms, float("inf") * ms, -1 * ms])
def test_run_duration_must_be_finite(duration):
    net = es.Network(es.NeuronGroup(1, "dv/dt = -v/(10*ms) : 1"))
    with pytest.raises(InvalidValueError, match="non-negative time"):
        net.run(duration)


def test_a_tiny_dt_cannot_make_a_run_that_never_ends():
    net = es.Network(es.NeuronGroup(1, "dv/dt = -v/(10*ms) : 1"), dt=1e-300 * ms)
    with pytest.raises(InvalidValueError, match="at most 9.01e\\+15"):
        net.run(1 * ms)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_short_runs_accumulate(backend):
    group = es.NeuronGroup(1, "dv/dt = 1/second : 1")
    net = es.Network(group, dt=0.1 * ms, backend=backend)
    for _ in range(10):
        net.run(0.04 * ms)
    assert net.t_ == pytest.approx(0.4e-3)
    assert float(np.asarray(group.v)[0]) == pytest.approx(0.4e-3)


@pytest.mark.parametrize("size", [MAX_NEURONS + 1, 2**62])
def test_group_size_beyond_32_bit_indices_is_refused(size):
    with pytest.raises(InvalidValueError, match="at most 2,147,483,647 neurons"):
        es.NeuronGroup(size, "v : 1")


def test_size_and_model_are_read_only():
    group = es.NeuronGroup(3, "v : 1\ntarget : 1")
    with pytest.raises(InvalidValueError, match="N of NeuronGroup .* is fixed"):
        group.N = 50_000_000
    with pytest.raises(InvalidValueError, match="fixed when it is created"):
        group.model = "w : 1"
    group.target = 2  # a state variable that happens to share a structural name
    assert list(np.asarray(group.target)) == [2, 2, 2]
    syn = es.Synapses(group, group, "w : 1")
    syn.connect(i=[0], j=[1])
    with pytest.raises(InvalidValueError, match="N of Synapses"):
        syn.N = 10
    assert group.N == 3 and syn.N == 1


@pytest.mark.parametrize("namespace, message", [
    ({1: 2}, "namespace keys must be names, not 1"),
    ({"tau": "10*ms"}, "is the string '10*ms'"),
    ({"tau": object()}, "must be a real number or quantity"),
    ({"tau": 1j * ms}, "must be a real number or quantity"),
    ({"tau": 10**400}, "must be a real number or quantity"),
    ({"tau": 10 * ms, "exp": 3.0}, "has the name of the built-in function exp()"),
    ({"tau": 10 * ms, "a\ufb01": 1.0, "afi": 2.0}, "are one name"),
], ids=["int-key", "string", "object", "complex", "huge-int", "shadows-exp", "nfkc-twins"])
def test_namespace_entries_are_checked(namespace, message):
    with pytest.raises(InvalidValueError, match=re.escape(message)):
        es.NeuronGroup(1, "dv/dt = -v/tau + exp(-v)/tau : 1", namespace=namespace)


def test_a_network_refuses_a_second_run_while_one_is_in_progress():
    net = es.Network(es.NeuronGroup(1, "dv/dt = -v/(10*ms) : 1"), backend="numpy")
    with net._running:  # as while another thread's run() holds it
        with pytest.raises(InvalidValueError, match="already running"):
            net.run(1 * ms)
    net.run(1 * ms)  # free again


def test_distinct_networks_run_in_parallel_threads():
    import threading
    nets = [es.Network(es.NeuronGroup(10, "dv/dt = (1 - v)/(10*ms) : 1"), backend="numpy")
            for _ in range(2)]
    errors = []

    def work(net):
        try:
            net.run(5 * ms)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(net,)) for net in nets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors and all(net.t_ == pytest.approx(5e-3) for net in nets)


REFRACTORY_MODEL = "dv/dt = 2/ms : 1 (unless refractory)"


@pytest.mark.parametrize("backend", ["c", "numpy"])
@pytest.mark.parametrize("period", [1e300 * second, float("inf") * ms])
def test_a_refractory_period_beyond_any_run_means_one_spike(backend, period):
    group = es.NeuronGroup(2, REFRACTORY_MODEL, threshold="v > 1", reset="v = 0",
                           refractory=period)
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes, backend=backend).run(5 * ms)
    assert spikes.count.tolist() == [1, 1]


@pytest.mark.parametrize("period", [float("nan") * ms, -1 * ms])
def test_a_refractory_period_must_be_a_number_of_at_least_zero(period):
    with pytest.raises(InvalidValueError, match="refractory must be a single non-negative"):
        es.NeuronGroup(1, REFRACTORY_MODEL, threshold="v > 1", refractory=period)


@pytest.mark.parametrize("backend", ["c", "numpy"])
@pytest.mark.parametrize("per_synapse", [False, True], ids=["one-delay", "per-synapse"])
def test_a_delay_longer_than_memory_can_hold_is_an_eqsnn_error(backend, per_synapse):
    group = es.NeuronGroup(2, "v : 1", threshold="v > 1")
    syn = es.Synapses(group, group, "w : 1", on_pre="v_post += w",
                      delay=None if per_synapse else 1e30 * second)
    syn.connect(i=[0, 1], j=[1, 0])
    if per_synapse:
        syn.delay = [1 * ms, 1e30 * second]
    with pytest.raises(InvalidValueError, match=r"the longest delay of the pre pathway .* "
                                                r"1e\+30 s, is 1e\+34 steps"):
        es.Network(group, syn, backend=backend).run(1 * ms)


@pytest.mark.parametrize("model, on_pre, condition, value", [
    ("w = exp(0.5) : 1", "v_post += w", None, None),
    ("w : 1", "v_post += exp(0.5)", None, None),
    ("w : 1", "v_post += w", "exp(i) > 0", None),
    ("w : 1", "v_post += w", None, "exp(1)"),
], ids=["model", "on_pre", "connect", "value"])
def test_a_synapse_namespace_entry_shadowing_a_used_builtin_is_refused(model, on_pre,
                                                                      condition, value):
    group = es.NeuronGroup(2, "v : 1", threshold="v > 1")
    with pytest.raises(InvalidValueError, match=r"namespace entry 'exp' has the name of the "
                                                r"built-in function exp\(\)"):
        syn = es.Synapses(group, group, model, on_pre=on_pre, namespace={"exp": 3.0})
        syn.connect(condition)
        syn.w = value


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_subexpressions_read_after_a_run_use_the_current_time(backend):
    group = es.NeuronGroup(2, "x = t/ms + i : 1\nv : 1")
    syn = es.Synapses(group, group, "s = 2*t/ms : 1")
    syn.connect(i=[0], j=[1])
    net = es.Network(group, syn, backend=backend)
    assert np.asarray(group.x).tolist() == [0, 1]
    net.run(1.5 * ms)
    net.store()
    net.run(1 * ms)
    assert np.asarray(group.x) == pytest.approx([2.5, 3.5])
    assert np.asarray(syn.s) == pytest.approx([5.0])
    group.v = "t/ms"  # a string value is evaluated at the current time too
    assert np.asarray(group.v) == pytest.approx([2.5, 2.5])
    net.restore()
    assert np.asarray(group.x) == pytest.approx([1.5, 2.5])


def test_a_network_operation_calling_run_of_its_own_network_is_refused():
    group = es.NeuronGroup(1, "dv/dt = -v/(10*ms) : 1")
    net = es.Network(group, backend="numpy")

    @es.network_operation(dt=1 * ms)
    def again():
        net.run(1 * ms)

    net.add(again)
    with pytest.raises(es.errors.NetworkOperationError, match="already running"):
        net.run(2 * ms)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_two_networks_cannot_run_one_object_at_the_same_time(backend):
    import threading
    import time
    group = es.NeuronGroup(200, "dv/dt = (2 - v)/(5*ms) : 1", threshold="v > 1", reset="v = 0")
    spikes = es.SpikeMonitor(group)  # a buffer both runs would grow
    first = es.Network(group, spikes, backend=backend)
    second = es.Network(group, spikes, backend=backend)
    first.run(0.1 * ms)  # compiled before the race
    second.run(0.1 * ms)
    errors = []

    def other_thread():
        while not first._running.locked():
            time.sleep(0.001)
        try:
            second.run(1 * ms)
        except InvalidValueError as error:
            errors.append(error)
        finally:
            first_stop.set()

    first_stop = threading.Event()
    op = es.network_operation(dt=1 * ms)(lambda: first_stop.wait(60))  # keeps the first run going
    first.add(op)
    thread = threading.Thread(target=other_thread)
    thread.start()
    first.run(5 * ms)
    thread.join(60)
    assert len(errors) == 1 and "is part of another network that is running now" in str(errors[0])
    second.run(1 * ms)  # free again once the first run is over
    assert second.t_ == pytest.approx(1.1e-3)


@pytest.mark.parametrize("attribute, value", [("source", None), ("start", -5), ("stop", 10**6),
                                              ("record", [0, 10**5]), ("variables", ["w"])])
def test_what_a_monitor_records_is_fixed(attribute, value):
    group = es.NeuronGroup(3, "v : 1", threshold="v > 1")
    monitor = (es.StateMonitor(group, "v", record=[0]) if attribute in ("record", "variables")
               else es.SpikeMonitor(group))
    with pytest.raises(InvalidValueError, match=f"{attribute} of .* is fixed when it is created"):
        setattr(monitor, attribute, value)
