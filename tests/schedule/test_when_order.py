"""when= and order=: where in a time step each operation runs, as Brian2 schedules it.

The reference numbers come from Brian2 2.9.0 (numpy target) running the same models:
``~/.cache/eqsnn/bench/brian2-2.9.0/bin/python`` with, for the first test,

    G = NeuronGroup(1, "dv/dt = 1/(0.25*ms) : 1", threshold="v > 1", reset="v = 0",
                    method="euler")
    mons = {w: StateMonitor(G, "v", record=True, when=w)
            for w in ["start", "after_groups", "after_resets", "end"]}
    Network(G, *mons.values()).run(1*ms)

(v grows by 0.4 per step of 0.1 ms, crosses 1 at the third step and is reset).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

BACKENDS = ["c", "numpy"]
RAMP = "dv/dt = 1/(0.25*ms) : 1"

# Brian2 2.9.0, as in the module docstring
BRIAN2_V = {
    "start": [0.0, 0.4, 0.8, 0.0, 0.4, 0.8, 0.0, 0.4, 0.8, 0.0],
    "after_groups": [0.4, 0.8, 1.2, 0.4, 0.8, 1.2, 0.4, 0.8, 1.2, 0.4],
    "after_resets": [0.4, 0.8, 0.0, 0.4, 0.8, 0.0, 0.4, 0.8, 0.0, 0.4],
    "end": [0.4, 0.8, 0.0, 0.4, 0.8, 0.0, 0.4, 0.8, 0.0, 0.4],
}


def _ramp(**kwargs):
    return es.NeuronGroup(1, RAMP, threshold="v > 1", reset="v = 0", method="euler", **kwargs)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_state_monitor_records_where_its_when_says(backend):
    group = _ramp()
    monitors = {when: es.StateMonitor(group, "v", record=True, when=when)
                for when in BRIAN2_V}
    es.Network(group, *monitors.values(), backend=backend).run(1 * ms)
    for when, expected in BRIAN2_V.items():
        np.testing.assert_allclose(monitors[when].v[0], expected, atol=1e-12, err_msg=when)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_reset_moved_to_start_runs_before_a_monitor_there(backend):
    # Brian2 2.9.0: G.resetter['spike'].when = 'start', StateMonitors in start and
    # after_groups. Both run in "start" at order 0: by name, the reset
    # ("neurongroup…_resetter") before the monitor ("statemonitor…"), so the monitor
    # in start sees the reset value, one step after the threshold crossed.
    group = _ramp()
    group.resetter["spike"].when = "start"
    at_start = es.StateMonitor(group, "v", record=True)
    after_update = es.StateMonitor(group, "v", record=True, when="after_groups")
    es.Network(group, at_start, after_update, backend=backend).run(1 * ms)
    np.testing.assert_allclose(at_start.v[0], BRIAN2_V["start"], atol=1e-12)
    np.testing.assert_allclose(after_update.v[0], BRIAN2_V["after_groups"], atol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pathway_delivers_in_its_slot(backend):
    # Brian2 2.9.0: src (the ramp) -> tgt ("x : 1") on_pre "x += 1"; StateMonitors of x
    # in before_synapses and after_synapses: the spike of step 2 arrives in step 2's
    # synapses slot.
    source = _ramp()
    target = es.NeuronGroup(1, "x : 1")
    syn = es.Synapses(source, target, on_pre="x += 1")
    syn.connect()
    before = es.StateMonitor(target, "x", record=True, when="before_synapses")
    after = es.StateMonitor(target, "x", record=True, when="after_synapses")
    net = es.Network(source, target, syn, before, after, backend=backend)
    net.store()
    net.run(1 * ms)
    np.testing.assert_allclose(before.x[0], [0, 0, 0, 1, 1, 1, 2, 2, 2, 3])
    np.testing.assert_allclose(after.x[0], [0, 0, 1, 1, 1, 2, 2, 2, 3, 3])
    # the pathway moved to the end of the step, the monitor to after the resets (the
    # network builds again): the spike arrives after the monitor read x
    syn.pre.when = "end"
    after.when = "after_resets"
    net.restore()
    net.run(1 * ms)
    np.testing.assert_allclose(after.x[0], [0, 0, 0, 1, 1, 1, 2, 2, 2, 3])


@pytest.mark.parametrize("backend", BACKENDS)
def test_order_breaks_ties_within_a_slot(backend):
    # a's reset (v = 0) and a delivery onto a (v = 7) in one slot, at step 2 (both
    # groups spike then): the one with the higher order writes last.
    a = _ramp(name="a")
    b = _ramp(name="b")
    syn = es.Synapses(b, a, on_pre="v_post = 7")
    syn.connect()
    syn.pre.when, syn.pre.order = "resets", 1
    mon = es.StateMonitor(a, "v", record=True, when="end")
    net = es.Network(a, b, syn, mon, backend=backend)
    net.store()
    for reset_order, expected in ((0, 7.0), (2, 0.0)):
        net.restore()
        a.resetter["spike"].order = reset_order
        net.run(0.3 * ms)
        assert mon.v[0][-1] == expected


def test_an_unknown_slot_is_refused_with_the_slot_names():
    with pytest.raises(InvalidValueError, match="did you mean 'after_resets'") as info:
        es.StateMonitor(_ramp(), "v", when="after_reset")
    assert "start, groups, thresholds, synapses, resets, end" in str(info.value)
    with pytest.raises(InvalidValueError, match="whole number"):
        _ramp(order=0.5)
    group = _ramp()
    with pytest.raises(InvalidValueError, match="not a scheduling slot"):
        group.state_updater.when = "after groups"
    group.state_updater.when = "later"   # a slot of a custom schedule, checked at run
    with pytest.raises(InvalidValueError, match="'later' of .* is not a slot of this "
                                                "network's schedule"):
        es.Network(group).run(0.1 * ms)


def test_a_spike_monitor_follows_its_sources_threshold():
    group = _ramp()
    monitor = es.SpikeMonitor(group)
    assert (monitor.when, monitor.order) == ("thresholds", 1)
    group.thresholder["spike"].order = 4
    assert (monitor.when, monitor.order) == ("thresholds", 5)
    with pytest.raises(InvalidValueError, match="without when="):
        es.SpikeMonitor(group, order=3)


def test_a_moved_schedule_is_the_same_on_two_threads_and_on_numpy():
    def run(backend, threads):
        exc = es.NeuronGroup(300, "dv/dt = (1.2 - v)/(10*ms) : 1", threshold="v > 1",
                             reset="v = 0", method="exact", name="exc", seed=1)
        exc.v = "rand()"
        inh = es.NeuronGroup(200, "dv/dt = (1.1 - v)/(10*ms) : 1", threshold="v > 1",
                             reset="v = 0", method="exact", name="inh", order=-1,
                             seed=2)
        inh.v = "rand()"
        syn = es.Synapses(exc, inh, "w : 1", on_pre="v_post += w", seed=3)
        syn.connect(p=0.1)
        syn.w = 0.05
        syn.pre.when = "after_resets"
        back = es.Synapses(inh, exc, on_pre="v_post -= 0.02", seed=4)
        back.connect(p=0.1)
        back.pre.when, back.pre.order = "before_thresholds", 3
        spikes = es.SpikeMonitor(exc)
        trace = es.StateMonitor(inh, "v", record=[0, 7], when="after_synapses")
        net = es.Network(exc, inh, syn, back, spikes, trace, backend=backend,
                         threads=threads, seed=11)
        net.run(20 * ms)
        return spikes.i, np.asarray(trace.v_)

    i1, v1 = run("c", 1)
    i2, v2 = run("c", 2)
    i3, v3 = run("numpy", 1)
    np.testing.assert_array_equal(i1, i2)
    np.testing.assert_array_equal(v1, v2)
    np.testing.assert_array_equal(i1, i3)
    np.testing.assert_allclose(v1, v3, rtol=0, atol=1e-12)
    assert i1.size > 50
